/* Scenario files: every config round-trips bit for bit, saving is stable and
 * atomic, every key is read, and names YAML would misread are quoted. */
#include <dirent.h>
#include <glob.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "helpers_io.h"
#include "presets.h"
#include "scenario_fixture.h"
#include "scenario_io.h"

/* ---- helpers --------------------------------------------------------- */

static char *write_to_string(const nn_scenario *s)
{
    capture c;
    capture_open(&c);
    assert_int_equal(scenario_write(s, c.f), 0);
    return capture_close(&c);
}

static void load_text(const char *yaml, nn_scenario *s)
{
    nn_error err;
    if (scenario_load_string(yaml, strlen(yaml), "test.yaml", s, &err) != 0)
        fail_msg("load failed: %s", err.message);
}

static void assert_same(const nn_scenario *a, const nn_scenario *b)
{
    char why[256];
    if (!scenario_equal(a, b, why, sizeof why)) fail_msg("scenarios differ: %s", why);
}

/* Write -> load -> equal, and writing the reloaded one gives the same text. */
static void assert_round_trip(const nn_scenario *s)
{
    char *text = write_to_string(s);
    nn_scenario back;
    nn_error err;
    if (scenario_load_string(text, strlen(text), "written.yaml", &back, &err) != 0)
        fail_msg("written text does not load: %s\n%s", err.message, text);
    assert_same(s, &back);
    char *again = write_to_string(&back);
    assert_string_equal(text, again);
    free(again);
    free(text);
    scenario_free(&back);
}

typedef struct tmpdir {
    char path[64];
} tmpdir;

static void tmpdir_make(tmpdir *t)
{
    snprintf(t->path, sizeof t->path, "/tmp/nnpart-test-XXXXXX");
    assert_non_null(mkdtemp(t->path));
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) n++;
    closedir(d);
    return n;
}

static void tmpdir_remove(tmpdir *t)
{
    DIR *d = opendir(t->path);
    if (!d) return;
    struct dirent *e;
    char p[512];
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        snprintf(p, sizeof p, "%s/%s", t->path, e->d_name);
        remove(p);
    }
    closedir(d);
    rmdir(t->path);
}

/* ---- configs/ ---------------------------------------------------------- */

static void test_every_config_round_trips(void **state)
{
    (void)state;
    glob_t g;
    assert_int_equal(glob("configs/*.yaml", 0, NULL, &g), 0);
    assert_true(g.gl_pathc >= 2);
    tmpdir dir;
    tmpdir_make(&dir);
    char first[256], second[256];
    snprintf(first, sizeof first, "%s/first.yaml", dir.path);
    snprintf(second, sizeof second, "%s/second.yaml", dir.path);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        nn_scenario s, back, again;
        nn_error err;
        if (scenario_load_file(g.gl_pathv[i], &s, &err) != 0)
            fail_msg("%s: %s", g.gl_pathv[i], err.message);
        assert_true(s.ndevices >= 1);
        assert_true(s.net.nlayers >= 1);
        if (scenario_save(&s, first, &err) != 0) fail_msg("save: %s", err.message);
        if (scenario_load_file(first, &back, &err) != 0)
            fail_msg("%s saved does not reload: %s", g.gl_pathv[i], err.message);
        char why[256];
        if (!scenario_equal(&s, &back, why, sizeof why))
            fail_msg("%s: reloaded differs: %s", g.gl_pathv[i], why);
        /* Derived numbers follow: same totals after the round trip. */
        assert_true(back.net.flops == s.net.flops);
        assert_true(back.net.weight_bytes == s.net.weight_bytes);
        /* Saving the reloaded scenario, and saving again, give the same bytes. */
        if (scenario_save(&back, second, &err) != 0) fail_msg("save: %s", err.message);
        char *a = test_file_read(first, NULL), *b = test_file_read(second, NULL);
        assert_string_equal(a, b);
        assert_int_equal(scenario_save(&back, second, &err), 0);
        free(b);
        b = test_file_read(second, NULL);
        assert_string_equal(a, b);
        if (scenario_load_file(second, &again, &err) != 0) fail_msg("%s", err.message);
        assert_same(&s, &again);
        free(a);
        free(b);
        scenario_free(&s);
        scenario_free(&back);
        scenario_free(&again);
    }
    /* Only the two saved files: no temporary file left behind. */
    assert_int_equal(count_entries(dir.path), 2);
    tmpdir_remove(&dir);
    globfree(&g);
}

