/* The layer type catalogue and shape inference. Every count follows
 * torchvision's (and, for GPT-2, the reference release's) definitions: MACs
 * are the multiply-accumulates of convolutions, linear layers and attention
 * matmuls; pooling, normalisation, activations, softmax and additions are
 * free, as in torchvision's published GFLOPS. */
#include "network.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Generous upper bounds: they catch typos without limiting real networks. */
#define MAX_CHANNELS 1048576L
#define MAX_KERNEL 1024L
#define MAX_VOCAB 16777216L
#define MAX_POSITIONS 16777216L

/* Parameter indices per type; the catalogue below is indexed by the same
 * names so the table and the code cannot drift apart. */
enum { CONV_OUT, CONV_KERNEL, CONV_STRIDE, CONV_PADDING, CONV_GROUPS, CONV_BIAS, CONV_BN };
enum { POOL_KERNEL, POOL_STRIDE, POOL_PADDING, POOL_CEIL };
enum { AAP_SIZE };
enum { LIN_OUT, LIN_BIAS };
enum { BASIC_OUT, BASIC_STRIDE };
enum { BOT_PLANES, BOT_STRIDE, BOT_EXPANSION };
enum { IR_OUT, IR_STRIDE, IR_EXPAND };
enum { PE_PATCH, PE_DIM, PE_CLASS };
enum { ENC_HEADS, ENC_MLP };
enum { DEC_HEADS, DEC_MLP };
enum { TOK_VOCAB, TOK_DIM, TOK_POSITIONS };
enum { LM_VOCAB, LM_TIED, LM_ALL_TOKENS };

#define REQ LAYER_PARAM_REQUIRED
#define INT_P(k, d, lo, hi, h)                                                                     \
    {                                                                                              \
        .key = k, .kind = PARAM_INT, .def = d, .min = lo, .max = hi, .help = h                     \
    }
#define BOOL_P(k, d, h)                                                                            \
    {                                                                                              \
        .key = k, .kind = PARAM_BOOL, .def = d, .min = 0, .max = 1, .help = h                      \
    }

/* maxpool and avgpool take the same parameters; infer_pool reads both. */
#define POOL_PARAMS                                                                                \
    {                                                                                              \
        [POOL_KERNEL] = INT_P("kernel", REQ, 1, MAX_KERNEL, "square window size"),                 \
        [POOL_STRIDE] = INT_P("stride", 0, 0, MAX_KERNEL, "stride (0: the kernel)"),               \
        [POOL_PADDING] =                                                                           \
            INT_P("padding", 0, 0, MAX_KERNEL / 2, "padding per side (at most kernel/2)"),         \
        [POOL_CEIL] = BOOL_P("ceil_mode", 0, "round the output size up"),                          \
    }

