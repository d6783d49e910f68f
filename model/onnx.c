/* ONNX import. protobuf-c parses the ModelProto (generated at build time from
 * Debian's onnx.proto); this file sizes every value, folds the constant
 * subgraphs that exporters emit for shapes, counts MACs and cuts the
 * topological order into placement units. */
#include "onnx.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ranges.h"
#include "text.h"
#include "onnx.pb-c.h"

#define OX_MAX_DIMS 8
#define OX_MAX_FOLD 4096 /* elements of a constant worth folding (shapes, axes) */
/* Allocations this large are tensor payloads or very long lists: they come
 * from their own mapping, released as soon as protobuf-c has moved on. */
#define OX_BIG_ALLOC (64 * 1024)

/* ---- the allocator: weight bytes never stay resident --------------------
 * protobuf-c copies every bytes field (raw_data) into memory it allocates and
 * then moves on; nnpart never reads those copies. Each large block gets its
 * own anonymous mapping, and at the next allocation the previous large block
 * is given back to the kernel (MADV_DONTNEED: its pages read as zeros). A
 * list protobuf-c allocates and then fills is filled after that next
 * allocation (every element is allocated first), so lists survive; scalars
 * packed into a large block (float_data of a weight) may read as zeros,
 * which nnpart never looks at: it folds only constants of at most
 * OX_MAX_FOLD elements, far below the threshold. So a 350 MB model costs
 * the file's pages and the graph, not a second copy of the weights. */

typedef struct ox_block {
    size_t size; /* payload bytes; 0 for malloc'd blocks */
    size_t pad;  /* keeps the payload 16-byte aligned */
} ox_block;

typedef struct ox_alloc {
    void *last_big; /* payload of the latest large block, not yet released */
    size_t last_big_size;
} ox_alloc;

static void big_release(ox_alloc *a)
{
    if (!a->last_big) return;
    madvise(a->last_big, a->last_big_size, MADV_DONTNEED);
    a->last_big = NULL;
}

static void *ox_malloc(void *data, size_t size)
{
    ox_alloc *a = data;
    big_release(a);
    if (size >= OX_BIG_ALLOC) {
        size_t page = (size_t)sysconf(_SC_PAGESIZE);
        size_t total = page + ((size + page - 1) / page) * page;
        char *m = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED) return NULL;
        ox_block *h = (ox_block *)(m + page - sizeof *h);
        h->size = total;
        a->last_big = m + page;
        a->last_big_size = total - page;
        return m + page;
    }
    ox_block *h = malloc(sizeof *h + size);
    if (!h) return NULL;
    h->size = 0;
    return h + 1;
}

static void ox_free(void *data, void *p)
{
    ox_alloc *a = data;
    if (!p) return;
    if (p == a->last_big) a->last_big = NULL;
    ox_block *h = (ox_block *)p - 1;
    if (h->size) {
        size_t page = (size_t)sysconf(_SC_PAGESIZE);
        munmap((char *)p - page, h->size);
    } else {
        free(h);
    }
}

/* ---- values and nodes -------------------------------------------------- */

typedef struct ox_value {
    const char *name;
    int dtype; /* ONNX TensorProto.DataType; 0: unknown */
    int ndim;  /* -1: not sized yet */
    int64_t dim[OX_MAX_DIMS];
    double *data; /* folded contents (numel of them), NULL when unknown */
    int producer; /* node index; -1 for graph inputs and initializers */
    bool is_input, is_init, is_static;
    int weight;              /* index into the weight tensors, or -1 */
    int first_pos, last_pos; /* runtime positions producing and last reading it */
    bool is_output;
} ox_value;

typedef struct ox_node {
    const Onnx__NodeProto *p;
    int nin, nout;
    int *in, *out; /* value indices; -1 for an omitted optional input */
    bool runtime;  /* depends on a graph input */
    double macs;
    int pos;                     /* in the runtime order, or -1 */
    char path[NN_NAME_LEN * 2];  /* module path from the node name: "layer1.0.conv1" */
    char block[NN_NAME_LEN * 2]; /* the module a person would place as a unit */
    int *weights;                /* weight tensor indices it reads (through constant ops) */
    int nweights;
} ox_node;

typedef struct ox_weight {
    int value;
    double bytes, params;
    int unit;   /* first unit that reads it */
    int users;  /* units that read it */
    int shared; /* index in the network's shared tensors, or -1 */
} ox_weight;

typedef struct ox {
    const char *file;
    nn_error *err;
    const Onnx__GraphProto *g;
    int opset;
    int nvalues, cap_values;
    ox_value *values;
    int *hash; /* open addressing over value names: value index + 1 */
    size_t hash_cap;
    int nnodes;
    ox_node *nodes;
    int *order; /* topological order of all nodes */
    int nruntime;
    int *runtime; /* node index per runtime position */
    int nweights;
    ox_weight *weights;
} ox;

