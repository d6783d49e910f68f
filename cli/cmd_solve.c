/* nnpart solve FILE: the optimal placement, its timeline and the baselines. */
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "critical.h"
#include "fileio.h"
#include "json.h"
#include "picture.h"
#include "report.h"
#include "solve.h"

static const cli_opt OPTS[] = {
    {.name = "mode",
     .arg = "M",
     .help = "preload, ondemand or resident (default: the file's; throughput: resident)"},
    {.name = "objective",
     .arg = "O",
     .help = "latency, energy, battery-energy or throughput (default: the file's)"},
    {.name = "time-limit",
     .arg = "S",
     .help = "stop after S (e.g. 500ms; default 10s; none: no limit), keep the best"},
    {.name = "engine",
     .arg = "E",
     .help = "auto (default: the label engine and the ILP racing), ilp or labels"},
    {.name = "json", .arg = NULL, .help = "print the result as JSON"},
    {.name = "gantt", .arg = NULL, .help = "also draw the timeline ($COLUMNS wide, else 100)"},
    {.name = "inputs",
     .arg = "N",
     .help = "with --gantt or --svg: N inputs (1 to 9) streaming through the pipeline"},
    {.name = "write-lp", .arg = "FILE", .help = "write the ILP in CPLEX LP format to FILE"},
    {.name = "svg", .arg = "OUT", .help = "draw the timeline as an SVG picture into OUT"},
    {.name = "compare",
     .arg = "P",
     .help = "with --svg: also draw baseline P ('all on cloud', 'best') or placement P"},
    {.name = "force", .arg = NULL, .help = "let --svg and --write-lp replace an existing file"},
};

static const cli_spec SPEC = {
    .command = "solve",
    .synopsis =
        "FILE [--mode M] [--objective O] [--time-limit S] [--engine E] [--json]\n"
        "       [--gantt] [--inputs N] [--write-lp FILE] [--svg OUT [--compare P]] [--force]",
    .about = "Finds the placement of the layers with the lowest latency (proven exact by\n"
             "the label engine and the GLPK ILP racing; --engine picks one) and prints it\n"
             "with its critical path (what the latency is made of), its timeline, the\n"
             "solve status, time and gap, the ILP's size, and these baselines:\n"
             "each device alone, the best split between the source and one other\n"
             "device, exo's memory-weighted ring, a FLOP/s-weighted and an equal split, the\n"
             "optima of the other modes, and the best placement where each device runs one\n"
             "contiguous run of layers.\n"
             "--objective energy (or battery-energy) minimises the energy of one inference,\n"
             "throughput the period of a stream of inputs; latency_limit and energy_limit\n"
             "in the file bound the latency and the energy.\n"
             "--svg draws the timeline as a picture (--compare adds a baseline or a\n"
             "placement below it on the same time axis). Under throughput, or with\n"
             "--inputs N, --gantt and --svg show the steady state instead: several inputs\n"
             "in flight through the pipeline, each in its own shade, one period\n"
             "bracketed on the axis. --svg and --write-lp replace an\n"
             "existing file only with --force; --write-lp never writes over the scenario\n"
             "being read. Exits with 1 when no placement is feasible, the solver fails,\n"
             "or the LP file cannot be written (the result is printed first).",
    .min_pos = 1,
    .max_pos = 1,
    .nopts = (int)(sizeof OPTS / sizeof OPTS[0]),
    .opts = OPTS,
    .example = "nnpart solve configs/default.yaml --gantt",
};