static const nn_layer_type_desc layer_types[LT_TYPE_COUNT] = {
    [LT_RAW] =
        {
            .name = "raw",
            .type = LT_RAW,
            .nparams = 0,
            .summary = "numbers given directly: flops, weights, output (optional shape)",
        },
    [LT_CONV2D] =
        {
            .name = "conv2d",
            .type = LT_CONV2D,
            .nparams = 7,
            .params =
                {
                    [CONV_OUT] = INT_P("out_channels", REQ, 1, MAX_CHANNELS, "output channels"),
                    [CONV_KERNEL] = INT_P("kernel", REQ, 1, MAX_KERNEL, "square kernel size"),
                    [CONV_STRIDE] = INT_P("stride", 1, 1, MAX_KERNEL, "stride"),
                    [CONV_PADDING] = INT_P("padding", 0, 0, MAX_KERNEL, "zero padding per side"),
                    [CONV_GROUPS] =
                        INT_P("groups", 1, 1, MAX_CHANNELS, "groups (= in_channels: depthwise)"),
                    [CONV_BIAS] = BOOL_P("bias", 1, "learned bias per output channel"),
                    [CONV_BN] = BOOL_P("bn", 0, "batch norm after the convolution"),
                },
            .summary = "2-D convolution [C,H,W] -> [out_channels,H',W'], optional batch norm",
        },
    [LT_MAXPOOL] =
        {
            .name = "maxpool",
            .type = LT_MAXPOOL,
            .nparams = 4,
            .params = POOL_PARAMS,
            .summary = "max pooling over a square window",
        },
    [LT_AVGPOOL] =
        {
            .name = "avgpool",
            .type = LT_AVGPOOL,
            .nparams = 4,
            .params = POOL_PARAMS,
            .summary = "average pooling over a square window",
        },
    [LT_ADAPTIVE_AVGPOOL] =
        {
            .name = "adaptive_avgpool",
            .type = LT_ADAPTIVE_AVGPOOL,
            .nparams = 1,
            .params = {[AAP_SIZE] = INT_P("size", REQ, 1, MAX_KERNEL, "output height and width")},
            .summary = "average pooling to a fixed [C,size,size]",
        },
    [LT_FLATTEN] =
        {
            .name = "flatten",
            .type = LT_FLATTEN,
            .nparams = 0,
            .summary = "flattens the input into one vector [C*H*W]",
        },
    [LT_LINEAR] =
        {
            .name = "linear",
            .type = LT_LINEAR,
            .nparams = 2,
            .params =
                {
                    [LIN_OUT] = INT_P("out_features", REQ, 1, MAX_CHANNELS, "output features"),
                    [LIN_BIAS] = BOOL_P("bias", 1, "learned bias per output feature"),
                },
            .summary = "fully connected layer on the last dimension",
        },
    [LT_BASIC] =
        {
            .name = "basic",
            .type = LT_BASIC,
            .nparams = 2,
            .params =
                {
                    [BASIC_OUT] = INT_P("out_channels", REQ, 1, MAX_CHANNELS, "output channels"),
                    [BASIC_STRIDE] = INT_P("stride", 1, 1, MAX_KERNEL, "stride of the first conv"),
                },
            .summary = "ResNet basic block: two 3x3 convs with batch norm, 1x1 downsample when "
                       "needed",
        },
    [LT_BOTTLENECK] =
        {
            .name = "bottleneck",
            .type = LT_BOTTLENECK,
            .nparams = 3,
            .params =
                {
                    [BOT_PLANES] = INT_P("planes", REQ, 1, MAX_CHANNELS, "inner width"),
                    [BOT_STRIDE] = INT_P("stride", 1, 1, MAX_KERNEL, "stride of the 3x3 conv"),
                    [BOT_EXPANSION] =
                        INT_P("expansion", 4, 1, 64, "output channels = planes * expansion"),
                },
            .summary = "ResNet bottleneck block: 1x1, 3x3, 1x1 convs with batch norm, 1x1 "
                       "downsample when needed",
        },
    [LT_INVERTED_RESIDUAL] =
        {
            .name = "inverted_residual",
            .type = LT_INVERTED_RESIDUAL,
            .nparams = 3,
            .params =
                {
                    [IR_OUT] = INT_P("out_channels", REQ, 1, MAX_CHANNELS, "output channels"),
                    [IR_STRIDE] = INT_P("stride", 1, 1, 2, "stride of the depthwise conv"),
                    [IR_EXPAND] = INT_P("expand_ratio", 6, 1,
                                        64, "hidden channels = in_channels * expand_ratio"),
                },
            .summary = "MobileNetV2 block: 1x1 expand, 3x3 depthwise, 1x1 project, with batch norm",
        },
    [LT_PATCH_EMBED] =
        {
            .name = "patch_embed",
            .type = LT_PATCH_EMBED,
            .nparams = 3,
            .params =
                {
                    [PE_PATCH] = INT_P("patch", 16, 1, MAX_KERNEL, "square patch size"),
                    [PE_DIM] = INT_P("dim", 768, 1, MAX_CHANNELS, "embedding width"),
                    [PE_CLASS] = BOOL_P("class_token", 1, "prepend a learned class token"),
                },
            .summary = "ViT patch embedding [C,H,W] -> [tokens,dim] with class token and "
                       "position embedding",
        },
    [LT_ENCODER] =
        {
            .name = "encoder",
            .type = LT_ENCODER,
            .nparams = 2,
            .params =
                {
                    [ENC_HEADS] = INT_P("heads", 12, 1, 4096, "attention heads (divide dim)"),
                    [ENC_MLP] = INT_P("mlp_dim", 3072, 1, 4 * MAX_CHANNELS, "MLP hidden width"),
                },
            .summary = "transformer encoder block: layer norm, self-attention, layer norm, MLP",
        },
    [LT_DECODER] =
        {
            .name = "decoder",
            .type = LT_DECODER,
            .nparams = 2,
            .params =
                {
                    [DEC_HEADS] = INT_P("heads", 12, 1, 4096, "attention heads (divide dim)"),
                    [DEC_MLP] = INT_P("mlp_dim", 0, 0,
                                      4 * MAX_CHANNELS, "MLP hidden width (0: 4*dim)"),
                },
            .summary = "decoder-only LLM block: layer norm, causal self-attention, layer norm, MLP",
        },
    [LT_LAYERNORM] =
        {
            .name = "layernorm",
            .type = LT_LAYERNORM,
            .nparams = 0,
            .summary = "layer norm over the last dimension (scale and shift)",
        },
    [LT_TOKEN_EMBED] =
        {
            .name = "token_embed",
            .type = LT_TOKEN_EMBED,
            .nparams = 3,
            .params =
                {
                    [TOK_VOCAB] = INT_P("vocab", REQ, 1, MAX_VOCAB, "vocabulary size"),
                    [TOK_DIM] = INT_P("dim", REQ, 1, MAX_CHANNELS, "embedding width"),
                    [TOK_POSITIONS] =
                        INT_P("positions", REQ, 1, MAX_POSITIONS, "longest sequence (context)"),
                },
            .summary = "token + position embedding [tokens] -> [tokens,dim]",
        },
    [LT_CLS_SELECT] =
        {
            .name = "cls_select",
            .type = LT_CLS_SELECT,
            .nparams = 0,
            .summary = "keeps the class token: [tokens,dim] -> [dim]",
        },
    [LT_LM_HEAD] =
        {
            .name = "lm_head",
            .type = LT_LM_HEAD,
            .nparams = 3,
            .params =
                {
                    [LM_VOCAB] = INT_P("vocab", REQ, 1, MAX_VOCAB, "vocabulary size"),
                    [LM_TIED] = BOOL_P("tied", 1,
                                       "weights shared with the token embedding's matrix"),
                    [LM_ALL_TOKENS] = BOOL_P("all_tokens", 0,
                                             "logits of every token (false: of the last token "
                                             "only, as generation needs)"),
                },
            .summary = "projection to the vocabulary [tokens,dim] -> [vocab] (the last token; "
                       "[tokens,vocab] with all_tokens), no bias",
        },
};

