/* ONNX import against real torch exports (tests/fixtures/onnx, made by
 * scripts/make_onnx_fixtures.py): MACs equal PyTorch's own count and
 * torchvision's published figures, resnet18 and vit_b_16 import to the zoo's
 * units, granularities, shared weights, and every bad file has its message.
 * Bad files are real exports damaged here with protobuf-c. */
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "helpers_io.h"
#include "onnx.h"
#include "scenario_io.h"
#include "onnx.pb-c.h"

#define FIXTURES "tests/fixtures/onnx/"

/* torchvision's published GFLOPS (multiply-accumulates, in GMAC) of the
 * models' weights, as its documentation tables give them. */
static const struct {
    const char *name;
    double gmacs;
} PUBLISHED[] = {
    {"alexnet", 0.714},         {"resnet18", 1.814},          {"resnext50_32x4d", 4.23},
    {"vgg16", 15.47},           {"mobilenet_v2", 0.301},      {"mobilenet_v3_small", 0.057},
    {"efficientnet_b0", 0.386}, {"densenet121", 2.834},       {"googlenet", 1.498},
    {"squeezenet1_0", 0.819},   {"shufflenet_v2_x1_0", 0.14}, {"regnet_y_400mf", 0.402},
    {"convnext_tiny", 4.456},   {"vit_b_16", 17.564},
};

static int import(const char *name, const char *gran, nn_network *net, nn_error *err)
{
    char path[256];
    snprintf(path, sizeof path, FIXTURES "%s.onnx", name);
    onnx_granularity g;
    char why[256];
    assert_true(onnx_granularity_parse(gran, &g, why, sizeof why));
    return onnx_import_file(path, &g, net, NULL, err);
}

/* Every export imports; its MACs equal the count of PyTorch's forward hooks
 * (reference.txt, written by the script) exactly, and torchvision's
 * published figure within 1%. */
static void test_fixtures_match_pytorch_and_torchvision(void **state)
{
    (void)state;
    FILE *f = fopen(FIXTURES "reference.txt", "r");
    assert_non_null(f);
    char line[256];
    int models = 0;
    while (fgets(line, sizeof line, f)) {
        char name[64];
        int opset;
        double macs, params;
        if (line[0] == '#' || sscanf(line, "%63s %d %lf %lf", name, &opset, &macs, &params) != 4)
            continue;
        nn_network net;
        nn_error err;
        if (import(name, "auto", &net, &err) != 0) fail_msg("%s: %s", name, err.message);
        if (net.macs != macs) fail_msg("%s: %.0f MACs, PyTorch counts %.0f", name, net.macs, macs);
        assert_true(net.flops == 2 * net.macs);
        for (size_t i = 0; i < sizeof PUBLISHED / sizeof PUBLISHED[0]; i++) {
            if (strcmp(PUBLISHED[i].name, name) != 0) continue;
            double rel = net.macs / (PUBLISHED[i].gmacs * 1e9) - 1;
            /* torchvision rounds shufflenet_v2_x1_0 (0.1449 GMAC) to 0.14. */
            double tol = strcmp(name, "shufflenet_v2_x1_0") == 0 ? 0.036 : 0.01;
            if (fabs(rel) > tol)
                fail_msg("%s: %.4f GMAC, torchvision publishes %.3f", name, net.macs / 1e9,
                         PUBLISHED[i].gmacs);
        }
        /* Parameters up to batch norm: folded into a conv it leaves a bias;
         * unfolded (before a conv) it keeps its running mean and variance. */
        if (net.params > params * 1.02 || net.params < params * 0.98)
            fail_msg("%s: %.0f parameters, PyTorch has %.0f", name, net.params, params);
        network_free(&net);
        models++;
    }
    fclose(f);
    assert_int_equal(models, 15);
}

/* resnet18 and vit_b_16 import to the zoo's units: the same count, MACs
 * within 0.5% and the same output bytes per unit. */
