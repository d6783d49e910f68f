/* The built-in networks against the published figures, and the presets. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "helpers_assert.h"
#include "network.h"
#include "presets.h"

/* Published figures. Parameters: torchvision's weight metadata
 * ("num_params" in torchvision/models/{alexnet,vgg,resnet,mobilenetv2,
 * vision_transformer}.py) and, for GPT-2 small, the reference release's
 * 124,439,808 (wte 50257x768 + wpe 1024x768 + 12 blocks + ln_f, head tied).
 * MACs: the same metadata's "_ops" (GFLOPS as torchvision counts them, i.e.
 * multiply-accumulates of conv, linear and attention matmuls): alexnet 0.714,
 * vgg16 15.47, resnet18 1.814, resnet50 4.089, mobilenet_v2 0.301,
 * vit_b_16 17.564. */
static const struct {
    const char *name;
    double params;
    double gmacs;
    int layers;
} published[] = {
    {"alexnet", 61100840, 0.714, 13},     {"vgg16", 138357544, 15.47, 23},
    {"resnet18", 11689512, 1.814, 13},    {"resnet50", 25557032, 4.089, 21},
    {"mobilenet_v2", 3504872, 0.301, 22}, {"vit_b_16", 86567656, 17.564, 16},
};

static nn_network build(const char *name)
{
    nn_network net = {0};
    if (zoo_build(name, &net) != 0) fail_msg("zoo_build(%s) failed", name);
    return net;
}

static const nn_layer *layer(const nn_network *net, const char *name)
{
    int i = network_find_layer(net, name);
    if (i < 0) fail_msg("%s has no layer %s", net->name, name);
    return &net->layers[i];
}

static void assert_out(const nn_network *net, const char *name, const char *shape)
{
    char got[64];
    shape_format(&layer(net, name)->out_shape, got, sizeof got);
    if (strcmp(got, shape) != 0) fail_msg("%s %s: %s, expected %s", net->name, name, got, shape);
}

static void test_published_params_and_macs(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof published / sizeof published[0]; i++) {
        nn_network net = build(published[i].name);
        assert_num(net.params, published[i].params);
        double want = published[i].gmacs * 1e9;
        if (fabs(net.macs - want) > 0.005 * want)
            fail_msg("%s: %.4f GMAC, published %.3f", published[i].name, net.macs / 1e9,
                     published[i].gmacs);
        assert_int_equal(net.nlayers, published[i].layers);
        network_free(&net);
    }
}

/* GPT-2 small at 1024 tokens, D = 768, V = 50257, MLP 4D. Per block:
 *   QKV        N*D*3D  = 1024*768*2304 = 1,811,939,328
 *   QK^T, AV   2*N*N*D = 2*1024*1024*768 = 1,610,612,736 (the reference
 *              multiplies the full matrix, then masks it)
 *   out proj   N*D*D   = 603,979,776
 *   MLP        2*N*D*4D = 4,831,838,208
 *   block total          8,858,370,048; x12 = 106,300,440,576
 * lm_head, for the last token as generation does, D*V = 768*50257 =
 * 38,597,376 (all 1024 tokens with all_tokens: 39,523,713,024). Total
 * 106,339,037,952 MACs (145,824,153,600 with all_tokens). Cross-check: each
 * block's weight matrices (12 D^2 = 7,077,888) are used once per token
 * (x1024 = 7,247,757,312), plus attention 1,610,612,736 = the block total
 * above; embedding lookups cost no MACs. The tied head shares the token
 * matrix wte (V*D = 38,597,376 params, 154,389,504 bytes) with the
 * embedding: one shared tensor that both use, counted once. */
