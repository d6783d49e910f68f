#include "cli.h"
#include "instance.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "onnx.h"
#include "ranges.h"
#include "scenario_io.h"
#include "text.h"
#include "units.h"

bool cli_is_onnx(const char *path)
{
    size_t n = strlen(path);
    return n > 5 && strcasecmp(path + n - 5, ".onnx") == 0;
}

int cli_onnx_scenario(const char *path, const onnx_granularity *g, nn_scenario *s, nn_error *err)
{
    nn_network net;
    onnx_summary sum;
    if (onnx_import_file(path, g, &net, &sum, err) != 0) return -1;
    if (scenario_load_string(nnpart_default_yaml, strlen(nnpart_default_yaml), "<built-in default>",
                             s, err) != 0) {
        network_free(&net);
        return -1;
    }
    snprintf(s->name, sizeof s->name, "%s on the built-in devices", net.name);
    if (scenario_set_network(s, &net) != 0) {
        network_free(&net);
        scenario_free(s);
        return error_set(err, path, 0, 0, NULL, "out of memory");
    }
    return 0;
}

int cli_load(const char *path, nn_scenario *s)
{
    nn_error err;
    error_clear(&err);
    /* A model alone runs on the built-in devices; a save references it. */
    if (cli_is_onnx(path)) {
        if (cli_onnx_scenario(path, NULL, s, &err) != 0) {
            fprintf(stderr, "%s\n", err.message);
            return CLI_EXIT_USAGE;
        }
        char *abs = realpath(path, NULL);
        str_copy(s->net.onnx, sizeof s->net.onnx, abs ? abs : path);
        free(abs);
        return 0;
    }
    if (scenario_load_file(path, s, &err) != 0) {
        fprintf(stderr, "%s\n", err.message[0] ? err.message : "cannot load the scenario");
        return CLI_EXIT_USAGE;
    }
    return 0;
}

int cli_apply_mode(const cli_spec *spec, const char *text, nn_objective objective, nn_scenario *s)
{
    if (!text) return 0;
    nn_mode m;
    if (mode_parse(text, &m) != 0) {
        char modes[128] = "";
        for (int i = 0; i < MODE_COUNT; i++)
            snprintf(modes + strlen(modes), sizeof modes - strlen(modes), "%s%s", i ? ", " : "",
                     mode_name((nn_mode)i));
        return cli_usage_error(spec, "--mode: unknown mode '%s'; accepted: %s", text, modes);
    }
    /* Meaningless there, as --inputs without a picture: said, not ignored. */
    if (objective_mode(objective, m) != m)
        return cli_usage_error(spec,
                               "--mode %s: objective %s keeps weights resident; accepted with "
                               "it: %s, or no --mode",
                               mode_name(m), objective_name(objective),
                               mode_name(objective_mode(objective, m)));
    s->mode = m;
    return 0;
}

int cli_apply_objective(const cli_spec *spec, const char *text, nn_scenario *s)
{
    if (!text) return 0;
    nn_objective o;
    if (objective_parse(text, &o) != 0) {
        char names[128] = "";
        for (int i = 0; i < OBJ_COUNT; i++)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? ", " : "",
                     objective_name((nn_objective)i));
        return cli_usage_error(spec, "--objective: unknown objective '%s'; accepted: %s", text,
                               names);
    }
    s->objective = o;
    return 0;
}

int cli_apply_engine(const cli_spec *spec, const char *text, nn_solve_options *opt)
{
    if (!text) return 0;
    if (engine_parse(text, &opt->engine) != 0) {
        char engines[64] = "";
        for (int i = 0; i < ENGINE_COUNT; i++)
            snprintf(engines + strlen(engines), sizeof engines - strlen(engines), "%s%s",
                     i ? ", " : "", engine_name((nn_engine)i));
        return cli_usage_error(spec, "--engine: unknown engine '%s'; accepted: %s", text, engines);
    }
    return 0;
}

int cli_check_ilp_size(const char *path, const nn_scenario *s, const nn_instance *in,
                       const nn_solve_options *opt)
{
    char why[320];
    if (!solve_needs_ilp(in, opt) || ranges_check_ilp_size(in->L, in->D, why, sizeof why)) return 0;
    nn_error err;
    error_clear(&err);
    error_set(&err, path, s->net_line, s->net_col, "network", "%s", why);
    fprintf(stderr, "%s\n", err.message);
    return CLI_EXIT_USAGE;
}

/* Splits "name*N" / "name×N"; returns the count, 0 when `tok` has none,
 * or -1 when N is larger than any network (its digits stay in `tok`). */
static long split_count(char *tok)
{
    char *mark = strrchr(tok, '*');
    size_t skip = 1;
    char *times = NULL;
    for (char *p = strstr(tok, "\xC3\x97"); p; p = strstr(p + 1, "\xC3\x97"))
        times = p; /* the last × */
    if (times && (!mark || times > mark)) {
        mark = times;
        skip = 2;
    }
    if (!mark || mark == tok || !mark[skip]) return 0;
    for (const char *p = mark + skip; *p; p++)
        if (!isdigit((unsigned char)*p)) return 0;
    errno = 0;
    long n = strtol(mark + skip, NULL, 10);
    if (errno == ERANGE || n > NN_MAX_LAYERS) return -1;
    if (n <= 0) return 0;
    *mark = '\0';
    return n;
}

static void list_devices(const nn_scenario *s, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int d = 0; d < s->ndevices && n < size; d++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", d ? ", " : "", s->devices[d].name);
}

