/* The layer catalogue and network_infer(): every layer type on a small
 * example computed by hand in the comments, and every error path. */
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

/* A network whose input is a shape; layers are appended with add(). */
static nn_network shaped(int ndim, long a, long b, long c)
{
    nn_network net = {.dtype = DTYPE_FP32};
    net.input_shape = (nn_shape){.ndim = ndim, .dim = {a, b, c, 0}};
    return net;
}

static nn_layer *add(nn_network *net, const char *name, const char *type)
{
    const nn_layer_type_desc *d = layer_type_find(type);
    assert_non_null(d);
    nn_layer *l = network_add_layer(net, name, d->type);
    assert_non_null(l);
    return l;
}

/* Sets a parameter by key on the most recently added layer. */
static void set(nn_network *net, const char *key, long value)
{
    assert_int_equal(layer_set_param(&net->layers[net->nlayers - 1], key, value), 0);
}

static void infer_ok(nn_network *net)
{
    int bad = 99;
    char why[256] = "";
    int rc = network_infer(net, &bad, why, sizeof why);
    if (rc != 0) fail_msg("network_infer failed at layer %d: %s", bad, why);
    assert_int_equal(bad, -1);
}

/* Runs inference expecting failure at `layer` with `text` in the reason. */
static void infer_fails(nn_network *net, int layer, const char *text)
{
    int bad = 99;
    char why[256] = "";
    assert_int_equal(network_infer(net, &bad, why, sizeof why), -1);
    if (!strstr(why, text)) fail_msg("reason '%s' lacks '%s'", why, text);
    assert_int_equal(bad, layer);
}

static void assert_shape(const nn_shape *s, int ndim, long a, long b, long c)
{
    char got[64];
    shape_format(s, got, sizeof got);
    nn_shape want = {.ndim = ndim, .dim = {a, b, c, 0}};
    char exp[64];
    shape_format(&want, exp, sizeof exp);
    assert_string_equal(got, exp);
}

static const nn_layer *last(const nn_network *net)
{
    return &net->layers[net->nlayers - 1];
}

/* ---- catalogue ------------------------------------------------------------ */

static void test_catalogue_complete(void **state)
{
    (void)state;
    for (int t = 0; t < LT_TYPE_COUNT; t++) {
        const nn_layer_type_desc *d = layer_type_get((nn_layer_type)t);
        assert_non_null(d);
        assert_int_equal(d->type, t);
        assert_non_null(d->name);
        assert_non_null(d->summary);
        assert_true(strlen(d->summary) > 10);
        assert_ptr_equal(layer_type_find(d->name), d);
        assert_true(d->nparams >= 0 && d->nparams <= LAYER_MAX_PARAMS);
        for (int p = 0; p < d->nparams; p++) {
            const nn_param_desc *pd = &d->params[p];
            assert_non_null(pd->key);
            assert_non_null(pd->help);
            assert_int_equal(layer_param_index(d, pd->key), p);
            assert_true(pd->min <= pd->max);
            if (pd->kind == PARAM_BOOL) {
                assert_int_equal(pd->min, 0);
                assert_int_equal(pd->max, 1);
            }
            if (pd->def != LAYER_PARAM_REQUIRED)
                assert_true(pd->def >= pd->min && pd->def <= pd->max);
        }
        for (int u = 0; u < t; u++)
            assert_string_not_equal(layer_type_get((nn_layer_type)u)->name, d->name);
    }
    assert_null(layer_type_get(LT_TYPE_COUNT));
    assert_null(layer_type_find("conv3d"));
    assert_null(layer_type_find(NULL));
    assert_int_equal(layer_param_index(layer_type_find("conv2d"), "stride"), 2);
    assert_int_equal(layer_param_index(layer_type_find("conv2d"), "dilation"), -1);
    assert_int_equal(layer_param_index(NULL, "stride"), -1);
}