static void test_same_units_as_the_zoo(void **state)
{
    (void)state;
    const char *names[] = {"resnet18", "vit_b_16"};
    for (int k = 0; k < 2; k++) {
        nn_network a, z;
        nn_error err;
        if (import(names[k], "auto", &a, &err) != 0) fail_msg("%s", err.message);
        assert_int_equal(zoo_build(names[k], &z), 0);
        assert_int_equal(a.nlayers, z.nlayers);
        for (int l = 0; l < a.nlayers; l++) {
            const nn_layer *x = &a.layers[l], *y = &z.layers[l];
            if (fabs(x->macs - y->macs) > 0.005 * y->macs)
                fail_msg("%s unit %d (%s / %s): %.0f MACs, zoo %.0f", names[k], l, x->name, y->name,
                         x->macs, y->macs);
            if (x->output_bytes != y->output_bytes)
                fail_msg("%s unit %d (%s / %s): output %.0f B, zoo %.0f B", names[k], l, x->name,
                         y->name, x->output_bytes, y->output_bytes);
        }
        assert_true(fabs(a.macs - z.macs) <= 0.005 * z.macs);
        network_free(&a);
        network_free(&z);
    }
    nn_network r;
    nn_error err;
    assert_int_equal(import("resnet18", "auto", &r, &err), 0);
    const char *want[] = {"conv1",    "maxpool",  "layer1.0", "layer1.1", "layer2.0",
                          "layer2.1", "layer3.0", "layer3.1", "layer4.0", "layer4.1",
                          "avgpool",  "flatten",  "fc"};
    for (int l = 0; l < 13; l++)
        assert_string_equal(r.layers[l].name, want[l]);
    network_free(&r);
    assert_int_equal(import("vit_b_16", "auto", &r, &err), 0);
    assert_string_equal(r.layers[4].name, "encoder.layers.encoder_layer_3");
    network_free(&r);
}

static int count_prefix(const nn_network *n, const char *prefix)
{
    int c = 0;
    for (int l = 0; l < n->nlayers; l++)
        c += strncmp(n->layers[l].name, prefix, strlen(prefix)) == 0;
    return c;
}

/* What a person would choose: inception modules, conv(+relu) for VGG and
 * AlexNet, blocks elsewhere; ops gives every cut; N merges down to N. */
static void test_granularities(void **state)
{
    (void)state;
    nn_network n, ops, five;
    nn_error err;
    assert_int_equal(import("googlenet", "auto", &n, &err), 0);
    assert_int_equal(count_prefix(&n, "inception"), 9);
    assert_int_equal(n.nlayers, 19);
    network_free(&n);
    assert_int_equal(import("vgg16", "auto", &n, &err), 0);
    assert_int_equal(n.nlayers, 23); /* 13 conv+relu, 5 pools, avgpool, flatten, 3 linear */
    network_free(&n);
    assert_int_equal(import("alexnet", "auto", &n, &err), 0);
    assert_int_equal(n.nlayers, 13);
    network_free(&n);
    assert_int_equal(import("mobilenet_v2", "auto", &n, &err), 0);
    assert_int_equal(count_prefix(&n, "features."), 19);
    network_free(&n);

    assert_int_equal(import("resnet18", "auto", &n, &err), 0);
    assert_int_equal(import("resnet18", "ops", &ops, &err), 0);
    assert_int_equal(import("resnet18", "5", &five, &err), 0);
    assert_int_equal(ops.nlayers, 49); /* 65 nodes less 16 Identity copies of weights */
    assert_int_equal(five.nlayers, 5);
    assert_true(ops.macs == n.macs && five.macs == n.macs);
    assert_true(ops.weight_bytes == n.weight_bytes && five.weight_bytes == n.weight_bytes);
    /* Every cut's transfer is the tensors crossing it: one unit per op keeps
     * the residual's second tensor. */
    assert_string_equal(ops.layers[3].name, "layer1.0.conv1.Conv");
    assert_true(ops.layers[3].output_bytes == 2 * 802816); /* conv1's output and the skip */
    network_free(&n);
    network_free(&ops);
    network_free(&five);

    onnx_granularity g;
    char why[256];
    assert_false(onnx_granularity_parse("0", &g, why, sizeof why));
    assert_string_equal(why, "granularity '0': accepted: auto (blocks a person would choose), ops "
                             "(one unit per op) or a count of units from 1 to 4096");
}

/* The tied head of the decoder reads the token embedding: one shared tensor,
 * counted once in the totals. */
