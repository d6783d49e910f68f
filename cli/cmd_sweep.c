/* nnpart sweep FILE --vary WHAT ...: how the optimum moves with one value or
 * two (a grid), its exact change points, on threads or in slices. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "field.h"
#include "json.h"
#include "picture.h"
#include "report.h"
#include "sweep.h"
#include "sweep_plot.h"
#include "table.h"

static const cli_opt OPTS[] = {
    {.name = "vary",
     .arg = "WHAT",
     .help = "device:NAME.speed|memory|load_rate|preset or link:A-B.bandwidth|latency|preset;"
             " twice for a grid",
     .repeat = true},
    {.name = "from",
     .arg = "A",
     .help = "first value, with its unit (e.g. 1Mbit/s)",
     .repeat = true},
    {.name = "to", .arg = "B", .help = "last value, with its unit (e.g. 1Gbit/s)", .repeat = true},
    {.name = "steps",
     .arg = "N",
     .help = "number of points, A and B included (default 10)",
     .repeat = true},
    {.name = "log", .arg = NULL, .help = "space the points evenly on a log scale", .repeat = true},
    {.name = "values",
     .arg = "V,...",
     .help = "the points themselves: values with units, or preset names",
     .repeat = true},
    {.name = "csv", .arg = NULL, .help = "print comma-separated values"},
    {.name = "json", .arg = NULL, .help = "print JSON"},
    {.name = "mode",
     .arg = "M",
     .help = "preload, ondemand or resident (default: the file's; throughput: resident)"},
    {.name = "time-limit",
     .arg = "S",
     .help = "time limit of each solve (e.g. 200ms; default 10s; none: no limit)"},
    {.name = "breakpoints",
     .arg = NULL,
     .help = "locate every change of the optimal placement to 0.1% of the value"},
    {.name = "svg", .arg = "OUT", .help = "draw the sweep (a grid: a map) as an SVG picture"},
    {.name = "force", .arg = NULL, .help = "let --svg replace an existing file"},
    {.name = "jobs", .arg = "N", .help = "solve on N threads (default 1); same results"},
    {.name = "shard",
     .arg = "K/N",
     .help = "only the K-th of N equal slices of the points (--csv or --json)"},
    {.name = "engine", .arg = "E", .help = "auto (default), ilp or labels: see nnpart solve"},
};

static const cli_spec SPEC = {
    .command = "sweep",
    .synopsis = "FILE --vary WHAT (--from A --to B [--steps N] [--log] | --values V,...)\n"
                "       [--vary WHAT ...] [--breakpoints] [--csv|--json] [--svg OUT [--force]]\n"
                "       [--jobs N] [--shard K/N] [--mode M] [--time-limit S] [--engine E]",
    .about = "Sets one device or link value to N points from A to B (or to the listed\n"
             "values, or presets) and solves at each, printing the optimal latency and\n"
             "placement, the solve status and the best baseline, and marking with '*'\n"
             "the points where the placement changes. --breakpoints bisects between such\n"
             "points until each change is located to 0.1% of the value. A second --vary\n"
             "sweeps a grid (the first axis outer); --from, --to, --steps, --log and\n"
             "--values belong to the --vary before them. link:A-B.bandwidth is the rate\n"
             "from A to B (an undivided link changes both ways); device:NAME.preset and\n"
             "link:A-B.preset take preset names (nnpart presets). Every point is solved\n"
             "on its own, so --jobs N threads and --shard K/N slices give exactly the\n"
             "results of one serial run; shards' CSV concatenated in order is the whole\n"
             "CSV. Exits with 1 when the solver fails or no point is feasible.",
    .min_pos = 1,
    .max_pos = 1,
    .nopts = (int)(sizeof OPTS / sizeof OPTS[0]),
    .opts = OPTS,
    .example = "nnpart sweep configs/default.yaml --vary link:hub-cloud.bandwidth "
               "--from 1Mbit/s --to 1Gbit/s --log --breakpoints --svg s.svg",
};

typedef enum sweep_format { SWEEP_TEXT, SWEEP_CSV, SWEEP_JSON } sweep_format;

typedef struct sweep_plan {
    nn_sweep sw;
    sweep_format format;
    bool breakpoints;
    const char *svg;
    bool force;
    int shard_k, shard_n; /* 0: not sharded */
    int first, last;      /* points of this run */
} sweep_plan;