const nn_layer_type_desc *layer_type_find(const char *name)
{
    if (!name) return NULL;
    for (int t = 0; t < LT_TYPE_COUNT; t++)
        if (strcmp(layer_types[t].name, name) == 0) return &layer_types[t];
    return NULL;
}

const nn_layer_type_desc *layer_type_get(nn_layer_type type)
{
    if ((int)type < 0 || type >= LT_TYPE_COUNT) return NULL;
    return &layer_types[type];
}

int layer_param_index(const nn_layer_type_desc *desc, const char *key)
{
    if (!desc || !key) return -1;
    for (int i = 0; i < desc->nparams; i++)
        if (strcmp(desc->params[i].key, key) == 0) return i;
    return -1;
}

int layer_set_param(nn_layer *layer, const char *key, long value)
{
    int i = layer_param_index(layer_type_get(layer->type), key);
    if (i < 0) return -1;
    layer->param[i] = value;
    layer->param_given |= 1u << i;
    return 0;
}

/* ---- inference ---------------------------------------------------------- */

/* What one layer derives; bytes are applied by the caller. */
typedef struct infer_out {
    nn_shape shape;
    double macs, params;
} infer_out;

/* The state one layer's inference sees. */
typedef struct infer_ctx {
    const nn_network *net;
    int index;                   /* the layer */
    const nn_layer_type_desc *d; /* its type */
    const nn_shape *in;
    char *why;
    size_t why_size;
} infer_ctx;

__attribute__((format(printf, 2, 3))) static int fail(const infer_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->why, c->why_size, fmt, ap);
    va_end(ap);
    return -1;
}

static long par(const infer_ctx *c, int i)
{
    return c->net->layers[c->index].param[i];
}

static double elements(const nn_shape *s)
{
    double n = 1;
    for (int i = 0; i < s->ndim; i++)
        n *= (double)s->dim[i];
    return n;
}

static nn_shape shape_of(int ndim, long a, long b, long c)
{
    nn_shape s = {.ndim = ndim, .dim = {a, b, c, 0}};
    return s;
}

static int expect_rank(const infer_ctx *c, int lo, int hi, const char *what)
{
    if (c->in->ndim >= lo && c->in->ndim <= hi) return 0;
    char got[96];
    shape_format(c->in, got, sizeof got);
    return fail(c, "%s expects a %s input, got %s", c->d->name, what, got);
}

/* Output size of a convolution or pool along one axis (torchvision/PyTorch). */
static long window_out(long in, long k, long s, long p, bool ceil_mode)
{
    long span = in + 2 * p - k;
    long out = (ceil_mode ? (span + s - 1) / s : span / s) + 1;
    /* PyTorch: the last window must start inside the input or left padding. */
    if (ceil_mode && (out - 1) * s >= in + p) out--;
    return out;
}

/* A square window of `k` (convolution or pool) must fit the input padded by
 * `p` on each side. */
