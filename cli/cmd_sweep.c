/* nnpart sweep FILE --vary WHAT ...: how the optimum moves with one value. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "field.h"
#include "json.h"
#include "report.h"
#include "solve.h"
#include "table.h"

static const cli_opt OPTS[] = {
    {.name = "vary",
     .arg = "WHAT",
     .help = "device:NAME.speed|memory|load_rate or link:A-B.bandwidth|latency"},
    {.name = "from", .arg = "A", .help = "first value, with its unit (e.g. 1Mbit/s)"},
    {.name = "to", .arg = "B", .help = "last value, with its unit (e.g. 1Gbit/s)"},
    {.name = "steps", .arg = "N", .help = "number of points, A and B included (default 10)"},
    {.name = "log", .arg = NULL, .help = "space the points evenly on a log scale"},
    {.name = "csv", .arg = NULL, .help = "print comma-separated values"},
    {.name = "json", .arg = NULL, .help = "print JSON"},
    {.name = "mode", .arg = "M", .help = "preload, ondemand or resident (default: the file's)"},
    {.name = "time-limit",
     .arg = "S",
     .help = "time limit of each solve (e.g. 200ms; default 10s; none: no limit)"},
};

static const cli_spec SPEC = {
    .command = "sweep",
    .synopsis = "FILE --vary WHAT --from A --to B [--steps N] [--log] [--csv|--json]",
    .about = "Sets one device or link value to N points from A to B and solves at each\n"
             "(warm-started from the previous point), printing the optimal latency and\n"
             "placement, the solve status and the best baseline, and marking with '*'\n"
             "the points where the placement changes. link:A-B.bandwidth is the rate from\n"
             "A to B (an undivided link changes both ways); link:B-A.bandwidth the other\n"
             "direction. Exits with 1 when the solver fails or no point is feasible.",
    .min_pos = 1,
    .max_pos = 1,
    .nopts = 9,
    .opts = OPTS,
    .example = "nnpart sweep configs/default.yaml --vary link:phone-hub.bandwidth "
               "--from 1Mbit/s --to 1Gbit/s --steps 10 --log",
};

typedef enum sweep_format { SWEEP_TEXT, SWEEP_CSV, SWEEP_JSON } sweep_format;

typedef struct sweep_plan {
    nn_field_ref ref;
    char what[2 * NN_NAME_LEN + 32];
    double from, to;
    int steps;
    bool log;
    double time_limit_s;
    sweep_format format;
} sweep_plan;

/* Everything shown for one point. */
typedef struct sweep_point {
    double value;
    nn_solve_result r;
    nn_baselines b;
    bool changed;
} sweep_point;

/* Output state across points. */
typedef struct sweep_out {
    const sweep_plan *plan;
    const nn_scenario *s;
    json_writer json;
    cli_table table;
    bool unicode;
} sweep_out;

static double point_value(const sweep_plan *p, int i)
{
    if (p->steps == 1) return p->from;
    if (i == p->steps - 1) return p->to; /* exactly B, without rounding */
    double f = (double)i / (p->steps - 1);
    return p->log ? p->from * pow(p->to / p->from, f) : p->from + (p->to - p->from) * f;
}

static int parse_plan(const nn_scenario *s, const cli_args *args, sweep_plan *p)
{
    const char *vary = cli_get(&SPEC, args, "vary"), *from = cli_get(&SPEC, args, "from"),
               *to = cli_get(&SPEC, args, "to"), *steps = cli_get(&SPEC, args, "steps"),
               *limit = cli_get(&SPEC, args, "time-limit");
    char why[512];
    if (!vary || !from || !to)
        return cli_usage_error(&SPEC, "--vary, --from and --to are required");
    if (!field_ref_parse(s, vary, &p->ref, why, sizeof why))
        return cli_usage_error(&SPEC, "--vary: %s", why);
    field_ref_name(s, &p->ref, p->what, sizeof p->what);
    if (!field_parse_value(p->ref.id, from, &p->from, why, sizeof why))
        return cli_usage_error(&SPEC, "--from: %s", why);
    if (!field_parse_value(p->ref.id, to, &p->to, why, sizeof why))
        return cli_usage_error(&SPEC, "--to: %s", why);
    p->steps = 10;
    if (steps) {
        char *end;
        long n = strtol(steps, &end, 10);
        if (*end || end == steps || n < 1 || n > 10000)
            return cli_usage_error(&SPEC, "--steps: '%s' is not a whole number from 1 to 10000",
                                   steps);
        p->steps = (int)n;
    }
    p->log = cli_get(&SPEC, args, "log") != NULL;
    if (p->log && !(p->from > 0 && p->to > 0))
        return cli_usage_error(&SPEC, "--log needs --from and --to above 0");
    if (cli_parse_time_limit(&SPEC, limit, &p->time_limit_s) != 0) return CLI_EXIT_USAGE;
    bool csv = cli_get(&SPEC, args, "csv") != NULL, json = cli_get(&SPEC, args, "json") != NULL;
    if (csv && json) return cli_usage_error(&SPEC, "--csv and --json cannot be combined");
    p->format = csv ? SWEEP_CSV : json ? SWEEP_JSON : SWEEP_TEXT;
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
    case UNIT_KIND_COUNT:
        break;
    }
    return "";
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

