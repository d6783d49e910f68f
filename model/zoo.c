/* The built-in networks, written with the same layer types a scenario file
 * uses, so their numbers come from network_infer() like any other network.
 * Definitions follow torchvision (224x224 RGB, 1000 classes, fp32) and the
 * GPT-2 small reference release (context 1024, vocabulary 50257). */
#include "network.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Appending layers; a failed allocation is remembered and reported once. */
typedef struct zoo_builder {
    nn_network *net;
    bool failed;
} zoo_builder;

/* Appends a layer of `type`; parameters are set afterwards with set(). */
static nn_layer *add(zoo_builder *b, const char *name, nn_layer_type type)
{
    nn_layer *l = b->failed ? NULL : network_add_layer(b->net, name, type);
    if (!l) b->failed = true;
    return l;
}

static void set(zoo_builder *b, nn_layer *l, const char *key, long value)
{
    if (l && layer_set_param(l, key, value) != 0)
        b->failed = true; /* a typo in this file; zoo tests catch it */
}

static void conv(zoo_builder *b, const char *name, long out, long kernel, long stride, long padding,
                 bool bn)
{
    nn_layer *l = add(b, name, LT_CONV2D);
    set(b, l, "out_channels", out);
    set(b, l, "kernel", kernel);
    if (stride != 1) set(b, l, "stride", stride);
    if (padding != 0) set(b, l, "padding", padding);
    if (bn) { /* torchvision drops the conv bias when batch norm follows */
        set(b, l, "bias", 0);
        set(b, l, "bn", 1);
    }
}

static void maxpool(zoo_builder *b, const char *name, long kernel, long stride, long padding)
{
    nn_layer *l = add(b, name, LT_MAXPOOL);
    set(b, l, "kernel", kernel);
    set(b, l, "stride", stride);
    if (padding != 0) set(b, l, "padding", padding);
}

static void one(zoo_builder *b, const char *name, nn_layer_type type, const char *key, long v)
{
    nn_layer *l = add(b, name, type);
    if (key) set(b, l, key, v);
}

/* The classifier tail most CNNs share: pool to size x size, flatten. */
static void pool_flatten(zoo_builder *b, long size)
{
    one(b, "avgpool", LT_ADAPTIVE_AVGPOOL, "size", size);
    one(b, "flatten", LT_FLATTEN, NULL, 0);
}

static void image_input(nn_network *net)
{
    net->input_shape = (nn_shape){.ndim = 3, .dim = {3, 224, 224}};
}

static void build_alexnet(zoo_builder *b)
{
    image_input(b->net);
    conv(b, "conv1", 64, 11, 4, 2, false);
    maxpool(b, "pool1", 3, 2, 0);
    conv(b, "conv2", 192, 5, 1, 2, false);
    maxpool(b, "pool2", 3, 2, 0);
    conv(b, "conv3", 384, 3, 1, 1, false);
    conv(b, "conv4", 256, 3, 1, 1, false);
    conv(b, "conv5", 256, 3, 1, 1, false);
    maxpool(b, "pool5", 3, 2, 0);
    pool_flatten(b, 6);
    one(b, "fc6", LT_LINEAR, "out_features", 4096);
    one(b, "fc7", LT_LINEAR, "out_features", 4096);
    one(b, "fc8", LT_LINEAR, "out_features", 1000);
}

static void build_vgg16(zoo_builder *b)
{
    /* Configuration "D": convs per stage, then a 2x2 max pool. */
    static const struct {
        int convs;
        long width;
    } stages[] = {{2, 64}, {2, 128}, {3, 256}, {3, 512}, {3, 512}};
    image_input(b->net);
    char name[NN_NAME_LEN];
    for (int s = 0; s < 5; s++) {
        for (int c = 0; c < stages[s].convs; c++) {
            snprintf(name, sizeof name, "conv%d_%d", s + 1, c + 1);
            conv(b, name, stages[s].width, 3, 1, 1, false);
        }
        snprintf(name, sizeof name, "pool%d", s + 1);
        maxpool(b, name, 2, 2, 0);
    }
    pool_flatten(b, 7);
    one(b, "fc6", LT_LINEAR, "out_features", 4096);
    one(b, "fc7", LT_LINEAR, "out_features", 4096);
    one(b, "fc8", LT_LINEAR, "out_features", 1000);
}