static void test_builtin_default_loads(void **state)
{
    (void)state;
    nn_scenario s;
    nn_error err;
    if (scenario_load_string(nnpart_default_yaml, strlen(nnpart_default_yaml), "(built-in)", &s,
                             &err) != 0)
        fail_msg("%s", err.message);
    assert_true(s.ndevices >= 2);
    assert_true(s.net.nlayers > 0);
    assert_true(s.net.zoo[0] != '\0');
    assert_round_trip(&s);
    /* It is configs/default.yaml. */
    nn_scenario f;
    if (scenario_load_file("configs/default.yaml", &f, &err) != 0) fail_msg("%s", err.message);
    assert_same(&s, &f);
    scenario_free(&f);
    scenario_free(&s);
}

/* ---- every key ------------------------------------------------------- */

static const char EVERY_KEY[] =
    "name: 'Every key: a test'\n"
    "mode: ondemand\n"
    "source: cam\n"
    "sink: hub\n"
    "devices:\n"
    "  - name: cam\n"
    "    tier: edge\n"
    "    speed: 4 GFLOPS\n"
    "    memory: 512 MiB\n"
    "    load_rate: 25 MB/s\n"
    "  - {name: hub, preset: desktop-gpu, memory: 4 GB}\n"
    "  - name: dc\n"
    "    preset: a100\n"
    "    tier: hub\n"
    "links:\n"
    "  - between: [cam, hub]\n"
    "    bandwidth: 54 Mbps\n"
    "    reverse_bandwidth: 0.1 Gbit/s\n"
    "    latency: 1500 us\n"
    "  - between: [dc, hub]\n"
    "    preset: wan\n"
    "  - {between: [cam, dc], bandwidth: 0, latency: 0.04}\n"
    "network:\n"
    "  name: mixed\n"
    "  input: {shape: [3, 32, 32], dtype: fp16}\n"
    "  layers:\n"
    "    - {name: c1, type: conv2d, out_channels: 8, kernel: 3, padding: 1, bias: false, bn: "
    "true}\n"
    "    - {name: p1, type: maxpool, kernel: 2}\n"
    "    - {name: flat, type: flatten, profile: {cam: 10 us}}\n"
    "    - name: fc\n"
    "      type: linear\n"
    "      out_features: 10\n"
    "      profile:\n"
    "        cam: 2 ms\n"
    "        dc: 3 ns\n"
    "    - {name: post, flops: 2 kFLOP, weights: 1 KiB, output: 40 B, shape: [10]}\n"
    "    - {name: head, type: linear, out_features: 2, bias: true}\n"
    "pins:\n"
    "  c1: cam\n"
    "  head: hub\n";