static void test_catalogue_names(void **state)
{
    (void)state;
    static const char *names[] = {
        "raw",     "conv2d",    "maxpool",     "avgpool",           "adaptive_avgpool", "flatten",
        "linear",  "basic",     "bottleneck",  "inverted_residual", "patch_embed",      "encoder",
        "decoder", "layernorm", "token_embed", "cls_select",        "lm_head"};
    assert_int_equal(sizeof names / sizeof names[0], LT_TYPE_COUNT);
    for (int t = 0; t < LT_TYPE_COUNT; t++)
        assert_string_equal(layer_type_get((nn_layer_type)t)->name, names[t]);
    /* Defaults land in new layers; required ones stay marked. */
    nn_network net = shaped(3, 3, 8, 8);
    nn_layer *l = add(&net, "c", "conv2d");
    assert_int_equal(l->param[layer_param_index(layer_type_get(LT_CONV2D), "out_channels")],
                     LAYER_PARAM_REQUIRED);
    assert_int_equal(l->param[layer_param_index(layer_type_get(LT_CONV2D), "groups")], 1);
    assert_int_equal(l->param[layer_param_index(layer_type_get(LT_CONV2D), "bias")], 1);
    network_free(&net);
}

/* ---- each layer type ------------------------------------------------------ */

static void test_conv2d(void **state)
{
    (void)state;
    /* [3,8,8], 4 out, 3x3, pad 1: 8x8 out; MACs 64*4*27 = 6912;
     * params 4*27 + 4 bias = 112. */
    nn_network net = shaped(3, 3, 8, 8);
    add(&net, "c1", "conv2d");
    set(&net, "out_channels", 4);
    set(&net, "kernel", 3);
    set(&net, "padding", 1);
    infer_ok(&net);
    assert_shape(&last(&net)->out_shape, 3, 4, 8, 8);
    assert_num(last(&net)->macs, 6912);
    assert_num(last(&net)->flops, 13824);
    assert_num(last(&net)->params, 112);
    assert_num(last(&net)->weight_bytes, 448);
    assert_num(last(&net)->output_bytes, 4 * 64 * 4);

    /* Then [4,8,8], 4 out, stride 2, no pad: floor((8-3)/2)+1 = 3; with BN
     * and no bias: params 4*36 + 2*4 = 152, MACs 9*4*36 = 1296. */
    add(&net, "c2", "conv2d");
    set(&net, "out_channels", 4);
    set(&net, "kernel", 3);
    set(&net, "stride", 2);
    set(&net, "bias", 0);
    set(&net, "bn", 1);
    infer_ok(&net);
    assert_shape(&net.layers[1].in_shape, 3, 4, 8, 8);
    assert_shape(&net.layers[1].out_shape, 3, 4, 3, 3);
    assert_num(net.layers[1].params, 152);
    assert_num(net.layers[1].macs, 1296);
    network_free(&net);
}

static void test_conv2d_depthwise(void **state)
{
    (void)state;
    /* Depthwise [6,5,5], 3x3, pad 1, groups 6: each output channel sees one
     * input channel: MACs 25*6*9 = 1350, params 6*9 + 6 = 60. */
    nn_network net = shaped(3, 6, 5, 5);
    add(&net, "dw", "conv2d");
    set(&net, "out_channels", 6);
    set(&net, "kernel", 3);
    set(&net, "padding", 1);
    set(&net, "groups", 6);
    infer_ok(&net);
    assert_shape(&last(&net)->out_shape, 3, 6, 5, 5);
    assert_num(last(&net)->macs, 1350);
    assert_num(last(&net)->params, 60);
    network_free(&net);

    /* groups 2 on [4,5,5] -> 6 out, 1x1: MACs 25*6*2 = 300, params 6*2+6. */
    net = shaped(3, 4, 5, 5);
    add(&net, "g", "conv2d");
    set(&net, "out_channels", 6);
    set(&net, "kernel", 1);
    set(&net, "groups", 2);
    infer_ok(&net);
    assert_num(last(&net)->macs, 300);
    assert_num(last(&net)->params, 18);
    network_free(&net);
}