static int check_window(const infer_ctx *c, long h, long w, long k, long p)
{
    long room = (h < w ? h : w) + 2 * p;
    if (k <= room) return 0;
    return fail(c, "kernel: %ld exceeds the padded input %ldx%ld (padding %ld); accepted: 1..%ld",
                k, h + 2 * p, w + 2 * p, p, room);
}

/* A convolution's MACs and parameters; `hw` is the output's H*W. */
static void conv_cost(infer_out *o, long cin, long cout, long k, long groups, double hw, bool bias,
                      bool bn)
{
    double per_out = (double)(cin / groups) * (double)k * (double)k;
    o->macs += hw * (double)cout * per_out;
    o->params += (double)cout * per_out + (bias ? (double)cout : 0) + (bn ? 2.0 * (double)cout : 0);
}

static int infer_conv2d(const infer_ctx *c, infer_out *o)
{
    if (expect_rank(c, 3, 3, "[C, H, W]")) return -1;
    long cin = c->in->dim[0], h = c->in->dim[1], w = c->in->dim[2];
    long cout = par(c, CONV_OUT), k = par(c, CONV_KERNEL), s = par(c, CONV_STRIDE);
    long p = par(c, CONV_PADDING), g = par(c, CONV_GROUPS);
    if (check_window(c, h, w, k, p)) return -1;
    if (cin % g != 0 || cout % g != 0)
        return fail(c,
                    "groups: %ld does not divide in_channels %ld and out_channels %ld; accepted: a "
                    "common divisor of both",
                    g, cin, cout);
    long oh = window_out(h, k, s, p, false), ow = window_out(w, k, s, p, false);
    o->shape = shape_of(3, cout, oh, ow);
    conv_cost(o, cin, cout, k, g, (double)oh * (double)ow, par(c, CONV_BIAS) != 0,
              par(c, CONV_BN) != 0);
    return 0;
}

static int infer_pool(const infer_ctx *c, infer_out *o)
{
    if (expect_rank(c, 3, 3, "[C, H, W]")) return -1;
    long ch = c->in->dim[0], h = c->in->dim[1], w = c->in->dim[2];
    long k = par(c, POOL_KERNEL), s = par(c, POOL_STRIDE), p = par(c, POOL_PADDING);
    bool ceil_mode = par(c, POOL_CEIL) != 0;
    if (s == 0) s = k;
    if (2 * p > k)
        return fail(c, "padding: %ld is more than half the kernel %ld; accepted: 0..%ld", p, k,
                    k / 2);
    if (check_window(c, h, w, k, p)) return -1;
    o->shape =
        shape_of(3, ch, window_out(h, k, s, p, ceil_mode), window_out(w, k, s, p, ceil_mode));
    return 0;
}

static int infer_adaptive_avgpool(const infer_ctx *c, infer_out *o)
{
    if (expect_rank(c, 3, 3, "[C, H, W]")) return -1;
    long size = par(c, AAP_SIZE);
    o->shape = shape_of(3, c->in->dim[0], size, size);
    return 0;
}

static int infer_flatten(const infer_ctx *c, infer_out *o)
{
    if (expect_rank(c, 1, 4, "shaped")) return -1;
    double n = elements(c->in);
    if (n > 9.0e15) return fail(c, "flatten: %.0f elements are too many for one dimension", n);
    o->shape = shape_of(1, (long)n, 0, 0);
    return 0;
}

/* A linear map on the last dimension; leading dimensions are rows (tokens). */
static void linear_cost(infer_out *o, double rows, long in, long out, bool bias)
{
    o->macs += rows * (double)in * (double)out;
    o->params += (double)in * (double)out + (bias ? (double)out : 0);
}

static int infer_linear(const infer_ctx *c, infer_out *o)
{
    if (expect_rank(c, 1, 4, "shaped")) return -1;
    int last = c->in->ndim - 1;
    long in = c->in->dim[last], out = par(c, LIN_OUT);
    o->shape = *c->in;
    o->shape.dim[last] = out;
    linear_cost(o, elements(c->in) / (double)in, in, out, par(c, LIN_BIAS) != 0);
    return 0;
}

/* torchvision BasicBlock: conv3x3(stride)+BN, conv3x3+BN; a 1x1 conv + BN
 * downsample on the shortcut when the stride or the channel count changes. */