/* Options of one axis, as given after its --vary. */
typedef struct axis_args {
    const char *vary, *from, *to, *steps, *values;
    bool log;
} axis_args;

static int opt_index(const char *name)
{
    for (int i = 0; i < SPEC.nopts; i++)
        if (strcmp(OPTS[i].name, name) == 0) return i;
    return -1;
}

/* Groups --from/--to/--steps/--log/--values with the --vary before them (or
 * the first --vary when they come before any). */
static int group_axes(const cli_args *args, axis_args ax[2], int *naxes)
{
    int vary = opt_index("vary");
    const char *names[] = {"from", "to", "steps", "log", "values"};
    int n = 0;
    for (int i = 0; i < args->nocc; i++)
        if (args->occ[i].opt == vary) {
            if (n == 2) return cli_usage_error(&SPEC, "--vary: at most two axes (a grid)");
            ax[n++].vary = args->occ[i].val;
        }
    if (n == 0) return cli_usage_error(&SPEC, "--vary is required");
    int cur = 0;
    bool seen_vary = false;
    for (int i = 0; i < args->nocc; i++) {
        int o = args->occ[i].opt;
        if (o == vary) {
            cur = seen_vary ? cur + 1 : 0;
            seen_vary = true;
            continue;
        }
        for (int k = 0; k < 5; k++) {
            if (o != opt_index(names[k])) continue;
            const char **slot = k == 0   ? &ax[cur].from
                                : k == 1 ? &ax[cur].to
                                : k == 2 ? &ax[cur].steps
                                : k == 4 ? &ax[cur].values
                                         : NULL;
            bool twice = slot ? *slot != NULL : ax[cur].log;
            if (twice)
                return cli_usage_error(&SPEC, "--%s given twice for --vary %s", names[k],
                                       ax[cur].vary);
            if (slot)
                *slot = args->occ[i].val;
            else
                ax[cur].log = true;
        }
    }
    *naxes = n;
    return 0;
}

static int parse_axis(const nn_scenario *s, const axis_args *a, nn_axis *out)
{
    char why[1024];
    if (!axis_parse(s, a->vary, out, why, sizeof why))
        return cli_usage_error(&SPEC, "--vary: %s", why);
    out->log = a->log;
    if (out->kind != AXIS_FIELD) {
        if (a->from || a->to || a->steps || a->log)
            return cli_usage_error(&SPEC,
                                   "--vary %s takes preset names: give --values NAME,... "
                                   "(not --from, --to, --steps or --log)",
                                   a->vary);
        if (!a->values)
            return cli_usage_error(&SPEC, "--vary %s needs --values NAME,... (see nnpart presets)",
                                   a->vary);
    }
    if (a->values) {
        if (a->from || a->to || a->steps)
            return cli_usage_error(
                &SPEC, "--values replaces --from, --to and --steps for --vary %s", a->vary);
        if (!axis_parse_values(out, a->values, why, sizeof why))
            return cli_usage_error(&SPEC, "--values: %s", why);
        if (out->log)
            for (int i = 0; i < out->n; i++)
                if (!(out->values[i] > 0))
                    return cli_usage_error(&SPEC, "--log needs values above 0");
        return 0;
    }
    if (!a->from)
        return cli_usage_error(&SPEC, "--vary %s needs --from and --to, or --values", a->vary);
    double from, to = 0;
    if (!field_parse_value(out->ref.id, a->from, &from, why, sizeof why))
        return cli_usage_error(&SPEC, "--from: %s", why);
    int steps = 10;
    if (a->steps) {
        char *end;
        long n = strtol(a->steps, &end, 10);
        if (*end || end == a->steps || n < 1 || n > 10000)
            return cli_usage_error(&SPEC, "--steps: '%s' is not a whole number from 1 to 10000",
                                   a->steps);
        steps = (int)n;
    }
    if (steps == 1 && a->to)
        return cli_usage_error(&SPEC, "--steps 1 leaves no room for --to: give 2 or more steps, "
                                      "or leave out --to for the single point --from");
    if (steps > 1 && !a->to) return cli_usage_error(&SPEC, "--vary %s needs --to", a->vary);
    if (a->to && !field_parse_value(out->ref.id, a->to, &to, why, sizeof why))
        return cli_usage_error(&SPEC, "--to: %s", why);
    if (out->log && !(from > 0 && (steps == 1 || to > 0)))
        return cli_usage_error(&SPEC, "--log needs --from and --to above 0");
    if (axis_set_range(out, from, steps == 1 ? from : to, steps) != 0) {
        fprintf(stderr, "nnpart sweep: out of memory\n");
        return CLI_EXIT_FAIL;
    }
    return 0;
}