static void test_pools(void **state)
{
    (void)state;
    /* [2,8,8], 3x3 stride 2: floor(5/2)+1 = 3; ceil_mode: ceil(5/2)+1 = 4. */
    nn_network net = shaped(3, 2, 8, 8);
    add(&net, "p", "maxpool");
    set(&net, "kernel", 3);
    set(&net, "stride", 2);
    infer_ok(&net);
    assert_shape(&last(&net)->out_shape, 3, 2, 3, 3);
    assert_num(last(&net)->macs, 0);
    assert_num(last(&net)->params, 0);
    assert_num(last(&net)->output_bytes, 2 * 9 * 4);
    set(&net, "ceil_mode", 1);
    infer_ok(&net);
    assert_shape(&last(&net)->out_shape, 3, 2, 4, 4);
    network_free(&net);

    /* PyTorch drops a last window that starts in the right padding:
     * [1,5,5], k2 s2 p1 ceil: ceil(5/2)+1 = 4, but (4-1)*2 = 6 >= 5+1 -> 3. */
    net = shaped(3, 1, 5, 5);
    add(&net, "p", "avgpool");
    set(&net, "kernel", 2);
    set(&net, "stride", 2);
    set(&net, "padding", 1);
    set(&net, "ceil_mode", 1);
    infer_ok(&net);
    assert_shape(&last(&net)->out_shape, 3, 1, 3, 3);
    network_free(&net);

    /* stride 0 means the kernel: [1,6,6] k2 -> [1,3,3]; padded 3x3 s2 p1 on
     * 112 -> 56 (ResNet's stem pool). */
    net = shaped(3, 1, 6, 6);
    add(&net, "p", "avgpool");
    set(&net, "kernel", 2);
    infer_ok(&net);
    assert_shape(&last(&net)->out_shape, 3, 1, 3, 3);
    network_free(&net);
    net = shaped(3, 64, 112, 112);
    add(&net, "p", "maxpool");
    set(&net, "kernel", 3);
    set(&net, "stride", 2);
    set(&net, "padding", 1);
    infer_ok(&net);
    assert_shape(&last(&net)->out_shape, 3, 64, 56, 56);
    network_free(&net);
}

static void test_adaptive_flatten_linear(void **state)
{
    (void)state;
    /* [5,13,13] -> adaptive 6 -> [5,6,6] -> flatten [180] -> linear 10:
     * MACs 1800, params 1810. */
    nn_network net = shaped(3, 5, 13, 13);
    add(&net, "ap", "adaptive_avgpool");
    set(&net, "size", 6);
    add(&net, "fl", "flatten");
    add(&net, "fc", "linear");
    set(&net, "out_features", 10);
    infer_ok(&net);
    assert_shape(&net.layers[0].out_shape, 3, 5, 6, 6);
    assert_shape(&net.layers[1].out_shape, 1, 180, 0, 0);
    assert_shape(&net.layers[2].out_shape, 1, 10, 0, 0);
    assert_num(net.layers[0].macs + net.layers[1].macs, 0);
    assert_num(net.layers[2].macs, 1800);
    assert_num(net.layers[2].params, 1810);
    assert_num(net.macs, 1800);
    assert_num(net.params, 1810);
    network_free(&net);

    /* On tokens [4,8] -> 3 features, no bias: MACs 4*8*3 = 96, params 24. */
    net = shaped(2, 4, 8, 0);
    add(&net, "fc", "linear");
    set(&net, "out_features", 3);
    set(&net, "bias", 0);
    infer_ok(&net);
    assert_shape(&last(&net)->out_shape, 2, 4, 3, 0);
    assert_num(last(&net)->macs, 96);
    assert_num(last(&net)->params, 24);
    network_free(&net);
}

static void test_basic_block(void **state)
{
    (void)state;
    /* [4,8,8] -> 4, stride 1: two 3x3 convs 4->4 on 64 px, no shortcut conv.
     * MACs 2 * 64*4*36 = 18432; params 2 * (144 + 2*4) = 304. */
    nn_network net = shaped(3, 4, 8, 8);
    add(&net, "b", "basic");
    set(&net, "out_channels", 4);
    infer_ok(&net);
    assert_shape(&last(&net)->out_shape, 3, 4, 8, 8);
    assert_num(last(&net)->macs, 18432);
    assert_num(last(&net)->params, 304);
    /* -> 8, stride 2: 4x4 out (16 px). conv1 4->8: 16*8*36 = 4608 MACs,
     * 288 + 16 params; conv2 8->8: 9216 MACs, 576 + 16; downsample 1x1
     * 4->8: 512 MACs, 32 + 16. */
    set(&net, "out_channels", 8);
    set(&net, "stride", 2);
    infer_ok(&net);
    assert_shape(&last(&net)->out_shape, 3, 8, 4, 4);
    assert_num(last(&net)->macs, 14336);
    assert_num(last(&net)->params, 944);
    network_free(&net);
}

