/* The ONNX importer's benchmark (part of `make bench`; `--onnx` alone).
 *
 * A 350 MB model is generated here with protobuf-c: the vit_b_16 fixture's
 * graph with every weight stored inline (346 MB of raw_data), the way
 * torch.onnx writes a model below 2 GB. Each measurement runs in a fresh
 * process (this binary with --onnx-child), so its peak resident memory is
 * the import's alone: nnpart's import, and for comparison a plain
 * protobuf-c unpack with the system allocator, which keeps a copy of every
 * weight. Median of 3 runs each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "onnx.h"
#include "onnx.pb-c.h"

#define FIXTURE "tests/fixtures/onnx/vit_b_16.onnx"
#define RUNS 3

/* Prints "seconds peak_bytes units" for RUNS imports of `path`. */
int bench_onnx_child(const char *mode, const char *path)
{
    double t[RUNS];
    int units = 0;
    for (int i = 0; i < RUNS; i++) {
        double t0 = bench_now();
        if (strcmp(mode, "nnpart") == 0) {
            nn_network net;
            nn_error err;
            if (onnx_import_file(path, NULL, &net, NULL, &err) != 0) {
                fprintf(stderr, "%s\n", err.message);
                return 1;
            }
            units = net.nlayers;
            network_free(&net);
        } else {
            /* The plain way: read the file, unpack with malloc. */
            FILE *f = fopen(path, "rb");
            struct stat st;
            if (!f || fstat(fileno(f), &st) != 0) return 1;
            uint8_t *buf = malloc((size_t)st.st_size);
            if (!buf || fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) return 1;
            fclose(f);
            Onnx__ModelProto *m = onnx__model_proto__unpack(NULL, (size_t)st.st_size, buf);
            free(buf);
            if (!m) return 1;
            units = (int)m->graph->n_node;
            onnx__model_proto__free_unpacked(m, NULL);
        }
        t[i] = bench_now() - t0;
    }
    double med = bench_median(t, RUNS);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("%.6f %.0f %d\n", med, (double)ru.ru_maxrss * 1024.0, units);
    return 0;
}

typedef struct file_buffer {
    ProtobufCBuffer base;
    FILE *f;
    int failed;
} file_buffer;

static void file_append(ProtobufCBuffer *b, size_t len, const uint8_t *data)
{
    file_buffer *fb = (file_buffer *)b;
    if (fwrite(data, 1, len, fb->f) != len) fb->failed = 1;
}

static int tensor_elem_bytes(int dtype)
{
    switch (dtype) {
    case ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT:
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT32:
        return 4;
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT64:
    case ONNX__TENSOR_PROTO__DATA_TYPE__DOUBLE:
        return 8;
    case ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT16:
        return 2;
    default:
        return 1;
    }
}

/* The fixture with its stripped weights put back inline (a fixed pattern). */
static int make_model(const char *out, double *bytes)
{
    FILE *f = fopen(FIXTURE, "rb");
    struct stat st;
    if (!f || fstat(fileno(f), &st) != 0) return -1;
    uint8_t *raw = malloc((size_t)st.st_size);
    size_t got = raw ? fread(raw, 1, (size_t)st.st_size, f) : 0;
    fclose(f);
    if (got != (size_t)st.st_size) return -1;
    Onnx__ModelProto *m = onnx__model_proto__unpack(NULL, got, raw);
    free(raw);
    if (!m) return -1;
    size_t biggest = 0;
    Onnx__GraphProto *g = m->graph;
    for (size_t i = 0; i < g->n_initializer; i++) {
        Onnx__TensorProto *t = g->initializer[i];
        size_t n = (size_t)tensor_elem_bytes(t->data_type);
        for (size_t k = 0; k < t->n_dims; k++)
            n *= (size_t)t->dims[k];
        if (n > biggest) biggest = n;
    }
    uint8_t *pattern = malloc(biggest + 1);
    for (size_t i = 0; i < biggest; i++)
        pattern[i] = (uint8_t)(i * 2654435761u >> 24);
    for (size_t i = 0; i < g->n_initializer; i++) {
        Onnx__TensorProto *t = g->initializer[i];
        if (!t->has_data_location ||
            t->data_location != ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL)
            continue;
        size_t n = (size_t)tensor_elem_bytes(t->data_type);
        for (size_t k = 0; k < t->n_dims; k++)
            n *= (size_t)t->dims[k];
        for (size_t k = 0; k < t->n_external_data; k++)
            protobuf_c_message_free_unpacked(&t->external_data[k]->base, NULL);
        t->n_external_data = 0;
        t->has_data_location = 0;
        t->data_location = ONNX__TENSOR_PROTO__DATA_LOCATION__DEFAULT;
        t->has_raw_data = 1;
        t->raw_data.len = n;
        t->raw_data.data = pattern;
    }
    f = fopen(out, "wb");
    file_buffer fb = {.base = {.append = file_append}, .f = f};
    int rc = -1;
    if (f) {
        onnx__model_proto__pack_to_buffer(m, &fb.base);
        rc = fclose(f) == 0 && !fb.failed ? 0 : -1;
    }
    for (size_t i = 0; i < g->n_initializer; i++)
        if (g->initializer[i]->raw_data.data == pattern) {
            g->initializer[i]->raw_data.data = NULL;
            g->initializer[i]->raw_data.len = 0;
            g->initializer[i]->has_raw_data = 0;
        }
    onnx__model_proto__free_unpacked(m, NULL);
    free(pattern);
    if (stat(out, &st) != 0) return -1;
    *bytes = (double)st.st_size;
    return rc;
}

static int measure(const char *mode, const char *path, double *t, double *peak, int *units)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "/proc/%d/exe --onnx-child %s '%s'", (int)getpid(), mode, path);
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    int n = fscanf(p, "%lf %lf %d", t, peak, units);
    int rc = pclose(p);
    return n == 3 && rc == 0 ? 0 : -1;
}

int bench_onnx(void)
{
    char path[] = "/tmp/nnpart-bench-XXXXXX.onnx";
    int fd = mkstemps(path, 5);
    if (fd < 0) return -1;
    close(fd);
    double size;
    printf("\nONNX import: %s with its weights inline (written by protobuf-c here), "
           "median of %d runs, each measurement in a fresh process\n",
           FIXTURE, RUNS);
    if (make_model(path, &size) != 0) {
        printf("  cannot write %s\n", path);
        unlink(path);
        return -1;
    }
    printf("\n%-34s %10s %6s %12s %10s %8s\n", "what", "file", "units", "median", "peak RSS",
           "RSS/file");
    struct {
        const char *label, *mode, *path;
    } rows[] = {
        {"nnpart import (model/onnx.c)", "nnpart", path},
        {"plain protobuf-c unpack (malloc)", "plain", path},
        {"nnpart import, stripped fixture", "nnpart", FIXTURE},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        double t, peak;
        int units;
        struct stat st;
        stat(rows[i].path, &st);
        if (measure(rows[i].mode, rows[i].path, &t, &peak, &units) != 0) {
            printf("%-34s failed\n", rows[i].label);
            continue;
        }
        char ucol[16] = "-";
        if (strcmp(rows[i].mode, "nnpart") == 0) snprintf(ucol, sizeof ucol, "%d", units);
        printf("%-34s %7.1f MB %6s %9.1f ms %7.0f MB %7.2fx\n", rows[i].label,
               (double)st.st_size / 1e6, ucol, t * 1e3, peak / 1e6, peak / (double)st.st_size);
    }
    printf("(target: a 350 MB file in well under 2 s, peak memory below twice the file size)\n");
    unlink(path);
    return 0;
}