static int parse_whole(const char *opt, const char *text, long lo, long hi, long *out)
{
    char *end;
    long n = strtol(text, &end, 10);
    if (*end || end == text || n < lo || n > hi)
        return cli_usage_error(&SPEC, "--%s: '%s' is not a whole number from %ld to %ld", opt, text,
                               lo, hi);
    *out = n;
    return 0;
}

static int parse_plan(const nn_scenario *s, const cli_args *args, sweep_plan *p)
{
    axis_args ax[2] = {{NULL}};
    int rc, naxes = 0;
    if ((rc = group_axes(args, ax, &naxes)) != 0) return rc;
    p->sw.naxes = naxes;
    for (int i = 0; i < naxes; i++)
        if ((rc = parse_axis(s, &ax[i], &p->sw.axes[i])) != 0) return rc;
    if (naxes == 2 && p->sw.axes[0].ref.index == p->sw.axes[1].ref.index &&
        p->sw.axes[0].kind == p->sw.axes[1].kind &&
        (p->sw.axes[0].kind != AXIS_FIELD || p->sw.axes[0].ref.id == p->sw.axes[1].ref.id))
        return cli_usage_error(&SPEC, "--vary: both axes set %s", p->sw.axes[0].what);
    if (sweep_size(&p->sw) > SWEEP_MAX_POINTS)
        return cli_usage_error(&SPEC, "the grid has more than %d points", SWEEP_MAX_POINTS);
    nn_solve_options eng = {.engine = ENGINE_AUTO};
    if (cli_apply_engine(&SPEC, cli_get(&SPEC, args, "engine"), &eng) != 0) return CLI_EXIT_USAGE;
    p->sw.engine = eng.engine;
    if (cli_parse_time_limit(&SPEC, cli_get(&SPEC, args, "time-limit"), &p->sw.time_limit_s) != 0)
        return CLI_EXIT_USAGE;
    bool csv = cli_get(&SPEC, args, "csv") != NULL, json = cli_get(&SPEC, args, "json") != NULL;
    if (csv && json) return cli_usage_error(&SPEC, "--csv and --json cannot be combined");
    p->format = csv ? SWEEP_CSV : json ? SWEEP_JSON : SWEEP_TEXT;
    p->breakpoints = cli_get(&SPEC, args, "breakpoints") != NULL;
    if (p->breakpoints && naxes == 2)
        return cli_usage_error(&SPEC, "--breakpoints needs one --vary, not a grid");
    if (p->breakpoints && p->sw.axes[0].kind != AXIS_FIELD)
        return cli_usage_error(&SPEC, "--breakpoints needs a number to bisect; %s takes presets",
                               p->sw.axes[0].what);
    long jobs = 1;
    const char *j = cli_get(&SPEC, args, "jobs");
    if (j && (rc = parse_whole("jobs", j, 1, SWEEP_MAX_JOBS, &jobs)) != 0) return rc;
    p->sw.jobs = (int)jobs;
    int n = sweep_size(&p->sw);
    p->first = 0;
    p->last = n;
    const char *shard = cli_get(&SPEC, args, "shard");
    if (shard) {
        int k, count, used = 0;
        if (sscanf(shard, "%d/%d%n", &k, &count, &used) != 2 || shard[used] || count < 1 ||
            count > SWEEP_MAX_POINTS || k < 1 || k > count)
            return cli_usage_error(&SPEC,
                                   "--shard: '%s' is not K/N with 1 <= K <= N <= %d (e.g. 2/8)",
                                   shard, SWEEP_MAX_POINTS);
        if (p->format == SWEEP_TEXT) return cli_usage_error(&SPEC, "--shard needs --csv or --json");
        p->shard_k = k;
        p->shard_n = count;
        sweep_shard(n, k, count, &p->first, &p->last);
    }
    p->svg = cli_get(&SPEC, args, "svg");
    p->force = cli_get(&SPEC, args, "force") != NULL;
    if (p->force && !p->svg) return cli_usage_error(&SPEC, "--force needs --svg");
    if (p->svg && shard)
        return cli_usage_error(&SPEC, "--svg draws the whole sweep; it cannot be combined with "
                                      "--shard");
    if (p->svg && (rc = picture_check(&SPEC, p->svg, args->pos[0], p->force)) != 0) return rc;
    return 0;
}

