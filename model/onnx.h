/* ONNX import: a .onnx file (parsed by protobuf-c from Debian's onnx.proto)
 * becomes a chain of placement units. Only the graph, the initializers' dims
 * and data types and value_info are read, never weight bytes, so external-data
 * models and models larger than memory import. Shapes are inferred for every
 * op (constant shape subgraphs are folded), MACs are counted like torchvision
 * (convolutions with groups, Gemm, MatMul incl. attention), and the
 * topological order is cut where few tensors cross. */
#ifndef NNPART_ONNX_H
#define NNPART_ONNX_H

#include "network.h"

typedef enum onnx_gran_kind {
    ONNX_GRAN_AUTO, /* what a person would choose: blocks, modules, conv(+bn+relu) */
    ONNX_GRAN_OPS,  /* every possible cut: one unit per op */
    ONNX_GRAN_MAX,  /* at most `max_units`, merging the cheapest neighbours */
} onnx_gran_kind;

typedef struct onnx_granularity {
    onnx_gran_kind kind;
    int max_units; /* ONNX_GRAN_MAX only */
} onnx_granularity;

/* "auto", "ops" or a positive count; false with the accepted forms in `why`. */
bool onnx_granularity_parse(const char *text, onnx_granularity *out, char *why, size_t why_size);
/* "auto", "ops", "12". */
void onnx_granularity_format(const onnx_granularity *g, char *buf, size_t size);

/* What an import found besides the network. */
typedef struct onnx_summary {
    int opset;         /* of the default domain */
    int nodes;         /* in the graph */
    int runtime_nodes; /* that depend on the input (the others fold to constants) */
    double macs;       /* total, counted once */
} onnx_summary;

/* Imports `path` into `out` (raw layers, one per unit, with shared weight
 * tensors for initializers that several units read) and infers it. On failure
 * returns -1 with a message naming the file and, for a node, its name, op and
 * opset; `*out` is then empty. `summary` may be NULL. */
int onnx_import_file(const char *path, const onnx_granularity *g, nn_network *out,
                     onnx_summary *summary, nn_error *err);
/* The same from memory (the fuzz harness, the tests); `name` is used in
 * messages. */
int onnx_import_buffer(const void *data, size_t len, const char *name, const onnx_granularity *g,
                       nn_network *out, onnx_summary *summary, nn_error *err);

#endif