/* torchvision ResNet: stem, four stages of blocks (the first block of stages
 * 2-4 halves the resolution), global average pool, fc. */
static void build_resnet(zoo_builder *b, const int blocks[4], bool bottleneck)
{
    image_input(b->net);
    conv(b, "conv1", 64, 7, 2, 3, true);
    maxpool(b, "maxpool", 3, 2, 1);
    char name[NN_NAME_LEN];
    for (int s = 0; s < 4; s++) {
        long width = 64L << s;
        for (int i = 0; i < blocks[s]; i++) {
            snprintf(name, sizeof name, "layer%d.%d", s + 1, i);
            nn_layer *l = add(b, name, bottleneck ? LT_BOTTLENECK : LT_BASIC);
            set(b, l, bottleneck ? "planes" : "out_channels", width);
            if (s > 0 && i == 0) set(b, l, "stride", 2);
        }
    }
    pool_flatten(b, 1);
    one(b, "fc", LT_LINEAR, "out_features", 1000);
}

static void build_resnet18(zoo_builder *b)
{
    static const int blocks[4] = {2, 2, 2, 2};
    build_resnet(b, blocks, false);
}

static void build_resnet50(zoo_builder *b)
{
    static const int blocks[4] = {3, 4, 6, 3};
    build_resnet(b, blocks, true);
}