/* The base unit values are given in, in JSON and CSV. */
static const char *base_unit(unit_kind kind)
{
    switch (kind) {
    case UNIT_FLOP:
        return "FLOP";
    case UNIT_FLOP_RATE:
        return "FLOP/s";
    case UNIT_BYTES:
        return "B";
    case UNIT_BYTE_RATE:
        return "B/s";
    case UNIT_BIT_RATE:
        return "bit/s";
    case UNIT_TIME:
        return "s";
    case UNIT_POWER:
        return "W";
    case UNIT_ENERGY:
        return "J";
    case UNIT_ENERGY_PER_BIT:
        return "J/bit";
    case UNIT_COUNT:
        break;
    case UNIT_KIND_COUNT:
        return "preset";
    }
    return "";
}

/* A CSV column named after the objective's value, in its base unit:
 * latency_s, energy_j, battery_energy_j or period_s. */
static void objective_column(nn_objective obj)
{
    for (const char *c = objective_value_name(obj); *c; c++)
        putchar(*c == ' ' ? '_' : *c);
    printf("_%s", objective_unit(obj) == UNIT_ENERGY ? "j" : "s");
}

/* A CSV number; empty when it does not exist. */
static void csv_number(double v, bool last)
{
    if (isfinite(v)) printf("%.17g", v);
    putchar(last ? '\n' : ',');
}

/* RFC 4180: quote a field that holds a comma, quote or line break. */
static void csv_field(const char *text, bool last)
{
    if (strpbrk(text, ",\"\r\n")) {
        putchar('"');
        for (const char *c = text; *c; c++) {
            if (*c == '"') putchar('"');
            putchar(*c);
        }
        putchar('"');
    } else {
        fputs(text, stdout);
    }
    putchar(last ? '\n' : ',');
}

/* Output state across points. */
typedef struct sweep_out {
    const sweep_plan *plan;
    const nn_scenario *s;
    char (*device_names)[NN_NAME_LEN];
    int L;
    json_writer json;
    cli_table table;
    char its[48];        /* the table's title of the best baseline's value (kept by table) */
    char value_head[48]; /* the optimum's value on the objective, ">energy" (kept by table) */
    bool unicode;
    int npoints, nchanges, nfound;
    bool solver_error;
    sweep_plot *rec; /* what the pictures and the breakpoint table need */
} sweep_out;

static void axis_value_csv(const nn_axis *a, int k, bool last)
{
    if (a->kind == AXIS_FIELD)
        csv_number(a->values[k], last);
    else
        csv_field(axis_preset_name(a, k), last);
}

static void axis_value_json(json_writer *w, const nn_axis *a, int k)
{
    if (a->kind == AXIS_FIELD)
        json_number(w, a->values[k]);
    else
        json_string(w, axis_preset_name(a, k));
}