static void test_gpt2(void **state)
{
    (void)state;
    nn_network net = build("gpt2");
    assert_num(net.params, 124439808);
    assert_num(net.macs, 106339037952.0);
    assert_num(net.flops, 2 * 106339037952.0);
    assert_num(net.weight_bytes, 4 * 124439808.0);
    assert_int_equal(net.nlayers, 15);
    assert_num(net.input_bytes, 1024 * 4);
    assert_out(&net, "embed", "[1024, 768]");
    assert_num(layer(&net, "embed")->params, 1024.0 * 768); /* wpe; wte is shared */
    assert_num(layer(&net, "h.0")->params, 7087872);        /* 12 D^2 + 13 D */
    assert_num(layer(&net, "h.11")->macs, 8858370048.0);
    assert_out(&net, "ln_f", "[1024, 768]");
    assert_out(&net, "lm_head", "[50257]");
    assert_num(layer(&net, "lm_head")->params, 0);
    assert_num(layer(&net, "lm_head")->macs, 38597376.0);
    assert_num(layer(&net, "lm_head")->output_bytes, 50257.0 * 4);
    assert_int_equal(net.nshared, 1);
    assert_string_equal(net.shared[0].name, "embed.wte");
    assert_true(net.shared[0].derived);
    assert_num(net.shared[0].params, 50257.0 * 768);
    assert_num(net.shared[0].bytes, 50257.0 * 768 * 4);
    const nn_layer *emb = layer(&net, "embed"), *head = layer(&net, "lm_head");
    assert_int_equal(emb->nuses, 1);
    assert_int_equal(emb->nuses_given, 0);
    assert_int_equal(emb->uses[0], 0);
    assert_int_equal(head->nuses, 1);
    assert_int_equal(head->uses[0], 0);
    /* all_tokens keeps the logits of every token; re-inferring derives the
     * shared tensor once, not twice. */
    nn_layer *h = &net.layers[network_find_layer(&net, "lm_head")];
    assert_int_equal(layer_set_param(h, "all_tokens", 1), 0);
    assert_int_equal(network_infer(&net, NULL, NULL, 0), 0);
    assert_num(net.macs, 145824153600.0);
    assert_out(&net, "lm_head", "[1024, 50257]");
    assert_num(layer(&net, "lm_head")->output_bytes, 1024.0 * 50257 * 4);
    assert_int_equal(net.nshared, 1);
    assert_num(net.params, 124439808);
    network_free(&net);
}

static void test_every_network_builds(void **state)
{
    (void)state;
    assert_int_equal(zoo_count(), 7);
    for (int i = 0; i < zoo_count(); i++) {
        const char *name = zoo_name(i);
        assert_non_null(name);
        assert_non_null(zoo_description(i));
        assert_true(strlen(zoo_description(i)) > 10);
        assert_int_equal(zoo_find(name), i);
        nn_network net = build(name);
        assert_string_equal(net.zoo, name);
        assert_true(strlen(net.name) > 0);
        assert_int_equal(net.dtype, DTYPE_FP32);
        assert_true(net.nlayers >= 13);
        double params = 0, macs = 0, wbytes = 0;
        for (int l = 0; l < net.nlayers; l++) {
            const nn_layer *ly = &net.layers[l];
            assert_true(ly->out_shape.ndim > 0);
            assert_true(ly->output_bytes > 0);
            assert_num(ly->flops, 2 * ly->macs);
            assert_num(ly->weight_bytes, 4 * ly->params);
            const nn_shape *in = l ? &net.layers[l - 1].out_shape : &net.input_shape;
            assert_memory_equal(&ly->in_shape, in, sizeof *in);
            assert_int_equal(network_find_layer(&net, ly->name), l); /* unique */
            params += ly->params;
            macs += ly->macs;
            wbytes += ly->weight_bytes;
        }
        /* Shared tensors count once in the totals. */
        for (int k = 0; k < net.nshared; k++) {
            params += net.shared[k].params;
            wbytes += net.shared[k].bytes;
        }
        assert_num(net.params, params);
        assert_num(net.macs, macs);
        assert_num(net.flops, 2 * macs);
        assert_num(net.weight_bytes, wbytes);
        network_free(&net);
    }
    assert_null(zoo_name(-1));
    assert_null(zoo_name(zoo_count()));
    assert_null(zoo_description(zoo_count()));
}

