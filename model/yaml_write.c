/* Scenario files out: a fixed key order and exact values with readable
 * units, so saved files diff cleanly and reload bit for bit. */
#include "scenario_io.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "units.h"

/* Whether a plain scalar would be read back as something else (or not at
 * all). `flow`: inside [..] or {..}, where ",[]{}" end a scalar and ':' is
 * ambiguous. */
static bool needs_quotes(const char *t, bool flow)
{
    size_t n = strlen(t);
    if (n == 0) return true;
    if (t[0] == ' ' || t[n - 1] == ' ' || t[n - 1] == ':') return true;
    if (strchr("-?:,[]{}#&*!|>'\"%@`", t[0])) return true;
    if (strstr(t, ": ") || strstr(t, " #")) return true;
    if (flow && strpbrk(t, ",[]{}:")) return true;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)t[i] < 0x20 || t[i] == 0x7f) return true;
    /* Words YAML tools take for booleans or null, and numbers: keep them
     * strings for any reader, not only ours. */
    static const char *const SPECIAL[] = {"true", "false", "yes", "no", "on",
                                          "off",  "null",  "~",   "y",  "n"};
    for (size_t i = 0; i < sizeof SPECIAL / sizeof *SPECIAL; i++)
        if (strcasecmp(t, SPECIAL[i]) == 0) return true;
    char *end;
    strtod(t, &end);
    return *end == '\0';
}