static void out_begin(sweep_out *o)
{
    const sweep_plan *p = o->plan;
    const nn_sweep *sw = &p->sw;
    bool grid = sw->naxes == 2;
    switch (p->format) {
    case SWEEP_TEXT: {
        char mode[160];
        report_mode_text(o->s, o->s->objective, mode, sizeof mode);
        printf("scenario: %s\nnetwork:  %s, %d layers\nmode:     %s\n", o->s->name, o->s->net.name,
               o->s->net.nlayers, mode);
        for (int i = 0; i < sw->naxes; i++) {
            const nn_axis *a = &sw->axes[i];
            char x[64], y[64];
            axis_label(a, 0, x, sizeof x);
            axis_label(a, a->n - 1, y, sizeof y);
            printf("%s %s from %s to %s, %d point%s%s%s\n", i == 0 ? "sweep:   " : "   and   ",
                   a->what, x, y, a->n, a->n == 1 ? "" : "s", a->log ? " on a log scale" : "",
                   grid ? (i == 0 ? " (rows)" : " (columns)") : "");
        }
        printf("\n");
        /* The best baseline is chosen and valued on the objective. */
        nn_objective obj = o->s->objective;
        snprintf(o->its, sizeof o->its, ">its %s", objective_value_name(obj));
        /* Beside the latency, the optimum's value on another objective (the
         * CSV's energy_j, period_s), and a stream's rate. */
        snprintf(o->value_head, sizeof o->value_head, ">%s", objective_value_name(obj));
        if (grid) break; /* a map instead */
        if (obj == OBJ_LATENCY)
            table_init(&o->table, "", ">value", ">latency", "placement", "status", "best baseline",
                       o->its, ">vs optimum", NULL);
        else if (obj == OBJ_THROUGHPUT)
            table_init(&o->table, "", ">value", ">latency", o->value_head, ">inputs/s", "placement",
                       "status", "best baseline", o->its, ">vs optimum", NULL);
        else
            table_init(&o->table, "", ">value", ">latency", o->value_head, "placement", "status",
                       "best baseline", o->its, ">vs optimum", NULL);
        break;
    }
    case SWEEP_CSV:
        /* Only the first slice has the header: shards concatenate to the whole. */
        if (p->shard_k > 1) break;
        if (p->breakpoints) printf("row,");
        for (int i = 0; i < sw->naxes; i++)
            if (grid)
                printf("value %d (%s),", i + 1, base_unit(axis_unit(&sw->axes[i])));
            else
                printf("value (%s),", base_unit(axis_unit(&sw->axes[i])));
        printf("latency_s,");
        /* The optimum's value on another objective beside its latency. */
        if (o->s->objective != OBJ_LATENCY) {
            objective_column(o->s->objective);
            putchar(',');
        }
        printf("status,gap,solve_time_s,changed,placement,best_baseline,best_baseline_");
        objective_column(o->s->objective);
        printf("%s\n", p->breakpoints ? ",before,after" : "");
        break;
    case SWEEP_JSON: {
        json_writer *w = &o->json;
        json_init(w, stdout);
        json_object_begin(w);
        json_kv_string(w, "scenario", o->s->name);
        json_kv_string(w, "network", o->s->net.name);
        json_kv_string(w, "mode", mode_name(sw->mode));
        const nn_axis *a = &sw->axes[0];
        if (!grid) {
            json_kv_string(w, "vary", a->what);
            json_kv_string(w, "unit", base_unit(axis_unit(a)));
            if (a->kind == AXIS_FIELD) {
                json_kv_number(w, "from", a->values[0]);
                json_kv_number(w, "to", a->values[a->n - 1]);
            }
            json_kv_int(w, "steps", a->n);
            json_kv_bool(w, "log", a->log);
        }
        json_key(w, "axes");
        json_array_begin(w);
        for (int i = 0; i < sw->naxes; i++) {
            const nn_axis *ax = &sw->axes[i];
            json_object_begin_inline(w);
            json_kv_string(w, "vary", ax->what);
            json_kv_string(w, "unit", base_unit(axis_unit(ax)));
            json_kv_bool(w, "log", ax->log);
            json_key(w, "values");
            json_array_begin_inline(w);
            for (int k = 0; k < ax->n; k++)
                axis_value_json(w, ax, k);
            json_array_end(w);
            json_object_end(w);
        }
        json_array_end(w);
        if (p->shard_k) {
            json_key(w, "shard");
            json_object_begin_inline(w);
            json_kv_int(w, "index", p->shard_k);
            json_kv_int(w, "count", p->shard_n);
            json_kv_int(w, "first", p->first);
            json_kv_int(w, "last", p->last);
            json_object_end(w);
        }
        json_key(w, "points");
        json_array_begin(w);
        break;
    }
    }
}

static void compact_of(const sweep_out *o, const int *place, bool unicode, char *buf, size_t size)
{
    if (place)
        cli_place_compact(o->device_names, place, o->L, unicode, buf, size);
    else
        snprintf(buf, size, "%s", unicode ? "-" : "");
}

static void out_breakpoint_csv(sweep_out *o, const nn_breakpoint *bp)
{
    char before[2048], after[2048];
    compact_of(o, bp->before, false, before, sizeof before);
    compact_of(o, bp->after, false, after, sizeof after);
    printf("breakpoint,");
    csv_number(bp->value, false);
    csv_number(bp->latency, false);
    if (o->s->objective != OBJ_LATENCY) csv_number(bp->objective, false);
    printf(",,,1,");
    csv_field(after, false);
    printf(",,");
    csv_field(before, false);
    csv_field(after, true);
}

/* Inputs per second of a stream's period, as solve's baselines show it. */
static void rate_cell(cli_table *t, double period)
{
    if (period > 0 && isfinite(period))
        table_cell(t, "%.4g", 1 / period);
    else
        table_cell(t, "-");
}