static void out_begin(sweep_out *o)
{
    const sweep_plan *p = o->plan;
    const nn_field_desc *f = field_desc(p->ref.id);
    char a[32], b[32];
    units_format(p->from, f->unit, a, sizeof a);
    units_format(p->to, f->unit, b, sizeof b);
    switch (p->format) {
    case SWEEP_TEXT:
        printf("scenario: %s\nnetwork:  %s, %d layers\nmode:     %s\n", o->s->name, o->s->net.name,
               o->s->net.nlayers, mode_name(o->s->mode));
        printf("sweep:    %s from %s to %s, %d point%s%s\n\n", p->what, a, b, p->steps,
               p->steps == 1 ? "" : "s", p->log ? " on a log scale" : "");
        table_init(&o->table, "", ">value", ">latency", "placement", "status", "best baseline",
                   ">its latency", ">vs optimum", NULL);
        break;
    case SWEEP_CSV:
        printf("value (%s),latency_s,status,gap,solve_time_s,changed,placement,best_baseline,"
               "best_baseline_latency_s\n",
               base_unit(f->unit));
        break;
    case SWEEP_JSON:
        json_init(&o->json, stdout);
        json_object_begin(&o->json);
        json_kv_string(&o->json, "scenario", o->s->name);
        json_kv_string(&o->json, "network", o->s->net.name);
        json_kv_string(&o->json, "mode", mode_name(o->s->mode));
        json_kv_string(&o->json, "vary", p->what);
        json_kv_string(&o->json, "unit", base_unit(f->unit));
        json_kv_number(&o->json, "from", p->from);
        json_kv_number(&o->json, "to", p->to);
        json_kv_int(&o->json, "steps", p->steps);
        json_kv_bool(&o->json, "log", p->log);
        json_key(&o->json, "points");
        json_array_begin(&o->json);
        break;
    }
}

static void out_point(sweep_out *o, const nn_instance *in, const sweep_point *pt)
{
    const nn_field_desc *f = field_desc(o->plan->ref.id);
    const nn_solve_result *r = &pt->r;
    const nn_baseline *best = report_best_baseline(&pt->b);
    char compact[2048] = "";
    if (r->place)
        cli_place_compact(in->device_names, r->place, in->L,
                          o->plan->format == SWEEP_TEXT && o->unicode, compact, sizeof compact);
    switch (o->plan->format) {
    case SWEEP_TEXT: {
        table_cell(&o->table, "%s", pt->changed ? "*" : "");
        table_cell_units(&o->table, pt->value, f->unit);
        report_cell(&o->table, r->place ? r->latency : INFINITY, UNIT_TIME);
        table_cell(&o->table, "%s", r->place ? compact : "-");
        if (r->status == SOLVE_FEASIBLE)
            table_cell(&o->table, "%s, gap %.2g%%", solve_status_name(r->status), 100 * r->gap);
        else
            table_cell(&o->table, "%s", solve_status_name(r->status));
        table_cell(&o->table, "%s", best ? best->name : "-");
        report_cell(&o->table, best ? best->latency : INFINITY, UNIT_TIME);
        if (best && r->place && r->latency > 0)
            table_cell(&o->table, "%.2fx", best->latency / r->latency);
        else
            table_cell(&o->table, "-");
        break;
    }
    case SWEEP_CSV:
        csv_number(pt->value, false);
        csv_number(r->place ? r->latency : NAN, false);
        csv_field(solve_status_name(r->status), false);
        csv_number(r->place ? r->gap : NAN, false);
        csv_number(r->solve_time_s, false);
        printf("%d,", pt->changed);
        csv_field(compact, false);
        csv_field(best ? best->name : "", false);
        csv_number(best ? best->latency : NAN, true);
        break;
    case SWEEP_JSON:
        json_object_begin(&o->json);
        json_kv_number(&o->json, "value", pt->value);
        json_kv_number(&o->json, "latency_s", r->place ? r->latency : INFINITY);
        report_placement_json(&o->json, in, r->place);
        json_kv_string(&o->json, "status", solve_status_name(r->status));
        json_kv_bool(&o->json, "changed", pt->changed);
        json_kv_number(&o->json, "gap", r->place ? r->gap : INFINITY);
        json_kv_number(&o->json, "solve_time_s", r->solve_time_s);
        if (!r->place) json_kv_string(&o->json, "message", r->message);
        report_baselines_json(&o->json, in, &pt->b);
        json_object_end(&o->json);
        break;
    }
}