static int infer_basic(const infer_ctx *c, infer_out *o)
{
    if (expect_rank(c, 3, 3, "[C, H, W]")) return -1;
    long cin = c->in->dim[0], h = c->in->dim[1], w = c->in->dim[2];
    long cout = par(c, BASIC_OUT), s = par(c, BASIC_STRIDE);
    long oh = window_out(h, 3, s, 1, false), ow = window_out(w, 3, s, 1, false);
    double hw = (double)oh * (double)ow;
    conv_cost(o, cin, cout, 3, 1, hw, false, true);
    conv_cost(o, cout, cout, 3, 1, hw, false, true);
    if (s != 1 || cin != cout) conv_cost(o, cin, cout, 1, 1, hw, false, true);
    o->shape = shape_of(3, cout, oh, ow);
    return 0;
}

/* torchvision Bottleneck (v1.5: the stride sits on the 3x3 conv). */
static int infer_bottleneck(const infer_ctx *c, infer_out *o)
{
    if (expect_rank(c, 3, 3, "[C, H, W]")) return -1;
    long cin = c->in->dim[0], h = c->in->dim[1], w = c->in->dim[2];
    long planes = par(c, BOT_PLANES), s = par(c, BOT_STRIDE);
    long cout = planes * par(c, BOT_EXPANSION);
    long oh = window_out(h, 3, s, 1, false), ow = window_out(w, 3, s, 1, false);
    double hw = (double)oh * (double)ow;
    conv_cost(o, cin, planes, 1, 1, (double)h * (double)w, false, true);
    conv_cost(o, planes, planes, 3, 1, hw, false, true);
    conv_cost(o, planes, cout, 1, 1, hw, false, true);
    if (s != 1 || cin != cout) conv_cost(o, cin, cout, 1, 1, hw, false, true);
    o->shape = shape_of(3, cout, oh, ow);
    return 0;
}

/* torchvision InvertedResidual: no expand conv when expand_ratio is 1; the
 * residual addition is free, so it does not change the counts. */
static int infer_inverted_residual(const infer_ctx *c, infer_out *o)
{
    if (expect_rank(c, 3, 3, "[C, H, W]")) return -1;
    long cin = c->in->dim[0], h = c->in->dim[1], w = c->in->dim[2];
    long cout = par(c, IR_OUT), s = par(c, IR_STRIDE), t = par(c, IR_EXPAND);
    long hidden = cin * t;
    long oh = window_out(h, 3, s, 1, false), ow = window_out(w, 3, s, 1, false);
    double hw = (double)oh * (double)ow;
    if (t != 1) conv_cost(o, cin, hidden, 1, 1, (double)h * (double)w, false, true);
    conv_cost(o, hidden, hidden, 3, hidden, hw, false, true);
    conv_cost(o, hidden, cout, 1, 1, hw, false, true);
    o->shape = shape_of(3, cout, oh, ow);
    return 0;
}

/* torchvision VisionTransformer: conv_proj (patch x patch, stride patch, with
 * bias), the class token and the position embedding of every token. */
static int infer_patch_embed(const infer_ctx *c, infer_out *o)
{
    if (expect_rank(c, 3, 3, "[C, H, W]")) return -1;
    long cin = c->in->dim[0], h = c->in->dim[1], w = c->in->dim[2];
    long patch = par(c, PE_PATCH), dim = par(c, PE_DIM);
    bool cls = par(c, PE_CLASS) != 0;
    if (h % patch != 0 || w % patch != 0)
        return fail(c, "patch: %ld does not divide the image %ldx%ld; accepted: a divisor of both",
                    patch, h, w);
    double patches = (double)(h / patch) * (double)(w / patch);
    long tokens = (h / patch) * (w / patch) + (cls ? 1 : 0);
    conv_cost(o, cin, dim, patch, 1, patches, true, false);
    o->params += (cls ? (double)dim : 0) + (double)tokens * (double)dim;
    o->shape = shape_of(2, tokens, dim, 0);
    return 0;
}

/* Attention over n tokens of width dim: QKV and output projections with bias,
 * plus the QK^T and AV matmuls (n*n*dim MACs each, over all heads). */
static void attention_cost(infer_out *o, long n, long dim)
{
    linear_cost(o, (double)n, dim, 3 * dim, true);
    o->macs += 2.0 * (double)n * (double)n * (double)dim;
    linear_cost(o, (double)n, dim, dim, true);
}

/* Pre-norm transformer block: LN, attention, LN, MLP (two linears with bias). */
static int transformer_block(const infer_ctx *c, infer_out *o, long heads, long mlp)
{
    if (expect_rank(c, 2, 2, "[tokens, dim]")) return -1;
    long n = c->in->dim[0], dim = c->in->dim[1];
    if (dim % heads != 0)
        return fail(c, "heads: %ld does not divide dim %ld; accepted: a divisor of %ld", heads, dim,
                    dim);
    o->params += 2.0 * 2.0 * (double)dim; /* two layer norms */
    attention_cost(o, n, dim);
    linear_cost(o, (double)n, dim, mlp, true);
    linear_cost(o, (double)n, mlp, dim, true);
    o->shape = *c->in;
    return 0;
}