static void test_bottleneck_block(void **state)
{
    (void)state;
    /* [16,4,4], planes 4, expansion 4: out 16 = in, stride 1, no shortcut
     * conv. 1x1 16->4: 1024 MACs, 64+8; 3x3 4->4: 2304, 144+8; 1x1 4->16:
     * 1024, 64+32. */
    nn_network net = shaped(3, 16, 4, 4);
    add(&net, "b", "bottleneck");
    set(&net, "planes", 4);
    infer_ok(&net);
    assert_shape(&last(&net)->out_shape, 3, 16, 4, 4);
    assert_num(last(&net)->macs, 4352);
    assert_num(last(&net)->params, 320);
    network_free(&net);

    /* [8,4,4], stride 2 (on the 3x3, v1.5): 2x2 out. 1x1 8->4 on 16 px: 512,
     * 32+8; 3x3 4->4 on 4 px: 576, 152; 1x1 4->16: 256, 96; downsample 1x1
     * stride 2 8->16 on 4 px: 512, 128+32. */
    net = shaped(3, 8, 4, 4);
    add(&net, "b", "bottleneck");
    set(&net, "planes", 4);
    set(&net, "stride", 2);
    infer_ok(&net);
    assert_shape(&last(&net)->out_shape, 3, 16, 2, 2);
    assert_num(last(&net)->macs, 1856);
    assert_num(last(&net)->params, 448);
    /* expansion 1 keeps 4 channels and needs the downsample for the stride. */
    set(&net, "expansion", 1);
    infer_ok(&net);
    assert_shape(&last(&net)->out_shape, 3, 4, 2, 2);
    network_free(&net);
}

static void test_inverted_residual(void **state)
{
    (void)state;
    /* [4,6,6] -> 4, t 2: hidden 8. expand 1x1: 36*8*4 = 1152, 32+16;
     * depthwise 3x3: 36*8*9 = 2592, 72+16; project: 36*4*8 = 1152, 32+8. */
    nn_network net = shaped(3, 4, 6, 6);
    add(&net, "ir", "inverted_residual");
    set(&net, "out_channels", 4);
    set(&net, "expand_ratio", 2);
    infer_ok(&net);
    assert_shape(&last(&net)->out_shape, 3, 4, 6, 6);
    assert_num(last(&net)->macs, 4896);
    assert_num(last(&net)->params, 176);
    /* t 1 has no expand conv; -> 8, stride 2: 3x3 out (9 px). depthwise:
     * 9*4*9 = 324, 36+8; project 4->8: 288, 32+16. */
    set(&net, "expand_ratio", 1);
    set(&net, "out_channels", 8);
    set(&net, "stride", 2);
    infer_ok(&net);
    assert_shape(&last(&net)->out_shape, 3, 8, 3, 3);
    assert_num(last(&net)->macs, 612);
    assert_num(last(&net)->params, 92);
    network_free(&net);
}

static void test_vit_layers(void **state)
{
    (void)state;
    /* [3,8,8], patch 4, dim 6: 4 patches + class token = 5 tokens.
     * conv_proj MACs 4*6*48 = 1152; params 288 + 6 bias + 6 class token
     * + 5*6 positions = 330. */
    nn_network net = shaped(3, 3, 8, 8);
    add(&net, "pe", "patch_embed");
    set(&net, "patch", 4);
    set(&net, "dim", 6);
    infer_ok(&net);
    assert_shape(&last(&net)->out_shape, 2, 5, 6, 0);
    assert_num(last(&net)->macs, 1152);
    assert_num(last(&net)->params, 330);
    set(&net, "class_token", 0); /* 4 tokens: 288 + 6 + 4*6 = 318 */
    infer_ok(&net);
    assert_shape(&last(&net)->out_shape, 2, 4, 6, 0);
    assert_num(last(&net)->params, 318);
    network_free(&net);

    /* Encoder on [5,8], 2 heads, MLP 16. Params: 2 LNs 32, QKV 8*24+24 = 216,
     * out 64+8 = 72, MLP 8*16+16 + 16*8+8 = 280: 600. MACs: QKV 5*8*24 = 960,
     * QK^T and AV 2*5*5*8 = 400, out 5*8*8 = 320, MLP 2*5*8*16 = 1280. */
    net = shaped(2, 5, 8, 0);
    add(&net, "enc", "encoder");
    set(&net, "heads", 2);
    set(&net, "mlp_dim", 16);
    add(&net, "ln", "layernorm");
    add(&net, "cls", "cls_select");
    infer_ok(&net);
    assert_shape(&net.layers[0].out_shape, 2, 5, 8, 0);
    assert_num(net.layers[0].params, 600);
    assert_num(net.layers[0].macs, 2960);
    assert_num(net.layers[1].params, 16);
    assert_num(net.layers[1].macs, 0);
    assert_shape(&net.layers[2].out_shape, 1, 8, 0, 0);
    assert_num(net.layers[2].params + net.layers[2].macs, 0);
    assert_num(net.layers[2].output_bytes, 32);
    network_free(&net);
}

