/* A network: layers executed in order, each described either by raw numbers
 * (flops, weights, output) or by a type and its shape parameters, from which
 * network_infer() derives shapes, MACs, FLOPs, parameters and byte sizes. */
#ifndef NNPART_NETWORK_H
#define NNPART_NETWORK_H

#include "common.h"

typedef enum nn_dtype { DTYPE_FP32, DTYPE_FP16, DTYPE_INT8, DTYPE_COUNT } nn_dtype;

typedef enum nn_layer_type {
    LT_RAW, /* flops / weights / output given directly */
    LT_CONV2D,
    LT_MAXPOOL,
    LT_AVGPOOL,
    LT_ADAPTIVE_AVGPOOL,
    LT_FLATTEN,
    LT_LINEAR,
    LT_BASIC,             /* ResNet basic block (downsample when needed) */
    LT_BOTTLENECK,        /* ResNet bottleneck block (downsample when needed) */
    LT_INVERTED_RESIDUAL, /* MobileNetV2 block */
    LT_PATCH_EMBED,       /* ViT patch embedding + class token + position embedding */
    LT_ENCODER,           /* transformer encoder block (pre-norm attention + MLP) */
    LT_DECODER,           /* decoder-only LLM block (causal attention + MLP) */
    LT_LAYERNORM,
    LT_TOKEN_EMBED, /* token + position embedding (GPT-2 wte + wpe) */
    LT_CLS_SELECT,  /* keep the class token: [tokens, dim] -> [dim] */
    LT_LM_HEAD,     /* final projection to the vocabulary (may be tied) */
    LT_TYPE_COUNT
} nn_layer_type;

typedef enum nn_param_kind { PARAM_INT, PARAM_BOOL } nn_param_kind;

#define LAYER_MAX_PARAMS 8
#define LAYER_PARAM_REQUIRED (-999999999L)

typedef struct nn_param_desc {
    const char *key;    /* YAML key, e.g. "out_channels" */
    nn_param_kind kind; /* PARAM_BOOL accepts true/false */
    long def;           /* default, or LAYER_PARAM_REQUIRED */
    long min, max;      /* accepted range, inclusive */
    const char *help;
} nn_param_desc;

typedef struct nn_layer_type_desc {
    const char *name; /* YAML `type:` value, e.g. "conv2d"; "raw" for LT_RAW */
    nn_layer_type type;
    int nparams;
    nn_param_desc params[LAYER_MAX_PARAMS];
    const char *summary;
} nn_layer_type_desc;

/* The catalogue of layer types (one table, used by the loader, the saver,
 * the docs and `nnpart zoo`). */
const nn_layer_type_desc *layer_type_find(const char *name); /* NULL if unknown */
const nn_layer_type_desc *layer_type_get(nn_layer_type type);
/* Index of `key` in the type's params, or -1. */
int layer_param_index(const nn_layer_type_desc *desc, const char *key);

/* Up to 4 dimensions, channels first without batch: [C, H, W], [tokens, dim],
 * [features]. ndim == 0 means unknown. */
typedef struct nn_shape {
    int ndim;
    long dim[4];
} nn_shape;

typedef struct nn_profile {
    char device[NN_NAME_LEN];
    double seconds; /* measured compute time on that device */
    bool from_file; /* read from the scenario's `profiles:` CSV, saved there, not inline */
} nn_profile;

typedef struct nn_layer {
    char name[NN_NAME_LEN];
    nn_layer_type type;
    long param[LAYER_MAX_PARAMS];              /* in the order of the type's params */
    unsigned param_given;                      /* bit i: param i was written by the user */
    double raw_flops, raw_weights, raw_output; /* LT_RAW only */
    nn_shape raw_shape;                        /* LT_RAW only, optional output shape */
    int nprofiles;
    nn_profile *profiles;
    /* Shared tensors this layer needs besides its own weights: indices into
     * the network's `shared`. The first `nuses_given` were written by the
     * user (and are saved); the rest are derived by network_infer(). */
    int nuses, nuses_given;
    int *uses;

    /* Derived by network_infer(). */
    nn_shape in_shape, out_shape;
    double macs, flops, params, weight_bytes, output_bytes;
} nn_layer;