static void out_point(sweep_out *o, const nn_sweep_point *pt)
{
    const sweep_plan *p = o->plan;
    const nn_sweep *sw = &p->sw;
    const nn_solve_result *r = &pt->r;
    const nn_baseline *best = baselines_best(&pt->b);
    char compact[2048] = "";
    if (r->place)
        cli_place_compact(o->device_names, r->place, o->L, p->format == SWEEP_TEXT && o->unicode,
                          compact, sizeof compact);
    switch (p->format) {
    case SWEEP_TEXT: {
        if (sw->naxes == 2) break; /* the map comes at the end */
        table_cell(&o->table, "%s", pt->changed ? "*" : "");
        char v[64];
        axis_label(&sw->axes[0], pt->idx[0], v, sizeof v);
        table_cell(&o->table, "%s", v);
        report_cell(&o->table, r->place ? r->latency : INFINITY, UNIT_TIME);
        nn_objective obj = o->s->objective;
        if (obj != OBJ_LATENCY)
            report_cell(&o->table, r->place ? r->value : INFINITY, objective_unit(obj));
        if (obj == OBJ_THROUGHPUT) rate_cell(&o->table, r->place ? r->value : INFINITY);
        table_cell(&o->table, "%s", r->place ? compact : "-");
        if (pt->failed)
            table_cell(&o->table, "%s", pt->why);
        else if (r->status == SOLVE_FEASIBLE)
            table_cell(&o->table, "%s, gap %.2g%%", solve_status_name(r->status), 100 * r->gap);
        else
            table_cell(&o->table, "%s", solve_status_name(r->status));
        table_cell(&o->table, "%s", best ? best->name : "-");
        report_cell(&o->table, best ? best->value : INFINITY, objective_unit(o->s->objective));
        if (best && r->place && r->value > 0)
            table_cell(&o->table, "%.2fx", best->value / r->value);
        else
            table_cell(&o->table, "-");
        break;
    }
    case SWEEP_CSV:
        if (p->breakpoints) printf("point,");
        for (int i = 0; i < sw->naxes; i++)
            axis_value_csv(&sw->axes[i], pt->idx[i], false);
        csv_number(r->place ? r->latency : NAN, false);
        if (o->s->objective != OBJ_LATENCY) csv_number(r->place ? r->value : NAN, false);
        csv_field(pt->failed ? pt->why : solve_status_name(r->status), false);
        csv_number(r->place ? r->gap : NAN, false);
        csv_number(r->solve_time_s, false);
        printf("%d,", pt->changed);
        csv_field(compact, false);
        csv_field(best ? best->name : "", false);
        csv_number(best ? best->value : NAN, !p->breakpoints);
        if (p->breakpoints) printf(",\n");
        break;
    case SWEEP_JSON: {
        json_writer *w = &o->json;
        json_object_begin(w);
        if (sw->naxes == 1) {
            json_key(w, "value");
            axis_value_json(w, &sw->axes[0], pt->idx[0]);
        } else {
            json_key(w, "values");
            json_array_begin_inline(w);
            for (int i = 0; i < 2; i++)
                axis_value_json(w, &sw->axes[i], pt->idx[i]);
            json_array_end(w);
        }
        json_kv_number(w, "latency_s", r->place ? r->latency : INFINITY);
        json_kv_number(w, "energy_j", r->place ? r->energy : INFINITY);
        json_kv_number(w, "objective_value", r->place ? r->value : INFINITY);
        report_placement_json(w, &(nn_instance){.L = o->L, .device_names = o->device_names},
                              r->place);
        json_kv_string(w, "status", solve_status_name(r->status));
        json_kv_bool(w, "changed", pt->changed);
        json_kv_number(w, "gap", r->place ? r->gap : INFINITY);
        json_kv_number(w, "solve_time_s", r->solve_time_s);
        if (pt->failed)
            json_kv_string(w, "message", pt->why);
        else if (!r->place)
            json_kv_string(w, "message", r->message);
        report_baselines_json(w, &(nn_instance){.L = o->L, .device_names = o->device_names},
                              &pt->b);
        json_object_end(w);
        break;
    }
    }
}

static int emit(void *ctx, const nn_sweep_point *pt, const nn_breakpoint *bps, int nbps)
{
    sweep_out *o = ctx;
    if (o->plan->format == SWEEP_CSV)
        for (int i = 0; i < nbps; i++)
            out_breakpoint_csv(o, &bps[i]);
    out_point(o, pt);
    o->npoints++;
    o->nchanges += pt->changed;
    o->nfound += pt->r.place != NULL;
    if (pt->r.status == SOLVE_ERROR || pt->failed) o->solver_error = true;
    return sweep_plot_add(o->rec, pt, bps, nbps);
}