static void test_shared_initializer(void **state)
{
    (void)state;
    nn_network n;
    nn_error err;
    assert_int_equal(import("gpt_tiny", "auto", &n, &err), 0);
    assert_int_equal(n.nlayers, 7); /* wte, h.0..h.3, ln_f, lm_head */
    assert_int_equal(n.nshared, 1);
    assert_string_equal(n.shared[0].name, "wte.weight");
    assert_true(n.shared[0].bytes == 2048.0 * 256 * 4);
    const nn_layer *head = &n.layers[6];
    assert_string_equal(head->name, "lm_head");
    assert_int_equal(head->nuses, 1);
    assert_true(head->macs == 128.0 * 256 * 2048);
    /* The attention matmuls of the 4 blocks count: 2 x T^2 x dim each. */
    assert_true(n.layers[1].macs ==
                128.0 * (256.0 * 768 + 256.0 * 256 + 2 * 256.0 * 1024) + 2 * 128.0 * 128 * 256);
    network_free(&n);
}

/* ---- bad files ------------------------------------------------------------ */

static uint8_t *fixture_bytes(const char *name, size_t *len)
{
    char path[256];
    snprintf(path, sizeof path, FIXTURES "%s.onnx", name);
    return (uint8_t *)test_file_read(path, len);
}

/* Unpacks resnet18, lets `damage` change it, packs it again. */
static uint8_t *damaged(void (*damage)(Onnx__ModelProto *m), size_t *len)
{
    size_t n;
    uint8_t *raw = fixture_bytes("resnet18", &n);
    assert_non_null(raw);
    Onnx__ModelProto *m = onnx__model_proto__unpack(NULL, n, raw);
    assert_non_null(m);
    damage(m);
    *len = onnx__model_proto__get_packed_size(m);
    uint8_t *out = malloc(*len);
    onnx__model_proto__pack(m, out);
    onnx__model_proto__free_unpacked(m, NULL);
    free(raw);
    return out;
}

static Onnx__NodeProto *find_node(Onnx__GraphProto *g, const char *name)
{
    for (size_t i = 0; i < g->n_node; i++)
        if (strcmp(g->node[i]->name, name) == 0) return g->node[i];
    fail_msg("no node %s", name);
    return NULL;
}

static char *swap_input(char **slot, const char *name)
{
    char *old = *slot;
    *slot = strdup(name);
    free(old);
    return *slot;
}

static void make_cycle(Onnx__ModelProto *m)
{
    /* conv1 reads the relu after it. */
    swap_input(&find_node(m->graph, "/conv1/Conv")->input[0], "/relu/Relu_output_0");
}

static void make_dangling(Onnx__ModelProto *m)
{
    swap_input(&find_node(m->graph, "/maxpool/MaxPool")->input[0], "nowhere");
}

static void make_unknown_op(Onnx__ModelProto *m)
{
    swap_input(&find_node(m->graph, "/relu/Relu")->op_type, "FancyRelu");
}

static void make_unknown_dims(Onnx__ModelProto *m)
{
    Onnx__TensorShapeProto__Dimension *d = m->graph->input[0]->type->tensor_type->shape->dim[0];
    d->value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM;
    d->dim_param = strdup("batch");
}

static void make_unfoldable_reshape(Onnx__ModelProto *m)
{
    /* Flatten's place taken by a Reshape whose shape is computed from data. */
    Onnx__NodeProto *n = find_node(m->graph, "/Flatten");
    swap_input(&n->op_type, "Reshape");
    n->input = realloc(n->input, 2 * sizeof *n->input);
    n->input[1] = strdup("/avgpool/GlobalAveragePool_output_0");
    n->n_input = 2;
}