static void test_layer_shapes(void **state)
{
    (void)state;
    nn_network net = build("alexnet");
    assert_num(net.input_bytes, 3 * 224 * 224 * 4);
    assert_out(&net, "conv1", "[64, 55, 55]");
    assert_out(&net, "pool1", "[64, 27, 27]");
    assert_out(&net, "conv2", "[192, 27, 27]");
    assert_out(&net, "pool5", "[256, 6, 6]");
    assert_out(&net, "flatten", "[9216]");
    assert_out(&net, "fc8", "[1000]");
    assert_num(layer(&net, "conv1")->macs, 55 * 55 * 64 * 3 * 121); /* 70,276,800 */
    assert_num(layer(&net, "fc6")->params, 9216.0 * 4096 + 4096);
    assert_num(layer(&net, "conv1")->output_bytes, 64 * 55 * 55 * 4);
    network_free(&net);

    net = build("vgg16");
    assert_out(&net, "conv1_2", "[64, 224, 224]");
    assert_out(&net, "pool5", "[512, 7, 7]");
    assert_num(layer(&net, "fc6")->params, 25088.0 * 4096 + 4096);
    network_free(&net);

    net = build("resnet18");
    assert_out(&net, "conv1", "[64, 112, 112]");
    assert_num(layer(&net, "conv1")->params, 64 * 147 + 128); /* no bias, BN */
    assert_out(&net, "maxpool", "[64, 56, 56]");
    assert_out(&net, "layer2.0", "[128, 28, 28]");
    assert_out(&net, "layer4.1", "[512, 7, 7]");
    network_free(&net);

    net = build("resnet50");
    assert_out(&net, "layer1.0", "[256, 56, 56]");
    assert_out(&net, "layer3.5", "[1024, 14, 14]");
    assert_out(&net, "layer4.2", "[2048, 7, 7]");
    assert_out(&net, "avgpool", "[2048, 1, 1]");
    assert_num(layer(&net, "fc")->params, 2048 * 1000 + 1000);
    network_free(&net);

    net = build("mobilenet_v2");
    assert_out(&net, "features.0", "[32, 112, 112]");
    assert_out(&net, "features.1", "[16, 112, 112]");
    assert_out(&net, "features.17", "[320, 7, 7]");
    assert_out(&net, "features.18", "[1280, 7, 7]");
    assert_num(layer(&net, "classifier")->params, 1281000);
    network_free(&net);

    net = build("vit_b_16");
    assert_out(&net, "patch_embed", "[197, 768]"); /* 196 patches + class token */
    assert_num(layer(&net, "patch_embed")->params, 768.0 * 768 + 768 + 768 + 197 * 768);
    assert_out(&net, "encoder.11", "[197, 768]");
    assert_num(layer(&net, "encoder.0")->params, 7087872);
    assert_out(&net, "cls", "[768]");
    assert_out(&net, "head", "[1000]");
    network_free(&net);
}

static void test_find_aliases(void **state)
{
    (void)state;
    static const struct {
        const char *alias, *name;
    } aliases[] = {
        {"AlexNet", "alexnet"},
        {"VGG-16", "vgg16"},
        {"vgg_16", "vgg16"},
        {"ResNet-18", "resnet18"},
        {"RESNET_50", "resnet50"},
        {"resnet-50", "resnet50"},
        {"mobilenet-v2", "mobilenet_v2"},
        {"MobileNetV2", "mobilenet_v2"},
        {"vit-b-16", "vit_b_16"},
        {"ViT-B/16", "vit_b_16"},
        {"VIT_B_16", "vit_b_16"},
        {"gpt-2", "gpt2"},
        {"GPT2", "gpt2"},
        {"GPT-2 small", "gpt2"},
    };
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
        int k = zoo_find(aliases[i].alias);
        if (k < 0) fail_msg("zoo_find(%s) found nothing", aliases[i].alias);
        assert_string_equal(zoo_name(k), aliases[i].name);
    }
    assert_int_equal(zoo_find("resnet"), -1);
    assert_int_equal(zoo_find("resnet-152"), -1);
    assert_int_equal(zoo_find(""), -1);
    assert_int_equal(zoo_find(NULL), -1);
    nn_network net = {0};
    assert_int_equal(zoo_build("lenet", &net), -1);
    assert_int_equal(net.nlayers, 0);
    net = build("ResNet-18");
    assert_string_equal(net.zoo, "resnet18");
    assert_string_equal(net.name, "ResNet-18");
    network_free(&net);
}