static void print_header(const nn_scenario *s, const nn_solve_result *r)
{
    char t[32];
    units_format(r->solve_time_s, UNIT_TIME, t, sizeof t);
    report_scenario_header(stdout, s, s->objective);
    printf("status:    %s", solve_status_name(r->status));
    if (r->place) printf(", gap %.3g%%", 100 * r->gap);
    printf(" (solved in %s", t);
    char lt[32] = "-", it[32] = "-";
    if (r->labels_s >= 0) units_format(r->labels_s, UNIT_TIME, lt, sizeof lt);
    if (r->ilp_s >= 0) units_format(r->ilp_s, UNIT_TIME, it, sizeof it);
    printf(" by the %s; label engine %s, ILP %s", r->engine == ENGINE_ILP ? "ILP" : "label engine",
           lt, it);
    if (r->rows > 0) printf(", %d rows x %d columns", r->rows, r->cols);
    printf(")\n");
    if (r->engine_note[0]) printf("engines:   %s\n", r->engine_note);
    if (r->status != SOLVE_OPTIMAL && r->message[0]) printf("solver:    %s\n", r->message);
    if (r->status == SOLVE_OPTIMAL && r->place && !r->canonical)
        printf(
            "ties:      the time limit stopped the tie-break: an optimum, perhaps not MODEL.md's "
            "canonical one\n");
    if (s->objective != OBJ_LATENCY || s->latency_limit > 0 || s->energy_limit > 0) {
        char lim[96] = "", v[32];
        if (s->latency_limit > 0) {
            units_format(s->latency_limit, UNIT_TIME, v, sizeof v);
            snprintf(lim + strlen(lim), sizeof lim - strlen(lim), ", latency <= %s", v);
        }
        if (s->energy_limit > 0 && s->objective != OBJ_THROUGHPUT) {
            units_format(s->energy_limit, UNIT_ENERGY, v, sizeof v);
            snprintf(lim + strlen(lim), sizeof lim - strlen(lim), ", %senergy <= %s",
                     s->objective == OBJ_BATTERY_ENERGY ? "battery " : "", v);
        }
        printf("optimised: %s%s\n", objective_name(s->objective), lim);
    }
}

/* Energy and, for a stream, the period; `left_s`: what remains of the time
 * limit (0: none) for the one-at-a-time comparison's solve. */
static void print_goal(const nn_scenario *s, const nn_instance *in, const nn_solve_result *r,
                       double left_s)
{
    char a[32], b[32];
    if (s->objective == OBJ_THROUGHPUT) {
        char c[32];
        units_format(r->period, UNIT_TIME, a, sizeof a);
        units_format(r->latency, UNIT_TIME, b, sizeof b);
        units_format(r->stream_latency, UNIT_TIME, c, sizeof c);
        /* Ties in the period go to the least latency of one input alone
         * (MODEL.md); in the steady state it may wait for its windows. */
        printf("period:    %s (%.4g inputs/s); one input through the pipeline: %s alone, %s in "
               "the steady state\n",
               a, r->period > 0 ? 1.0 / r->period : INFINITY, b, c);
        /* What sets the period: the busiest engine (the bottleneck), then
         * the next; a label as wide as the others. */
        nn_bottleneck neck;
        eval_bottleneck(in, r->place, &neck);
        char why[512];
        eval_bottleneck_format(in, &neck, cli_unicode() ? "\u2192" : "->", why, sizeof why);
        if (why[0]) printf("busiest:   %s\n", why);
        /* Against one input at a time on the latency-optimal placement
         * (weights resident, as in the stream); by the race, as every
         * solve (the ILP alone took 0.37 s of CPU on gpt2-home). */
        nn_solve_options one = {.mode = MODE_RESIDENT, .time_limit_s = left_s > 0 ? left_s : 10};
        nn_solve_result q = {.status = SOLVE_ERROR};
        if (r->period > 0 && solve_run(in, &one, &q) == 0 && q.place) {
            units_format(q.latency, UNIT_TIME, a, sizeof a);
            printf("vs:        %s per input, one at a time on the latency-optimal placement: "
                   "the pipeline is %.2fx faster\n",
                   a, q.latency / r->period);
        }
        solve_result_free(&q);
        return;
    }
    if (!report_has_energy(in) && s->objective == OBJ_LATENCY) return;
    units_format(r->energy, UNIT_ENERGY, a, sizeof a);
    units_format(r->energy_battery, UNIT_ENERGY, b, sizeof b);
    printf("energy:    %s (battery devices: %s)\n", a, b);
}