static void test_every_key_is_read(void **state)
{
    (void)state;
    nn_scenario s;
    load_text(EVERY_KEY, &s);
    assert_string_equal(s.name, "Every key: a test");
    assert_int_equal(s.mode, MODE_ONDEMAND);
    assert_int_equal(s.ndevices, 3);
    assert_int_equal(s.source, 0);
    assert_int_equal(s.sink, 1);

    const nn_device *cam = &s.devices[0], *hub = &s.devices[1], *dc = &s.devices[2];
    assert_int_equal(cam->tier, TIER_EDGE);
    assert_true(cam->speed == 4e9);
    assert_true(cam->memory == 512.0 * 1048576);
    assert_true(cam->load_rate == 25e6);
    /* Presets fill what is not given; explicit keys win. */
    const nn_device_preset *gpu = presets_device_find("desktop-gpu");
    assert_non_null(gpu);
    assert_int_equal(hub->tier, gpu->tier);
    assert_true(hub->speed == gpu->speed);
    assert_true(hub->memory == 4e9);
    assert_true(hub->load_rate == gpu->load_rate);
    const nn_device_preset *a100 = presets_device_find("a100");
    assert_non_null(a100);
    assert_int_equal(dc->tier, TIER_HUB);
    assert_true(dc->speed == a100->speed && dc->memory == a100->memory);

    assert_int_equal(s.nlinks, 3);
    assert_int_equal(s.links[0].a, 0);
    assert_int_equal(s.links[0].b, 1);
    assert_true(s.links[0].bandwidth == 54e6);
    assert_true(s.links[0].reverse_given);
    assert_true(s.links[0].reverse == 0.1e9);
    assert_true(s.links[0].latency == 1500 / 1e6);
    const nn_link_preset *wan = presets_link_find("wan");
    assert_non_null(wan);
    assert_int_equal(s.links[1].a, 2); /* in the order written: dc -> hub */
    assert_true(s.links[1].bandwidth == wan->bandwidth);
    assert_true(s.links[1].reverse == wan->reverse);
    assert_true(s.links[1].latency == wan->latency);
    assert_true(s.links[2].bandwidth == 0);
    assert_false(s.links[2].reverse_given);
    assert_true(s.links[2].reverse == 0);
    assert_true(s.links[2].latency == 0.04);

    const nn_network *net = &s.net;
    assert_string_equal(net->name, "mixed");
    assert_int_equal(net->dtype, DTYPE_FP16);
    assert_int_equal(net->input_shape.ndim, 3);
    assert_true(net->input_bytes == 3 * 32 * 32 * 2);
    assert_int_equal(net->nlayers, 6);
    const nn_layer *c1 = &net->layers[0];
    assert_int_equal(c1->type, LT_CONV2D);
    const nn_layer_type_desc *conv = layer_type_get(LT_CONV2D);
    assert_int_equal(c1->param[layer_param_index(conv, "out_channels")], 8);
    assert_int_equal(c1->param[layer_param_index(conv, "padding")], 1);
    assert_int_equal(c1->param[layer_param_index(conv, "bias")], 0);
    assert_int_equal(c1->param[layer_param_index(conv, "bn")], 1);
    assert_int_equal(c1->param[layer_param_index(conv, "stride")], 1); /* default */
    unsigned want_given = 0;
    const char *given_keys[] = {"out_channels", "kernel", "padding", "bias", "bn"};
    for (int i = 0; i < 5; i++)
        want_given |= 1u << layer_param_index(conv, given_keys[i]);
    assert_int_equal(c1->param_given, want_given);
    assert_int_equal(c1->out_shape.dim[0], 8);
    assert_int_equal(c1->out_shape.dim[1], 32);
    assert_int_equal(net->layers[1].out_shape.dim[1], 16);
    assert_int_equal(net->layers[2].nprofiles, 1);
    assert_true(net->layers[2].profiles[0].seconds == 10e-6);
    const nn_layer *fc = &net->layers[3];
    assert_int_equal(fc->nprofiles, 2);
    assert_string_equal(fc->profiles[0].device, "cam");
    assert_true(fc->profiles[0].seconds == 2e-3);
    assert_string_equal(fc->profiles[1].device, "dc");
    assert_true(fc->profiles[1].seconds == 3e-9);
    const nn_layer *post = &net->layers[4];
    assert_int_equal(post->type, LT_RAW);
    assert_true(post->raw_flops == 2e3);
    assert_true(post->raw_weights == 1024);
    assert_true(post->raw_output == 40);
    assert_int_equal(post->raw_shape.ndim, 1);
    assert_int_equal(post->raw_shape.dim[0], 10);
    assert_int_equal(net->layers[5].out_shape.dim[0], 2); /* after a raw layer with a shape */

    assert_int_equal(s.pin[0], 0);
    assert_int_equal(s.pin[5], 1);
    for (int l = 1; l < 5; l++)
        assert_int_equal(s.pin[l], -1);

    assert_round_trip(&s);
    scenario_free(&s);
}