static void json_place(json_writer *w, const sweep_out *o, const int *place)
{
    if (!place) {
        json_null(w);
        return;
    }
    json_array_begin_inline(w);
    for (int l = 0; l < o->L; l++)
        json_string(w, o->device_names[place[l]]);
    json_array_end(w);
}

/* A range's value on the objective at one end; a placement that is feasible
 * there but over a limit says so. */
static void range_value_cell(cli_table *t, double value, double latency, nn_objective obj)
{
    if (!isfinite(value) && isfinite(latency) && obj != OBJ_THROUGHPUT)
        table_cell(t, "over the limits");
    else
        report_cell(t, value, objective_unit(obj));
}

/* The ranges between change points: placement and its value on the
 * objective at each end (under throughput also inputs/s). */
static void text_ranges(const sweep_out *o)
{
    const sweep_plot *rec = o->rec;
    const nn_axis *a = &o->plan->sw.axes[0];
    unit_kind unit = axis_unit(a);
    nn_objective obj = o->s->objective;
    printf("\nplacement ranges (each change located to %.1f%% of its value):\n",
           100 * SWEEP_BREAK_TOLERANCE);
    char from[64], to[64];
    snprintf(from, sizeof from, ">%s at from", objective_value_name(obj));
    snprintf(to, sizeof to, ">%s at to", objective_value_name(obj));
    cli_table t;
    if (obj == OBJ_THROUGHPUT)
        table_init(&t, ">from", ">to", "placement", from, to, ">inputs/s at from",
                   ">inputs/s at to", NULL);
    else
        table_init(&t, ">from", ">to", "placement", from, to, NULL);
    int nr = sweep_plot_nranges(rec);
    for (int i = 0; i < nr; i++) {
        sweep_range r;
        sweep_plot_range(rec, i, &r);
        char compact[2048];
        compact_of(o, r.place, o->unicode, compact, sizeof compact);
        table_cell_units(&t, r.from, unit);
        table_cell_units(&t, r.to, unit);
        table_cell(&t, "%s", r.place ? compact : "none feasible");
        range_value_cell(&t, r.value_from, r.latency_from, obj);
        range_value_cell(&t, r.value_to, r.latency_to, obj);
        if (obj == OBJ_THROUGHPUT) {
            rate_cell(&t, r.value_from);
            rate_cell(&t, r.value_to);
        }
    }
    table_print(&t, stdout, 2);
    table_free(&t);
}

/* The grid as a map of letters, one per placement, with the legend. */
static void text_map(const sweep_out *o)
{
    const sweep_plot *rec = o->rec;
    const nn_sweep *sw = &o->plan->sw;
    const nn_axis *rows = &sw->axes[0], *cols = &sw->axes[1];
    printf("optimal placement at each point (rows: %s, columns: %s):\n\n", rows->what, cols->what);
    int w = 0;
    for (int i = 0; i < rows->n; i++) {
        char v[64];
        axis_label(rows, i, v, sizeof v);
        if (text_width(v) > w) w = text_width(v);
    }
    for (int i = 0; i < rows->n; i++) {
        char v[64];
        axis_label(rows, i, v, sizeof v);
        printf("  %*s%s  ", w - text_width(v), "", v);
        for (int j = 0; j < cols->n; j++) {
            int id = sweep_plot_class(rec, i * cols->n + j);
            putchar(id < 0 ? '.' : id < 26 ? 'A' + id : id < 52 ? 'a' + id - 26 : '+');
            putchar(' ');
        }
        putchar('\n');
    }
    char first[64], last[64];
    axis_label(cols, 0, first, sizeof first);
    axis_label(cols, cols->n - 1, last, sizeof last);
    printf("  %*s  columns from %s (left) to %s (right)\n\n", w, "", first, last);
    for (int id = 0; id < sweep_plot_nclasses(rec); id++) {
        char compact[2048];
        compact_of(o, sweep_plot_class_place(rec, id), o->unicode, compact, sizeof compact);
        printf("  %c  %s (%d point%s)\n",
               id < 26   ? 'A' + id
               : id < 52 ? 'a' + id - 26
                         : '+',
               compact, sweep_plot_class_count(rec, id),
               sweep_plot_class_count(rec, id) == 1 ? "" : "s");
    }
    if (sweep_plot_infeasible(rec)) printf("  .  no feasible placement\n");
}