static int infer_encoder(const infer_ctx *c, infer_out *o)
{
    return transformer_block(c, o, par(c, ENC_HEADS), par(c, ENC_MLP));
}

/* GPT-2 computes the full QK^T and AV products and masks the upper triangle,
 * so a causal block costs the same MACs as an encoder block. */
static int infer_decoder(const infer_ctx *c, infer_out *o)
{
    long mlp = par(c, DEC_MLP);
    if (mlp == 0 && c->in->ndim == 2) mlp = 4 * c->in->dim[1];
    return transformer_block(c, o, par(c, DEC_HEADS), mlp);
}

static int infer_layernorm(const infer_ctx *c, infer_out *o)
{
    if (expect_rank(c, 1, 4, "shaped")) return -1;
    o->params = 2.0 * (double)c->in->dim[c->in->ndim - 1];
    o->shape = *c->in;
    return 0;
}

static int infer_token_embed(const infer_ctx *c, infer_out *o)
{
    if (expect_rank(c, 1, 1, "1-D [tokens] (token ids)")) return -1;
    long n = c->in->dim[0];
    long vocab = par(c, TOK_VOCAB), dim = par(c, TOK_DIM), pos = par(c, TOK_POSITIONS);
    if (pos < n)
        return fail(c, "positions: %ld is fewer than the %ld input tokens; accepted: %ld..%ld", pos,
                    n, n, MAX_POSITIONS);
    o->params = ((double)vocab + (double)pos) * (double)dim;
    o->shape = shape_of(2, n, dim, 0);
    return 0;
}

static int infer_cls_select(const infer_ctx *c, infer_out *o)
{
    if (expect_rank(c, 2, 2, "[tokens, dim]")) return -1;
    o->shape = shape_of(1, c->in->dim[1], 0, 0);
    return 0;
}

/* The earlier token_embed a tied head of `vocab` x `dim` shares its matrix
 * with (the first such), or -1. */
static int tied_embedding(const nn_network *net, int index, long vocab, long dim)
{
    for (int i = 0; i < index; i++) {
        const nn_layer *e = &net->layers[i];
        if (e->type == LT_TOKEN_EMBED && e->param[TOK_VOCAB] == vocab && e->param[TOK_DIM] == dim)
            return i;
    }
    return -1;
}

/* A tied head reuses the token embedding matrix: no parameters of its own
 * (network_infer makes the matrix a shared tensor of both), which only
 * makes sense when such an embedding exists earlier. By default the head
 * projects the last token only, as generation does. */
static int infer_lm_head(const infer_ctx *c, infer_out *o)
{
    if (expect_rank(c, 1, 2, "[tokens, dim]")) return -1;
    int last = c->in->ndim - 1;
    long dim = c->in->dim[last], vocab = par(c, LM_VOCAB);
    bool tied = par(c, LM_TIED) != 0;
    if (tied && tied_embedding(c->net, c->index, vocab, dim) < 0)
        return fail(c,
                    "tied: no earlier token_embed with vocab %ld and dim %ld to share weights "
                    "with; accepted: false, or such a token_embed before this layer",
                    vocab, dim);
    bool all = par(c, LM_ALL_TOKENS) != 0 || c->in->ndim == 1;
    double rows = all ? elements(c->in) / (double)dim : 1;
    linear_cost(o, rows, dim, vocab, false);
    if (tied) o->params = 0;
    if (all) {
        o->shape = *c->in;
        o->shape.dim[last] = vocab;
    } else {
        o->shape = shape_of(1, vocab, 0, 0);
    }
    return 0;
}

/* Makes the matrix of each tied head's embedding a derived shared tensor
 * "<embedding>.wte" that both use: a device that runs either loads and
 * stores it once. The embedding keeps only its position table. */