static void test_device_presets(void **state)
{
    (void)state;
    static const char *required[] = {"jetson-nano", "raspberry-pi-4", "phone",
                                     "laptop",      "desktop-gpu",    "a100"};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!presets_device_find(required[i])) fail_msg("no device preset %s", required[i]);
    assert_true(presets_device_count() >= 6);
    bool tiers[TIER_COUNT] = {false};
    for (int i = 0; i < presets_device_count(); i++) {
        const nn_device_preset *p = presets_device_at(i);
        assert_non_null(p);
        assert_ptr_equal(presets_device_find(p->name), p);
        assert_true(p->speed > 0 && isfinite(p->speed));
        assert_true(p->memory > 0 && isfinite(p->memory));
        assert_true(p->load_rate > 0 && isfinite(p->load_rate));
        assert_true((int)p->tier >= 0 && p->tier < TIER_COUNT);
        assert_true(strlen(p->rationale) > 30);
        tiers[p->tier] = true;
    }
    for (int t = 0; t < TIER_COUNT; t++)
        assert_true(tiers[t]);
    assert_int_equal(presets_device_find("desktop-gpu")->tier, TIER_HUB);
    assert_int_equal(presets_device_find("a100")->tier, TIER_CLOUD);
    assert_int_equal(presets_device_find("jetson-nano")->tier, TIER_EDGE);
    /* A datacenter GPU outruns a phone, which outruns a Raspberry Pi. */
    assert_true(presets_device_find("a100")->speed > presets_device_find("desktop-gpu")->speed);
    assert_true(presets_device_find("phone")->speed > presets_device_find("raspberry-pi-4")->speed);
    assert_ptr_equal(presets_device_find("Jetson_Nano"), presets_device_find("jetson-nano"));
    assert_null(presets_device_find("toaster"));
    assert_null(presets_device_find(NULL));
    assert_null(presets_device_at(-1));
    assert_null(presets_device_at(presets_device_count()));
}

static void test_link_presets(void **state)
{
    (void)state;
    static const char *required[] = {"3g", "4g", "5g", "wifi", "ethernet", "wan"};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!presets_link_find(required[i])) fail_msg("no link preset %s", required[i]);
    for (int i = 0; i < presets_link_count(); i++) {
        const nn_link_preset *p = presets_link_at(i);
        assert_non_null(p);
        assert_ptr_equal(presets_link_find(p->name), p);
        assert_true(p->bandwidth > 0 && p->reverse > 0 && p->latency >= 0);
        assert_true(isfinite(p->bandwidth) && isfinite(p->reverse) && isfinite(p->latency));
        assert_true(strlen(p->rationale) > 30);
    }
    /* Cellular and home broadband are asymmetric: the uplink is the slow way. */
    const char *asym[] = {"3g", "4g", "5g", "wan"};
    for (size_t i = 0; i < 4; i++)
        assert_true(presets_link_find(asym[i])->bandwidth < presets_link_find(asym[i])->reverse);
    assert_true(presets_link_find("3g")->bandwidth < presets_link_find("4g")->bandwidth);
    assert_true(presets_link_find("4g")->bandwidth < presets_link_find("5g")->bandwidth);
    assert_true(presets_link_find("ethernet")->latency < presets_link_find("4g")->latency);
    assert_ptr_equal(presets_link_find("WIFI"), presets_link_find("wifi"));
    assert_null(presets_link_find("carrier-pigeon"));
    assert_null(presets_link_at(presets_link_count()));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_published_params_and_macs),
        cmocka_unit_test(test_gpt2),
        cmocka_unit_test(test_every_network_builds),
        cmocka_unit_test(test_layer_shapes),
        cmocka_unit_test(test_find_aliases),
        cmocka_unit_test(test_device_presets),
        cmocka_unit_test(test_link_presets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
