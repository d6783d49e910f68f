/* --svg for solve and eval: files, --compare, the timeline picture. */
#include "picture.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "fileio.h"
#include "gantt_svg.h"
#include "gantt_text.h"
#include "plot_svg.h"
#include "report.h"

int picture_check(const cli_spec *spec, const char *path, const char *scenario, bool force)
{
    if (!path[0]) return cli_usage_error(spec, "--svg: the file name is empty");
    int rc = outfile_check(path, scenario, force);
    if (rc == OUTFILE_SOURCE)
        return cli_usage_error(spec, "--svg: '%s' is the scenario being read; choose another file",
                               path);
    if (rc == OUTFILE_EXISTS)
        return cli_usage_error(spec, "--svg: '%s' exists; add --force to overwrite it", path);
    return 0;
}

int picture_write(const cli_spec *spec, const char *path, bool force, outfile_fill fill, void *ctx)
{
    char why[1024];
    /* picture_check refused the scenario before the work. */
    int rc = outfile_write(path, NULL, force, fill, ctx, why, sizeof why);
    if (rc == OUTFILE_OK) return CLI_EXIT_OK;
    if (rc == OUTFILE_EXISTS)
        return cli_usage_error(spec, "--svg: '%s' exists; add --force to overwrite it", path);
    fprintf(stderr, "nnpart %s: --svg: %s\n", spec->command, why);
    return CLI_EXIT_FAIL;
}

int picture_compare_parse(const cli_spec *spec, const nn_scenario *s, const nn_baselines *b,
                          const char *text, int *place, char *title, size_t title_size)
{
    int L = s->net.nlayers;
    if (b) {
        const nn_baseline *hit = NULL;
        if (strcasecmp(text, "best") == 0) hit = report_best_baseline(b);
        for (int i = 0; i < b->count && !hit; i++)
            if (strcasecmp(text, b->items[i].name) == 0) hit = &b->items[i];
        if (hit && hit->place) {
            memcpy(place, hit->place, (size_t)L * sizeof *place);
            snprintf(title, title_size, "%s", hit->name);
            return 0;
        }
    }
    char why[768];
    if (cli_place_parse(s, text, place, why, sizeof why)) {
        snprintf(title, title_size, "compared");
        return 0;
    }
    const char *reason = strncmp(why, "--place: ", 9) == 0 ? why + 9 : why;
    if (!b) return cli_usage_error(spec, "--compare: %s", reason);
    char names[1024] = "best";
    for (int i = 0; i < b->count; i++)
        if (b->items[i].place)
            snprintf(names + strlen(names), sizeof names - strlen(names), ", %s", b->items[i].name);
    return cli_usage_error(spec, "--compare: '%s' is neither a baseline (%s) nor a placement (%s)",
                           text, names, reason);
}

typedef struct timeline_job {
    const char *heading;
    const gantt_svg_row *rows;
    int nrows;
} timeline_job;

static int timeline_fill(FILE *out, void *ctx)
{
    const timeline_job *j = ctx;
    return gantt_svg_write(out, j->heading, j->rows, j->nrows);
}

int picture_inputs(const cli_spec *spec, const char *text, bool gantt, bool svg, int *inputs)
{
    *inputs = 0;
    if (!text) return 0;
    char *end;
    long n = strtol(text, &end, 10);
    if (*end || end == text || n < 1 || n > GANTT_MAX_INPUTS)
        return cli_usage_error(spec, "--inputs: '%s' is not a whole number from 1 to %d", text,
                               GANTT_MAX_INPUTS);
    if (!gantt && !svg) return cli_usage_error(spec, "--inputs needs --gantt or --svg");
    *inputs = (int)n;
    return 0;
}

int picture_stream_inputs(const nn_scenario *s, int inputs)
{
    if (inputs > 0) return inputs;
    return s->objective == OBJ_THROUGHPUT ? -1 : 0;
}