static void test_gpt_layers(void **state)
{
    (void)state;
    /* [5] token ids; vocab 11, dim 8, 7 positions: params (11+7)*8 = 144.
     * Decoder, 2 heads, MLP 0 -> 4*8 = 32: params 32 + 216 + 72 + (8*32+32)
     * + (32*8+8) = 872; MACs 960 + 400 + 320 + 2*5*8*32 = 4240. Tied head:
     * 0 params, the last token only: 8*11 = 88 MACs (all_tokens: 5*8*11 =
     * 440). The shared matrix 11*8 = 88 params moves from the embedding to
     * the shared tensor "emb.wte", which both use. */
    nn_network net = shaped(1, 5, 0, 0);
    add(&net, "emb", "token_embed");
    set(&net, "vocab", 11);
    set(&net, "dim", 8);
    set(&net, "positions", 7);
    add(&net, "h0", "decoder");
    set(&net, "heads", 2);
    add(&net, "ln_f", "layernorm");
    add(&net, "head", "lm_head");
    set(&net, "vocab", 11);
    infer_ok(&net);
    assert_num(net.input_bytes, 20);
    assert_shape(&net.layers[0].out_shape, 2, 5, 8, 0);
    assert_num(net.layers[0].params, 56);
    assert_num(net.layers[0].macs, 0);
    assert_num(net.layers[1].params, 872);
    assert_num(net.layers[1].macs, 4240);
    assert_shape(&net.layers[3].out_shape, 1, 11, 0, 0);
    assert_num(net.layers[3].params, 0);
    assert_num(net.layers[3].macs, 88);
    assert_int_equal(net.nshared, 1);
    assert_string_equal(net.shared[0].name, "emb.wte");
    assert_num(net.shared[0].bytes, 88 * 4);
    assert_num(net.params, 144 + 872 + 16);
    set(&net, "all_tokens", 1);
    infer_ok(&net);
    assert_shape(&net.layers[3].out_shape, 2, 5, 11, 0);
    assert_num(net.layers[3].macs, 440);
    /* Untied: its own 8x11 matrix, no bias, and nothing shared. */
    set(&net, "tied", 0);
    infer_ok(&net);
    assert_num(net.layers[3].params, 88);
    assert_num(net.layers[0].params, 144);
    assert_int_equal(net.nshared, 0);
    assert_int_equal(net.layers[0].nuses, 0);
    /* An explicit MLP width overrides 4*dim. */
    net.layers[1].param[layer_param_index(layer_type_get(LT_DECODER), "mlp_dim")] = 16;
    infer_ok(&net);
    assert_num(net.layers[1].params, 600);
    network_free(&net);
}