static void test_defaults(void **state)
{
    (void)state;
    nn_scenario s;
    load_text("network:\n"
              "  input: 1 kB\n"
              "  layers: [{name: only, flops: 10, output: 1 B}]\n"
              "devices:\n"
              "  - {name: a, speed: 1000, memory: 1000, load_rate: 1000}\n"
              "  - {name: b, speed: 1000, memory: 1000, load_rate: 1000}\n"
              "links:\n"
              "  - {between: [a, b], bandwidth: 1 Mbit/s}\n",
              &s);
    assert_string_equal(s.name, "");
    assert_string_equal(s.net.name, "");
    assert_int_equal(s.mode, MODE_PRELOAD);
    assert_int_equal(s.source, 0);
    assert_int_equal(s.sink, 0);
    assert_int_equal(s.devices[1].tier, TIER_EDGE);
    assert_true(s.net.layers[0].raw_weights == 0);
    assert_int_equal(s.net.dtype, DTYPE_FP32);
    assert_false(s.links[0].reverse_given);
    assert_true(s.links[0].reverse == 1e6);
    assert_true(s.links[0].latency == 0);
    assert_int_equal(s.pin[0], -1);
    assert_round_trip(&s);
    scenario_free(&s);

    /* The sink follows the source; zoo names and modes are case-insensitive. */
    load_text("network: AlexNet\nsource: b\nmode: Resident\n"
              "devices: [{name: a, speed: 1000, memory: 1000, load_rate: 1000},"
              " {name: b, speed: 1000, memory: 1000, load_rate: 1000}]\n"
              "links: []\n",
              &s);
    assert_int_equal(s.source, 1);
    assert_int_equal(s.sink, 1);
    assert_string_equal(s.net.zoo, "alexnet");
    assert_int_equal(s.mode, MODE_RESIDENT);
    assert_int_equal(s.nlinks, 0);
    assert_round_trip(&s);
    scenario_free(&s);
}

/* ---- the writer ------------------------------------------------------ */

static void test_written_text(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    s.links[0].reverse = 2e6;
    s.links[0].reverse_given = true;
    layer_add_profile(&s.net.layers[1], "cloud", 0.0003);
    s.pin[0] = 0;
    s.net.layers[2].raw_shape = (nn_shape){.ndim = 2, .dim = {10, 25}};
    char *text = write_to_string(&s);
    assert_string_equal(text, "name: worked example\n"
                              "network:\n"
                              "  name: worked\n"
                              "  input: 100 kB\n"
                              "  layers:\n"
                              "    - {name: L1, flops: 100 MFLOP, weights: 1 MB, output: 200 kB}\n"
                              "    - {name: L2, flops: 1 GFLOP, weights: 20 MB, output: 10 kB, "
                              "profile: {cloud: 300 us}}\n"
                              "    - {name: L3, flops: 100 MFLOP, weights: 50 MB, output: 1 kB, "
                              "shape: [10, 25]}\n"
                              "mode: preload\n"
                              "source: edge\n"
                              "sink: edge\n"
                              "devices:\n"
                              "  - name: edge\n"
                              "    tier: edge\n"
                              "    speed: 1 GFLOP/s\n"
                              "    memory: 100 MB\n"
                              "    load_rate: 10 MB/s\n"
                              "  - name: cloud\n"
                              "    tier: edge\n"
                              "    speed: 100 GFLOP/s\n"
                              "    memory: 1 GB\n"
                              "    load_rate: 100 MB/s\n"
                              "links:\n"
                              "  - between: [edge, cloud]\n"
                              "    bandwidth: 8 Mbit/s\n"
                              "    reverse_bandwidth: 2 Mbit/s\n"
                              "    latency: 10 ms\n"
                              "pins:\n"
                              "  L1: edge\n");
    free(text);
    scenario_free(&s);
}

/* Shared tensors and the layers that use them (a name or a list) are read,
 * written back in one form and round-trip; a tied head's derived tensor is
 * never written. */