static void out_end(sweep_out *o, int nchanges)
{
    switch (o->plan->format) {
    case SWEEP_TEXT:
        table_print(&o->table, stdout, 0);
        table_free(&o->table);
        if (nchanges == 0)
            printf("\nthe placement is the same at every point\n");
        else
            printf("\n* the placement changes at this point (%d change%s)\n", nchanges,
                   nchanges == 1 ? "" : "s");
        break;
    case SWEEP_CSV:
        break;
    case SWEEP_JSON:
        json_array_end(&o->json);
        json_object_end(&o->json);
        json_finish(&o->json);
        break;
    }
}

/* Solves at every point; returns the exit status. */
static int run(nn_scenario *work, const sweep_plan *plan)
{
    int L = work->net.nlayers, nchanges = 0, nfound = 0, rc = CLI_EXIT_OK;
    int *prev = calloc((size_t)L + 1, sizeof *prev);
    bool have_prev = false, first = true;
    if (!prev) return CLI_EXIT_FAIL;
    sweep_out o = {.plan = plan, .s = work, .unicode = cli_unicode()};
    out_begin(&o);
    for (int i = 0; i < plan->steps; i++) {
        sweep_point pt = {.value = point_value(plan, i)};
        char why[512];
        nn_instance in;
        if (!field_set(work, &plan->ref, pt.value, why, sizeof why)) {
            fprintf(stderr, "nnpart sweep: %s\n", why);
            rc = CLI_EXIT_USAGE;
            break;
        }
        if (instance_build(work, &in) != 0) {
            rc = CLI_EXIT_FAIL;
            break;
        }
        nn_solve_options opt = {.mode = work->mode,
                                .time_limit_s = plan->time_limit_s,
                                .warm_start = have_prev ? prev : NULL};
        if (solve_ilp(&in, &opt, &pt.r) != 0) {
            fprintf(stderr, "nnpart sweep: out of memory\n");
            instance_free(&in);
            rc = CLI_EXIT_FAIL;
            break;
        }
        baselines_compute(&in, &opt, pt.r.place ? pt.r.latency : INFINITY, &pt.b);
        bool found = pt.r.place != NULL;
        /* A change: another placement, or a placement appearing or vanishing. */
        pt.changed = !first && (found != have_prev ||
                                (found && memcmp(prev, pt.r.place, (size_t)L * sizeof *prev)));
        nchanges += pt.changed;
        out_point(&o, &in, &pt);
        if (found) {
            memcpy(prev, pt.r.place, (size_t)L * sizeof *prev);
            nfound++;
        }
        have_prev = found;
        first = false;
        if (pt.r.status == SOLVE_ERROR) rc = CLI_EXIT_FAIL;
        baselines_free(&pt.b);
        solve_result_free(&pt.r);
        instance_free(&in);
    }
    out_end(&o, nchanges);
    free(prev);
    if (rc == CLI_EXIT_OK && nfound == 0) rc = CLI_EXIT_FAIL;
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
    sweep_plan plan = {.steps = 10};
    if ((rc = cli_apply_mode(&SPEC, cli_get(&SPEC, &args, "mode"), &s)) == 0 &&
        (rc = parse_plan(&s, &args, &plan)) == 0)
        rc = run(&s, &plan);
    scenario_free(&s);
    return rc;
}