static void out_end(sweep_out *o)
{
    const sweep_plan *p = o->plan;
    switch (p->format) {
    case SWEEP_TEXT:
        if (p->sw.naxes == 2) {
            text_map(o);
            break;
        }
        table_print(&o->table, stdout, 0);
        table_free(&o->table);
        if (o->nchanges == 0)
            printf("\nthe placement is the same at every point\n");
        else
            printf("\n* the placement changes at this point (%d change%s)\n", o->nchanges,
                   o->nchanges == 1 ? "" : "s");
        if (p->breakpoints) text_ranges(o);
        break;
    case SWEEP_CSV:
        break;
    case SWEEP_JSON: {
        json_writer *w = &o->json;
        json_array_end(w);
        if (p->breakpoints) {
            json_key(w, "breakpoints");
            json_array_begin(w);
            for (int i = 0; i < sweep_plot_nbreaks(o->rec); i++) {
                const nn_breakpoint *bp = sweep_plot_break(o->rec, i);
                json_object_begin(w);
                json_kv_number(w, "value", bp->value);
                json_kv_number(w, "low", bp->lo);
                json_kv_number(w, "high", bp->hi);
                json_key(w, "before");
                json_place(w, o, bp->before);
                json_key(w, "after");
                json_place(w, o, bp->after);
                json_kv_number(w, "latency_s", bp->latency);
                json_kv_number(w, "objective_value", bp->objective);
                json_object_end(w);
            }
            json_array_end(w);
        }
        json_object_end(w);
        json_finish(w);
        break;
    }
    }
}

static int run(const char *path, const nn_scenario *s, sweep_plan *plan)
{
    nn_instance names;
    if (instance_build(s, &names) != 0) return CLI_EXIT_FAIL;
    nn_solve_options eng = {.engine = plan->sw.engine};
    solve_options_from_instance(&eng, &names); /* what every point solves under */
    int bad = cli_check_ilp_size(path, s, &names, &eng);
    if (bad != 0) {
        instance_free(&names);
        return bad;
    }
    sweep_plot *rec = sweep_plot_new(&plan->sw, names.device_names, names.L);
    if (!rec) {
        instance_free(&names);
        return CLI_EXIT_FAIL;
    }
    sweep_out o = {.plan = plan,
                   .s = s,
                   .device_names = names.device_names,
                   .L = names.L,
                   .unicode = cli_unicode(),
                   .rec = rec};
    out_begin(&o);
    int rc = CLI_EXIT_OK;
    if (sweep_run(&plan->sw, plan->first, plan->last, plan->breakpoints, emit, &o) != 0) {
        fprintf(stderr, "nnpart sweep: out of memory, or a thread could not start\n");
        rc = CLI_EXIT_FAIL;
    }
    out_end(&o);
    if (rc == CLI_EXIT_OK && (o.solver_error || (o.nfound == 0 && o.npoints > 0)))
        rc = CLI_EXIT_FAIL;
    if (plan->svg) {
        char heading[2 * NN_TEXT_LEN];
        snprintf(heading, sizeof heading, "%s \xE2\x80\x94 %s, %s", s->name, s->net.name,
                 mode_name(plan->sw.mode));
        int prc = picture_sweep(&SPEC, plan->svg, plan->force, rec, plan->sw.naxes, heading,
                                names.device_names, names.L);
        if (prc != 0) rc = prc;
    }
    sweep_plot_free(rec);
    instance_free(&names);
    return rc;
}

int cmd_sweep(int argc, char **argv)
{
    cli_args args;
    int rc = cli_parse(&SPEC, argc, argv, &args);
    if (rc != CLI_PARSED) return rc;
    nn_scenario s;
    scenario_init(&s);
    if ((rc = cli_load(args.pos[0], &s)) != 0) return rc;
    sweep_plan plan = {.sw = {.base = &s, .baselines = true, .jobs = 1}};
    if ((rc = cli_apply_mode(&SPEC, cli_get(&SPEC, &args, "mode"), s.objective, &s)) == 0 &&
        (rc = parse_plan(&s, &args, &plan)) == 0) {
        plan.sw.mode = objective_mode(s.objective, s.mode); /* a stream: resident */
        rc = run(args.pos[0], &s, &plan);
    }
    for (int i = 0; i < 2; i++)
        axis_free(&plan.sw.axes[i]);
    scenario_free(&s);
    return rc;
}