static void test_raw_layers(void **state)
{
    (void)state;
    /* MODEL.md's worked example: the numbers pass through unchanged. */
    nn_network net = {.dtype = DTYPE_FP32, .input_bytes = 100000};
    nn_layer *l = add(&net, "L1", "raw");
    l->raw_flops = 1e8;
    l->raw_weights = 1e6;
    l->raw_output = 200000;
    l = add(&net, "L2", "raw");
    l->raw_flops = 1e9;
    l->raw_weights = 20e6;
    l->raw_output = 10000;
    infer_ok(&net);
    assert_num(net.input_bytes, 100000);
    assert_num(net.layers[0].flops, 1e8);
    assert_num(net.layers[0].macs, 5e7);
    assert_num(net.layers[0].weight_bytes, 1e6);
    assert_num(net.layers[0].params, 250000); /* 1 MB of fp32 */
    assert_num(net.layers[0].output_bytes, 200000);
    assert_int_equal(net.layers[0].out_shape.ndim, 0);
    assert_num(net.flops, 1.1e9);
    assert_num(net.weight_bytes, 21e6);

    /* A raw layer with a shape lets shaped layers follow; without a size,
     * its output size follows from the shape. */
    net.layers[1].raw_shape = (nn_shape){.ndim = 3, .dim = {4, 2, 2}};
    net.layers[1].raw_output = 0;
    add(&net, "fc", "flatten");
    add(&net, "out", "linear");
    set(&net, "out_features", 2);
    infer_ok(&net);
    assert_num(net.layers[1].output_bytes, 64);
    assert_shape(&net.layers[2].in_shape, 3, 4, 2, 2);
    assert_num(net.layers[3].params, 34);
    network_free(&net);
}

static void test_dtype_and_totals(void **state)
{
    (void)state;
    /* fp16 halves every byte count; int8 quarters it. */
    for (int dt = 0; dt < DTYPE_COUNT; dt++) {
        nn_network net = shaped(3, 3, 8, 8);
        net.dtype = (nn_dtype)dt;
        add(&net, "c", "conv2d");
        set(&net, "out_channels", 4);
        set(&net, "kernel", 3);
        add(&net, "f", "flatten");
        add(&net, "fc", "linear");
        set(&net, "out_features", 5);
        infer_ok(&net);
        double b = dtype_bytes((nn_dtype)dt);
        assert_num(net.input_bytes, 192 * b);
        double params = 0, macs = 0, wbytes = 0;
        for (int i = 0; i < net.nlayers; i++) {
            const nn_layer *l = &net.layers[i];
            assert_num(l->weight_bytes, l->params * b);
            assert_num(l->flops, 2 * l->macs);
            params += l->params;
            macs += l->macs;
            wbytes += l->weight_bytes;
            if (i > 0)
                assert_memory_equal(&l->in_shape, &net.layers[i - 1].out_shape, sizeof l->in_shape);
        }
        /* conv [4,6,6]: 112 params; fc 144 -> 5: 725 params. */
        assert_num(params, 837);
        assert_num(net.params, params);
        assert_num(net.macs, macs);
        assert_num(net.flops, 2 * macs);
        assert_num(net.weight_bytes, wbytes);
        assert_num(net.layers[2].output_bytes, 5 * b);
        network_free(&net);
    }
}

static void test_empty_network(void **state)
{
    (void)state;
    nn_network net = shaped(3, 3, 4, 4);
    infer_ok(&net);
    assert_num(net.input_bytes, 192);
    assert_num(net.params + net.macs + net.flops + net.weight_bytes, 0);
}

/* ---- errors --------------------------------------------------------------- */

static void test_error_shape_after_raw(void **state)
{
    (void)state;
    nn_network net = {.dtype = DTYPE_FP32, .input_bytes = 1000};
    nn_layer *l = add(&net, "pre", "raw");
    l->raw_flops = 1;
    add(&net, "c", "conv2d");
    set(&net, "out_channels", 4);
    set(&net, "kernel", 1);
    infer_fails(&net, 1,
                "conv2d needs an input shape, but layer 'pre' before it is raw "
                "without `shape`");
    network_free(&net);

    net = (nn_network){.dtype = DTYPE_FP32, .input_bytes = 1000};
    add(&net, "fl", "flatten");
    infer_fails(&net, 0, "flatten needs an input shape, but the network input is given as a size");
    network_free(&net);
}

static void test_error_params(void **state)
{
    (void)state;
    nn_network net = shaped(3, 3, 8, 8);
    add(&net, "c", "conv2d");
    set(&net, "kernel", 3);
    infer_fails(&net, 0, "out_channels: required by conv2d; accepted: 1..1048576");
    set(&net, "out_channels", 4);
    set(&net, "stride", 0);
    infer_fails(&net, 0, "stride: 0 is out of range; accepted: 1..1024");
    set(&net, "stride", 1);
    set(&net, "bias", 2);
    infer_fails(&net, 0, "bias: 2 is not a boolean; accepted: true, false");
    set(&net, "bias", 1);
    set(&net, "out_channels", 2000000);
    infer_fails(&net, 0, "out_channels: 2000000 is out of range; accepted: 1..1048576");
    network_free(&net);

    net = shaped(3, 3, 8, 8);
    add(&net, "ir", "inverted_residual");
    set(&net, "out_channels", 8);
    set(&net, "stride", 3);
    infer_fails(&net, 0, "stride: 3 is out of range; accepted: 1..2");
    network_free(&net);
}