bool cli_place_parse(const nn_scenario *s, const char *text, int *place, char *why, size_t why_size)
{
    int L = s->net.nlayers, n = 0, ntok = 0;
    bool counted = false;
    char *copy = strdup(text), *save = NULL;
    if (!copy) {
        snprintf(why, why_size, "out of memory");
        return false;
    }
    for (char *tok = strtok_r(copy, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
        ntok++;
        long count = 1;
        int d = scenario_find_device(s, tok);
        if (d < 0) {
            long c = split_count(tok);
            if (c < 0) {
                snprintf(why, why_size,
                         "--place: the count in '%s' is more than the network '%s' has layers "
                         "(%d)",
                         tok, s->net.name, L);
                free(copy);
                return false;
            }
            if (c > 0) {
                count = c;
                counted = true;
                d = scenario_find_device(s, tok);
            }
        }
        if (d < 0) {
            char names[512];
            list_devices(s, names, sizeof names);
            snprintf(why, why_size, "--place: no device named '%s' (devices: %s)", tok, names);
            free(copy);
            return false;
        }
        for (long i = 0; i < count; i++, n++)
            if (n < L) place[n] = d;
    }
    free(copy);
    if (ntok == 1 && !counted && n == 1) {
        for (int l = 1; l < L; l++)
            place[l] = place[0]; /* one name: every layer there */
        n = L;
    }
    if (n != L) {
        snprintf(why, why_size,
                 "--place gives %d device%s but the network '%s' has %d layer%s; give one "
                 "device per layer in order (NAME*N repeats a name), or one device for all",
                 n, n == 1 ? "" : "s", s->net.name, L, L == 1 ? "" : "s");
        return false;
    }
    return true;
}

void cli_place_compact(char (*device_names)[NN_NAME_LEN], const int *place, int nlayers,
                       bool unicode, char *buf, size_t size)
{
    placement_compact(device_names, place, nlayers, unicode, buf, size);
}

void cli_device_cells(cli_table *t, const char *name, nn_tier tier, double speed, double memory,
                      double load_rate)
{
    table_cell(t, "%s", name);
    table_cell(t, "%s", tier_name(tier));
    table_cell_units(t, speed, UNIT_FLOP_RATE);
    table_cell_units(t, memory, UNIT_BYTES);
    table_cell_units(t, load_rate, UNIT_BYTE_RATE);
}

void cli_link_cells(cli_table *t, double forward, double reverse, double latency)
{
    table_cell_units(t, forward, UNIT_BIT_RATE);
    table_cell_units(t, reverse, UNIT_BIT_RATE);
    table_cell_units(t, latency, UNIT_TIME);
}

bool cli_unicode(void)
{
    const char *vars[] = {"LC_ALL", "LC_CTYPE", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (!v || !*v) continue;
        return strcasestr(v, "UTF-8") || strcasestr(v, "utf8");
    }
    return false;
}

int cli_columns(void)
{
    /* Capped: a width is laid out cell by cell (COLUMNS=30000000 took 12 s
     * and 590 MB). */
    const char *env = getenv("COLUMNS");
    long cols = 0;
    if (env) {
        char *end;
        cols = strtol(env, &end, 10);
        if (end == env || *end) cols = 0;
    }
    struct winsize ws;
    if (cols <= 0 && isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
        cols = ws.ws_col;
    if (cols <= 0) return 100;
    return cols > NN_MAX_COLUMNS ? NN_MAX_COLUMNS : (int)cols;
}

/* --- output that cannot drive the terminal ----------------------------------- */

typedef struct escaped_stream {
    int fd;
    char held[4]; /* the start of a UTF-8 sequence cut by the buffer */
    size_t nheld;
} escaped_stream;

static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

static ssize_t escaped_write(void *cookie, const char *buf, size_t size)
{
    escaped_stream *e = cookie;
    size_t len = e->nheld + size;
    char *in = malloc(len ? len : 1), *out = malloc(len * 6 + 1);
    if (!in || !out) {
        free(in);
        free(out);
        return -1;
    }
    memcpy(in, e->held, e->nheld);
    memcpy(in + e->nheld, buf, size);
    size_t whole = text_complete_prefix(in, len);
    size_t n = text_escape_n(out, len * 6 + 1, in, whole, TEXT_KEEP_LINES);
    e->nheld = len - whole;
    memcpy(e->held, in + whole, e->nheld);
    int rc = write_all(e->fd, out, n);
    free(in);
    free(out);
    return rc == 0 ? (ssize_t)size : -1;
}

static int escaped_close(void *cookie)
{
    escaped_stream *e = cookie;
    char out[32];
    size_t n = text_escape_n(out, sizeof out, e->held, e->nheld, TEXT_KEEP_LINES);
    int rc = write_all(e->fd, out, n);
    free(e);
    return rc;
}

static FILE *escaped_open(int fd, int mode)
{
    escaped_stream *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    e->fd = fd;
    FILE *f = fopencookie(e, "w",
                          (cookie_io_functions_t){.write = escaped_write, .close = escaped_close});
    if (!f) {
        free(e);
        return NULL;
    }
    setvbuf(f, NULL, mode, BUFSIZ);
    return f;
}

void cli_escape_streams(cli_streams *saved)
{
    *saved = (cli_streams){.out = stdout, .err = stderr};
    FILE *out = escaped_open(STDOUT_FILENO, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF);
    FILE *err = escaped_open(STDERR_FILENO, _IOLBF);
    fflush(stdout);
    fflush(stderr);
    if (out) stdout = out;
    if (err) stderr = err;
}

int cli_restore_streams(const cli_streams *saved)
{
    int rc = 0;
    if (stdout != saved->out) {
        rc |= fclose(stdout);
        stdout = saved->out;
    }
    if (stderr != saved->err) {
        rc |= fclose(stderr);
        stderr = saved->err;
    }
    return rc ? -1 : 0;
}