static void test_shared_round_trip(void **state)
{
    (void)state;
    static const char TEXT[] =
        "network:\n"
        "  name: tied\n"
        "  input: {shape: [5], dtype: fp32}\n"
        "  shared:\n"
        "    - {name: proj, bytes: 2 MB}\n"
        "    - {name: \"odd name\", bytes: 1 KiB}\n"
        "  layers:\n"
        "    - {name: emb, type: token_embed, vocab: 11, dim: 8, positions: 7}\n"
        "    - {name: h0, type: decoder, heads: 2, uses: proj}\n"
        "    - {name: h1, type: decoder, heads: 2, uses: [proj, odd name]}\n"
        "    - {name: head, type: lm_head, vocab: 11, all_tokens: true}\n"
        "devices:\n"
        "  - {name: a, speed: 1 GFLOP/s, memory: 1 GB, load_rate: 1 GB/s}\n";
    nn_scenario s;
    load_text(TEXT, &s);
    const nn_network *net = &s.net;
    assert_int_equal(net->nshared, 3); /* proj, odd name, emb.wte (derived) */
    assert_string_equal(net->shared[2].name, "emb.wte");
    assert_true(net->shared[2].derived);
    assert_true(net->shared[0].bytes == 2e6 && net->shared[1].bytes == 1024);
    assert_int_equal(net->layers[1].nuses, 1);
    assert_int_equal(net->layers[2].nuses, 2);
    assert_int_equal(net->layers[2].uses[1], 1);
    assert_int_equal(net->layers[0].nuses, 1); /* the derived wte */
    assert_int_equal(net->layers[0].nuses_given, 0);
    assert_int_equal(net->layers[3].out_shape.ndim, 2); /* all_tokens */
    char *text = write_to_string(&s);
    assert_non_null(strstr(text, "  shared:\n"
                                 "    - {name: proj, bytes: 2 MB}\n"
                                 "    - {name: odd name, bytes: 1.024 kB}\n"
                                 "  layers:\n"));
    assert_non_null(strstr(text, "{name: h1, type: decoder, heads: 2, uses: [proj, odd name]}"));
    assert_null(strstr(text, "wte"));
    free(text);
    assert_round_trip(&s);
    scenario_free(&s);
}

/* The energy and stream fields are read with their units and round-trip;
 * a link preset brings its energy per bit. */
static void test_energy_fields_round_trip(void **state)
{
    (void)state;
    static const char TEXT[] =
        "network: alexnet\n"
        "objective: battery-energy\n"
        "latency_limit: 250 ms\n"
        "energy_limit: 1.5 J\n"
        "stages: contiguous\n"
        "devices:\n"
        "  - {name: phone, preset: phone, power: 3 W, idle_power: 300 mW, load_power: 1 W, "
        "battery: true}\n"
        "  - {name: hub, preset: desktop-gpu, power: 120 W}\n"
        "links:\n"
        "  - {between: [phone, hub], preset: wifi}\n";
    nn_scenario s;
    load_text(TEXT, &s);
    assert_int_equal(s.objective, OBJ_BATTERY_ENERGY);
    assert_true(s.latency_limit == 0.25 && s.energy_limit == 1.5);
    assert_int_equal(s.stages, STAGES_CONTIGUOUS);
    assert_true(s.devices[0].power == 3 && s.devices[0].idle_power == 0.3);
    assert_true(s.devices[0].load_power == 1 && s.devices[0].battery);
    assert_true(s.devices[1].power == 120 && !s.devices[1].battery);
    assert_true(s.devices[1].idle_power == 0);
    assert_true(s.links[0].energy == presets_link_find("wifi")->energy);
    assert_true(s.links[0].energy > 0);
    char *text = write_to_string(&s);
    assert_non_null(strstr(text, "objective: battery-energy\nlatency_limit: 250 ms\n"
                                 "energy_limit: 1.5 J\nstages: contiguous\n"));
    assert_non_null(strstr(text, "    power: 3 W\n    idle_power: 300 mW\n    load_power: 1 W\n"
                                 "    battery: true\n"));
    assert_non_null(strstr(text, "    energy: 5 nJ/bit\n"));
    free(text);
    assert_round_trip(&s);
    scenario_free(&s);
}