static int fail(ox *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(ox *x, const char *fmt, ...)
{
    char text[640];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return error_set(x->err, x->file, 0, 0, NULL, "%s", text);
}

static int fail_node(ox *x, const ox_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail_node(ox *x, const ox_node *n, const char *fmt, ...)
{
    char text[512], label[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (n->p->name && n->p->name[0])
        snprintf(label, sizeof label, "'%.120s'", n->p->name);
    else
        snprintf(label, sizeof label, "#%d", (int)(n - x->nodes));
    return fail(x, "node %s (%.40s, opset %d): %s", label, n->p->op_type ? n->p->op_type : "?",
                x->opset, text);
}

static size_t hash_name(const char *s)
{
    size_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int value_find(const ox *x, const char *name)
{
    for (size_t i = hash_name(name) & (x->hash_cap - 1);; i = (i + 1) & (x->hash_cap - 1)) {
        int v = x->hash[i];
        if (v == 0) return -1;
        if (strcmp(x->values[v - 1].name, name) == 0) return v - 1;
    }
}

/* Adds a value; -2 when the name exists already (a second producer). */
static int value_add(ox *x, const char *name)
{
    if (value_find(x, name) >= 0) return -2;
    if (x->nvalues == x->cap_values) return -1; /* sized up front */
    ox_value *v = &x->values[x->nvalues];
    memset(v, 0, sizeof *v);
    v->name = name;
    v->ndim = -1;
    v->producer = -1;
    v->weight = -1;
    v->first_pos = -1;
    v->last_pos = -1;
    size_t i = hash_name(name) & (x->hash_cap - 1);
    while (x->hash[i])
        i = (i + 1) & (x->hash_cap - 1);
    x->hash[i] = ++x->nvalues;
    return x->nvalues - 1;
}

static int elem_bytes(int dtype)
{
    switch (dtype) {
    case ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT:
        return 4;
    case ONNX__TENSOR_PROTO__DATA_TYPE__UINT8:
        return 1;
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT8:
        return 1;
    case ONNX__TENSOR_PROTO__DATA_TYPE__UINT16:
        return 2;
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT16:
        return 2;
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT32:
        return 4;
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT64:
        return 8;
    case ONNX__TENSOR_PROTO__DATA_TYPE__BOOL:
        return 1;
    case ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT16:
        return 2;
    case ONNX__TENSOR_PROTO__DATA_TYPE__DOUBLE:
        return 8;
    case ONNX__TENSOR_PROTO__DATA_TYPE__UINT32:
        return 4;
    case ONNX__TENSOR_PROTO__DATA_TYPE__UINT64:
        return 8;
    case ONNX__TENSOR_PROTO__DATA_TYPE__COMPLEX64:
        return 8;
    case ONNX__TENSOR_PROTO__DATA_TYPE__COMPLEX128:
        return 16;
    case ONNX__TENSOR_PROTO__DATA_TYPE__BFLOAT16:
        return 2;
    default:
        return 0;
    }
}

static bool is_int_type(int dtype)
{
    switch (dtype) {
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT64:
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT32:
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT16:
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT8:
    case ONNX__TENSOR_PROTO__DATA_TYPE__UINT8:
    case ONNX__TENSOR_PROTO__DATA_TYPE__UINT16:
    case ONNX__TENSOR_PROTO__DATA_TYPE__UINT32:
    case ONNX__TENSOR_PROTO__DATA_TYPE__UINT64:
    case ONNX__TENSOR_PROTO__DATA_TYPE__BOOL:
        return true;
    default:
        return false;
    }
}

/* Parameters: floating-point and 8-bit tensors; 16/32/64-bit integers are
 * shapes, axes and indices. */
static bool is_weight_type(int dtype)
{
    return !is_int_type(dtype) || dtype == ONNX__TENSOR_PROTO__DATA_TYPE__INT8 ||
           dtype == ONNX__TENSOR_PROTO__DATA_TYPE__UINT8;
}

static double numel(const ox_value *v)
{
    double n = 1;
    for (int i = 0; i < v->ndim; i++)
        n *= (double)v->dim[i];
    return n;
}

static double value_bytes(const ox_value *v)
{
    return v->ndim < 0 ? 0 : numel(v) * elem_bytes(v->dtype);
}

/* ---- tensor contents (small integer and float constants only) ----------- */

static int read_le(const uint8_t *p, int size, int dtype, double *out)
{
    uint64_t u = 0;
    for (int i = size - 1; i >= 0; i--)
        u = (u << 8) | p[i];
    switch (dtype) {
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT64:
        *out = (double)(int64_t)u;
        return 0;
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT32:
        *out = (double)(int32_t)(uint32_t)u;
        return 0;
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT16:
        *out = (double)(int16_t)(uint16_t)u;
        return 0;
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT8:
        *out = (double)(int8_t)(uint8_t)u;
        return 0;
    case ONNX__TENSOR_PROTO__DATA_TYPE__UINT8:
    case ONNX__TENSOR_PROTO__DATA_TYPE__UINT16:
    case ONNX__TENSOR_PROTO__DATA_TYPE__UINT32:
    case ONNX__TENSOR_PROTO__DATA_TYPE__UINT64:
    case ONNX__TENSOR_PROTO__DATA_TYPE__BOOL:
        *out = (double)u;
        return 0;
    case ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT: {
        uint32_t b = (uint32_t)u;
        float f;
        memcpy(&f, &b, sizeof f);
        *out = f;
        return 0;
    }
    case ONNX__TENSOR_PROTO__DATA_TYPE__DOUBLE: {
        double d;
        memcpy(&d, &u, sizeof d);
        *out = d;
        return 0;
    }
    default:
        return -1;
    }
}

/* The contents of a small tensor stored inline, or NULL (external data,
 * large, strings, half floats). */
static double *tensor_data(const Onnx__TensorProto *t, double n)
{
    if (n > OX_MAX_FOLD || n < 0) return NULL;
    if (t->has_data_location && t->data_location == ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL)
        return NULL;
    size_t count = (size_t)n;
    int size = elem_bytes(t->data_type);
    double *d = calloc(count + 1, sizeof *d);
    if (!d) return NULL;
    bool ok = false;
    if (t->has_raw_data && size > 0 && t->raw_data.len == count * (size_t)size) {
        ok = true;
        for (size_t i = 0; i < count && ok; i++)
            ok = read_le(t->raw_data.data + i * (size_t)size, size, t->data_type, &d[i]) == 0;
    } else if (t->n_int64_data == count && count > 0) {
        for (size_t i = 0; i < count; i++)
            d[i] = (double)t->int64_data[i];
        ok = true;
    } else if (t->n_int32_data == count && count > 0 &&
               t->data_type != ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT16 &&
               t->data_type != ONNX__TENSOR_PROTO__DATA_TYPE__BFLOAT16) {
        for (size_t i = 0; i < count; i++)
            d[i] = t->int32_data[i];
        ok = true;
    } else if (t->n_float_data == count && count > 0) {
        for (size_t i = 0; i < count; i++)
            d[i] = t->float_data[i];
        ok = true;
    } else if (t->n_double_data == count && count > 0) {
        for (size_t i = 0; i < count; i++)
            d[i] = t->double_data[i];
        ok = true;
    } else if (t->n_uint64_data == count && count > 0) {
        for (size_t i = 0; i < count; i++)
            d[i] = (double)t->uint64_data[i];
        ok = true;
    }
    if (!ok) {
        free(d);
        return NULL;
    }
    return d;
}

/* Dims and type of a TensorProto into a value; -1 when malformed. */
static int tensor_shape(const Onnx__TensorProto *t, ox_value *v)
{
    if (t->n_dims > OX_MAX_DIMS) return -1;
    v->ndim = (int)t->n_dims;
    for (size_t i = 0; i < t->n_dims; i++) {
        if (t->dims[i] < 0 || t->dims[i] > ((int64_t)1 << 40)) return -1;
        v->dim[i] = t->dims[i];
    }
    v->dtype = t->data_type;
    if (numel(v) > 1e15) return -1;
    return 0;
}

/* ---- attributes -------------------------------------------------------- */

static const Onnx__AttributeProto *attr(const ox_node *n, const char *name)
{
    for (size_t i = 0; i < n->p->n_attribute; i++) {
        const Onnx__AttributeProto *a = n->p->attribute[i];
        if (a && a->name && strcmp(a->name, name) == 0) return a;
    }
    return NULL;
}

static int64_t attr_int(const ox_node *n, const char *name, int64_t def)
{
    const Onnx__AttributeProto *a = attr(n, name);
    return a && a->has_i ? a->i : def;
}

static const int64_t *attr_ints(const ox_node *n, const char *name, size_t *count)
{
    const Onnx__AttributeProto *a = attr(n, name);
    *count = a ? a->n_ints : 0;
    return a && a->n_ints ? a->ints : NULL;
}

static bool attr_string_is(const ox_node *n, const char *name, const char *want)
{
    const Onnx__AttributeProto *a = attr(n, name);
    if (!a || !a->has_s) return false;
    return a->s.len == strlen(want) && memcmp(a->s.data, want, a->s.len) == 0;
}

/* ---- shape inference ----------------------------------------------------- */

static ox_value *in_val(ox *x, const ox_node *n, int i)
{
    return i < n->nin && n->in[i] >= 0 ? &x->values[n->in[i]] : NULL;
}

static ox_value *out_val(ox *x, const ox_node *n, int i)
{
    return i < n->nout && n->out[i] >= 0 ? &x->values[n->out[i]] : NULL;
}

static void set_shape(ox_value *v, int ndim, const int64_t *dim, int dtype)
{
    v->ndim = ndim;
    for (int i = 0; i < ndim; i++)
        v->dim[i] = dim[i];
    v->dtype = dtype;
}

static void copy_shape(ox_value *dst, const ox_value *src)
{
    set_shape(dst, src->ndim, src->dim, src->dtype);
}

static int norm_axis(int64_t axis, int rank, int *out)
{
    if (axis < 0) axis += rank;
    if (axis < 0 || axis >= rank) return -1;
    *out = (int)axis;
    return 0;
}

static int set_data(ox_value *v, const double *d, double n)
{
    if (n > OX_MAX_FOLD) return 0;
    v->data = malloc(((size_t)n + 1) * sizeof *v->data);
    if (!v->data) return -1;
    memcpy(v->data, d, (size_t)n * sizeof *d);
    return 0;
}

/* An input whose contents are needed to size the output (a Reshape's shape,
 * a Slice's starts): folded, or an error. */
static int need_data(ox *x, const ox_node *n, int i, const char *what, const ox_value **out)
{
    const ox_value *v = in_val(x, n, i);
    if (!v || !v->data)
        return fail_node(x, n,
                         "cannot size the output: its %s (input %d%s%s) is not a constant that "
                         "folds",
                         what, i, v ? ", " : "", v ? v->name : "");
    *out = v;
    return 0;
}

static int broadcast(ox *x, const ox_node *n, const ox_value *a, const ox_value *b, ox_value *o)
{
    int r = a->ndim > b->ndim ? a->ndim : b->ndim;
    int64_t d[OX_MAX_DIMS];
    for (int i = 0; i < r; i++) {
        int ia = i - (r - a->ndim), ib = i - (r - b->ndim);
        int64_t da = ia >= 0 ? a->dim[ia] : 1, db = ib >= 0 ? b->dim[ib] : 1;
        if (da != db && da != 1 && db != 1)
            return fail_node(x, n,
                             "inputs of shapes that do not broadcast (dimension %d: %lld "
                             "and %lld)",
                             i, (long long)da, (long long)db);
        d[i] = da == 1 ? db : da;
    }
    set_shape(o, r, d, o->dtype ? o->dtype : a->dtype);
    return 0;
}

/* Element i of a broadcast input for output index `flat`. */
static double bcast_at(const ox_value *v, const ox_value *o, size_t flat)
{
    size_t idx = 0, stride = 1, rem = flat;
    int64_t coord[OX_MAX_DIMS];
    for (int i = o->ndim - 1; i >= 0; i--) {
        coord[i] = (int64_t)(rem % (size_t)o->dim[i]);
        rem /= (size_t)o->dim[i];
    }
    for (int i = v->ndim - 1; i >= 0; i--) {
        int oi = i + (o->ndim - v->ndim);
        int64_t c = v->dim[i] == 1 ? 0 : coord[oi];
        idx += (size_t)c * stride;
        stride *= (size_t)v->dim[i];
    }
    return v->data[idx];
}

typedef enum {
    BIN_ADD,
    BIN_SUB,
    BIN_MUL,
    BIN_DIV,
    BIN_POW,
    BIN_MAX,
    BIN_MIN,
    BIN_MOD,
    BIN_EQ,
    BIN_LT,
    BIN_GT,
    BIN_LE,
    BIN_GE,
    BIN_AND,
    BIN_OR,
    BIN_NONE
} bin_op;

static double bin_apply(bin_op op, double a, double b, bool ints)
{
    switch (op) {
    case BIN_ADD:
        return a + b;
    case BIN_SUB:
        return a - b;
    case BIN_MUL:
        return a * b;
    case BIN_DIV:
        return ints ? (b != 0 ? trunc(a / b) : 0) : a / b;
    case BIN_POW:
        return pow(a, b);
    case BIN_MAX:
        return a > b ? a : b;
    case BIN_MIN:
        return a < b ? a : b;
    case BIN_MOD:
        return b != 0 ? a - b * floor(a / b) : 0;
    case BIN_EQ:
        return a == b;
    case BIN_LT:
        return a < b;
    case BIN_GT:
        return a > b;
    case BIN_LE:
        return a <= b;
    case BIN_GE:
        return a >= b;
    case BIN_AND:
        return a != 0 && b != 0;
    case BIN_OR:
        return a != 0 || b != 0;
    case BIN_NONE:
        break;
    }
    return 0;
}

static int infer_binary(ox *x, const ox_node *n, bin_op op, bool logical)
{
    ox_value *a = in_val(x, n, 0), *b = in_val(x, n, 1), *o = out_val(x, n, 0);
    if (!a || !b || !o) return fail_node(x, n, "expects two inputs and an output");
    o->dtype = logical ? ONNX__TENSOR_PROTO__DATA_TYPE__BOOL : a->dtype;
    if (broadcast(x, n, a, b, o)) return -1;
    if (a->data && b->data && numel(o) <= OX_MAX_FOLD) {
        size_t cnt = (size_t)numel(o);
        o->data = malloc((cnt + 1) * sizeof *o->data);
        if (!o->data) return fail(x, "out of memory");
        bool ints = is_int_type(a->dtype);
        for (size_t i = 0; i < cnt; i++)
            o->data[i] = bin_apply(op, bcast_at(a, o, i), bcast_at(b, o, i), ints);
    }
    return 0;
}

/* Sum, Max, Min, Mean: variadic broadcast. */
static int infer_variadic(ox *x, const ox_node *n)
{
    ox_value *o = out_val(x, n, 0), acc;
    if (!o || n->nin < 1 || !in_val(x, n, 0)) return fail_node(x, n, "expects inputs");
    acc = *in_val(x, n, 0);
    acc.data = NULL;
    for (int i = 1; i < n->nin; i++) {
        ox_value *b = in_val(x, n, i);
        if (b && broadcast(x, n, &acc, b, &acc)) return -1;
    }
    o->dtype = acc.dtype;
    set_shape(o, acc.ndim, acc.dim, acc.dtype);
    return 0;
}

static int infer_where(ox *x, const ox_node *n)
{
    ox_value *c = in_val(x, n, 0), *a = in_val(x, n, 1), *b = in_val(x, n, 2),
             *o = out_val(x, n, 0);
    if (!c || !a || !b || !o) return fail_node(x, n, "expects three inputs");
    ox_value t = *c;
    t.data = NULL;
    o->dtype = a->dtype;
    if (broadcast(x, n, &t, a, &t) || broadcast(x, n, &t, b, &t)) return -1;
    set_shape(o, t.ndim, t.dim, a->dtype);
    if (c->data && a->data && b->data && numel(o) <= OX_MAX_FOLD) {
        size_t cnt = (size_t)numel(o);
        o->data = malloc((cnt + 1) * sizeof *o->data);
        if (!o->data) return fail(x, "out of memory");
        for (size_t i = 0; i < cnt; i++)
            o->data[i] = bcast_at(c, o, i) != 0 ? bcast_at(a, o, i) : bcast_at(b, o, i);
    }
    return 0;
}

/* Same shape as input 0 (activations, normalisations, casts). */
static int infer_same(ox *x, const ox_node *n, int dtype)
{
    ox_value *a = in_val(x, n, 0), *o = out_val(x, n, 0);
    if (!a || !o) return fail_node(x, n, "expects an input and an output");
    copy_shape(o, a);
    if (dtype) o->dtype = dtype;
    if (a->data && (dtype == 0 || is_int_type(dtype) || !is_int_type(a->dtype))) {
        if (set_data(o, a->data, numel(a))) return fail(x, "out of memory");
        if (o->data && is_int_type(o->dtype))
            for (size_t i = 0; i < (size_t)numel(o); i++)
                o->data[i] = trunc(o->data[i]);
    }
    return 0;
}

static int infer_unary_fold(ox *x, const ox_node *n, double (*f)(double))
{
    if (infer_same(x, n, 0)) return -1;
    ox_value *o = out_val(x, n, 0);
    if (o->data)
        for (size_t i = 0; i < (size_t)numel(o); i++)
            o->data[i] = f(o->data[i]);
    return 0;
}

static double neg(double v)
{
    return -v;
}
static double not_(double v)
{
    return v == 0;
}

/* Convolution and pooling windows: spatial dims from kernel, strides,
 * pads, dilations, auto_pad and ceil_mode. */
static int window(ox *x, const ox_node *n, const ox_value *in, int spatial, const int64_t *kernel,
                  bool ceil_mode, int64_t *out)
{
    size_t ns, np, nd;
    const int64_t *strides = attr_ints(n, "strides", &ns);
    const int64_t *pads = attr_ints(n, "pads", &np);
    const int64_t *dil = attr_ints(n, "dilations", &nd);
    if ((strides && ns != (size_t)spatial) || (pads && np != 2 * (size_t)spatial) ||
        (dil && nd != (size_t)spatial))
        return fail_node(x, n, "strides, pads or dilations do not match %d spatial dimensions",
                         spatial);
    bool same =
        attr_string_is(n, "auto_pad", "SAME_UPPER") || attr_string_is(n, "auto_pad", "SAME_LOWER");
    bool valid = attr_string_is(n, "auto_pad", "VALID");
    for (int i = 0; i < spatial; i++) {
        int64_t s = strides ? strides[i] : 1, d = dil ? dil[i] : 1, k = kernel[i];
        int64_t h = in->dim[2 + i];
        if (s < 1 || d < 1 || k < 1)
            return fail_node(x, n, "kernel, stride and dilation must be >= 1");
        int64_t ek = d * (k - 1) + 1, o;
        if (same) {
            o = (h + s - 1) / s;
        } else {
            int64_t p = valid || !pads ? 0 : pads[i] + pads[i + spatial];
            int64_t span = h + p - ek;
            if (span < 0)
                return fail_node(x, n, "the kernel (%lld) is larger than the padded input (%lld)",
                                 (long long)ek, (long long)(h + p));
            o = (ceil_mode ? (span + s - 1) / s : span / s) + 1;
            /* The last window must start inside the input or the left padding. */
            if (ceil_mode && (o - 1) * s >= h + (pads ? pads[i] : 0)) o--;
        }
        out[i] = o;
    }
    return 0;
}

static int infer_conv(ox *x, ox_node *n, bool transposed)
{
    ox_value *in = in_val(x, n, 0), *w = in_val(x, n, 1), *o = out_val(x, n, 0);
    if (!in || !w || !o) return fail_node(x, n, "expects an input and a weight");
    if (in->ndim < 3 || w->ndim != in->ndim)
        return fail_node(x, n, "input of rank %d and weight of rank %d; accepted: equal ranks >= 3",
                         in->ndim, w->ndim);
    int spatial = in->ndim - 2;
    int64_t group = attr_int(n, "group", 1);
    size_t nk;
    const int64_t *ks = attr_ints(n, "kernel_shape", &nk);
    int64_t kernel[OX_MAX_DIMS];
    for (int i = 0; i < spatial; i++)
        kernel[i] = ks && nk == (size_t)spatial ? ks[i] : w->dim[2 + i];
    if (group < 1 || in->dim[1] % group != 0)
        return fail_node(x, n, "group %lld does not divide %lld input channels", (long long)group,
                         (long long)in->dim[1]);
    int64_t d[OX_MAX_DIMS];
    d[0] = in->dim[0];
    double kprod = 1, sp = 1;
    for (int i = 0; i < spatial; i++)
        kprod *= (double)kernel[i];
    if (!transposed) {
        if (w->dim[1] * group != in->dim[1])
            return fail_node(x, n,
                             "weight expects %lld input channels per group, input has %lld "
                             "in %lld groups",
                             (long long)w->dim[1], (long long)in->dim[1], (long long)group);
        d[1] = w->dim[0];
        if (window(x, n, in, spatial, kernel, false, d + 2)) return -1;
        for (int i = 0; i < spatial; i++)
            sp *= (double)d[2 + i];
        n->macs = (double)d[0] * (double)d[1] * sp * (double)w->dim[1] * kprod;
    } else {
        size_t ns, np, nop;
        const int64_t *st = attr_ints(n, "strides", &ns), *pads = attr_ints(n, "pads", &np);
        const int64_t *op = attr_ints(n, "output_padding", &nop);
        d[1] = w->dim[1] * group;
        for (int i = 0; i < spatial; i++) {
            int64_t s = st && ns == (size_t)spatial ? st[i] : 1;
            int64_t p = pads && np == 2 * (size_t)spatial ? pads[i] + pads[i + spatial] : 0;
            int64_t opad = op && nop == (size_t)spatial ? op[i] : 0;
            d[2 + i] = s * (in->dim[2 + i] - 1) + opad + kernel[i] - p;
            if (d[2 + i] < 1) return fail_node(x, n, "the output would be empty");
            sp *= (double)in->dim[2 + i];
        }
        n->macs = (double)in->dim[0] * (double)in->dim[1] * sp * (double)w->dim[1] * kprod;
    }
    set_shape(o, in->ndim, d, in->dtype);
    return 0;
}

static int infer_pool(ox *x, const ox_node *n, bool global)
{
    ox_value *in = in_val(x, n, 0), *o = out_val(x, n, 0);
    if (!in || !o) return fail_node(x, n, "expects an input");
    if (in->ndim < 3) return fail_node(x, n, "input of rank %d; accepted: rank >= 3", in->ndim);
    int spatial = in->ndim - 2;
    int64_t d[OX_MAX_DIMS] = {in->dim[0], in->dim[1]};
    if (global) {
        for (int i = 0; i < spatial; i++)
            d[2 + i] = 1;
    } else {
        size_t nk;
        const int64_t *ks = attr_ints(n, "kernel_shape", &nk);
        if (!ks || nk != (size_t)spatial)
            return fail_node(x, n, "kernel_shape must give %d dimensions", spatial);
        if (window(x, n, in, spatial, ks, attr_int(n, "ceil_mode", 0) != 0, d + 2)) return -1;
    }
    set_shape(o, in->ndim, d, in->dtype);
    ox_value *idx = out_val(x, n, 1); /* MaxPool's optional indices */
    if (idx) set_shape(idx, in->ndim, d, ONNX__TENSOR_PROTO__DATA_TYPE__INT64);
    return 0;
}

static int infer_gemm(ox *x, ox_node *n)
{
    ox_value *a = in_val(x, n, 0), *b = in_val(x, n, 1), *o = out_val(x, n, 0);
    if (!a || !b || !o || a->ndim != 2 || b->ndim != 2)
        return fail_node(x, n, "expects two matrices");
    bool ta = attr_int(n, "transA", 0), tb = attr_int(n, "transB", 0);
    int64_t m = ta ? a->dim[1] : a->dim[0], k = ta ? a->dim[0] : a->dim[1];
    int64_t kb = tb ? b->dim[1] : b->dim[0], nn = tb ? b->dim[0] : b->dim[1];
    if (k != kb)
        return fail_node(x, n, "inner dimensions %lld and %lld differ", (long long)k,
                         (long long)kb);
    int64_t d[2] = {m, nn};
    set_shape(o, 2, d, a->dtype);
    n->macs = (double)m * (double)nn * (double)k;
    return 0;
}

static int infer_matmul(ox *x, ox_node *n)
{
    ox_value *a = in_val(x, n, 0), *b = in_val(x, n, 1), *o = out_val(x, n, 0);
    if (!a || !b || !o || a->ndim < 1 || b->ndim < 1) return fail_node(x, n, "expects two tensors");
    ox_value A = *a, B = *b;
    A.data = B.data = NULL;
    bool va = A.ndim == 1, vb = B.ndim == 1;
    if (va) {
        A.ndim = 2;
        A.dim[1] = A.dim[0];
        A.dim[0] = 1;
    }
    if (vb) {
        B.ndim = 2;
        B.dim[1] = 1;
    }
    int64_t m = A.dim[A.ndim - 2], k = A.dim[A.ndim - 1], kb = B.dim[B.ndim - 2],
            nn = B.dim[B.ndim - 1];
    if (k != kb)
        return fail_node(x, n, "inner dimensions %lld and %lld differ", (long long)k,
                         (long long)kb);
    ox_value ba = A, bb = B, batch = {.ndim = 0};
    ba.ndim -= 2;
    bb.ndim -= 2;
    if (broadcast(x, n, &ba, &bb, &batch)) return -1;
    int64_t d[OX_MAX_DIMS];
    int r = 0;
    for (int i = 0; i < batch.ndim; i++)
        d[r++] = batch.dim[i];
    if (!va) d[r++] = m;
    if (!vb) d[r++] = nn;
    if (r > OX_MAX_DIMS) return fail_node(x, n, "rank above %d", OX_MAX_DIMS);
    set_shape(o, r, d, a->dtype);
    n->macs = numel(&batch) * (double)m * (double)nn * (double)k;
    return 0;
}

static int infer_reshape(ox *x, const ox_node *n)
{
    ox_value *a = in_val(x, n, 0), *o = out_val(x, n, 0);
    const ox_value *s;
    if (!a || !o) return fail_node(x, n, "expects data and a shape");
    if (need_data(x, n, 1, "shape", &s)) return -1;
    int r = (int)numel(s);
    if (r > OX_MAX_DIMS || s->ndim > 1)
        return fail_node(x, n, "target shape of %d dimensions; at most %d accepted", r,
                         OX_MAX_DIMS);
    int64_t d[OX_MAX_DIMS];
    int infer = -1;
    double known = 1;
    bool allowzero = attr_int(n, "allowzero", 0) != 0;
    for (int i = 0; i < r; i++) {
        double v = s->data[i];
        if (v == 0 && !allowzero) {
            if (i >= a->ndim)
                return fail_node(x, n, "shape copies dimension %d of a rank-%d input", i, a->ndim);
            v = (double)a->dim[i];
        }
        if (v == -1) {
            if (infer >= 0) return fail_node(x, n, "shape has two -1 dimensions");
            infer = i;
            d[i] = 1;
            continue;
        }
        if (v < 0 || v != floor(v)) return fail_node(x, n, "shape has the dimension %g", v);
        d[i] = (int64_t)v;
        known *= v;
    }
    double total = numel(a);
    if (infer >= 0) {
        if (known == 0 || fmod(total, known) != 0)
            return fail_node(x, n, "cannot reshape %.0f elements with the -1 dimension", total);
        d[infer] = (int64_t)(total / known);
    } else if (known != total) {
        return fail_node(x, n, "cannot reshape %.0f elements into %.0f", total, known);
    }
    set_shape(o, r, d, a->dtype);
    if (a->data && set_data(o, a->data, total)) return fail(x, "out of memory");
    return 0;
}

static int infer_transpose(ox *x, const ox_node *n)
{
    ox_value *a = in_val(x, n, 0), *o = out_val(x, n, 0);
    if (!a || !o) return fail_node(x, n, "expects an input");
    size_t np;
    const int64_t *perm = attr_ints(n, "perm", &np);
    if (perm && np != (size_t)a->ndim)
        return fail_node(x, n, "perm does not match rank %d", a->ndim);
    int64_t d[OX_MAX_DIMS];
    bool seen[OX_MAX_DIMS] = {false};
    for (int i = 0; i < a->ndim; i++) {
        int p = perm ? (int)perm[i] : a->ndim - 1 - i;
        if (p < 0 || p >= a->ndim || seen[p]) return fail_node(x, n, "perm is not a permutation");
        seen[p] = true;
        d[i] = a->dim[p];
    }
    set_shape(o, a->ndim, d, a->dtype);
    if (a->data && a->ndim <= 1 && set_data(o, a->data, numel(a))) return fail(x, "out of memory");
    return 0;
}

static int infer_shape(ox *x, const ox_node *n)
{
    ox_value *a = in_val(x, n, 0), *o = out_val(x, n, 0);
    if (!a || !o) return fail_node(x, n, "expects an input");
    int64_t start = attr_int(n, "start", 0), end = attr_int(n, "end", a->ndim);
    if (start < 0) start += a->ndim;
    if (end < 0) end += a->ndim;
    if (start < 0) start = 0;
    if (end > a->ndim) end = a->ndim;
    if (end < start) end = start;
    int64_t len = end - start;
    set_shape(o, 1, &len, ONNX__TENSOR_PROTO__DATA_TYPE__INT64);
    double d[OX_MAX_DIMS];
    for (int64_t i = start; i < end; i++)
        d[i - start] = (double)a->dim[i];
    if (set_data(o, d, (double)len)) return fail(x, "out of memory");
    return 0;
}

static int infer_gather(ox *x, const ox_node *n)
{
    ox_value *a = in_val(x, n, 0), *idx = in_val(x, n, 1), *o = out_val(x, n, 0);
    if (!a || !idx || !o) return fail_node(x, n, "expects data and indices");
    int axis;
    if (a->ndim < 1 || norm_axis(attr_int(n, "axis", 0), a->ndim, &axis))
        return fail_node(x, n, "axis out of range for rank %d", a->ndim);
    int r = a->ndim - 1 + idx->ndim;
    if (r > OX_MAX_DIMS) return fail_node(x, n, "rank above %d", OX_MAX_DIMS);
    int64_t d[OX_MAX_DIMS];
    int k = 0;
    for (int i = 0; i < axis; i++)
        d[k++] = a->dim[i];
    for (int i = 0; i < idx->ndim; i++)
        d[k++] = idx->dim[i];
    for (int i = axis + 1; i < a->ndim; i++)
        d[k++] = a->dim[i];
    set_shape(o, r, d, a->dtype);
    if (a->data && idx->data && numel(o) <= OX_MAX_FOLD) {
        size_t outer = 1, inner = 1, cnt = (size_t)numel(idx);
        for (int i = 0; i < axis; i++)
            outer *= (size_t)a->dim[i];
        for (int i = axis + 1; i < a->ndim; i++)
            inner *= (size_t)a->dim[i];
        o->data = malloc(((size_t)numel(o) + 1) * sizeof *o->data);
        if (!o->data) return fail(x, "out of memory");
        size_t w = 0;
        for (size_t p = 0; p < outer; p++)
            for (size_t j = 0; j < cnt; j++) {
                double ix = idx->data[j];
                if (ix < 0) ix += (double)a->dim[axis];
                if (ix < 0 || ix >= (double)a->dim[axis])
                    return fail_node(x, n, "index %g out of range", idx->data[j]);
                for (size_t q = 0; q < inner; q++)
                    o->data[w++] = a->data[(p * (size_t)a->dim[axis] + (size_t)ix) * inner + q];
            }
    }
    return 0;
}

/* Axes from the attribute (older opsets) or input 1. */
static int axes_of(ox *x, const ox_node *n, int64_t *axes, int *count, bool *given)
{
    size_t na;
    const int64_t *a = attr_ints(n, "axes", &na);
    *given = false;
    *count = 0;
    if (a) {
        if (na > OX_MAX_DIMS) return fail_node(x, n, "too many axes");
        for (size_t i = 0; i < na; i++)
            axes[i] = a[i];
        *count = (int)na;
        *given = true;
        return 0;
    }
    const ox_value *v = in_val(x, n, 1);
    if (!v) return 0;
    if (!v->data)
        return fail_node(
            x, n, "cannot size the output: its axes (input 1, %s) are not a constant that folds",
            v->name);
    if (numel(v) > OX_MAX_DIMS) return fail_node(x, n, "too many axes");
    for (int i = 0; i < (int)numel(v); i++)
        axes[i] = (int64_t)v->data[i];
    *count = (int)numel(v);
    *given = true;
    return 0;
}

static int infer_unsqueeze(ox *x, const ox_node *n)
{
    ox_value *a = in_val(x, n, 0), *o = out_val(x, n, 0);
    if (!a || !o) return fail_node(x, n, "expects an input");
    int64_t axes[OX_MAX_DIMS];
    int na;
    bool given;
    if (axes_of(x, n, axes, &na, &given)) return -1;
    int r = a->ndim + na;
    if (!given || r > OX_MAX_DIMS)
        return fail_node(x, n, "needs axes giving a rank up to %d", OX_MAX_DIMS);
    bool ins[OX_MAX_DIMS] = {false};
    for (int i = 0; i < na; i++) {
        int ax;
        if (norm_axis(axes[i], r, &ax) || ins[ax])
            return fail_node(x, n, "bad axis %lld", (long long)axes[i]);
        ins[ax] = true;
    }
    int64_t d[OX_MAX_DIMS];
    for (int i = 0, k = 0; i < r; i++)
        d[i] = ins[i] ? 1 : a->dim[k++];
    set_shape(o, r, d, a->dtype);
    if (a->data && set_data(o, a->data, numel(a))) return fail(x, "out of memory");
    return 0;
}

static int infer_squeeze(ox *x, const ox_node *n)
{
    ox_value *a = in_val(x, n, 0), *o = out_val(x, n, 0);
    if (!a || !o) return fail_node(x, n, "expects an input");
    int64_t axes[OX_MAX_DIMS];
    int na;
    bool given;
    if (axes_of(x, n, axes, &na, &given)) return -1;
    bool drop[OX_MAX_DIMS] = {false};
    for (int i = 0; i < a->ndim; i++)
        drop[i] = !given && a->dim[i] == 1;
    for (int i = 0; i < na; i++) {
        int ax;
        if (norm_axis(axes[i], a->ndim, &ax) || a->dim[ax] != 1)
            return fail_node(x, n, "cannot squeeze axis %lld", (long long)axes[i]);
        drop[ax] = true;
    }
    int64_t d[OX_MAX_DIMS];
    int r = 0;
    for (int i = 0; i < a->ndim; i++)
        if (!drop[i]) d[r++] = a->dim[i];
    set_shape(o, r, d, a->dtype);
    if (a->data && set_data(o, a->data, numel(a))) return fail(x, "out of memory");
    return 0;
}

static int infer_concat(ox *x, const ox_node *n)
{
    ox_value *o = out_val(x, n, 0), *first = in_val(x, n, 0);
    if (!o || !first) return fail_node(x, n, "expects inputs");
    int axis;
    if (norm_axis(attr_int(n, "axis", 0), first->ndim, &axis))
        return fail_node(x, n, "axis out of range for rank %d", first->ndim);
    int64_t d[OX_MAX_DIMS];
    for (int i = 0; i < first->ndim; i++)
        d[i] = first->dim[i];
    d[axis] = 0;
    bool fold = true;
    for (int i = 0; i < n->nin; i++) {
        ox_value *v = in_val(x, n, i);
        if (!v) continue;
        if (v->ndim != first->ndim) return fail_node(x, n, "inputs of different ranks");
        for (int k = 0; k < v->ndim; k++)
            if (k != axis && v->dim[k] != first->dim[k])
                return fail_node(x, n, "inputs differ in dimension %d", k);
        d[axis] += v->dim[axis];
        fold &= v->data != NULL;
    }
    set_shape(o, first->ndim, d, first->dtype);
    if (fold && first->ndim == 1 && numel(o) <= OX_MAX_FOLD) {
        o->data = malloc(((size_t)numel(o) + 1) * sizeof *o->data);
        if (!o->data) return fail(x, "out of memory");
        size_t w = 0;
        for (int i = 0; i < n->nin; i++) {
            ox_value *v = in_val(x, n, i);
            for (size_t k = 0; v && k < (size_t)numel(v); k++)
                o->data[w++] = v->data[k];
        }
    }
    return 0;
}

static int infer_slice(ox *x, const ox_node *n)
{
    ox_value *a = in_val(x, n, 0), *o = out_val(x, n, 0);
    if (!a || !o) return fail_node(x, n, "expects an input");
    double starts[OX_MAX_DIMS], ends[OX_MAX_DIMS], steps[OX_MAX_DIMS];
    int64_t axes[OX_MAX_DIMS];
    int cnt;
    if (x->opset < 10) {
        size_t ns, ne, na;
        const int64_t *s = attr_ints(n, "starts", &ns), *e = attr_ints(n, "ends", &ne),
                      *ax = attr_ints(n, "axes", &na);
        if (!s || !e || ns != ne || ns > OX_MAX_DIMS || (ax && na != ns))
            return fail_node(x, n, "starts and ends must be given alike");
        cnt = (int)ns;
        for (int i = 0; i < cnt; i++) {
            starts[i] = (double)s[i];
            ends[i] = (double)e[i];
            steps[i] = 1;
            axes[i] = ax ? ax[i] : i;
        }
    } else {
        const ox_value *s, *e;
        if (need_data(x, n, 1, "starts", &s) || need_data(x, n, 2, "ends", &e)) return -1;
        cnt = (int)numel(s);
        if (cnt > OX_MAX_DIMS || numel(e) != cnt)
            return fail_node(x, n, "starts and ends differ in length");
        const ox_value *ax = in_val(x, n, 3), *st = in_val(x, n, 4);
        if ((ax && !ax->data) || (st && !st->data))
            return fail_node(
                x, n, "cannot size the output: its axes or steps are not constants that fold");
        if ((ax && numel(ax) != cnt) || (st && numel(st) != cnt))
            return fail_node(x, n, "axes or steps differ in length from starts");
        for (int i = 0; i < cnt; i++) {
            starts[i] = s->data[i];
            ends[i] = e->data[i];
            axes[i] = ax ? (int64_t)ax->data[i] : i;
            steps[i] = st ? st->data[i] : 1;
        }
    }
    int64_t d[OX_MAX_DIMS];
    for (int i = 0; i < a->ndim; i++)
        d[i] = a->dim[i];
    double first = 0, step1 = 1;
    for (int i = 0; i < cnt; i++) {
        int ax;
        if (norm_axis(axes[i], a->ndim, &ax))
            return fail_node(x, n, "axis %lld out of range", (long long)axes[i]);
        double dim = (double)a->dim[ax], st = steps[i], b = starts[i], e = ends[i];
        if (st == 0) return fail_node(x, n, "step 0");
        if (b < 0) b += dim;
        if (e < 0) e += dim;
        if (st > 0) {
            b = fmin(fmax(b, 0), dim);
            e = fmin(fmax(e, 0), dim);
        } else {
            b = fmin(fmax(b, -1), dim - 1);
            e = fmin(fmax(e, -1), dim - 1);
        }
        double len = st > 0 ? ceil((e - b) / st) : ceil((b - e) / -st);
        d[ax] = len > 0 ? (int64_t)len : 0;
        if (ax == 0) {
            first = b;
            step1 = st;
        }
    }
    set_shape(o, a->ndim, d, a->dtype);
    if (a->data && a->ndim == 1) {
        double buf[OX_MAX_FOLD];
        for (int64_t i = 0; i < d[0]; i++)
            buf[i] = a->data[(size_t)(first + (double)i * step1)];
        if (set_data(o, buf, (double)d[0])) return fail(x, "out of memory");
    }
    return 0;
}

static int infer_split(ox *x, const ox_node *n)
{
    ox_value *a = in_val(x, n, 0);
    if (!a) return fail_node(x, n, "expects an input");
    int axis;
    if (norm_axis(attr_int(n, "axis", 0), a->ndim, &axis))
        return fail_node(x, n, "axis out of range");
    size_t ns;
    const int64_t *sp = attr_ints(n, "split", &ns);
    const ox_value *sv = in_val(x, n, 1);
    if (sv && !sv->data) return fail_node(x, n, "cannot size the outputs: split sizes do not fold");
    int64_t total = 0;
    for (int i = 0; i < n->nout; i++) {
        ox_value *o = out_val(x, n, i);
        int64_t len;
        if (sv) {
            if (numel(sv) != n->nout)
                return fail_node(x, n, "split sizes do not match the outputs");
            len = (int64_t)sv->data[i];
        } else if (sp) {
            if (ns != (size_t)n->nout)
                return fail_node(x, n, "split sizes do not match the outputs");
            len = sp[i];
        } else {
            int64_t k = n->nout;
            len = (a->dim[axis] + k - 1) / k;
            if (i == n->nout - 1) len = a->dim[axis] - len * (k - 1);
        }
        total += len;
        if (!o) continue;
        copy_shape(o, a);
        o->dim[axis] = len;
    }
    if (total != a->dim[axis])
        return fail_node(x, n, "split sizes add up to %lld, not %lld", (long long)total,
                         (long long)a->dim[axis]);
    return 0;
}

static int infer_expand(ox *x, const ox_node *n)
{
    ox_value *a = in_val(x, n, 0), *o = out_val(x, n, 0);
    const ox_value *s;
    if (!a || !o) return fail_node(x, n, "expects an input");
    if (need_data(x, n, 1, "shape", &s)) return -1;
    if (numel(s) > OX_MAX_DIMS) return fail_node(x, n, "rank above %d", OX_MAX_DIMS);
    ox_value t = {.ndim = (int)numel(s), .dtype = a->dtype};
    for (int i = 0; i < t.ndim; i++)
        t.dim[i] = (int64_t)s->data[i];
    o->dtype = a->dtype;
    return broadcast(x, n, a, &t, o);
}

static int infer_tile(ox *x, const ox_node *n)
{
    ox_value *a = in_val(x, n, 0), *o = out_val(x, n, 0);
    const ox_value *r;
    if (!a || !o) return fail_node(x, n, "expects an input");
    if (need_data(x, n, 1, "repeats", &r)) return -1;
    if (numel(r) != a->ndim) return fail_node(x, n, "repeats do not match the rank");
    copy_shape(o, a);
    for (int i = 0; i < a->ndim; i++)
        o->dim[i] *= (int64_t)r->data[i];
    return 0;
}

static int infer_constant_of_shape(ox *x, const ox_node *n)
{
    ox_value *o = out_val(x, n, 0);
    const ox_value *s;
    if (!o) return fail_node(x, n, "expects an output");
    if (need_data(x, n, 0, "shape", &s)) return -1;
    if (numel(s) > OX_MAX_DIMS) return fail_node(x, n, "rank above %d", OX_MAX_DIMS);
    int64_t d[OX_MAX_DIMS];
    for (int i = 0; i < (int)numel(s); i++) {
        if (s->data[i] < 0) return fail_node(x, n, "negative dimension");
        d[i] = (int64_t)s->data[i];
    }
    const Onnx__AttributeProto *v = attr(n, "value");
    int dtype = v && v->t ? v->t->data_type : ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT;
    set_shape(o, (int)numel(s), d, dtype);
    double fill = 0;
    if (v && v->t) {
        double *c = tensor_data(v->t, 1);
        if (c) fill = c[0];
        free(c);
    }
    if (numel(o) <= OX_MAX_FOLD) {
        o->data = malloc(((size_t)numel(o) + 1) * sizeof *o->data);
        if (!o->data) return fail(x, "out of memory");
        for (size_t i = 0; i < (size_t)numel(o); i++)
            o->data[i] = fill;
    }
    return 0;
}

static int infer_constant(ox *x, const ox_node *n)
{
    ox_value *o = out_val(x, n, 0);
    if (!o) return fail_node(x, n, "expects an output");
    const Onnx__AttributeProto *a;
    if ((a = attr(n, "value")) && a->t) {
        if (tensor_shape(a->t, o)) return fail_node(x, n, "malformed tensor");
        o->data = tensor_data(a->t, numel(o));
        return 0;
    }
    if ((a = attr(n, "value_int")) && a->has_i) {
        double v = (double)a->i;
        set_shape(o, 0, NULL, ONNX__TENSOR_PROTO__DATA_TYPE__INT64);
        return set_data(o, &v, 1) ? fail(x, "out of memory") : 0;
    }
    if ((a = attr(n, "value_float")) && a->has_f) {
        double v = a->f;
        set_shape(o, 0, NULL, ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT);
        return set_data(o, &v, 1) ? fail(x, "out of memory") : 0;
    }
    if ((a = attr(n, "value_ints"))) {
        int64_t len = (int64_t)a->n_ints;
        set_shape(o, 1, &len, ONNX__TENSOR_PROTO__DATA_TYPE__INT64);
        if (a->n_ints <= OX_MAX_FOLD) {
            o->data = malloc((a->n_ints + 1) * sizeof *o->data);
            if (!o->data) return fail(x, "out of memory");
            for (size_t i = 0; i < a->n_ints; i++)
                o->data[i] = (double)a->ints[i];
        }
        return 0;
    }
    if ((a = attr(n, "value_floats"))) {
        int64_t len = (int64_t)a->n_floats;
        set_shape(o, 1, &len, ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT);
        return 0;
    }
    return fail_node(x, n,
                     "no value attribute that nnpart reads (value, value_int, value_ints, "
                     "value_float, value_floats)");
}

static int infer_range(ox *x, const ox_node *n)
{
    const ox_value *s, *l, *d;
    ox_value *o = out_val(x, n, 0);
    if (!o) return fail_node(x, n, "expects an output");
    if (need_data(x, n, 0, "start", &s) || need_data(x, n, 1, "limit", &l) ||
        need_data(x, n, 2, "delta", &d))
        return -1;
    double st = s->data[0], dl = d->data[0];
    if (dl == 0) return fail_node(x, n, "delta 0");
    double len = fmax(ceil((l->data[0] - st) / dl), 0);
    if (len > 1e12) return fail_node(x, n, "range of %g elements", len);
    int64_t dim = (int64_t)len;
    set_shape(o, 1, &dim, s->dtype);
    if (len <= OX_MAX_FOLD) {
        o->data = malloc(((size_t)len + 1) * sizeof *o->data);
        if (!o->data) return fail(x, "out of memory");
        for (size_t i = 0; i < (size_t)len; i++)
            o->data[i] = st + (double)i * dl;
    }
    return 0;
}

static int infer_reduce(ox *x, const ox_node *n)
{
    ox_value *a = in_val(x, n, 0), *o = out_val(x, n, 0);
    if (!a || !o) return fail_node(x, n, "expects an input");
    int64_t axes[OX_MAX_DIMS];
    int na;
    bool given;
    if (axes_of(x, n, axes, &na, &given)) return -1;
    bool keep = attr_int(n, "keepdims", 1) != 0;
    bool red[OX_MAX_DIMS] = {false};
    if (!given || na == 0) {
        if (attr_int(n, "noop_with_empty_axes", 0)) return infer_same(x, n, 0);
        for (int i = 0; i < a->ndim; i++)
            red[i] = true;
    }
    for (int i = 0; i < na; i++) {
        int ax;
        if (norm_axis(axes[i], a->ndim, &ax)) return fail_node(x, n, "axis out of range");
        red[ax] = true;
    }
    int64_t d[OX_MAX_DIMS];
    int r = 0;
    for (int i = 0; i < a->ndim; i++) {
        if (!red[i])
            d[r++] = a->dim[i];
        else if (keep)
            d[r++] = 1;
    }
    set_shape(o, r, d, a->dtype);
    return 0;
}

static int infer_argmax(ox *x, const ox_node *n)
{
    ox_value *a = in_val(x, n, 0), *o = out_val(x, n, 0);
    if (!a || !o) return fail_node(x, n, "expects an input");
    int axis;
    if (norm_axis(attr_int(n, "axis", 0), a->ndim, &axis))
        return fail_node(x, n, "axis out of range");
    copy_shape(o, a);
    o->dtype = ONNX__TENSOR_PROTO__DATA_TYPE__INT64;
    if (attr_int(n, "keepdims", 1)) {
        o->dim[axis] = 1;
    } else {
        for (int i = axis; i + 1 < a->ndim; i++)
            o->dim[i] = a->dim[i + 1];
        o->ndim--;
    }
    return 0;
}

static int infer_pad(ox *x, const ox_node *n)
{
    ox_value *a = in_val(x, n, 0), *o = out_val(x, n, 0);
    if (!a || !o) return fail_node(x, n, "expects an input");
    size_t np;
    const int64_t *pa = attr_ints(n, "pads", &np);
    double pads[2 * OX_MAX_DIMS];
    if (pa) {
        if (np != 2 * (size_t)a->ndim) return fail_node(x, n, "pads do not match the rank");
        for (size_t i = 0; i < np; i++)
            pads[i] = (double)pa[i];
    } else {
        const ox_value *p;
        if (need_data(x, n, 1, "pads", &p)) return -1;
        if (numel(p) != 2 * a->ndim || in_val(x, n, 3))
            return fail_node(x, n, "pads do not match the rank (axes are not read)");
        for (int i = 0; i < 2 * a->ndim; i++)
            pads[i] = p->data[i];
    }
    copy_shape(o, a);
    for (int i = 0; i < a->ndim; i++) {
        double v = (double)a->dim[i] + pads[i] + pads[i + a->ndim];
        if (v < 0) return fail_node(x, n, "padding leaves a negative dimension");
        o->dim[i] = (int64_t)v;
    }
    return 0;
}

static int infer_resize(ox *x, const ox_node *n)
{
    ox_value *a = in_val(x, n, 0), *o = out_val(x, n, 0);
    if (!a || !o) return fail_node(x, n, "expects an input");
    const ox_value *sizes = in_val(x, n, 3), *scales = in_val(x, n, 2);
    if (x->opset < 11) scales = in_val(x, n, 1);
    copy_shape(o, a);
    if (sizes && numel(sizes) > 0) {
        if (!sizes->data || numel(sizes) != a->ndim)
            return fail_node(x, n, "cannot size the output: sizes do not fold");
        for (int i = 0; i < a->ndim; i++)
            o->dim[i] = (int64_t)sizes->data[i];
        return 0;
    }
    if (!scales || !scales->data || numel(scales) != a->ndim)
        return fail_node(x, n, "cannot size the output: scales do not fold");
    for (int i = 0; i < a->ndim; i++)
        o->dim[i] = (int64_t)floor((double)a->dim[i] * scales->data[i]);
    return 0;
}

static int infer_flatten(ox *x, const ox_node *n)
{
    ox_value *a = in_val(x, n, 0), *o = out_val(x, n, 0);
    if (!a || !o) return fail_node(x, n, "expects an input");
    int axis = (int)attr_int(n, "axis", 1);
    if (axis < 0) axis += a->ndim;
    if (axis < 0 || axis > a->ndim) return fail_node(x, n, "axis out of range");
    int64_t d[2] = {1, 1};
    for (int i = 0; i < a->ndim; i++)
        d[i >= axis] *= a->dim[i];
    set_shape(o, 2, d, a->dtype);
    return 0;
}

static int infer_layernorm(ox *x, const ox_node *n)
{
    if (infer_same(x, n, 0)) return -1;
    ox_value *a = in_val(x, n, 0);
    int axis;
    if (norm_axis(attr_int(n, "axis", -1), a->ndim, &axis))
        return fail_node(x, n, "axis out of range");
    for (int k = 1; k < 3; k++) {
        ox_value *o = out_val(x, n, k);
        if (!o) continue;
        copy_shape(o, a);
        o->dtype = ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT;
        for (int i = axis; i < a->ndim; i++)
            o->dim[i] = 1;
    }
    return 0;
}

static int infer_cast(ox *x, const ox_node *n)
{
    int to = (int)attr_int(n, "to", 0);
    if (!elem_bytes(to)) return fail_node(x, n, "cast to an unknown type %d", to);
    return infer_same(x, n, to);
}

static int infer_dropout(ox *x, const ox_node *n)
{
    if (infer_same(x, n, 0)) return -1;
    ox_value *mask = out_val(x, n, 1);
    if (mask) {
        copy_shape(mask, in_val(x, n, 0));
        mask->dtype = ONNX__TENSOR_PROTO__DATA_TYPE__BOOL;
    }
    return 0;
}

typedef int (*infer_fn)(ox *x, ox_node *n);
#define SAME(name)                                                                                 \
    static int name(ox *x, ox_node *n)                                                             \
    {                                                                                              \
        return infer_same(x, n, 0);                                                                \
    }
SAME(op_same)
static int op_add(ox *x, ox_node *n)
{
    return infer_binary(x, n, BIN_ADD, false);
}
static int op_sub(ox *x, ox_node *n)
{
    return infer_binary(x, n, BIN_SUB, false);
}
static int op_mul(ox *x, ox_node *n)
{
    return infer_binary(x, n, BIN_MUL, false);
}
static int op_div(ox *x, ox_node *n)
{
    return infer_binary(x, n, BIN_DIV, false);
}
static int op_pow(ox *x, ox_node *n)
{
    return infer_binary(x, n, BIN_POW, false);
}
static int op_mod(ox *x, ox_node *n)
{
    return infer_binary(x, n, BIN_MOD, false);
}
static int op_eq(ox *x, ox_node *n)
{
    return infer_binary(x, n, BIN_EQ, true);
}
static int op_lt(ox *x, ox_node *n)
{
    return infer_binary(x, n, BIN_LT, true);
}
static int op_gt(ox *x, ox_node *n)
{
    return infer_binary(x, n, BIN_GT, true);
}
static int op_le(ox *x, ox_node *n)
{
    return infer_binary(x, n, BIN_LE, true);
}
static int op_ge(ox *x, ox_node *n)
{
    return infer_binary(x, n, BIN_GE, true);
}
static int op_and(ox *x, ox_node *n)
{
    return infer_binary(x, n, BIN_AND, true);
}
static int op_or(ox *x, ox_node *n)
{
    return infer_binary(x, n, BIN_OR, true);
}
static int op_max(ox *x, ox_node *n)
{
    return n->nin == 2 ? infer_binary(x, n, BIN_MAX, false) : infer_variadic(x, n);
}
static int op_min(ox *x, ox_node *n)
{
    return n->nin == 2 ? infer_binary(x, n, BIN_MIN, false) : infer_variadic(x, n);
}
static int op_variadic(ox *x, ox_node *n)
{
    return infer_variadic(x, n);
}
static int op_where(ox *x, ox_node *n)
{
    return infer_where(x, n);
}
static int op_neg(ox *x, ox_node *n)
{
    return infer_unary_fold(x, n, neg);
}
static int op_not(ox *x, ox_node *n)
{
    if (infer_unary_fold(x, n, not_)) return -1;
    out_val(x, n, 0)->dtype = ONNX__TENSOR_PROTO__DATA_TYPE__BOOL;
    return 0;
}
static int op_abs(ox *x, ox_node *n)
{
    return infer_unary_fold(x, n, fabs);
}
static int op_floor(ox *x, ox_node *n)
{
    return infer_unary_fold(x, n, floor);
}
static int op_ceil(ox *x, ox_node *n)
{
    return infer_unary_fold(x, n, ceil);
}
static int op_sqrt(ox *x, ox_node *n)
{
    return infer_unary_fold(x, n, sqrt);
}
static int op_conv(ox *x, ox_node *n)
{
    return infer_conv(x, n, false);
}
static int op_convt(ox *x, ox_node *n)
{
    return infer_conv(x, n, true);
}
static int op_pool(ox *x, ox_node *n)
{
    return infer_pool(x, n, false);
}
static int op_gpool(ox *x, ox_node *n)
{
    return infer_pool(x, n, true);
}
static int op_gemm(ox *x, ox_node *n)
{
    return infer_gemm(x, n);
}
static int op_matmul(ox *x, ox_node *n)
{
    return infer_matmul(x, n);
}
static int op_reshape(ox *x, ox_node *n)
{
    return infer_reshape(x, n);
}
static int op_transpose(ox *x, ox_node *n)
{
    return infer_transpose(x, n);
}
static int op_shape(ox *x, ox_node *n)
{
    return infer_shape(x, n);
}
static int op_size(ox *x, ox_node *n)
{
    ox_value *a = in_val(x, n, 0), *o = out_val(x, n, 0);
    if (!a || !o) return fail_node(x, n, "expects an input");
    double v = numel(a);
    set_shape(o, 0, NULL, ONNX__TENSOR_PROTO__DATA_TYPE__INT64);
    return set_data(o, &v, 1) ? fail(x, "out of memory") : 0;
}
static int op_gather(ox *x, ox_node *n)
{
    return infer_gather(x, n);
}
static int op_gather_elements(ox *x, ox_node *n)
{
    ox_value *i = in_val(x, n, 1), *o = out_val(x, n, 0), *a = in_val(x, n, 0);
    if (!a || !i || !o) return fail_node(x, n, "expects data and indices");
    set_shape(o, i->ndim, i->dim, a->dtype);
    return 0;
}
static int op_unsqueeze(ox *x, ox_node *n)
{
    return infer_unsqueeze(x, n);
}
static int op_squeeze(ox *x, ox_node *n)
{
    return infer_squeeze(x, n);
}
static int op_concat(ox *x, ox_node *n)
{
    return infer_concat(x, n);
}
static int op_slice(ox *x, ox_node *n)
{
    return infer_slice(x, n);
}
static int op_split(ox *x, ox_node *n)
{
    return infer_split(x, n);
}
static int op_expand(ox *x, ox_node *n)
{
    return infer_expand(x, n);
}
static int op_tile(ox *x, ox_node *n)
{
    return infer_tile(x, n);
}
static int op_cos(ox *x, ox_node *n)
{
    return infer_constant_of_shape(x, n);
}
static int op_constant(ox *x, ox_node *n)
{
    return infer_constant(x, n);
}
static int op_range(ox *x, ox_node *n)
{
    return infer_range(x, n);
}
static int op_reduce(ox *x, ox_node *n)
{
    return infer_reduce(x, n);
}
static int op_argmax(ox *x, ox_node *n)
{
    return infer_argmax(x, n);
}
static int op_pad(ox *x, ox_node *n)
{
    return infer_pad(x, n);
}
static int op_resize(ox *x, ox_node *n)
{
    return infer_resize(x, n);
}
static int op_flatten(ox *x, ox_node *n)
{
    return infer_flatten(x, n);
}
static int op_layernorm(ox *x, ox_node *n)
{
    return infer_layernorm(x, n);
}
static int op_cast(ox *x, ox_node *n)
{
    return infer_cast(x, n);
}
static int op_dropout(ox *x, ox_node *n)
{
    return infer_dropout(x, n);
}
static int op_scatter(ox *x, ox_node *n)
{
    return infer_same(x, n, 0);
}

/* Kinds of op for the automatic units: what merges into its neighbour and
 * what a person keeps as a unit of its own although it computes nothing. */
enum { K_PLAIN, K_STANDALONE };

static const struct op_def {
    const char *op;
    infer_fn fn;
    int kind;
} OPS[] = {
    {"Conv", op_conv, K_PLAIN},
    {"ConvTranspose", op_convt, K_PLAIN},
    {"Gemm", op_gemm, K_PLAIN},
    {"MatMul", op_matmul, K_PLAIN},
    {"MaxPool", op_pool, K_STANDALONE},
    {"AveragePool", op_pool, K_STANDALONE},
    {"LpPool", op_pool, K_STANDALONE},
    {"GlobalAveragePool", op_gpool, K_STANDALONE},
    {"GlobalMaxPool", op_gpool, K_STANDALONE},
    {"Flatten", op_flatten, K_STANDALONE},
    {"LayerNormalization", op_layernorm, K_STANDALONE},
    {"ReduceMean", op_reduce, K_STANDALONE}, /* a decomposed layer norm starts so */
    {"Gather", op_gather, K_STANDALONE},     /* embeddings, the class token */
    {"Relu", op_same, K_PLAIN},
    {"LeakyRelu", op_same, K_PLAIN},
    {"PRelu", op_same, K_PLAIN},
    {"Elu", op_same, K_PLAIN},
    {"Selu", op_same, K_PLAIN},
    {"Celu", op_same, K_PLAIN},
    {"Gelu", op_same, K_PLAIN},
    {"Sigmoid", op_same, K_PLAIN},
    {"HardSigmoid", op_same, K_PLAIN},
    {"HardSwish", op_same, K_PLAIN},
    {"Mish", op_same, K_PLAIN},
    {"Tanh", op_same, K_PLAIN},
    {"Softplus", op_same, K_PLAIN},
    {"Softsign", op_same, K_PLAIN},
    {"Erf", op_same, K_PLAIN},
    {"Exp", op_same, K_PLAIN},
    {"Log", op_same, K_PLAIN},
    {"Reciprocal", op_same, K_PLAIN},
    {"Sin", op_same, K_PLAIN},
    {"Cos", op_same, K_PLAIN},
    {"Round", op_same, K_PLAIN},
    {"Sign", op_same, K_PLAIN},
    {"IsNaN", op_same, K_PLAIN},
    {"IsInf", op_same, K_PLAIN},
    {"Clip", op_same, K_PLAIN},
    {"Softmax", op_same, K_PLAIN},
    {"LogSoftmax", op_same, K_PLAIN},
    {"Hardmax", op_same, K_PLAIN},
    {"Trilu", op_same, K_PLAIN},
    {"CumSum", op_same, K_PLAIN},
    {"LRN", op_same, K_PLAIN},
    {"BatchNormalization", op_same, K_PLAIN},
    {"InstanceNormalization", op_same, K_PLAIN},
    {"Identity", op_same, K_PLAIN},
    {"Dropout", op_dropout, K_PLAIN},
    {"Neg", op_neg, K_PLAIN},
    {"Abs", op_abs, K_PLAIN},
    {"Floor", op_floor, K_PLAIN},
    {"Ceil", op_ceil, K_PLAIN},
    {"Sqrt", op_sqrt, K_PLAIN},
    {"Not", op_not, K_PLAIN},
    {"Cast", op_cast, K_PLAIN},
    {"Add", op_add, K_PLAIN},
    {"Sub", op_sub, K_PLAIN},
    {"Mul", op_mul, K_PLAIN},
    {"Div", op_div, K_PLAIN},
    {"Pow", op_pow, K_PLAIN},
    {"Mod", op_mod, K_PLAIN},
    {"Equal", op_eq, K_PLAIN},
    {"Less", op_lt, K_PLAIN},
    {"Greater", op_gt, K_PLAIN},
    {"LessOrEqual", op_le, K_PLAIN},
    {"GreaterOrEqual", op_ge, K_PLAIN},
    {"And", op_and, K_PLAIN},
    {"Or", op_or, K_PLAIN},
    {"Max", op_max, K_PLAIN},
    {"Min", op_min, K_PLAIN},
    {"Sum", op_variadic, K_PLAIN},
    {"Mean", op_variadic, K_PLAIN},
    {"Where", op_where, K_PLAIN},
    {"Reshape", op_reshape, K_PLAIN},
    {"Transpose", op_transpose, K_PLAIN},
    {"Shape", op_shape, K_PLAIN},
    {"Size", op_size, K_PLAIN},
    {"GatherElements", op_gather_elements, K_PLAIN},
    {"Unsqueeze", op_unsqueeze, K_PLAIN},
    {"Squeeze", op_squeeze, K_PLAIN},
    {"Concat", op_concat, K_PLAIN},
    {"Slice", op_slice, K_PLAIN},
    {"Split", op_split, K_PLAIN},
    {"Expand", op_expand, K_PLAIN},
    {"Tile", op_tile, K_PLAIN},
    {"ConstantOfShape", op_cos, K_PLAIN},
    {"Constant", op_constant, K_PLAIN},
    {"Range", op_range, K_PLAIN},
    {"ReduceSum", op_reduce, K_PLAIN},
    {"ReduceMax", op_reduce, K_PLAIN},
    {"ReduceMin", op_reduce, K_PLAIN},
    {"ReduceProd", op_reduce, K_PLAIN},
    {"ReduceL2", op_reduce, K_PLAIN},
    {"ReduceSumSquare", op_reduce, K_PLAIN},
    {"ArgMax", op_argmax, K_PLAIN},
    {"ArgMin", op_argmax, K_PLAIN},
    {"Pad", op_pad, K_PLAIN},
    {"Resize", op_resize, K_PLAIN},
    {"Upsample", op_resize, K_PLAIN},
    {"ScatterND", op_scatter, K_PLAIN},
    {"ScatterElements", op_scatter, K_PLAIN},
};

static const struct op_def *op_find(const char *op)
{
    for (size_t i = 0; i < sizeof OPS / sizeof OPS[0]; i++)
        if (strcmp(OPS[i].op, op) == 0) return &OPS[i];
    return NULL;
}

/* ---- loading the graph ---------------------------------------------------- */

static int value_from_info(ox *x, const Onnx__ValueInfoProto *vi, ox_value *v, bool required)
{
    const Onnx__TypeProto *t = vi->type;
    if (!t || t->value_case != ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE || !t->tensor_type) {
        if (!required) return 0;
        return fail(x, "graph input '%s': not a tensor; accepted: tensor inputs", vi->name);
    }
    const Onnx__TypeProto__Tensor *tt = t->tensor_type;
    const Onnx__TensorShapeProto *sh = tt->shape;
    if (!sh) {
        if (!required) return 0;
        return fail(x, "graph input '%s': no shape; nnpart needs static dims", vi->name);
    }
    if (sh->n_dim > OX_MAX_DIMS)
        return fail(x, "value '%s': rank %zu; at most %d accepted", vi->name, sh->n_dim,
                    OX_MAX_DIMS);
    for (size_t i = 0; i < sh->n_dim; i++) {
        const Onnx__TensorShapeProto__Dimension *d = sh->dim[i];
        if (!d || d->value_case != ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE ||
            d->dim_value < 1) {
            if (!required) return 0;
            return fail(
                x,
                "graph input '%s': dimension %zu is unknown (%s); nnpart needs static "
                "dims: export with fixed input sizes",
                vi->name, i,
                d && d->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM &&
                        d->dim_param
                    ? d->dim_param
                    : "no value");
        }
    }
    v->ndim = (int)sh->n_dim;
    for (size_t i = 0; i < sh->n_dim; i++)
        v->dim[i] = sh->dim[i]->dim_value;
    v->dtype = tt->has_elem_type ? tt->elem_type : 0;
    return 0;
}

static bool nonempty(const char *s)
{
    return s && s[0];
}

static int load_graph(ox *x)
{
    const Onnx__GraphProto *g = x->g;
    size_t cap = g->n_input + g->n_initializer;
    for (size_t i = 0; i < g->n_node; i++)
        if (g->node[i]) cap += g->node[i]->n_output;
    if (cap > 10000000) return fail(x, "graph too large: %zu values", cap);
    x->cap_values = (int)cap + 1;
    x->values = calloc((size_t)x->cap_values, sizeof *x->values);
    x->hash_cap = 16;
    while (x->hash_cap < 2 * (size_t)x->cap_values)
        x->hash_cap *= 2;
    x->hash = calloc(x->hash_cap, sizeof *x->hash);
    x->nnodes = (int)g->n_node;
    x->nodes = calloc((size_t)x->nnodes + 1, sizeof *x->nodes);
    if (!x->values || !x->hash || !x->nodes) return fail(x, "out of memory");

    for (size_t i = 0; i < g->n_initializer; i++) {
        const Onnx__TensorProto *t = g->initializer[i];
        if (!t || !nonempty(t->name)) return fail(x, "initializer %zu has no name", i);
        int v = value_add(x, t->name);
        if (v == -2) return fail(x, "initializer '%s' is given twice", t->name);
        if (v < 0) return fail(x, "out of memory");
        ox_value *val = &x->values[v];
        if (tensor_shape(t, val) || !elem_bytes(t->data_type))
            return fail(x, "initializer '%s': malformed dims or unknown data type %d", t->name,
                        t->data_type);
        val->is_init = val->is_static = true;
        if (is_int_type(t->data_type)) val->data = tensor_data(t, numel(val));
    }
    for (size_t i = 0; i < g->n_input; i++) {
        const Onnx__ValueInfoProto *vi = g->input[i];
        if (!vi || !nonempty(vi->name)) return fail(x, "graph input %zu has no name", i);
        if (value_find(x, vi->name) >= 0) continue; /* an initializer (older exporters) */
        int v = value_add(x, vi->name);
        if (v < 0) return fail(x, "out of memory");
        if (value_from_info(x, vi, &x->values[v], true)) return -1;
        if (!elem_bytes(x->values[v].dtype))
            return fail(x, "graph input '%s': unknown element type %d", vi->name,
                        x->values[v].dtype);
        x->values[v].is_input = true;
    }
    for (int i = 0; i < x->nnodes; i++) {
        const Onnx__NodeProto *p = g->node[i];
        ox_node *n = &x->nodes[i];
        if (!p || !nonempty(p->op_type)) return fail(x, "node #%d has no op type", i);
        n->p = p;
        n->pos = -1;
        n->nin = (int)p->n_input;
        n->nout = (int)p->n_output;
        n->in = calloc((size_t)n->nin + 1, sizeof *n->in);
        n->out = calloc((size_t)n->nout + 1, sizeof *n->out);
        if (!n->in || !n->out) return fail(x, "out of memory");
        if (p->domain && p->domain[0] && strcmp(p->domain, "ai.onnx") != 0)
            return fail_node(x, n, "op of domain '%s': nnpart reads the default ONNX domain only",
                             p->domain);
        for (int k = 0; k < n->nout; k++) {
            n->out[k] = -1;
            if (!nonempty(p->output[k])) continue;
            int v = value_add(x, p->output[k]);
            if (v == -2) return fail_node(x, n, "output '%s' is produced twice", p->output[k]);
            if (v < 0) return fail(x, "out of memory");
            x->values[v].producer = i;
            n->out[k] = v;
        }
    }
    for (int i = 0; i < x->nnodes; i++) {
        ox_node *n = &x->nodes[i];
        for (int k = 0; k < n->nin; k++) {
            n->in[k] = -1;
            if (!nonempty(n->p->input[k])) continue;
            n->in[k] = value_find(x, n->p->input[k]);
            if (n->in[k] < 0)
                return fail_node(x, n,
                                 "input '%s' is not produced by any node, initializer or graph "
                                 "input (a dangling input)",
                                 n->p->input[k]);
        }
    }
    for (size_t i = 0; i < g->n_output; i++) {
        const Onnx__ValueInfoProto *vi = g->output[i];
        int v = vi && vi->name ? value_find(x, vi->name) : -1;
        if (v < 0)
            return fail(x, "graph output '%s' is not produced by any node",
                        vi && vi->name ? vi->name : "?");
        x->values[v].is_output = true;
    }
    if (g->n_output == 0) return fail(x, "the graph has no outputs");
    return 0;
}

/* Kahn's algorithm, taking ready nodes in file order (exporters write them
 * in execution order, which keeps the units in the order of the model). */
static int topo_sort(ox *x)
{
    int N = x->nnodes;
    int *indeg = calloc((size_t)N + 1, sizeof *indeg);
    int *heap = calloc((size_t)N + 1, sizeof *heap);
    int *cons_start = calloc((size_t)x->nvalues + 2, sizeof *cons_start);
    x->order = calloc((size_t)N + 1, sizeof *x->order);
    if (!indeg || !heap || !cons_start || !x->order) {
        free(indeg);
        free(heap);
        free(cons_start);
        return fail(x, "out of memory");
    }
    /* Consumers of each value, as a flat list. */
    size_t nedges = 0;
    for (int i = 0; i < N; i++)
        for (int k = 0; k < x->nodes[i].nin; k++)
            if (x->nodes[i].in[k] >= 0) {
                cons_start[x->nodes[i].in[k] + 1]++;
                nedges++;
            }
    for (int v = 0; v < x->nvalues; v++)
        cons_start[v + 1] += cons_start[v];
    int *cons = calloc(nedges + 1, sizeof *cons),
        *fill = calloc((size_t)x->nvalues + 1, sizeof *fill);
    if (!cons || !fill) {
        free(indeg);
        free(heap);
        free(cons_start);
        free(cons);
        free(fill);
        return fail(x, "out of memory");
    }
    for (int i = 0; i < N; i++)
        for (int k = 0; k < x->nodes[i].nin; k++) {
            int v = x->nodes[i].in[k];
            if (v < 0) continue;
            cons[cons_start[v] + fill[v]++] = i;
            if (x->values[v].producer >= 0) indeg[i]++;
        }
    int hn = 0, done = 0;
#define HEAP_PUSH(val)                                                                             \
    do {                                                                                           \
        int c_ = hn++;                                                                             \
        heap[c_] = (val);                                                                          \
        while (c_ > 0 && heap[(c_ - 1) / 2] > heap[c_]) {                                          \
            int t_ = heap[c_];                                                                     \
            heap[c_] = heap[(c_ - 1) / 2];                                                         \
            heap[(c_ - 1) / 2] = t_;                                                               \
            c_ = (c_ - 1) / 2;                                                                     \
        }                                                                                          \
    } while (0)
    for (int i = 0; i < N; i++)
        if (indeg[i] == 0) HEAP_PUSH(i);
    while (hn > 0) {
        int top = heap[0];
        heap[0] = heap[--hn];
        for (int c = 0;;) {
            int l = 2 * c + 1, r = l + 1, m = c;
            if (l < hn && heap[l] < heap[m]) m = l;
            if (r < hn && heap[r] < heap[m]) m = r;
            if (m == c) break;
            int t = heap[c];
            heap[c] = heap[m];
            heap[m] = t;
            c = m;
        }
        x->order[done++] = top;
        for (int k = 0; k < x->nodes[top].nout; k++) {
            int v = x->nodes[top].out[k];
            if (v < 0) continue;
            for (int e = cons_start[v]; e < cons_start[v + 1]; e++) {
                /* A node reading one value twice counts it twice. */
                if (--indeg[cons[e]] == 0) HEAP_PUSH(cons[e]);
            }
        }
    }
#undef HEAP_PUSH
    int stuck = -1;
    for (int i = 0; i < N && stuck < 0; i++)
        if (indeg[i] > 0) stuck = i;
    free(indeg);
    free(heap);
    free(cons_start);
    free(cons);
    free(fill);
    if (stuck >= 0)
        return fail_node(x, &x->nodes[stuck],
                         "the graph has a cycle through this node (%d of %d nodes are on or "
                         "after it)",
                         N - done, N);
    return 0;
}

/* "/layer1/layer1.0/conv1/Conv" -> components "layer1", "layer1.0", "conv1";
 * the dotted path "layer1.0.conv1" (torch repeats a Sequential's name in its
 * children's: "layer1" then "layer1.0"); the block stops after the first
 * indexed component ("layer1.0", "encoder_layer_3", "block1-0") and goes one
 * deeper while the next is indexed inside it ("features.1" then
 * "features.1.0"). */
static bool indexed(const char *c)
{
    size_t n = strlen(c), i = n;
    while (i > 0 && c[i - 1] >= '0' && c[i - 1] <= '9')
        i--;
    return i < n && i >= 2 && (c[i - 1] == '.' || c[i - 1] == '_' || c[i - 1] == '-');
}

static void node_paths(ox_node *n)
{
    n->path[0] = n->block[0] = '\0';
    const char *name = n->p->name;
    if (!name || name[0] != '/') return;
    char comp[16][NN_NAME_LEN];
    int nc = 0;
    for (const char *s = name + 1, *e; (e = strchr(s, '/')); s = e + 1) {
        /* The part after the last '/' is the op itself. */
        if (nc == 16) break;
        size_t len = (size_t)(e - s) < NN_NAME_LEN - 1 ? (size_t)(e - s) : NN_NAME_LEN - 1;
        memcpy(comp[nc], s, len);
        comp[nc++][len] = '\0';
    }
    size_t cut = 0;
    int state = 0; /* 0: before the block, 1: in it, 2: past it */
    for (int i = 0; i < nc; i++) {
        size_t len = strlen(n->path), plen = i > 0 ? strlen(comp[i - 1]) : 0;
        bool inside = i > 0 && strncmp(comp[i], comp[i - 1], plen) == 0 && comp[i][plen] == '.';
        size_t at = inside ? len - plen : len + (len ? 1 : 0);
        if (!inside && len && len + 1 < sizeof n->path) n->path[len] = '.';
        size_t cl = strlen(comp[i]);
        if (at + cl < sizeof n->path) memcpy(n->path + at, comp[i], cl + 1);
        bool ix = indexed(comp[i]);
        if (state == 0 && ix) {
            state = 1;
            cut = strlen(n->path);
        } else if (state == 1 && ix && inside) {
            cut = strlen(n->path);
        } else if (state == 1) {
            state = 2;
        }
    }
    size_t keep = state ? cut : strlen(n->path);
    memcpy(n->block, n->path, keep);
    n->block[keep] = '\0';
}

/* ---- units ---------------------------------------------------------------- */

typedef struct ox_unit {
    int first, last; /* runtime positions, inclusive */
    double macs;
} ox_unit;

static double range_macs(const ox *x, int a, int b)
{
    double m = 0;
    for (int p = a; p <= b; p++)
        m += x->nodes[x->runtime[p]].macs;
    return m;
}

/* Bytes and count of the tensors crossing the cut after position p. */
typedef struct ox_cuts {
    double *bytes;
    int *count;
    int *one; /* the value crossing when count == 1 */
} ox_cuts;

static int cuts_compute(ox *x, ox_cuts *c)
{
    int P = x->nruntime;
    c->bytes = calloc((size_t)P + 2, sizeof *c->bytes);
    c->count = calloc((size_t)P + 2, sizeof *c->count);
    c->one = calloc((size_t)P + 2, sizeof *c->one);
    double *db = calloc((size_t)P + 2, sizeof *db);
    int *dc = calloc((size_t)P + 2, sizeof *dc);
    long *ds = calloc((size_t)P + 2, sizeof *ds);
    if (!c->bytes || !c->count || !c->one || !db || !dc || !ds) {
        free(db);
        free(dc);
        free(ds);
        return fail(x, "out of memory");
    }
    /* A value produced at p (graph inputs: before 0) and read last at q
     * (outputs: after the end) crosses every cut p..q-1. Index shifted by 1. */
    for (int v = 0; v < x->nvalues; v++) {
        ox_value *val = &x->values[v];
        if (val->is_static) continue;
        int p = val->is_input ? -1 : val->first_pos;
        int q = val->is_output ? P : val->last_pos;
        if (p < -1 || q <= p) continue;
        double b = value_bytes(val);
        db[p + 1] += b;
        db[q + 1] -= b;
        dc[p + 1]++;
        dc[q + 1]--;
        ds[p + 1] += v;
        ds[q + 1] -= v;
    }
    double rb = 0;
    int rc = 0;
    long rs = 0;
    for (int p = -1; p < P; p++) {
        rb += db[p + 1];
        rc += dc[p + 1];
        rs += ds[p + 1];
        if (p >= 0) {
            c->bytes[p] = rb < 0 ? 0 : rb;
            c->count[p] = rc;
            c->one[p] = rc == 1 ? (int)rs : -1;
        }
    }
    free(db);
    free(dc);
    free(ds);
    return 0;
}

static void cuts_free(ox_cuts *c)
{
    free(c->bytes);
    free(c->count);
    free(c->one);
}

static int units_ops(ox *x, ox_unit *u)
{
    for (int p = 0; p < x->nruntime; p++)
        u[p] = (ox_unit){.first = p, .last = p, .macs = x->nodes[x->runtime[p]].macs};
    return x->nruntime;
}

static bool piece_standalone(const ox *x, const ox_unit *u)
{
    for (int p = u->first; p <= u->last; p++) {
        const struct op_def *d = op_find(x->nodes[x->runtime[p]].p->op_type);
        if (d && d->kind == K_STANDALONE) return true;
    }
    return false;
}

static int units_auto(ox *x, const ox_cuts *c, ox_unit *u)
{
    int n = 0, P = x->nruntime;
    int start = 0;
    for (int p = 0; p < P; p++) {
        bool end = p == P - 1;
        if (!end) {
            const char *a = x->nodes[x->runtime[p]].block, *b = x->nodes[x->runtime[p + 1]].block;
            end = strcmp(a, b) != 0 && c->count[p] == 1;
        }
        if (!end) continue;
        u[n++] = (ox_unit){.first = start, .last = p, .macs = range_macs(x, start, p)};
        start = p + 1;
    }
    /* A piece that computes nothing joins the piece before it (an activation
     * after its conv, a reshape after a projection), unless a person would
     * list it on its own (pooling, flatten, a norm layer, an embedding). */
    int m = 0;
    for (int i = 0; i < n; i++) {
        bool alone = piece_standalone(x, &u[i]);
        if (u[i].macs == 0 && !alone && m > 0) {
            u[m - 1].last = u[i].last;
            continue;
        }
        u[m++] = u[i];
    }
    /* A leading piece that computes nothing joins the next. */
    if (m > 1 && u[0].macs == 0 && !piece_standalone(x, &u[0])) {
        u[1].first = 0;
        memmove(u, u + 1, (size_t)(m - 1) * sizeof *u);
        m--;
    }
    return m;
}

/* At most `max` units: merge the neighbours whose sum of MACs is smallest. */
static int units_max(ox *x, ox_unit *u, int max)
{
    int n = units_ops(x, u);
    while (n > max && n > 1) {
        int best = 0;
        double cost = INFINITY;
        for (int i = 0; i + 1 < n; i++) {
            double c = u[i].macs + u[i + 1].macs;
            if (c < cost) {
                cost = c;
                best = i;
            }
        }
        u[best].last = u[best + 1].last;
        u[best].macs += u[best + 1].macs;
        memmove(u + best + 1, u + best + 2, (size_t)(n - best - 2) * sizeof *u);
        n--;
    }
    return n;
}

/* Longest common prefix of dotted paths, at component boundaries. */
static void common_prefix(char *acc, const char *path)
{
    size_t i = 0, last = 0;
    while (acc[i] && path[i] && acc[i] == path[i]) {
        i++;
        if (acc[i] == '.' || acc[i] == '\0') last = i;
    }
    if (!(acc[i] == '\0' && (path[i] == '.' || path[i] == '\0'))) i = last;
    acc[i] = '\0';
}

static void unit_name(const ox *x, const ox_unit *u, bool ops, char *buf, size_t size)
{
    const ox_node *first = &x->nodes[x->runtime[u->first]];
    if (ops) {
        const char *name = first->p->name && first->p->name[0] ? first->p->name : first->p->op_type;
        if (first->path[0]) {
            /* Long paths are cut; the caller makes names unique. */
            if (snprintf(buf, size, "%.96s.%.24s", first->path, first->p->op_type) >= (int)size) {
            }
        } else
            snprintf(buf, size, "%s", name[0] == '/' ? name + 1 : name);
        return;
    }
    char acc[NN_NAME_LEN * 2] = "";
    /* The common module of the ops that compute (all ops when none does),
     * or a module above it that an op of the unit belongs to itself (the
     * relu of "conv1" names the unit of "conv1.conv"). */
    bool started = false, macs = u->macs > 0;
    const ox_node *lead = NULL;
    for (int p = u->first; p <= u->last; p++) {
        const ox_node *n = &x->nodes[x->runtime[p]];
        if (macs && n->macs == 0) continue;
        if (!lead) lead = n;
        if (!started) {
            snprintf(acc, sizeof acc, "%s", n->block);
            started = true;
        } else {
            common_prefix(acc, n->block);
        }
    }
    if (!acc[0] && lead) snprintf(acc, sizeof acc, "%s", lead->block);
    size_t best = strlen(acc);
    for (int p = u->first; p <= u->last; p++) {
        const char *b = x->nodes[x->runtime[p]].block;
        size_t len = strlen(b);
        if (len > 0 && len < best && strncmp(acc, b, len) == 0 && acc[len] == '.') best = len;
    }
    acc[best] = '\0';
    if (!acc[0]) {
        snprintf(acc, sizeof acc, "%s", first->p->op_type);
        for (char *c = acc; *c; c++)
            if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
    }
    snprintf(buf, size, "%s", acc);
}

/* The weight tensors a runtime node reads: initializers and Identity copies
 * of them (torch deduplicates equal initializers through Identity; each copy
 * is a parameter of its own), found through the constant ops between them
 * (a Transpose of a weight). */
static int collect_weights(ox *x, int node, int *stack, int *buf, int cap)
{
    int n = 0, sp = 0;
    ox_node *nd = &x->nodes[node];
    for (int k = 0; k < nd->nin; k++)
        if (nd->in[k] >= 0 && x->values[nd->in[k]].is_static) stack[sp++] = nd->in[k];
    while (sp > 0 && n < cap) {
        int v = stack[--sp];
        ox_value *val = &x->values[v];
        if (val->weight >= 0) {
            bool seen = false;
            for (int i = 0; i < n && !seen; i++)
                seen = buf[i] == val->weight;
            if (!seen) buf[n++] = val->weight;
            continue;
        }
        if (val->producer < 0) continue;
        ox_node *pn = &x->nodes[val->producer];
        for (int k = 0; k < pn->nin && sp < cap; k++)
            if (pn->in[k] >= 0) stack[sp++] = pn->in[k];
    }
    return n;
}

static int infer_all(ox *x)
{
    for (int i = 0; i < x->nnodes; i++) {
        ox_node *n = &x->nodes[x->order[i]];
        bool stat = true;
        for (int k = 0; k < n->nin; k++) {
            if (n->in[k] < 0) continue;
            ox_value *v = &x->values[n->in[k]];
            if (v->ndim < 0) return fail_node(x, n, "input '%s' has no known shape", v->name);
            stat &= v->is_static;
        }
        const struct op_def *d = op_find(n->p->op_type);
        if (!d)
            return fail_node(x, n,
                             "unknown op: nnpart cannot size its output (it sizes the ops of "
                             "torch.onnx exports of torchvision models and GPT-2 style decoders)");
        if (d->fn(x, n)) return -1;
        for (int k = 0; k < n->nout; k++) {
            ox_value *o = out_val(x, n, k);
            if (!o) continue;
            if (o->ndim < 0) return fail_node(x, n, "output %d could not be sized", k);
            for (int j = 0; j < o->ndim; j++)
                if (o->dim[j] < 0 || o->dim[j] > ((int64_t)1 << 40))
                    return fail_node(x, n, "output %d has the dimension %lld", k,
                                     (long long)o->dim[j]);
            if (numel(o) > 1e15) return fail_node(x, n, "output %d is too large", k);
            o->is_static = stat;
        }
        n->runtime = !stat;
        if (stat) n->macs = 0; /* computed once, ahead of time */
    }
    return 0;
}

/* value_info where present must agree with what was inferred. */
static int check_value_info(ox *x)
{
    for (size_t i = 0; i < x->g->n_value_info; i++) {
        const Onnx__ValueInfoProto *vi = x->g->value_info[i];
        if (!vi || !vi->name) continue;
        int v = value_find(x, vi->name);
        if (v < 0) continue;
        ox_value given = {.ndim = -1};
        if (value_from_info(x, vi, &given, false)) return -1;
        if (given.ndim < 0) continue;
        ox_value *have = &x->values[v];
        bool same = given.ndim == have->ndim;
        for (int k = 0; same && k < given.ndim; k++)
            same = given.dim[k] == have->dim[k];
        if (!same)
            return fail(x,
                        "value '%s': value_info gives a shape that differs from the inferred one "
                        "(rank %d and %d); the file is inconsistent",
                        vi->name, given.ndim, have->ndim);
    }
    return 0;
}

static void shape_without_batch(const ox_value *v, nn_shape *s)
{
    s->ndim = 0;
    int start = v->ndim > 1 && v->dim[0] == 1 ? 1 : 0;
    if (v->ndim - start > 4 || v->ndim - start < 1) return;
    for (int i = start; i < v->ndim; i++) {
        if (v->dim[i] < 1) return;
        s->dim[s->ndim++] = (long)v->dim[i];
    }
}

static int build_network(ox *x, const onnx_granularity *g, const char *display, nn_network *net)
{
    /* Runtime order and where each value is produced and last read. */
    x->runtime = calloc((size_t)x->nnodes + 1, sizeof *x->runtime);
    if (!x->runtime) return fail(x, "out of memory");
    for (int i = 0; i < x->nnodes; i++) {
        ox_node *n = &x->nodes[x->order[i]];
        if (!n->runtime) continue;
        n->pos = x->nruntime;
        x->runtime[x->nruntime++] = x->order[i];
        node_paths(n);
        for (int k = 0; k < n->nout; k++)
            if (n->out[k] >= 0) x->values[n->out[k]].first_pos = n->pos;
        for (int k = 0; k < n->nin; k++)
            if (n->in[k] >= 0 && x->values[n->in[k]].last_pos < n->pos)
                x->values[n->in[k]].last_pos = n->pos;
    }
    if (x->nruntime == 0) return fail(x, "no op depends on the graph input: nothing to place");

    /* Weight tensors. */
    x->weights = calloc((size_t)x->nvalues + 1, sizeof *x->weights);
    if (!x->weights) return fail(x, "out of memory");
    for (int i = 0; i < x->nvalues; i++) {
        ox_value *v = &x->values[i];
        bool copy = false;
        if (!v->is_init && v->is_static && v->producer >= 0) {
            ox_node *p = &x->nodes[v->producer];
            copy = strcmp(p->p->op_type, "Identity") == 0 && p->in[0] >= 0 &&
                   x->values[p->in[0]].is_init;
        }
        if (!(v->is_init || copy) || !is_weight_type(v->dtype)) continue;
        v->weight = x->nweights;
        x->weights[x->nweights++] = (ox_weight){
            .value = i, .bytes = value_bytes(v), .params = numel(v), .unit = -1, .shared = -1};
    }
    int cap = x->nvalues + 16;
    int *stack = calloc((size_t)cap, sizeof *stack), *buf = calloc((size_t)cap, sizeof *buf);
    if (!stack || !buf) {
        free(stack);
        free(buf);
        return fail(x, "out of memory");
    }
    for (int p = 0; p < x->nruntime; p++) {
        ox_node *n = &x->nodes[x->runtime[p]];
        n->nweights = collect_weights(x, x->runtime[p], stack, buf, cap);
        n->weights = malloc(((size_t)n->nweights + 1) * sizeof *n->weights);
        if (!n->weights) {
            free(stack);
            free(buf);
            return fail(x, "out of memory");
        }
        memcpy(n->weights, buf, (size_t)n->nweights * sizeof *buf);
    }
    free(stack);
    free(buf);

    ox_cuts c = {0};
    if (cuts_compute(x, &c)) return -1;
    ox_unit *u = calloc((size_t)x->nruntime + 1, sizeof *u);
    if (!u) {
        cuts_free(&c);
        return fail(x, "out of memory");
    }
    int nu = g->kind == ONNX_GRAN_OPS   ? units_ops(x, u)
             : g->kind == ONNX_GRAN_MAX ? units_max(x, u, g->max_units)
                                        : units_auto(x, &c, u);
    if (nu > NN_MAX_LAYERS) {
        free(u);
        cuts_free(&c);
        return fail(x, "%d units; at most %d accepted: use --granularity %d or auto", nu,
                    NN_MAX_LAYERS, NN_MAX_LAYERS);
    }

    /* Which units read each weight: one unit owns it, several share it. */
    for (int i = 0; i < nu; i++)
        for (int p = u[i].first; p <= u[i].last; p++) {
            const ox_node *n = &x->nodes[x->runtime[p]];
            for (int k = 0; k < n->nweights; k++) {
                ox_weight *w = &x->weights[n->weights[k]];
                if (w->unit == i) continue;
                if (w->unit < 0 || w->users == 0) w->users = 0;
                w->unit = i;
                w->users++;
            }
        }

    /* The network. */
    memset(net, 0, sizeof *net);
    snprintf(net->name, sizeof net->name, "%s", display);
    net->dtype = DTYPE_FP32;
    double in_bytes = 0;
    int ninputs = 0;
    const ox_value *input = NULL;
    for (int v = 0; v < x->nvalues; v++)
        if (x->values[v].is_input) {
            in_bytes += value_bytes(&x->values[v]);
            ninputs++;
            input = &x->values[v];
        }
    net->input_bytes = in_bytes;
    if (ninputs == 1 && (input->dtype == ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT ||
                         input->dtype == ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT16)) {
        nn_shape s;
        shape_without_batch(input, &s);
        if (s.ndim > 0) {
            net->input_shape = s;
            if (input->dtype == ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT16) net->dtype = DTYPE_FP16;
        }
    }
    int rc = 0;
    for (int i = 0; i < nu && rc == 0; i++) {
        char name[NN_NAME_LEN * 2], uniq[NN_NAME_LEN];
        unit_name(x, &u[i], g->kind == ONNX_GRAN_OPS, name, sizeof name);
        /* Node names are any bytes: a layer name is printable UTF-8 (invalid
         * bytes and control characters become '_'), cut at a character. */
        text_name_clean(name, sizeof name - 1);
        str_copy(uniq, sizeof uniq, name);
        text_name_clean(uniq, NN_NAME_LEN - 1);
        for (int k = 2; network_find_layer(net, uniq) >= 0; k++) {
            char suffix[16];
            int len = snprintf(suffix, sizeof suffix, "_%d", k);
            str_copy(uniq, sizeof uniq, name);
            text_name_clean(uniq, (size_t)(NN_NAME_LEN - 1 - len));
            strcat(uniq, suffix);
        }
        nn_layer *l = network_add_layer(net, uniq, LT_RAW);
        if (!l) {
            rc = fail(x, "out of memory");
            break;
        }
        l->raw_flops = 2 * u[i].macs;
        l->raw_output = c.bytes[u[i].last];
        if (c.count[u[i].last] == 1)
            shape_without_batch(&x->values[c.one[u[i].last]], &l->raw_shape);
        /* Weights read by this unit, each once. */
        for (int p = u[i].first; p <= u[i].last && rc == 0; p++) {
            const ox_node *n = &x->nodes[x->runtime[p]];
            for (int k = 0; k < n->nweights && rc == 0; k++) {
                ox_weight *w = &x->weights[n->weights[k]];
                if (w->users <= 1) {
                    if (w->unit == i) {
                        l->raw_weights += w->bytes;
                        w->unit = -2; /* counted */
                    }
                    continue;
                }
                if (w->shared < 0) {
                    char sname[NN_NAME_LEN];
                    snprintf(sname, sizeof sname, "%.*s", NN_NAME_LEN - 1,
                             x->values[w->value].name);
                    for (int s = 2; network_find_shared(net, sname) >= 0; s++)
                        snprintf(sname, sizeof sname, "%.50s_%d", x->values[w->value].name, s);
                    w->shared = network_add_shared(net, sname, w->bytes);
                    if (w->shared < 0) {
                        rc = fail(x, "out of memory");
                        break;
                    }
                }
                layer_add_use(l, w->shared); /* -1 when already used: fine */
            }
        }
    }
    free(u);
    cuts_free(&c);
    return rc;
}

typedef struct ox_file {
    ox_alloc alloc;
    ProtobufCAllocator pa;
    Onnx__ModelProto *model;
} ox_file;

static void ox_release(ox *x)
{
    for (int v = 0; x->values && v < x->nvalues; v++)
        free(x->values[v].data);
    for (int i = 0; x->nodes && i < x->nnodes; i++) {
        free(x->nodes[i].in);
        free(x->nodes[i].out);
        free(x->nodes[i].weights);
    }
    free(x->values);
    free(x->hash);
    free(x->nodes);
    free(x->order);
    free(x->runtime);
    free(x->weights);
}

static void display_name(const char *path, const Onnx__GraphProto *g, char *buf, size_t size)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 5 && strcmp(base + n - 5, ".onnx") == 0) n -= 5;
    if (n == 0 && g->name) {
        snprintf(buf, size, "%s", g->name);
        return;
    }
    snprintf(buf, size, "%.*s", (int)(n < size ? n : size - 1), base);
}

int onnx_import_buffer(const void *data, size_t len, const char *name, const onnx_granularity *g,
                       nn_network *out, onnx_summary *summary, nn_error *err)
{
    nn_error scratch;
    if (!err) err = &scratch;
    error_clear(err);
    memset(out, 0, sizeof *out);
    onnx_granularity deflt = {.kind = ONNX_GRAN_AUTO};
    if (!g) g = &deflt;
    ox x = {.file = name ? name : "<onnx>", .err = err};
    ox_file f = {.pa = {.alloc = ox_malloc, .free = ox_free}};
    f.pa.allocator_data = &f.alloc;
    const uint8_t *bytes = data;
    if (len == 0) return fail(&x, "empty file; expected an ONNX model (a protobuf ModelProto)");
    f.model = onnx__model_proto__unpack(&f.pa, len, bytes);
    big_release(&f.alloc);
    if (!f.model) {
        /* An ONNX file starts with ir_version (field 1, a varint: byte 0x08). */
        if (bytes[0] == 0x08)
            return fail(&x,
                        "not a complete ONNX model: protobuf-c cannot parse it (truncated or "
                        "corrupt after %zu bytes read)",
                        len);
        return fail(&x, "not an ONNX model: the file is not a protobuf ModelProto");
    }
    int rc = -1;
    const Onnx__ModelProto *m = f.model;
    if (!m->has_ir_version || !m->graph) {
        fail(&x, "not an ONNX model: %s", !m->graph ? "no graph" : "no ir_version");
        goto done;
    }
    x.g = m->graph;
    x.opset = 0;
    for (size_t i = 0; i < m->n_opset_import; i++) {
        const Onnx__OperatorSetIdProto *o = m->opset_import[i];
        if (o && (!o->domain || !o->domain[0] || strcmp(o->domain, "ai.onnx") == 0))
            x.opset = (int)o->version;
    }
    if (x.opset <= 0) {
        fail(&x, "no opset for the default domain in opset_import");
        goto done;
    }
    if (load_graph(&x) || topo_sort(&x) || infer_all(&x) || check_value_info(&x)) goto done;
    char display[NN_NAME_LEN];
    display_name(x.file, x.g, display, sizeof display);
    if (build_network(&x, g, display, out)) goto done;
    int bad;
    char why[512];
    if (network_infer(out, &bad, why, sizeof why) != 0) {
        fail(&x, "%s%s%s", bad >= 0 && bad < out->nlayers ? out->layers[bad].name : "",
             bad >= 0 ? ": " : "", why);
        goto done;
    }
    if (summary) {
        summary->opset = x.opset;
        summary->nodes = x.nnodes;
        summary->runtime_nodes = x.nruntime;
        summary->macs = 0;
        for (int i = 0; i < x.nnodes; i++)
            summary->macs += x.nodes[i].macs;
    }
    rc = 0;
done:
    if (rc != 0) network_free(out);
    ox_release(&x);
    onnx__model_proto__free_unpacked(f.model, &f.pa);
    return rc;
}

int onnx_import_file(const char *path, const onnx_granularity *g, nn_network *out,
                     onnx_summary *summary, nn_error *err)
{
    nn_error scratch;
    if (!err) err = &scratch;
    error_clear(err);
    memset(out, 0, sizeof *out);
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd < 0) return error_set(err, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return error_set(err, path, 0, 0, NULL, "not a regular file; expected an ONNX model");
    }
    if (st.st_size == 0) {
        close(fd);
        return error_set(err, path, 0, 0, NULL,
                         "empty file; expected an ONNX model (a protobuf ModelProto)");
    }
    /* Mapped, not read: the weights' pages are touched once by protobuf-c
     * and can be dropped by the kernel; they are never copied to stay. */
    void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return error_set(err, path, 0, 0, NULL, "cannot map: %s", strerror(errno));
    madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);
    int rc = onnx_import_buffer(map, (size_t)st.st_size, path, g, out, summary, err);
    munmap(map, (size_t)st.st_size);
    return rc;
}