static void test_error_conv(void **state)
{
    (void)state;
    /* 11x11 kernel on a 4x4 image padded by 2: at most 8. */
    nn_network net = shaped(3, 3, 4, 4);
    add(&net, "c", "conv2d");
    set(&net, "out_channels", 4);
    set(&net, "kernel", 11);
    set(&net, "padding", 2);
    infer_fails(&net, 0, "kernel: 11 exceeds the padded input 8x8 (padding 2); accepted: 1..8");
    set(&net, "kernel", 8); /* exactly fits: 1x1 out */
    infer_ok(&net);
    assert_shape(&last(&net)->out_shape, 3, 4, 1, 1);
    set(&net, "kernel", 1);
    set(&net, "groups", 2);
    infer_fails(&net, 0,
                "groups: 2 does not divide in_channels 3 and out_channels 4; accepted: a "
                "common divisor of both");
    network_free(&net);

    net = shaped(1, 10, 0, 0);
    add(&net, "c", "conv2d");
    set(&net, "out_channels", 4);
    set(&net, "kernel", 1);
    infer_fails(&net, 0, "conv2d expects a [C, H, W] input, got [10]");
    network_free(&net);
}

static void test_error_pools(void **state)
{
    (void)state;
    nn_network net = shaped(3, 3, 8, 8);
    add(&net, "p", "maxpool");
    set(&net, "kernel", 3);
    set(&net, "padding", 2);
    infer_fails(&net, 0, "padding: 2 is more than half the kernel 3; accepted: 0..1");
    set(&net, "padding", 0);
    set(&net, "kernel", 9);
    infer_fails(&net, 0, "kernel: 9 exceeds the padded input 8x8 (padding 0); accepted: 1..8");
    network_free(&net);

    net = shaped(2, 5, 8, 0);
    add(&net, "ap", "adaptive_avgpool");
    set(&net, "size", 1);
    infer_fails(&net, 0, "adaptive_avgpool expects a [C, H, W] input, got [5, 8]");
    network_free(&net);

    net = shaped(2, 5, 8, 0);
    add(&net, "b", "basic");
    set(&net, "out_channels", 8);
    infer_fails(&net, 0, "basic expects a [C, H, W] input, got [5, 8]");
    network_free(&net);
}

static void test_error_transformers(void **state)
{
    (void)state;
    nn_network net = shaped(2, 5, 8, 0);
    add(&net, "e", "encoder");
    set(&net, "heads", 3);
    infer_fails(&net, 0, "heads: 3 does not divide dim 8; accepted: a divisor of 8");
    network_free(&net);

    net = shaped(2, 5, 8, 0);
    add(&net, "d", "decoder");
    set(&net, "heads", 5);
    infer_fails(&net, 0, "heads: 5 does not divide dim 8; accepted: a divisor of 8");
    network_free(&net);

    net = shaped(3, 3, 10, 8);
    add(&net, "pe", "patch_embed");
    set(&net, "patch", 4);
    infer_fails(&net, 0, "patch: 4 does not divide the image 10x8; accepted: a divisor of both");
    network_free(&net);

    net = shaped(3, 3, 8, 8);
    add(&net, "emb", "token_embed");
    set(&net, "vocab", 10);
    set(&net, "dim", 4);
    set(&net, "positions", 16);
    infer_fails(&net, 0, "token_embed expects a 1-D [tokens] (token ids) input, got [3, 8, 8]");
    network_free(&net);

    net = shaped(1, 32, 0, 0);
    add(&net, "emb", "token_embed");
    set(&net, "vocab", 10);
    set(&net, "dim", 4);
    set(&net, "positions", 16);
    infer_fails(&net, 0, "positions: 16 is fewer than the 32 input tokens; accepted: 32..");
    set(&net, "positions", 32);
    add(&net, "cls", "cls_select");
    add(&net, "cls2", "cls_select");
    infer_fails(&net, 2, "cls_select expects a [tokens, dim] input, got [4]");
    network_free(&net);

    /* A tied head needs an embedding of the same vocabulary and width. */
    net = shaped(2, 5, 8, 0);
    add(&net, "head", "lm_head");
    set(&net, "vocab", 11);
    infer_fails(&net, 0,
                "tied: no earlier token_embed with vocab 11 and dim 8 to share weights "
                "with; accepted: false");
    set(&net, "tied", 0);
    infer_ok(&net);
    network_free(&net);

    net = shaped(1, 5, 0, 0);
    add(&net, "emb", "token_embed");
    set(&net, "vocab", 12);
    set(&net, "dim", 8);
    set(&net, "positions", 5);
    add(&net, "head", "lm_head");
    set(&net, "vocab", 11);
    infer_fails(&net, 1, "tied: no earlier token_embed with vocab 11 and dim 8");
    network_free(&net);
}