static void test_bad_files(void **state)
{
    (void)state;
    static const struct {
        const char *what;
        void (*damage)(Onnx__ModelProto *m);
        const char *message;
    } CASES[] = {
        {"cycle", make_cycle,
         "bad.onnx: node '/conv1/Conv' (Conv, opset 13): the graph has a cycle through this "
         "node (49 of 65 nodes are on or after it)"},
        {"dangling", make_dangling,
         "bad.onnx: node '/maxpool/MaxPool' (MaxPool, opset 13): input 'nowhere' is not "
         "produced by any node, initializer or graph input (a dangling input)"},
        {"unknown op", make_unknown_op,
         "bad.onnx: node '/relu/Relu' (FancyRelu, opset 13): unknown op: nnpart cannot size its "
         "output (it sizes the ops of torch.onnx exports of torchvision models and GPT-2 style "
         "decoders)"},
        {"unknown dims", make_unknown_dims,
         "bad.onnx: graph input 'input': dimension 0 is unknown (batch); nnpart needs static "
         "dims: export with fixed input sizes"},
        {"data-dependent shape", make_unfoldable_reshape,
         "bad.onnx: node '/Flatten' (Reshape, opset 13): cannot size the output: its shape "
         "(input 1, /avgpool/GlobalAveragePool_output_0) is not a constant that folds"},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        size_t len;
        uint8_t *buf = damaged(CASES[i].damage, &len);
        nn_network net;
        nn_error err;
        if (onnx_import_buffer(buf, len, "bad.onnx", NULL, &net, NULL, &err) != -1)
            fail_msg("%s: imported", CASES[i].what);
        assert_string_equal(err.message, CASES[i].message);
        assert_int_equal(net.nlayers, 0);
        free(buf);
    }

    size_t len;
    uint8_t *raw = fixture_bytes("resnet18", &len);
    nn_network net;
    nn_error err;
    assert_int_equal(onnx_import_buffer(raw, len / 2, "half.onnx", NULL, &net, NULL, &err), -1);
    assert_string_equal(err.message, "half.onnx: not a complete ONNX model: protobuf-c cannot "
                                     "parse it (truncated or corrupt after 5893 bytes read)");
    free(raw);
    const char *text = "name: not a model\nnetwork: alexnet\n";
    assert_int_equal(onnx_import_buffer(text, strlen(text), "x.onnx", NULL, &net, NULL, &err), -1);
    assert_string_equal(err.message,
                        "x.onnx: not an ONNX model: the file is not a protobuf ModelProto");
    assert_int_equal(onnx_import_file("tests/fixtures/onnx/missing.onnx", NULL, &net, NULL, &err),
                     -1);
    assert_string_equal(err.message,
                        "tests/fixtures/onnx/missing.onnx: cannot open: No such file or directory");
}

/* A scenario naming a model keeps the reference on save and reloads equal;
 * the path is relative to the scenario file. */
static void test_scenario_round_trip(void **state)
{
    (void)state;
    const char *path = FIXTURES "scenario.yaml";
    nn_scenario s, back;
    nn_error err;
    if (scenario_load_file(path, &s, &err) != 0) fail_msg("%s", err.message);
    assert_int_equal(s.net.nlayers, 13);
    assert_string_equal(s.net.onnx, "resnet18.onnx");
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_int_equal(scenario_write(&s, f), 0);
    fclose(f);
    assert_non_null(strstr(text, "\nnetwork: {onnx: resnet18.onnx}\n"));
    assert_null(strstr(text, "layer1.0")); /* the units stay in the model */
    assert_int_equal(scenario_load_string(text, len, path, &back, &err), 0);
    char why[256];
    if (!scenario_equal(&s, &back, why, sizeof why)) fail_msg("%s", why);
    free(text);
    scenario_free(&back);
    scenario_free(&s);

    /* The format-keeping save leaves the reference as the user wrote it. */
    size_t blen;
    char *base = test_file_read(path, &blen);
    assert_int_equal(scenario_load_string(base, blen, path, &s, &err), 0);
    s.devices[0].speed *= 2;
    char *patched = NULL, note[256];
    size_t plen = 0;
    int form = scenario_patch_at(base, blen, path, path, &s, &patched, &plen, note, sizeof note);
    if (form != PATCH_KEPT) fail_msg("form %d: %s", form, note);
    assert_non_null(strstr(patched, "\nnetwork: {onnx: resnet18.onnx}\n"));
    assert_non_null(strstr(patched, "# An imported ONNX model"));
    free(patched);
    free(base);
    scenario_free(&s);

    static const char BAD[] = "network: {onnx: resnet18.onnx, granularity: some}\n"
                              "devices:\n  - {name: a, speed: 1 GFLOP/s, memory: 1 GB, load_rate: "
                              "1 GB/s}\n";
    assert_int_equal(scenario_load_string(BAD, strlen(BAD), path, &s, &err), -1);
    assert_string_equal(err.message, "tests/fixtures/onnx/scenario.yaml:1:45: network.granularity: "
                                     "granularity 'some': accepted: auto (blocks a person would "
                                     "choose), ops (one unit per op) or a count of units from 1 "
                                     "to 4096");
}