bool onnx_granularity_parse(const char *text, onnx_granularity *out, char *why, size_t why_size)
{
    if (strcmp(text, "auto") == 0) {
        *out = (onnx_granularity){.kind = ONNX_GRAN_AUTO};
        return true;
    }
    if (strcmp(text, "ops") == 0) {
        *out = (onnx_granularity){.kind = ONNX_GRAN_OPS};
        return true;
    }
    char *end;
    errno = 0;
    long n = strtol(text, &end, 10);
    if (*text && *end == '\0' && errno == 0 && n >= 1 && n <= NN_MAX_LAYERS) {
        *out = (onnx_granularity){.kind = ONNX_GRAN_MAX, .max_units = (int)n};
        return true;
    }
    snprintf(why, why_size,
             "granularity '%s': accepted: auto (blocks a person would choose), ops (one unit per "
             "op) or a count of units from 1 to %d",
             text, NN_MAX_LAYERS);
    return false;
}

void onnx_granularity_format(const onnx_granularity *g, char *buf, size_t size)
{
    if (g->kind == ONNX_GRAN_OPS)
        snprintf(buf, size, "ops");
    else if (g->kind == ONNX_GRAN_MAX)
        snprintf(buf, size, "%d", g->max_units);
    else
        snprintf(buf, size, "auto");
}