static void put_string(FILE *out, const char *t, bool flow)
{
    if (!needs_quotes(t, flow)) {
        fputs(t, out);
        return;
    }
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)t; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(out, "\\x%02x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static void put_quantity(FILE *out, double v, unit_kind kind)
{
    char buf[64];
    units_format_exact(v, kind, buf, sizeof buf);
    fputs(buf, out);
}

static void put_shape(FILE *out, const nn_shape *s)
{
    fputc('[', out);
    for (int i = 0; i < s->ndim; i++)
        fprintf(out, i ? ", %ld" : "%ld", s->dim[i]);
    fputc(']', out);
}

/* One layer on one line: {name: conv1, type: conv2d, out_channels: 64, ...}. */
static void put_layer(FILE *out, const nn_layer *l, const nn_shared *shared)
{
    const nn_layer_type_desc *desc = layer_type_get(l->type);
    fputs("    - {name: ", out);
    put_string(out, l->name, true);
    if (l->type != LT_RAW) fprintf(out, ", type: %s", desc->name);
    for (int i = 0; i < desc->nparams; i++) {
        if (!(l->param_given & (1u << i))) continue;
        if (desc->params[i].kind == PARAM_BOOL)
            fprintf(out, ", %s: %s", desc->params[i].key, l->param[i] ? "true" : "false");
        else
            fprintf(out, ", %s: %ld", desc->params[i].key, l->param[i]);
    }
    if (l->type == LT_RAW) {
        fputs(", flops: ", out);
        put_quantity(out, l->raw_flops, UNIT_FLOP);
        fputs(", weights: ", out);
        put_quantity(out, l->raw_weights, UNIT_BYTES);
        fputs(", output: ", out);
        put_quantity(out, l->raw_output, UNIT_BYTES);
        if (l->raw_shape.ndim > 0) {
            fputs(", shape: ", out);
            put_shape(out, &l->raw_shape);
        }
    }
    if (l->nprofiles > 0) {
        fputs(", profile: {", out);
        for (int i = 0; i < l->nprofiles; i++) {
            if (i) fputs(", ", out);
            put_string(out, l->profiles[i].device, true);
            fputs(": ", out);
            put_quantity(out, l->profiles[i].seconds, UNIT_TIME);
        }
        fputc('}', out);
    }
    if (l->nuses_given > 0) {
        fputs(", uses: [", out);
        for (int i = 0; i < l->nuses_given; i++) {
            if (i) fputs(", ", out);
            put_string(out, shared[l->uses[i]].name, true);
        }
        fputc(']', out);
    }
    fputs("}\n", out);
}

static void put_network(FILE *out, const nn_network *net)
{
    fputs("network:", out);
    if (net->zoo[0]) {
        fputc(' ', out);
        put_string(out, net->zoo, false);
        fputc('\n', out);
        return;
    }
    fputc('\n', out);
    if (net->name[0]) {
        fputs("  name: ", out);
        put_string(out, net->name, false);
        fputc('\n', out);
    }
    if (net->input_shape.ndim > 0) {
        fputs("  input: {shape: ", out);
        put_shape(out, &net->input_shape);
        fprintf(out, ", dtype: %s}\n", dtype_name(net->dtype));
    } else {
        fputs("  input: ", out);
        put_quantity(out, net->input_bytes, UNIT_BYTES);
        fputc('\n', out);
        if (net->dtype != DTYPE_FP32) fprintf(out, "  dtype: %s\n", dtype_name(net->dtype));
    }
    bool any_shared = false;
    for (int i = 0; i < net->nshared; i++) {
        if (net->shared[i].derived) continue;
        if (!any_shared) fputs("  shared:\n", out);
        any_shared = true;
        fputs("    - {name: ", out);
        put_string(out, net->shared[i].name, true);
        fputs(", bytes: ", out);
        put_quantity(out, net->shared[i].bytes, UNIT_BYTES);
        fputs("}\n", out);
    }
    fputs("  layers:\n", out);
    for (int i = 0; i < net->nlayers; i++)
        put_layer(out, &net->layers[i], net->shared);
}

static void put_key_string(FILE *out, const char *indent, const char *key, const char *value)
{
    fprintf(out, "%s%s: ", indent, key);
    put_string(out, value, false);
    fputc('\n', out);
}

static void put_key_quantity(FILE *out, const char *key, double v, unit_kind kind)
{
    fprintf(out, "    %s: ", key);
    put_quantity(out, v, kind);
    fputc('\n', out);
}

int scenario_write(const nn_scenario *s, FILE *out)
{
    if (s->name[0]) put_key_string(out, "", "name", s->name);
    put_network(out, &s->net);
    fprintf(out, "mode: %s\n", mode_name(s->mode));
    if (s->ndevices > 0) {
        put_key_string(out, "", "source", s->devices[s->source].name);
        put_key_string(out, "", "sink", s->devices[s->sink].name);
    }
    fputs("devices:\n", out);
    for (int i = 0; i < s->ndevices; i++) {
        const nn_device *d = &s->devices[i];
        fputs("  - name: ", out);
        put_string(out, d->name, false);
        fprintf(out, "\n    tier: %s\n", tier_name(d->tier));
        put_key_quantity(out, "speed", d->speed, UNIT_FLOP_RATE);
        put_key_quantity(out, "memory", d->memory, UNIT_BYTES);
        put_key_quantity(out, "load_rate", d->load_rate, UNIT_BYTE_RATE);
        if (d->memory_bandwidth > 0)
            put_key_quantity(out, "memory_bandwidth", d->memory_bandwidth, UNIT_BYTE_RATE);
    }
    fputs(s->nlinks > 0 ? "links:\n" : "links: []\n", out);
    for (int i = 0; i < s->nlinks; i++) {
        const nn_link *l = &s->links[i];
        fputs("  - between: [", out);
        put_string(out, s->devices[l->a].name, true);
        fputs(", ", out);
        put_string(out, s->devices[l->b].name, true);
        fputs("]\n", out);
        put_key_quantity(out, "bandwidth", l->bandwidth, UNIT_BIT_RATE);
        if (l->reverse_given) put_key_quantity(out, "reverse_bandwidth", l->reverse, UNIT_BIT_RATE);
        put_key_quantity(out, "latency", l->latency, UNIT_TIME);
    }
    bool any_pin = false;
    for (int l = 0; s->pin && l < s->net.nlayers; l++) {
        if (s->pin[l] < 0) continue;
        if (!any_pin) fputs("pins:\n", out);
        any_pin = true;
        fputs("  ", out);
        put_string(out, s->net.layers[l].name, false);
        fputs(": ", out);
        put_string(out, s->devices[s->pin[l]].name, false);
        fputc('\n', out);
    }
    return ferror(out) ? -1 : 0;
}

/* Syncs the directory holding a renamed file so the rename survives a crash. */
static int sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    /* Some file systems cannot sync directories; the rename is done anyway. */
    if (rc != 0 && (errno == EINVAL || errno == ENOTSUP)) rc = 0;
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

int scenario_save(const nn_scenario *s, const char *path, nn_error *err)
{
    nn_error scratch;
    if (!err) err = &scratch;
    error_clear(err);

    char dir_buf[4096], base_buf[4096], tmp[8192 + 16];
    str_copy(dir_buf, sizeof dir_buf, path);
    str_copy(base_buf, sizeof base_buf, path);
    const char *dir = dirname(dir_buf), *base = basename(base_buf);
    snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", dir, base);

    int fd = mkstemp(tmp);
    if (fd < 0)
        return error_set(err, path, 0, 0, NULL,
                         "cannot save: cannot create a temporary file in '%s': %s", dir,
                         strerror(errno));
    /* Keep the permissions of the file being replaced; new files get 0644. */
    struct stat st;
    mode_t mode = stat(path, &st) == 0 ? (st.st_mode & 07777) : 0644;
    const char *step = "cannot set the file mode";
    FILE *f = NULL;
    if (fchmod(fd, mode) != 0) goto fail;
    step = "cannot write";
    if (!(f = fdopen(fd, "w"))) goto fail;
    fd = -1; /* now owned by f */
    if (scenario_write(s, f) != 0 || fflush(f) != 0) goto fail;
    step = "cannot sync";
    if (fsync(fileno(f)) != 0) goto fail;
    step = "cannot write";
    int rc = fclose(f);
    f = NULL;
    if (rc != 0) goto fail;
    step = "cannot replace the file";
    if (rename(tmp, path) != 0) goto fail;
    if (sync_dir(dir) != 0)
        return error_set(err, path, 0, 0, NULL, "saved, but cannot sync directory '%s': %s", dir,
                         strerror(errno));
    return 0;

fail:;
    int saved = errno;
    if (f) fclose(f);
    if (fd >= 0) close(fd);
    unlink(tmp);
    return error_set(err, path, 0, 0, NULL, "cannot save (%s): %s; the old file is unchanged", step,
                     strerror(saved ? saved : EIO));
}