static void test_error_raw_and_input(void **state)
{
    (void)state;
    nn_network net = {.dtype = DTYPE_FP32, .input_bytes = 10};
    nn_layer *l = add(&net, "r", "raw");
    l->raw_flops = -1;
    infer_fails(&net, 0, "flops: must be a finite number >= 0");
    net.layers[0].raw_flops = 1;
    net.layers[0].raw_weights = NAN;
    infer_fails(&net, 0, "weights: must be a finite number >= 0");
    net.layers[0].raw_weights = 1;
    net.layers[0].raw_output = INFINITY;
    infer_fails(&net, 0, "output: must be a finite number >= 0");
    net.layers[0].raw_output = 1;
    net.layers[0].raw_shape = (nn_shape){.ndim = 2, .dim = {3, 0}};
    infer_fails(&net, 0, "shape: dimension 2 is 0; accepted: >= 1");
    net.layers[0].raw_shape = (nn_shape){0};
    net.layers[0].type = LT_TYPE_COUNT;
    infer_fails(&net, 0, "type: unknown layer type");
    net.layers[0].type = LT_RAW;
    infer_ok(&net);

    net.input_bytes = -5;
    infer_fails(&net, -1, "input: size must be a finite number >= 0 bytes");
    net.input_shape = (nn_shape){.ndim = 3, .dim = {3, 0, 4}};
    infer_fails(&net, -1, "input shape: dimension 2 is 0; accepted: >= 1");
    net.input_shape = (nn_shape){.ndim = 5, .dim = {1, 1, 1, 1}};
    infer_fails(&net, -1, "input shape: 5 dimensions; accepted: 1..4");
    net.input_shape = (nn_shape){.ndim = 1, .dim = {4}};
    net.dtype = DTYPE_COUNT;
    infer_fails(&net, -1, "dtype: unknown; accepted: fp32, fp16, int8");
    /* Neither a reason buffer nor bad_layer is required. */
    assert_int_equal(network_infer(&net, NULL, NULL, 0), -1);
    net.dtype = DTYPE_FP16;
    assert_int_equal(network_infer(&net, NULL, NULL, 0), 0);
    assert_num(net.input_bytes, 8);
    network_free(&net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalogue_complete),
        cmocka_unit_test(test_catalogue_names),
        cmocka_unit_test(test_conv2d),
        cmocka_unit_test(test_conv2d_depthwise),
        cmocka_unit_test(test_pools),
        cmocka_unit_test(test_adaptive_flatten_linear),
        cmocka_unit_test(test_basic_block),
        cmocka_unit_test(test_bottleneck_block),
        cmocka_unit_test(test_inverted_residual),
        cmocka_unit_test(test_vit_layers),
        cmocka_unit_test(test_gpt_layers),
        cmocka_unit_test(test_raw_layers),
        cmocka_unit_test(test_dtype_and_totals),
        cmocka_unit_test(test_empty_network),
        cmocka_unit_test(test_error_shape_after_raw),
        cmocka_unit_test(test_error_params),
        cmocka_unit_test(test_error_conv),
        cmocka_unit_test(test_error_pools),
        cmocka_unit_test(test_error_transformers),
        cmocka_unit_test(test_error_raw_and_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