static int derive_tied(nn_network *net, double bpe, int *bad_layer, char *why, size_t why_size)
{
    for (int i = 0; i < net->nlayers; i++) {
        nn_layer *h = &net->layers[i];
        *bad_layer = i;
        if (h->type != LT_LM_HEAD || !h->param[LM_TIED]) continue;
        long vocab = h->param[LM_VOCAB], dim = h->in_shape.dim[h->in_shape.ndim - 1];
        int e = tied_embedding(net, i, vocab, dim);
        if (e < 0) continue; /* infer_lm_head has refused it */
        nn_layer *emb = &net->layers[e];
        char name[NN_NAME_LEN + 8];
        snprintf(name, sizeof name, "%s.wte", emb->name);
        int t = network_find_shared(net, name);
        if (t < 0) {
            nn_shared s = {.params = (double)vocab * (double)dim, .derived = true};
            s.bytes = s.params * bpe;
            str_copy(s.name, sizeof s.name, name);
            t = network_push_shared(net, &s);
            if (t < 0 || layer_add_derived_use(emb, t) != 0) {
                snprintf(why, why_size,
                         "tied: cannot share '%s' (a shared tensor of that name "
                         "exists already, or out of memory)",
                         name);
                return -1;
            }
            emb->params -= s.params;
            emb->weight_bytes = emb->params * bpe;
        }
        if (!net->shared[t].derived) {
            snprintf(why, why_size,
                     "tied: the shared tensor '%s' is declared by the network; rename it", name);
            return -1;
        }
        if (layer_add_derived_use(h, t) != 0) {
            snprintf(why, why_size, "tied: out of memory");
            return -1;
        }
    }
    *bad_layer = -1;
    return 0;
}

typedef int (*infer_fn)(const infer_ctx *c, infer_out *o);

static const infer_fn infer_table[LT_TYPE_COUNT] = {
    [LT_CONV2D] = infer_conv2d,
    [LT_MAXPOOL] = infer_pool,
    [LT_AVGPOOL] = infer_pool,
    [LT_ADAPTIVE_AVGPOOL] = infer_adaptive_avgpool,
    [LT_FLATTEN] = infer_flatten,
    [LT_LINEAR] = infer_linear,
    [LT_BASIC] = infer_basic,
    [LT_BOTTLENECK] = infer_bottleneck,
    [LT_INVERTED_RESIDUAL] = infer_inverted_residual,
    [LT_PATCH_EMBED] = infer_patch_embed,
    [LT_ENCODER] = infer_encoder,
    [LT_DECODER] = infer_decoder,
    [LT_LAYERNORM] = infer_layernorm,
    [LT_TOKEN_EMBED] = infer_token_embed,
    [LT_CLS_SELECT] = infer_cls_select,
    [LT_LM_HEAD] = infer_lm_head,
};

static bool bad_number(double v)
{
    return !isfinite(v) || v < 0;
}

static int check_shape(const nn_shape *s, const char *what, char *why, size_t why_size)
{
    if (s->ndim < 0 || s->ndim > 4) {
        snprintf(why, why_size, "%s: %d dimensions; accepted: 1..4", what, s->ndim);
        return -1;
    }
    for (int i = 0; i < s->ndim; i++)
        if (s->dim[i] < 1) {
            snprintf(why, why_size, "%s: dimension %d is %ld; accepted: >= 1", what, i + 1,
                     s->dim[i]);
            return -1;
        }
    return 0;
}

static int infer_raw(nn_layer *l, double bpe, char *why, size_t why_size)
{
    if (bad_number(l->raw_flops) || bad_number(l->raw_weights) || bad_number(l->raw_output)) {
        const char *key = bad_number(l->raw_flops)     ? "flops"
                          : bad_number(l->raw_weights) ? "weights"
                                                       : "output";
        snprintf(why, why_size, "%s: must be a finite number >= 0", key);
        return -1;
    }
    if (check_shape(&l->raw_shape, "shape", why, why_size)) return -1;
    l->out_shape = l->raw_shape;
    l->macs = l->raw_flops / 2;
    l->flops = l->raw_flops;
    l->weight_bytes = l->raw_weights;
    l->params = l->raw_weights / bpe;
    /* With a shape and no size, the size follows from the shape. */
    l->output_bytes = (l->raw_output == 0 && l->raw_shape.ndim > 0) ? elements(&l->raw_shape) * bpe
                                                                    : l->raw_output;
    return 0;
}