static int print_text(const nn_scenario *s, const nn_instance *in, const nn_solve_result *r,
                      const nn_eval *ev, const nn_baselines *b, bool gantt, int stream,
                      double left_s)
{
    bool unicode = cli_unicode();
    print_header(s, r);
    if (r->place) {
        char lat[32], compact[1024];
        report_format(ev->latency, UNIT_TIME, lat, sizeof lat);
        cli_place_compact(in->device_names, r->place, in->L, unicode, compact, sizeof compact);
        if (s->objective != OBJ_THROUGHPUT) printf("latency:   %s\n", lat);
        print_goal(s, in, r, left_s);
        nn_critical c;
        if (ev->feasible && s->objective != OBJ_THROUGHPUT && critical_path(in, ev, &c) == 0) {
            char why[2048];
            critical_format(in, &c, false, why, sizeof why);
            printf("critical:  %s\n", why);
            critical_free(&c);
        }
        printf("placement: %s\n\n", compact);
        report_eval_text(stdout, in, ev);
        if (!ev->feasible) report_eval_verdict(stdout, in, ev);
        printf("\n");
    } else {
        printf("\n");
    }
    report_baselines_text(stdout, in, b, unicode);
    if (gantt && r->place) return picture_gantt(&SPEC, in, ev, r->place, stream);
    return 0;
}

/* One engine of a stream's bottleneck: its name, ends and busy time (the
 * fields of an object already begun). */
static void engine_json(json_writer *w, const nn_instance *in, const nn_engine_busy *e)
{
    char name[2 * NN_NAME_LEN + 16];
    eval_engine_name(in, e, "->", name, sizeof name);
    json_kv_string(w, "engine", name);
    json_kv_string(w, "kind", e->from == e->to ? "compute" : "link");
    json_kv_string(w, "from", in->device_names[e->from]);
    json_kv_string(w, "to", in->device_names[e->to]);
    json_kv_number(w, "busy_s", e->busy_s);
}

/* "bottleneck": the engine whose busy time is the period, with "next" (the
 * next busiest, or null); null without a placement that streams. */
static void print_bottleneck_json(json_writer *w, const nn_instance *in, const int *place)
{
    nn_bottleneck b = {.engine = {.from = -1}};
    if (place) eval_bottleneck(in, place, &b);
    json_key(w, "bottleneck");
    if (b.engine.from < 0) {
        json_null(w);
        return;
    }
    json_object_begin(w);
    engine_json(w, in, &b.engine);
    json_key(w, "next");
    if (b.next.from < 0) {
        json_null(w);
    } else {
        json_object_begin(w);
        engine_json(w, in, &b.next);
        json_object_end(w);
    }
    json_object_end(w);
}

static void print_json(const nn_scenario *s, const nn_instance *in, const nn_solve_result *r,
                       const nn_eval *ev, const nn_baselines *b)
{
    json_writer w;
    json_init(&w, stdout);
    json_object_begin(&w);
    json_kv_string(&w, "scenario", s->name);
    json_kv_string(&w, "network", s->net.name);
    if (r->place) {
        report_eval_json(&w, in, ev, r->place);
    } else {
        json_kv_string(&w, "mode", mode_name(objective_mode(s->objective, s->mode)));
        json_kv_bool(&w, "feasible", false);
        json_key(&w, "latency_s");
        json_null(&w);
        report_placement_json(&w, in, NULL);
        json_key(&w, "layers");
        json_array_begin(&w);
        json_array_end(&w);
        json_key(&w, "reasons");
        json_array_begin(&w);
        json_object_begin(&w);
        json_kv_string(&w, "kind", "solver");
        json_kv_string(&w, "text", r->message);
        json_object_end(&w);
        json_array_end(&w);
    }
    json_kv_string(&w, "optimised", objective_name(s->objective));
    if (s->objective == OBJ_THROUGHPUT) {
        json_kv_number(&w, "period_s", r->place ? r->period : INFINITY);
        json_kv_number(&w, "inputs_per_s", r->place && r->period > 0 ? 1 / r->period : INFINITY);
        json_kv_number(&w, "pipeline_latency_s", r->place ? r->stream_latency : INFINITY);
        print_bottleneck_json(&w, in, r->place);
    }
    json_kv_string(&w, "status", solve_status_name(r->status));
    json_kv_string(&w, "message", r->message);
    json_kv_number(&w, "gap", r->place ? r->gap : INFINITY);
    json_kv_number(&w, "solve_time_s", r->solve_time_s);
    json_kv_number(&w, "objective", r->place ? r->objective : INFINITY);
    json_kv_number(&w, "bound", r->bound);
    json_kv_int(&w, "rows", r->rows);
    json_kv_int(&w, "cols", r->cols);
    json_kv_string(&w, "engine", engine_name(r->engine));
    json_kv_number(&w, "labels_time_s", r->labels_s >= 0 ? r->labels_s : INFINITY);
    json_kv_number(&w, "ilp_time_s", r->ilp_s >= 0 ? r->ilp_s : INFINITY);
    json_kv_string(&w, "engine_note", r->engine_note);
    /* Whether the tie-break (MODEL.md, Ties) finished: a time limit can
     * stop it after the optimum is proven. */
    json_key(&w, "tiebreak");
    if (r->status == SOLVE_OPTIMAL) {
        json_object_begin_inline(&w);
        json_kv_bool(&w, "second_key_minimal", r->busy_minimal);
        json_kv_bool(&w, "canonical", r->canonical);
        json_kv_number(&w, "time_s", r->tiebreak_s);
        json_object_end(&w);
    } else {
        json_null(&w);
    }
    report_baselines_json(&w, in, b);
    json_object_end(&w);
    json_finish(&w);
}