/* Save as into another directory: the relative model path is rewritten so
 * that it still names the same model, and the old text is read where it was
 * (it would not load under the new name). */
static void test_save_as_elsewhere(void **state)
{
    (void)state;
    char root[] = "/tmp/nnpart-rebase-XXXXXX", a[64], b[64], bc[64], model[96], from[96], to[96],
         back_to[96], real[PATH_MAX];
    assert_non_null(mkdtemp(root));
    snprintf(a, sizeof a, "%s/a", root);
    snprintf(b, sizeof b, "%s/b", root);
    snprintf(bc, sizeof bc, "%s/b/c", root);
    assert_int_equal(mkdir(a, 0700) | mkdir(b, 0700) | mkdir(bc, 0700), 0);
    snprintf(model, sizeof model, "%s/resnet18.onnx", a);
    assert_non_null(realpath(FIXTURES "resnet18.onnx", real));
    assert_int_equal(symlink(real, model), 0);
    snprintf(from, sizeof from, "%s/s.yaml", a);
    snprintf(to, sizeof to, "%s/s.yaml", bc);
    snprintf(back_to, sizeof back_to, "%s/t.yaml", a);
    size_t blen;
    char *base = test_file_read(FIXTURES "scenario.yaml", &blen);
    test_file_write(from, base);

    nn_scenario s, back;
    nn_error err;
    assert_int_equal(scenario_load_file(from, &s, &err), 0);
    s.devices[0].speed *= 2;
    char *patched = NULL, note[256];
    size_t plen = 0;
    int form = scenario_patch_at(base, blen, from, to, &s, &patched, &plen, note, sizeof note);
    if (form != PATCH_KEPT && form != PATCH_SECTIONS) fail_msg("form %d: %s", form, note);
    /* The link to the model stays the name referenced. */
    assert_non_null(strstr(patched, "\nnetwork: {onnx: ../../a/resnet18.onnx}\n"));
    assert_non_null(strstr(patched, "# An imported ONNX model"));
    assert_int_equal(scenario_load_string(patched, plen, to, &back, &err), 0);
    assert_string_equal(back.net.onnx, "../../a/resnet18.onnx");
    assert_true(scenario_rebase(&s, from, to));
    assert_string_equal(s.net.onnx, "../../a/resnet18.onnx");
    char why[256];
    if (!scenario_equal(&s, &back, why, sizeof why)) fail_msg("%s", why);
    scenario_free(&back);

    /* And back again; the same directory (and an absolute path) is kept. */
    assert_true(scenario_rebase(&s, to, back_to));
    assert_string_equal(s.net.onnx, "resnet18.onnx");
    assert_true(scenario_rebase(&s, from, back_to));
    assert_string_equal(s.net.onnx, "resnet18.onnx");
    str_copy(s.net.onnx, sizeof s.net.onnx, real);
    assert_true(scenario_rebase(&s, from, to));
    assert_string_equal(s.net.onnx, real);
    /* A directory that does not exist: nothing to rebase against. */
    str_copy(s.net.onnx, sizeof s.net.onnx, "resnet18.onnx");
    assert_false(scenario_rebase(&s, from, "/nonexistent-nnpart/s.yaml"));
    assert_string_equal(s.net.onnx, "resnet18.onnx");
    scenario_free(&s);
    free(patched);
    free(base);
    assert_int_equal(unlink(from) | unlink(model) | rmdir(bc) | rmdir(b) | rmdir(a) | rmdir(root),
                     0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixtures_match_pytorch_and_torchvision),
        cmocka_unit_test(test_same_units_as_the_zoo),
        cmocka_unit_test(test_granularities),
        cmocka_unit_test(test_shared_initializer),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_scenario_round_trip),
        cmocka_unit_test(test_save_as_elsewhere),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