/* Names that YAML would misread unquoted still come back as written. */
static void test_awkward_names_round_trip(void **state)
{
    (void)state;
    static const char *const names[] = {
        "a: b",  "#tag",  "- dash",   "yes",      "null",        "1e3",  "with, comma", "[x]",
        "{y}",   "ends:", " padded ", "quote\"s", "back\\",      "it's", "*star",       "&amp",
        "!bang", "%pct",  "@at",      "`tick",    "caf\xc3\xa9", "x #y", "0x1F",        "a:b",
        "~",     "|pipe", ">fold",    "?q",       "true",
    };
    size_t n = sizeof names / sizeof names[0];
    nn_scenario s;
    scenario_init(&s);
    str_copy(s.name, sizeof s.name, "name: with a colon, and # a hash");
    nn_network net = {0};
    str_copy(net.name, sizeof net.name, "{odd} network");
    for (size_t i = 0; i < n; i++) {
        fixture_device(&s, names[i], 1e9, 1e9, 1e6);
        fixture_layer(&net, names[i], 1e6, 1e3, 1e3);
    }
    for (size_t i = 1; i < n; i++)
        fixture_link(&s, (int)i - 1, (int)i, 1e6, 1e6, 0.001);
    layer_add_profile(&net.layers[0], names[1], 0.5);
    assert_int_equal(fixture_finish(&s, &net, 1000), 0);
    for (size_t i = 0; i < n; i++)
        s.pin[i] = (int)(n - 1 - i);
    s.source = 3;
    s.sink = 5;
    assert_round_trip(&s);
    scenario_free(&s);
}

/* Numbers that are not short decimals still reload bit for bit. */
static void test_awkward_numbers_round_trip(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    s.devices[0].speed = 1.0 / 3 * 1e9;
    s.devices[0].memory = (0.1 + 0.2) * 1e9;
    s.devices[1].load_rate = nextafter(100e6, 0);
    s.links[0].latency = 1e-300;
    s.links[0].bandwidth = s.links[0].reverse = 1e14 / 3; /* undivided: both ways */
    s.net.layers[0].raw_flops = 2.0 / 3;
    s.net.layers[1].raw_output = 5e-324;
    s.net.input_bytes = 123456789.123456789;
    assert_round_trip(&s);
    scenario_free(&s);
}

/* ---- atomic save ----------------------------------------------------- */

static void test_save_into_missing_directory_fails(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    nn_error err;
    const char *path = "/tmp/nnpart-no-such-dir-4711/x.yaml";
    assert_int_equal(scenario_save(&s, path, &err), -1);
    assert_string_equal(err.message,
                        "/tmp/nnpart-no-such-dir-4711/x.yaml: cannot save: cannot create a "
                        "temporary file in '/tmp/nnpart-no-such-dir-4711': No such file or "
                        "directory");
    assert_string_equal(err.file, path);
    scenario_free(&s);
}

static void test_failed_save_keeps_old_file(void **state)
{
    (void)state;
    tmpdir dir;
    tmpdir_make(&dir);
    char path[256];
    snprintf(path, sizeof path, "%s/scenario.yaml", dir.path);
    test_file_write(path, "old contents\n");
    nn_scenario s;
    fixture_worked_example(&s);
    nn_error err;

    /* A write that fails half way (file size limit: works even as root). */
    struct rlimit old, small = {.rlim_cur = 64};
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    small.rlim_max = old.rlim_max;
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    int rc = scenario_save(&s, path, &err);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, prev);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(err.message, "File too large"));
    assert_non_null(strstr(err.message, "the old file is unchanged"));
    assert_int_equal(strncmp(err.message, path, strlen(path)), 0);
    char *text = test_file_read(path, NULL);
    assert_string_equal(text, "old contents\n");
    free(text);
    assert_int_equal(count_entries(dir.path), 1); /* the temporary file is gone */

    /* The target is a directory: refused before anything is written. */
    char sub[300];
    snprintf(sub, sizeof sub, "%s/sub.yaml", dir.path);
    assert_int_equal(mkdir(sub, 0755), 0);
    char inner[400];
    snprintf(inner, sizeof inner, "%s/keep", sub);
    test_file_write(inner, "x");
    assert_int_equal(scenario_save(&s, sub, &err), -1);
    assert_non_null(strstr(err.message, "is not a regular file; nothing was written"));
    assert_int_equal(count_entries(dir.path), 2);
    remove(inner);
    rmdir(sub);

    /* A read-only directory (only meaningful when not root). */
    if (geteuid() != 0) {
        assert_int_equal(chmod(dir.path, 0555), 0);
        assert_int_equal(scenario_save(&s, path, &err), -1);
        assert_non_null(strstr(err.message, "Permission denied"));
        assert_int_equal(chmod(dir.path, 0755), 0);
        text = test_file_read(path, NULL);
        assert_string_equal(text, "old contents\n");
        free(text);
    }

    /* And a save that works replaces it, keeping the file's mode. */
    assert_int_equal(chmod(path, 0600), 0);
    assert_int_equal(scenario_save(&s, path, &err), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    nn_scenario back;
    assert_int_equal(scenario_load_file(path, &back, &err), 0);
    assert_same(&s, &back);
    assert_int_equal(count_entries(dir.path), 1);
    scenario_free(&back);
    scenario_free(&s);
    tmpdir_remove(&dir);
}