/* A weight tensor that several layers use (a tied embedding and head, an
 * initializer read by two units). A device that runs any of them loads and
 * stores it once. */
typedef struct nn_shared {
    char name[NN_NAME_LEN];
    double bytes;
    double params; /* bytes / dtype bytes, or the derived count */
    bool derived;  /* made by network_infer() (a tied head's embedding); not saved */
} nn_shared;

typedef struct nn_network {
    char name[NN_NAME_LEN];
    char zoo[NN_NAME_LEN]; /* non-empty: came from the zoo; saved by this name */
    /* Non-empty: imported from this ONNX file, the path as the scenario wrote
     * it (relative to the scenario file), and saved so; the granularity as
     * written ("" for auto). */
    char onnx[256];
    char onnx_granularity[16];
    nn_dtype dtype;
    nn_shape input_shape; /* ndim 0: the input was given as a size */
    double input_bytes;   /* derived from the shape when there is one */
    int nlayers;
    nn_layer *layers;
    int nshared; /* the user's tensors first, then the derived ones */
    nn_shared *shared;

    /* Totals derived by network_infer(); weight_bytes and params count each
     * shared tensor once. */
    double macs, flops, params, weight_bytes;
} nn_network;

/* Lifetime. A zeroed nn_network is empty and valid. */
void network_free(nn_network *net);
int network_copy(nn_network *dst, const nn_network *src); /* dst is overwritten */
/* Appends a zeroed layer of `type` with the type's defaults filled in. */
nn_layer *network_add_layer(nn_network *net, const char *name, nn_layer_type type);
int network_find_layer(const nn_network *net, const char *name); /* index or -1 */
int layer_add_profile(nn_layer *layer, const char *device, double seconds);
/* Declares a shared tensor of `bytes` (the user's kind); returns its index,
 * or -1 (duplicate name, out of memory). Drops derived tensors first;
 * network_infer() derives them again. */
int network_add_shared(nn_network *net, const char *name, double bytes);
int network_find_shared(const nn_network *net, const char *name); /* index or -1 */
/* Adds shared tensor `index` to the layer's given uses; -1 if already there
 * or out of memory. */
int layer_add_use(nn_layer *layer, int index);
/* For network_infer(): drops the derived tensors and uses; appends a
 * derived tensor (index or -1) or use (0 or -1). */
void network_strip_derived(nn_network *net);
int network_push_shared(nn_network *net, const nn_shared *t);
int layer_add_derived_use(nn_layer *layer, int index);
/* Sets the parameter `key` of the layer's type and marks it as given by the
 * user (so it is saved); -1 when the type has no such parameter. */
int layer_set_param(nn_layer *layer, const char *key, long value);

/* Derives every layer's shapes, MACs, FLOPs (2 per MAC), parameters, weight
 * and output bytes, and the network totals. On failure returns -1, sets
 * *bad_layer (-1 when the input itself is at fault) and a one-line reason. */
int network_infer(nn_network *net, int *bad_layer, char *why, size_t why_size);

int dtype_bytes(nn_dtype dt);
const char *dtype_name(nn_dtype dt);
int dtype_parse(const char *name, nn_dtype *out);
/* "[64, 55, 55]" */
void shape_format(const nn_shape *s, char *buf, size_t size);

/* The built-in networks (torchvision definitions at 224x224, GPT-2 small). */
int zoo_count(void);
const char *zoo_name(int i);
const char *zoo_description(int i);
int zoo_find(const char *name); /* index or -1; case-insensitive, '-' and '_' alike */
/* Builds and infers the network; returns -1 for an unknown name. */
int zoo_build(const char *name, nn_network *out);

#endif