/* Before any solving, so that a refusal costs nothing: the LP never goes
 * over the scenario being read, nor over another file without --force, and
 * its directory must exist. A device such as /dev/stdout replaces nothing.
 * Without --force the write itself only creates the file (checked again at
 * that moment: one that appears during the solve is not replaced). */
static int check_lp_target(const char *path, const char *scenario, bool force)
{
    int rc = outfile_check(path, scenario, force);
    if (rc == OUTFILE_SOURCE)
        return cli_usage_error(&SPEC,
                               "--write-lp: '%s' is the scenario being read; choose another "
                               "file for the LP",
                               path);
    if (rc == OUTFILE_EXISTS)
        return cli_usage_error(&SPEC, "--write-lp: '%s' exists; add --force to replace it", path);
    char dir[4096];
    str_copy(dir, sizeof dir, path);
    struct stat st;
    if (!fileio_exists(path) && (stat(dirname(dir), &st) != 0 || !S_ISDIR(st.st_mode)))
        return cli_usage_error(&SPEC, "--write-lp: cannot write '%s': no directory '%s'", path,
                               dir);
    return 0;
}

/* What remains of `limit` (0: none) since `started`; at least 1 ms, since 0
 * would mean no limit. */
static double time_left(double limit, double started)
{
    return limit > 0 ? fmax(1e-3, limit - (solve_clock() - started)) : 0;
}

