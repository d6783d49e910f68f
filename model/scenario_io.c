/* Scenario comparison: what a round trip must preserve, field by field.
 * Loading is in yaml_read.c, writing and saving in yaml_write.c. */
#include "scenario_io.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static bool differ(char *why, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool differ(char *why, size_t size, const char *fmt, ...)
{
    if (why && size > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, size, fmt, ap);
        va_end(ap);
    }
    return false;
}

/* Bit for bit: 0.1 + 0.2 and 0.3 differ, and so do 0 and -0. */
static bool same_double(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

#define SAME_NUM(what, a, b, ...)                                                                  \
    do {                                                                                           \
        if (!same_double((a), (b)))                                                                \
            return differ(why, size, what ": %.17g vs %.17g", __VA_ARGS__, (a), (b));              \
    } while (0)

#define SAME_INT(what, a, b, ...)                                                                  \
    do {                                                                                           \
        if ((long)(a) != (long)(b))                                                                \
            return differ(why, size, what ": %ld vs %ld", __VA_ARGS__, (long)(a), (long)(b));      \
    } while (0)

#define SAME_STR(what, a, b, ...)                                                                  \
    do {                                                                                           \
        if (strcmp((a), (b)) != 0)                                                                 \
            return differ(why, size, what ": '%s' vs '%s'", __VA_ARGS__, (a), (b));                \
    } while (0)

static bool same_shape(const nn_shape *a, const nn_shape *b)
{
    if (a->ndim != b->ndim) return false;
    for (int i = 0; i < a->ndim; i++)
        if (a->dim[i] != b->dim[i]) return false;
    return true;
}

static bool same_layer(const nn_layer *a, const nn_layer *b, int i, char *why, size_t size)
{
    SAME_STR("network.layers[%d].name", a->name, b->name, i);
    SAME_INT("network.layers[%d].type", a->type, b->type, i);
    SAME_INT("network.layers[%d] given params (bits)", a->param_given, b->param_given, i);
    const nn_layer_type_desc *desc = layer_type_get(a->type);
    for (int p = 0; desc && p < desc->nparams; p++)
        SAME_INT("network.layers[%d].%s", a->param[p], b->param[p], i, desc->params[p].key);
    SAME_NUM("network.layers[%d].flops", a->raw_flops, b->raw_flops, i);
    SAME_NUM("network.layers[%d].weights", a->raw_weights, b->raw_weights, i);
    SAME_NUM("network.layers[%d].output", a->raw_output, b->raw_output, i);
    if (!same_shape(&a->raw_shape, &b->raw_shape))
        return differ(why, size, "network.layers[%d].shape differs", i);
    SAME_INT("network.layers[%d] profile count", a->nprofiles, b->nprofiles, i);
    for (int p = 0; p < a->nprofiles; p++) {
        SAME_STR("network.layers[%d].profile[%d] device", a->profiles[p].device,
                 b->profiles[p].device, i, p);
        SAME_NUM("network.layers[%d].profile.%s", a->profiles[p].seconds, b->profiles[p].seconds, i,
                 a->profiles[p].device);
    }
    SAME_INT("network.layers[%d] uses count", a->nuses, b->nuses, i);
    for (int u = 0; u < a->nuses; u++)
        SAME_INT("network.layers[%d].uses[%d]", a->uses[u], b->uses[u], i, u);
    return true;
}

static bool same_network(const nn_network *a, const nn_network *b, char *why, size_t size)
{
    SAME_STR("network%s", a->zoo, b->zoo, " (zoo name)");
    SAME_STR("network%s", a->onnx, b->onnx, ".onnx");
    SAME_STR("network%s", a->onnx_granularity, b->onnx_granularity, ".granularity");
    SAME_STR("network%s", a->name, b->name, ".name");
    SAME_INT("network%s", a->dtype, b->dtype, ".dtype");
    if (!same_shape(&a->input_shape, &b->input_shape))
        return differ(why, size, "network.input shape differs");
    SAME_NUM("network%s", a->input_bytes, b->input_bytes, ".input");
    SAME_INT("network%s", a->nshared, b->nshared, " shared tensor count");
    for (int i = 0; i < a->nshared; i++) {
        SAME_STR("network.shared[%d].name", a->shared[i].name, b->shared[i].name, i);
        SAME_NUM("network.shared[%d].bytes", a->shared[i].bytes, b->shared[i].bytes, i);
    }
    SAME_INT("network%s", a->nlayers, b->nlayers, " layer count");
    for (int i = 0; i < a->nlayers; i++)
        if (!same_layer(&a->layers[i], &b->layers[i], i, why, size)) return false;
    return true;
}

bool scenario_equal(const nn_scenario *a, const nn_scenario *b, char *why, size_t size)
{
    if (why && size > 0) why[0] = '\0';
    SAME_STR("%s", a->name, b->name, "name");
    SAME_INT("%s", a->mode, b->mode, "mode");
    SAME_INT("%s", a->objective, b->objective, "objective");
    SAME_NUM("%s", a->latency_limit, b->latency_limit, "latency_limit");
    SAME_NUM("%s", a->energy_limit, b->energy_limit, "energy_limit");
    SAME_INT("%s", a->stages, b->stages, "stages");
    SAME_INT("%s", a->source, b->source, "source");
    SAME_INT("%s", a->sink, b->sink, "sink");
    SAME_INT("%s", a->ndevices, b->ndevices, "device count");
    for (int i = 0; i < a->ndevices; i++) {
        const nn_device *x = &a->devices[i], *y = &b->devices[i];
        SAME_STR("devices[%d].name", x->name, y->name, i);
        SAME_INT("devices[%d].tier", x->tier, y->tier, i);
        SAME_NUM("devices[%d].speed", x->speed, y->speed, i);
        SAME_NUM("devices[%d].memory", x->memory, y->memory, i);
        SAME_NUM("devices[%d].load_rate", x->load_rate, y->load_rate, i);
        SAME_NUM("devices[%d].memory_bandwidth", x->memory_bandwidth, y->memory_bandwidth, i);
        SAME_NUM("devices[%d].power", x->power, y->power, i);
        SAME_NUM("devices[%d].idle_power", x->idle_power, y->idle_power, i);
        SAME_NUM("devices[%d].load_power", x->load_power, y->load_power, i);
        SAME_INT("devices[%d].battery", x->battery, y->battery, i);
    }
    SAME_INT("%s", a->nlinks, b->nlinks, "link count");
    for (int i = 0; i < a->nlinks; i++) {
        const nn_link *x = &a->links[i], *y = &b->links[i];
        SAME_INT("links[%d] first device", x->a, y->a, i);
        SAME_INT("links[%d] second device", x->b, y->b, i);
        SAME_NUM("links[%d].bandwidth", x->bandwidth, y->bandwidth, i);
        SAME_INT("links[%d] reverse given", x->reverse_given, y->reverse_given, i);
        SAME_NUM("links[%d].reverse_bandwidth", x->reverse, y->reverse, i);
        SAME_NUM("links[%d].latency", x->latency, y->latency, i);
        SAME_NUM("links[%d].energy", x->energy, y->energy, i);
    }
    if (!same_network(&a->net, &b->net, why, size)) return false;
    SAME_INT("%s", a->nprofile_files, b->nprofile_files, "profiles count");
    for (int i = 0; i < a->nprofile_files; i++) {
        SAME_INT("profiles[%d] device", a->profile_files[i].device, b->profile_files[i].device, i);
        SAME_STR("profiles[%d] path", a->profile_files[i].path, b->profile_files[i].path, i);
    }
    for (int l = 0; l < a->net.nlayers; l++) {
        int pa = a->pin ? a->pin[l] : -1, pb = b->pin ? b->pin[l] : -1;
        SAME_INT("pins.%s (device index)", pa, pb, a->net.layers[l].name);
    }
    return true;
}

/* The directory a reference in the scenario at `path` is relative to, as
 * the loader joins it: the part before the last slash ("." without one,
 * and the current directory for no file at all). */
static void ref_dir(const char *path, char *out, size_t size)
{
    const char *slash = path ? strrchr(path, '/') : NULL;
    if (!slash)
        snprintf(out, size, ".");
    else if (slash == path)
        snprintf(out, size, "/");
    else
        snprintf(out, size, "%.*s", (int)(slash - path), path);
}

/* `target` relative to the directory `dir`, both absolute and canonical:
 * "../" for each of dir's components past the common ones, then the rest
 * of target. */
static bool relative_to(const char *dir, const char *target, char *out, size_t size)
{
    const char *d = dir, *t = target;
    for (;;) {
        while (*d == '/')
            d++;
        while (*t == '/')
            t++;
        size_t dl = strcspn(d, "/"), tl = strcspn(t, "/");
        /* The last component of target is the file: never a common one. */
        if (dl == 0 || dl != tl || t[tl] == '\0' || strncmp(d, t, dl) != 0) break;
        d += dl;
        t += tl;
    }
    size_t n = 0;
    out[0] = '\0';
    while (*d) {
        while (*d == '/')
            d++;
        if (!*d) break;
        d += strcspn(d, "/");
        if (n + 3 >= size) return false;
        memcpy(out + n, "../", 4);
        n += 3;
    }
    int m = snprintf(out + n, size - n, "%s", t);
    return m >= 0 && (size_t)m < size - n;
}

/* One reference `ref` relative to `real_from`, made relative to `real_to`
 * (both canonical): its own directory made canonical, its name kept, so a
 * link to the file stays the name referenced. */
static bool rebase_path(char *ref, size_t size, const char *real_from, const char *real_to)
{
    if (!ref[0] || ref[0] == '/') return true;
    char joined[2 * PATH_MAX + 2], file_dir[PATH_MAX], real_dir[PATH_MAX], target[2 * PATH_MAX + 2];
    snprintf(joined, sizeof joined, "%s/%s", real_from, ref);
    const char *slash = strrchr(joined, '/');
    snprintf(file_dir, sizeof file_dir, "%.*s", (int)(slash - joined), joined);
    if (!realpath(file_dir[0] ? file_dir : "/", real_dir)) return false;
    snprintf(target, sizeof target, "%s/%s", strcmp(real_dir, "/") ? real_dir : "", slash + 1);
    char rel[PATH_MAX];
    if (!relative_to(real_to, target, rel, sizeof rel) || strlen(rel) >= size) return false;
    str_copy(ref, size, rel);
    return true;
}

bool scenario_rebase(nn_scenario *s, const char *from, const char *to)
{
    bool relative = s->net.onnx[0] && s->net.onnx[0] != '/';
    for (int i = 0; i < s->nprofile_files; i++)
        relative = relative || (s->profile_files[i].path[0] && s->profile_files[i].path[0] != '/');
    if (!relative) return true;
    char from_dir[PATH_MAX], to_dir[PATH_MAX], real_from[PATH_MAX], real_to[PATH_MAX];
    ref_dir(from, from_dir, sizeof from_dir);
    ref_dir(to, to_dir, sizeof to_dir);
    if (!realpath(from_dir, real_from) || !realpath(to_dir, real_to)) return false;
    if (strcmp(real_from, real_to) == 0) return true;
    /* All or nothing: rewritten into a copy first. */
    char onnx[sizeof s->net.onnx];
    char profiles[NN_MAX_DEVICES][sizeof s->profile_files[0].path];
    str_copy(onnx, sizeof onnx, s->net.onnx);
    if (!rebase_path(onnx, sizeof onnx, real_from, real_to)) return false;
    for (int i = 0; i < s->nprofile_files; i++) {
        str_copy(profiles[i], sizeof profiles[i], s->profile_files[i].path);
        if (!rebase_path(profiles[i], sizeof profiles[i], real_from, real_to)) return false;
    }
    str_copy(s->net.onnx, sizeof s->net.onnx, onnx);
    for (int i = 0; i < s->nprofile_files; i++)
        str_copy(s->profile_files[i].path, sizeof s->profile_files[i].path, profiles[i]);
    return true;
}