int picture_gantt(const cli_spec *spec, const nn_instance *in, const nn_eval *ev, const int *place,
                  int stream)
{
    bool unicode = cli_unicode();
    if (!stream) {
        printf("\ntimeline:\n");
        gantt_print(stdout, in, ev, cli_columns(), unicode);
        return 0;
    }
    nn_stream st;
    if (gantt_stream_eval(in, place, stream, &st) != 0) {
        fprintf(stderr, "nnpart %s: out of memory\n", spec->command);
        return CLI_EXIT_FAIL;
    }
    printf("\ntimeline: %d inputs streaming through the pipeline, one period bracketed\n",
           st.ninputs);
    gantt_print_stream(stdout, in, &st, cli_columns(), unicode);
    eval_stream_free(&st);
    return 0;
}

int picture_timeline(const cli_spec *spec, const char *path, bool force, const nn_scenario *s,
                     const nn_instance *in, const nn_eval *ev, const int *place, const char *title,
                     const int *other, const char *other_title, int stream)
{
    bool unicode = true; /* SVG text is UTF-8 whatever the terminal */
    char heading[2 * NN_TEXT_LEN], sub[2][1024];
    snprintf(heading, sizeof heading, "%s \xE2\x80\x94 %s, %d layers", s->name, s->net.name, in->L);
    cli_place_compact(in->device_names, place, in->L, unicode, sub[0], sizeof sub[0]);
    gantt_svg_row rows[2] = {{.in = in, .ev = ev, .title = title, .subtitle = sub[0]}};
    nn_eval cmp = {.feasible = false};
    int nrows = 1;
    if (other) {
        if (eval_run(in, other, ev->mode, &cmp) != 0) {
            fprintf(stderr, "nnpart %s: out of memory\n", spec->command);
            return CLI_EXIT_FAIL;
        }
        cli_place_compact(in->device_names, other, in->L, unicode, sub[1], sizeof sub[1]);
        rows[1] = (gantt_svg_row){.in = in, .ev = &cmp, .title = other_title, .subtitle = sub[1]};
        nrows = 2;
    }
    /* A stream: both placements with the same number of inputs. */
    nn_stream st[2];
    int nst = 0, rc = CLI_EXIT_OK;
    for (; stream && nst < nrows; nst++) {
        const int *p = nst == 0 ? place : other;
        if (gantt_stream_eval(in, p, nst == 0 ? stream : st[0].ninputs, &st[nst]) != 0) {
            fprintf(stderr, "nnpart %s: out of memory\n", spec->command);
            rc = CLI_EXIT_FAIL;
            break;
        }
        rows[nst].stream = &st[nst];
    }
    timeline_job job = {.heading = heading, .rows = rows, .nrows = nrows};
    if (rc == CLI_EXIT_OK) rc = picture_write(spec, path, force, timeline_fill, &job);
    for (int i = 0; i < nst; i++)
        eval_stream_free(&st[i]);
    if (other) eval_free(&cmp);
    return rc;
}

typedef struct names_ctx {
    char (*device_names)[NN_NAME_LEN];
    int L;
} names_ctx;

static void place_label(const int *place, char *buf, size_t size, void *ctx)
{
    const names_ctx *n = ctx;
    cli_place_compact(n->device_names, place, n->L, true, buf, size);
}

typedef struct sweep_job {
    const plot_data *data;
    const plot_map *map;
} sweep_job;

static int sweep_fill(FILE *out, void *ctx)
{
    const sweep_job *j = ctx;
    return j->map ? plot_svg_map_write(out, j->map) : plot_svg_write(out, j->data);
}

int picture_sweep(const cli_spec *spec, const char *path, bool force, const sweep_plot *rec,
                  int naxes, const char *heading, char (*device_names)[NN_NAME_LEN], int L)
{
    names_ctx names = {.device_names = device_names, .L = L};
    plot_data data;
    plot_map map;
    sweep_job job = {NULL};
    int rc;
    if (naxes == 2) {
        rc = sweep_plot_map(rec, heading, place_label, &names, &map);
        job.map = &map;
    } else {
        rc = sweep_plot_data(rec, heading, place_label, &names, &data);
        job.data = &data;
    }
    if (rc != 0) {
        fprintf(stderr, "nnpart %s: out of memory\n", spec->command);
        return CLI_EXIT_FAIL;
    }
    rc = picture_write(spec, path, force, sweep_fill, &job);
    if (naxes == 2)
        sweep_plot_map_free(&map);
    else
        sweep_plot_data_free(&data);
    return rc;
}