static void build_mobilenet_v2(zoo_builder *b)
{
    /* torchvision's inverted_residual_setting: t, c, n, s (width 1.0). */
    static const struct {
        long t, c;
        int n;
        long s;
    } setting[] = {{1, 16, 1, 1}, {6, 24, 2, 2},  {6, 32, 3, 2}, {6, 64, 4, 2},
                   {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
    image_input(b->net);
    conv(b, "features.0", 32, 3, 2, 1, true);
    char name[NN_NAME_LEN];
    int k = 1;
    for (size_t g = 0; g < sizeof setting / sizeof setting[0]; g++) {
        for (int i = 0; i < setting[g].n; i++, k++) {
            snprintf(name, sizeof name, "features.%d", k);
            nn_layer *l = add(b, name, LT_INVERTED_RESIDUAL);
            set(b, l, "out_channels", setting[g].c);
            if (i == 0 && setting[g].s != 1) set(b, l, "stride", setting[g].s);
            set(b, l, "expand_ratio", setting[g].t);
        }
    }
    snprintf(name, sizeof name, "features.%d", k);
    conv(b, name, 1280, 1, 1, 0, true);
    pool_flatten(b, 1);
    one(b, "classifier", LT_LINEAR, "out_features", 1000);
}

static void build_vit_b_16(zoo_builder *b)
{
    image_input(b->net);
    nn_layer *l = add(b, "patch_embed", LT_PATCH_EMBED);
    set(b, l, "patch", 16);
    set(b, l, "dim", 768);
    char name[NN_NAME_LEN];
    for (int i = 0; i < 12; i++) {
        snprintf(name, sizeof name, "encoder.%d", i);
        l = add(b, name, LT_ENCODER);
        set(b, l, "heads", 12);
        set(b, l, "mlp_dim", 3072);
    }
    one(b, "ln", LT_LAYERNORM, NULL, 0);
    one(b, "cls", LT_CLS_SELECT, NULL, 0);
    one(b, "head", LT_LINEAR, "out_features", 1000);
}

static void build_gpt2(zoo_builder *b)
{
    b->net->input_shape = (nn_shape){.ndim = 1, .dim = {1024}};
    nn_layer *l = add(b, "embed", LT_TOKEN_EMBED);
    set(b, l, "vocab", 50257);
    set(b, l, "dim", 768);
    set(b, l, "positions", 1024);
    char name[NN_NAME_LEN];
    for (int i = 0; i < 12; i++) {
        snprintf(name, sizeof name, "h.%d", i);
        l = add(b, name, LT_DECODER);
        set(b, l, "heads", 12);
    }
    one(b, "ln_f", LT_LAYERNORM, NULL, 0);
    l = add(b, "lm_head", LT_LM_HEAD);
    set(b, l, "vocab", 50257);
    set(b, l, "tied", 1);
}

typedef struct zoo_entry {
    const char *name;    /* canonical, saved in scenario files */
    const char *display; /* net->name */
    const char *description;
    void (*build)(zoo_builder *b);
} zoo_entry;

static const zoo_entry zoo[] = {
    {.name = "alexnet",
     .display = "AlexNet",
     .description = "AlexNet (torchvision), 224x224 image, 61.1 M params, 0.71 GMAC",
     .build = build_alexnet},
    {.name = "vgg16",
     .display = "VGG-16",
     .description = "VGG-16 (torchvision), 224x224 image, 138 M params, 15.5 GMAC",
     .build = build_vgg16},
    {.name = "resnet18",
     .display = "ResNet-18",
     .description = "ResNet-18 (torchvision), 224x224 image, 11.7 M params, 1.81 GMAC",
     .build = build_resnet18},
    {.name = "resnet50",
     .display = "ResNet-50",
     .description = "ResNet-50 (torchvision), 224x224 image, 25.6 M params, 4.09 GMAC",
     .build = build_resnet50},
    {.name = "mobilenet_v2",
     .display = "MobileNetV2",
     .description = "MobileNetV2 (torchvision), 224x224 image, 3.5 M params, 0.30 GMAC",
     .build = build_mobilenet_v2},
    {.name = "vit_b_16",
     .display = "ViT-B/16",
     .description = "Vision Transformer B/16 (torchvision), 224x224 image, 86.6 M params, "
                    "17.6 GMAC",
     .build = build_vit_b_16},
    {.name = "gpt2",
     .display = "GPT-2 small",
     .description = "GPT-2 small (124 M params), 1024 tokens, 12 decoder blocks, tied head",
     .build = build_gpt2},
};

#define ZOO_COUNT ((int)(sizeof zoo / sizeof zoo[0]))

int zoo_count(void)
{
    return ZOO_COUNT;
}

const char *zoo_name(int i)
{
    return i >= 0 && i < ZOO_COUNT ? zoo[i].name : NULL;
}

const char *zoo_description(int i)
{
    return i >= 0 && i < ZOO_COUNT ? zoo[i].description : NULL;
}

/* Lower case without separators: "ResNet-18", "resnet_18" and "ViT-B/16"
 * all reduce to the same key as the canonical name. */
static void normalise(const char *in, char *out, size_t size)
{
    size_t n = 0;
    for (; *in && n + 1 < size; in++) {
        if (*in == '-' || *in == '_' || *in == '/' || *in == ' ' || *in == '.') continue;
        out[n++] = (char)tolower((unsigned char)*in);
    }
    out[n] = '\0';
}

int zoo_find(const char *name)
{
    if (!name || !*name) return -1;
    char want[NN_NAME_LEN * 2], have[NN_NAME_LEN * 2];
    normalise(name, want, sizeof want);
    for (int i = 0; i < ZOO_COUNT; i++) {
        normalise(zoo[i].name, have, sizeof have);
        if (strcmp(want, have) == 0) return i;
        normalise(zoo[i].display, have, sizeof have);
        if (strcmp(want, have) == 0) return i;
    }
    return -1;
}

int zoo_build(const char *name, nn_network *out)
{
    int i = zoo_find(name);
    if (i < 0) return -1;
    nn_network net = {.dtype = DTYPE_FP32};
    str_copy(net.name, sizeof net.name, zoo[i].display);
    str_copy(net.zoo, sizeof net.zoo, zoo[i].name);
    zoo_builder b = {.net = &net, .failed = false};
    zoo[i].build(&b);
    int bad;
    char why[NN_TEXT_LEN];
    if (b.failed || network_infer(&net, &bad, why, sizeof why) != 0) {
        network_free(&net);
        return -1;
    }
    *out = net;
    return 0;
}