int network_infer(nn_network *net, int *bad_layer, char *why, size_t why_size)
{
    char scratch[8];
    int bad_dummy;
    if (!bad_layer) bad_layer = &bad_dummy;
    if (!why || why_size == 0) {
        why = scratch;
        why_size = sizeof scratch;
    }
    *bad_layer = -1;
    why[0] = '\0';
    if ((int)net->dtype < 0 || net->dtype >= DTYPE_COUNT) {
        snprintf(why, why_size, "dtype: unknown; accepted: fp32, fp16, int8");
        return -1;
    }
    double bpe = dtype_bytes(net->dtype);
    if (check_shape(&net->input_shape, "input shape", why, why_size)) return -1;
    if (net->input_shape.ndim > 0) {
        net->input_bytes = elements(&net->input_shape) * bpe;
    } else if (bad_number(net->input_bytes)) {
        snprintf(why, why_size, "input: size must be a finite number >= 0 bytes");
        return -1;
    }
    if (!ranges_check(RANGE_BYTES, "input", net->input_bytes, why, why_size)) return -1;

    network_strip_derived(net);
    for (int i = 0; i < net->nshared; i++) {
        nn_shared *t = &net->shared[i];
        char key[NN_NAME_LEN + 32];
        snprintf(key, sizeof key, "shared tensor '%s': bytes", t->name);
        if (!ranges_check(RANGE_BYTES, key, t->bytes, why, why_size)) return -1;
        t->params = t->bytes / bpe;
    }
    for (int i = 0; i < net->nlayers; i++)
        for (int u = 0; u < net->layers[i].nuses; u++)
            if (net->layers[i].uses[u] < 0 || net->layers[i].uses[u] >= net->nshared) {
                *bad_layer = i;
                snprintf(why, why_size, "uses: shared tensor %d does not exist",
                         net->layers[i].uses[u]);
                return -1;
            }

    net->macs = net->flops = net->params = net->weight_bytes = 0;
    nn_shape cur = net->input_shape;
    for (int i = 0; i < net->nlayers; i++) {
        nn_layer *l = &net->layers[i];
        *bad_layer = i;
        const nn_layer_type_desc *d = layer_type_get(l->type);
        if (!d) {
            snprintf(why, why_size, "type: unknown layer type %d", (int)l->type);
            return -1;
        }
        l->in_shape = cur;
        if (l->type == LT_RAW) {
            if (infer_raw(l, bpe, why, why_size)) return -1;
        } else {
            if (cur.ndim == 0) {
                if (i == 0)
                    snprintf(why, why_size,
                             "%s needs an input shape, but the network input is given as a size; "
                             "give the input as {shape: [...]}",
                             d->name);
                else
                    snprintf(why, why_size,
                             "%s needs an input shape, but layer '%s' before it is raw without "
                             "`shape`; give that layer a shape",
                             d->name, net->layers[i - 1].name);
                return -1;
            }
            for (int p = 0; p < d->nparams; p++) {
                const nn_param_desc *pd = &d->params[p];
                long v = l->param[p];
                if (v == LAYER_PARAM_REQUIRED) {
                    snprintf(why, why_size, "%s: required by %s; accepted: %ld..%ld", pd->key,
                             d->name, pd->min, pd->max);
                    return -1;
                }
                if (v < pd->min || v > pd->max) {
                    if (pd->kind == PARAM_BOOL)
                        snprintf(why, why_size, "%s: %ld is not a boolean; accepted: true, false",
                                 pd->key, v);
                    else
                        snprintf(why, why_size, "%s: %ld is out of range; accepted: %ld..%ld",
                                 pd->key, v, pd->min, pd->max);
                    return -1;
                }
            }
            infer_ctx c = {
                .net = net, .index = i, .d = d, .in = &cur, .why = why, .why_size = why_size};
            infer_out o = {.macs = 0};
            if (infer_table[l->type](&c, &o)) return -1;
            for (int k = 0; k < o.shape.ndim; k++)
                if (o.shape.dim[k] < 1) {
                    char got[96];
                    shape_format(&o.shape, got, sizeof got);
                    snprintf(why, why_size, "output shape %s has an empty dimension", got);
                    return -1;
                }
            l->out_shape = o.shape;
            l->macs = o.macs;
            l->flops = 2 * o.macs;
            l->params = o.params;
            l->weight_bytes = o.params * bpe;
            l->output_bytes = elements(&o.shape) * bpe;
        }
        /* Shapes multiply: a layer's derived numbers are judged like typed ones. */
        if (!ranges_check(RANGE_FLOPS, "flops", l->flops, why, why_size) ||
            !ranges_check(RANGE_BYTES, "weights", l->weight_bytes, why, why_size) ||
            !ranges_check(RANGE_BYTES, "output", l->output_bytes, why, why_size))
            return -1;
        cur = l->out_shape;
    }
    *bad_layer = -1;
    if (derive_tied(net, bpe, bad_layer, why, why_size) != 0) return -1;
    for (int i = 0; i < net->nlayers; i++) {
        const nn_layer *l = &net->layers[i];
        net->macs += l->macs;
        net->flops += l->flops;
        net->params += l->params;
        net->weight_bytes += l->weight_bytes;
    }
    for (int i = 0; i < net->nshared; i++) {
        net->params += net->shared[i].params;
        net->weight_bytes += net->shared[i].bytes;
    }
    return 0;
}