static void test_load_missing_file(void **state)
{
    (void)state;
    nn_scenario s;
    nn_error err;
    assert_int_equal(scenario_load_file("/tmp/nnpart-no-such-file.yaml", &s, &err), -1);
    assert_string_equal(err.message,
                        "/tmp/nnpart-no-such-file.yaml: cannot open: No such file or directory");
    assert_int_equal(s.ndevices, 0);
    assert_null(s.devices);
}

/* ---- scenario_equal -------------------------------------------------- */

static void expect_differ(const nn_scenario *a, const nn_scenario *b, const char *want)
{
    char why[256];
    assert_false(scenario_equal(a, b, why, sizeof why));
    assert_string_equal(why, want);
}

static void test_equal_finds_first_difference(void **state)
{
    (void)state;
    nn_scenario a, b;
    fixture_worked_example(&a);
    fixture_worked_example(&b);
    char why[256] = "x";
    assert_true(scenario_equal(&a, &b, why, sizeof why));
    assert_string_equal(why, "");

    b.devices[1].speed = nextafter(b.devices[1].speed, INFINITY);
    expect_differ(&a, &b, "devices[1].speed: 100000000000 vs 100000000000.00002");
    b.devices[1].speed = a.devices[1].speed;
    b.links[0].reverse_given = true;
    expect_differ(&a, &b, "links[0] reverse given: 0 vs 1");
    b.links[0].reverse_given = false;
    b.net.layers[2].raw_weights = 50e6 + 1;
    expect_differ(&a, &b, "network.layers[2].weights: 50000000 vs 50000001");
    b.net.layers[2].raw_weights = a.net.layers[2].raw_weights;
    layer_add_profile(&b.net.layers[0], "edge", 1);
    expect_differ(&a, &b, "network.layers[0] profile count: 0 vs 1");
    layer_add_profile(&a.net.layers[0], "edge", 1);
    assert_true(scenario_equal(&a, &b, NULL, 0));
    b.pin[2] = 1;
    expect_differ(&a, &b, "pins.L3 (device index): -1 vs 1");
    b.pin[2] = -1;
    b.mode = MODE_RESIDENT;
    expect_differ(&a, &b, "mode: 0 vs 2");
    scenario_free(&a);
    scenario_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_config_round_trips),
        cmocka_unit_test(test_builtin_default_loads),
        cmocka_unit_test(test_every_key_is_read),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_written_text),
        cmocka_unit_test(test_awkward_names_round_trip),
        cmocka_unit_test(test_shared_round_trip),
        cmocka_unit_test(test_energy_fields_round_trip),
        cmocka_unit_test(test_awkward_numbers_round_trip),
        cmocka_unit_test(test_save_into_missing_directory_fails),
        cmocka_unit_test(test_failed_save_keeps_old_file),
        cmocka_unit_test(test_load_missing_file),
        cmocka_unit_test(test_equal_finds_first_difference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