int cmd_solve(int argc, char **argv)
{
    double started = solve_clock(); /* the limit bounds the whole run, loading included */
    cli_args args;
    int rc = cli_parse(&SPEC, argc, argv, &args);
    if (rc != CLI_PARSED) return rc;
    bool json = cli_get(&SPEC, &args, "json") != NULL;
    bool gantt = cli_get(&SPEC, &args, "gantt") != NULL;
    if (json && gantt) return cli_usage_error(&SPEC, "--json and --gantt cannot be combined");
    nn_solve_options opt = {.write_lp = cli_get(&SPEC, &args, "write-lp")};
    if ((rc = cli_parse_time_limit(&SPEC, cli_get(&SPEC, &args, "time-limit"),
                                   &opt.time_limit_s)) != 0)
        return rc;
    if ((rc = cli_apply_engine(&SPEC, cli_get(&SPEC, &args, "engine"), &opt)) != 0) return rc;

    const char *svg_path = cli_get(&SPEC, &args, "svg"),
               *compare = cli_get(&SPEC, &args, "compare");
    bool force = cli_get(&SPEC, &args, "force") != NULL;
    if (compare && !svg_path) return cli_usage_error(&SPEC, "--compare needs --svg");
    opt.write_lp_force = force;
    if (force && !svg_path && !opt.write_lp)
        return cli_usage_error(&SPEC, "--force needs --svg or --write-lp");
    if (svg_path && (rc = picture_check(&SPEC, svg_path, args.pos[0], force)) != 0) return rc;
    int inputs;
    if ((rc = picture_inputs(&SPEC, cli_get(&SPEC, &args, "inputs"), gantt, svg_path != NULL,
                             &inputs)) != 0)
        return rc;

    nn_scenario s;
    scenario_init(&s);
    if ((rc = cli_load(args.pos[0], &s)) != 0) return rc;
    if ((rc = cli_apply_objective(&SPEC, cli_get(&SPEC, &args, "objective"), &s)) != 0)
        goto out_scenario;
    if ((rc = cli_apply_mode(&SPEC, cli_get(&SPEC, &args, "mode"), s.objective, &s)) != 0)
        goto out_scenario;
    if (opt.write_lp && (rc = check_lp_target(opt.write_lp, args.pos[0], force)) != 0)
        goto out_scenario;
    opt.mode = objective_mode(s.objective, s.mode);

    nn_instance in;
    if (instance_build(&s, &in) != 0) {
        fprintf(stderr, "nnpart solve: out of memory\n");
        rc = CLI_EXIT_FAIL;
        goto out_scenario;
    }
    solve_options_from_instance(&opt, &in);
    nn_solve_result r = {.status = SOLVE_ERROR};
    nn_eval ev = {.feasible = false};
    nn_baselines b = {.count = 0};
    if ((rc = cli_check_ilp_size(args.pos[0], &s, &in, &opt)) != 0) goto out_result;
    double limit = opt.time_limit_s;
    opt.time_limit_s = time_left(limit, started);
    if (solve_run(&in, &opt, &r) != 0) {
        fprintf(stderr, "nnpart solve: out of memory\n");
        rc = CLI_EXIT_FAIL;
        goto out_result;
    }
    /* A stream's weights are resident (MODEL.md): its latency_s is one input's alone. */
    nn_mode ev_mode = opt.mode;
    if (r.place && eval_run(&in, r.place, ev_mode, &ev) != 0) {
        fprintf(stderr, "nnpart solve: out of memory\n");
        rc = CLI_EXIT_FAIL;
        goto out_result;
    }
    /* The baselines get what is left (the list says when it ran out). */
    opt.time_limit_s = time_left(limit, started);
    /* Scored on the objective, against the optimum's value on it. */
    baselines_compute(&in, &opt, r.place ? r.value : INFINITY, &b);
    int *other = NULL;
    char other_title[NN_TEXT_LEN];
    if (compare) {
        other = calloc((size_t)in.L + 1, sizeof *other);
        if (!other) {
            rc = CLI_EXIT_FAIL;
            goto out_eval;
        }
        rc = picture_compare_parse(&SPEC, &s, &b, compare, other, other_title, sizeof other_title);
        if (rc != 0) goto out_eval;
    }
    int stream = picture_stream_inputs(&s, inputs), prc = 0;
    if (json)
        print_json(&s, &in, &r, &ev, &b);
    else
        prc = print_text(&s, &in, &r, &ev, &b, gantt, stream, time_left(limit, started));
    bool found = r.place && (r.status == SOLVE_OPTIMAL || r.status == SOLVE_FEASIBLE);
    rc = found && prc == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
    if (svg_path && !found) {
        fprintf(stderr, "nnpart solve: --svg: no placement to draw; '%s' not written\n", svg_path);
    } else if (svg_path) {
        prc = picture_timeline(&SPEC, svg_path, force, &s, &in, &ev, r.place,
                               r.status == SOLVE_OPTIMAL ? "optimum" : "best found", other,
                               other_title, stream);
        if (prc != 0) rc = prc;
    }
    if (r.lp_error[0]) {
        fprintf(stderr, "nnpart solve: %s\n", r.lp_error);
        rc = CLI_EXIT_FAIL;
    }
out_eval:
    free(other);
    baselines_free(&b);
    eval_free(&ev);
out_result:
    solve_result_free(&r);
    instance_free(&in);
out_scenario:
    scenario_free(&s);
    return rc;
}
