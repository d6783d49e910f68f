/* nnpart eval FILE --place ...: the timeline of one placement. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "eval.h"
#include "solve.h"
#include "json.h"
#include "picture.h"
#include "report.h"

static const cli_opt OPTS[] = {
    {.name = "place",
     .arg = "DEV,...",
     .help = "device per layer, in order; NAME*N repeats; one name: all layers"},
    {.name = "mode",
     .arg = "M",
     .help = "preload, ondemand or resident (default: the file's; throughput: resident)"},
    {.name = "json", .arg = NULL, .help = "print the evaluation as JSON"},
    {.name = "svg", .arg = "OUT", .help = "draw the timeline as an SVG picture into OUT"},
    {.name = "compare",
     .arg = "P",
     .help = "with --svg: also draw placement P, or baseline P ('all on cloud', 'best')"},
    {.name = "force", .arg = NULL, .help = "let --svg replace an existing file"},
    {.name = "gantt", .arg = NULL, .help = "also draw the timeline ($COLUMNS wide, else 100)"},
    {.name = "inputs",
     .arg = "N",
     .help = "with --gantt or --svg: N inputs (1 to 9) streaming through the pipeline"},
};

static const cli_spec SPEC = {
    .command = "eval",
    .synopsis = "FILE --place DEV,DEV,... [--mode M] [--json] [--gantt] [--inputs N]\n"
                "       [--svg OUT [--compare P] [--force]]",
    .about = "Times one placement under the latency model: for each layer when its input\n"
             "arrives, when its weights are ready, when it starts and finishes; every\n"
             "transfer hop and weight load; memory per device; the latency. An infeasible\n"
             "placement lists every reason (memory, pin, missing route) and exits with 1.\n"
             "--place takes one device name per layer ('edge,cloud,cloud'), NAME*N or\n"
             "NAME\xC3\x97N for N layers in a row ('edge*1,cloud*2', as solve and sweep print\n"
             "placements), or a single name to put every layer there. --svg draws the\n"
             "timeline as a picture (--compare adds a second placement or a baseline\n"
             "below it on the same time axis); an existing file is replaced only with\n"
             "--force. Under objective throughput, or with --inputs N, --gantt and --svg\n"
             "show several inputs streaming through the pipeline, each in its own\n"
             "shade, with one period bracketed on the axis.",
    .min_pos = 1,
    .max_pos = 1,
    .nopts = (int)(sizeof OPTS / sizeof OPTS[0]),
    .opts = OPTS,
    .example = "nnpart eval configs/worked-example.yaml --place edge,cloud,cloud --mode preload",
};

int cmd_eval(int argc, char **argv)
{
    cli_args args;
    int rc = cli_parse(&SPEC, argc, argv, &args);
    if (rc != CLI_PARSED) return rc;
    const char *place_text = cli_get(&SPEC, &args, "place");
    if (!place_text) return cli_usage_error(&SPEC, "--place is required");
    const char *svg_path = cli_get(&SPEC, &args, "svg"),
               *compare = cli_get(&SPEC, &args, "compare");
    bool force = cli_get(&SPEC, &args, "force") != NULL;
    if (compare && !svg_path) return cli_usage_error(&SPEC, "--compare needs --svg");
    if (force && !svg_path) return cli_usage_error(&SPEC, "--force needs --svg");
    if (svg_path && (rc = picture_check(&SPEC, svg_path, args.pos[0], force)) != 0) return rc;
    bool gantt = cli_get(&SPEC, &args, "gantt") != NULL;
    if (gantt && cli_get(&SPEC, &args, "json"))
        return cli_usage_error(&SPEC, "--json and --gantt cannot be combined");
    int inputs;
    if ((rc = picture_inputs(&SPEC, cli_get(&SPEC, &args, "inputs"), gantt, svg_path != NULL,
                             &inputs)) != 0)
        return rc;

    nn_scenario s;
    scenario_init(&s);
    if ((rc = cli_load(args.pos[0], &s)) != 0) return rc;
    if ((rc = cli_apply_mode(&SPEC, cli_get(&SPEC, &args, "mode"), s.objective, &s)) != 0)
        goto out_scenario;
    /* A stream's weights are resident (MODEL.md), as in solve. */
    nn_mode mode = objective_mode(s.objective, s.mode);

    int *place = calloc((size_t)s.net.nlayers + 1, sizeof *place);
    int *other = calloc((size_t)s.net.nlayers + 1, sizeof *other);
    char why[768], other_title[NN_TEXT_LEN];
    if (!place || !other) {
        rc = CLI_EXIT_FAIL;
        goto out_scenario;
    }
    if (!cli_place_parse(&s, place_text, place, why, sizeof why)) {
        rc = cli_usage_error(&SPEC, "%s", why);
        goto out_place;
    }
    nn_instance in;
    nn_eval ev;
    if (instance_build(&s, &in) != 0) {
        rc = CLI_EXIT_FAIL;
        goto out_place;
    }
    /* A placement first; baseline names need the baselines solved. */
    if (compare && !cli_place_parse(&s, compare, other, why, sizeof why)) {
        nn_baselines b = {.count = 0};
        nn_solve_options bopt = {.mode = mode, .time_limit_s = NN_DEFAULT_TIME_LIMIT_S};
        if (baselines_compute(&in, &bopt, INFINITY, &b) != 0) {
            rc = CLI_EXIT_FAIL;
            goto out_instance;
        }
        rc = picture_compare_parse(&SPEC, &s, &b, compare, other, other_title, sizeof other_title);
        baselines_free(&b);
        if (rc != 0) goto out_instance;
    } else if (compare) {
        snprintf(other_title, sizeof other_title, "compared");
    }
    if (eval_run(&in, place, mode, &ev) != 0) {
        fprintf(stderr, "nnpart eval: out of memory\n");
        rc = CLI_EXIT_FAIL;
        goto out_instance;
    }
    bool gantt_failed = false;
    if (cli_get(&SPEC, &args, "json")) {
        json_writer w;
        json_init(&w, stdout);
        json_object_begin(&w);
        json_kv_string(&w, "scenario", s.name);
        json_kv_string(&w, "network", s.net.name);
        report_eval_json(&w, &in, &ev, place);
        /* A stream (objective throughput): the period and one input's latency. */
        nn_stream st = {.period = INFINITY, .latency = INFINITY};
        if (s.objective == OBJ_THROUGHPUT && eval_stream(&in, place, 1, &st) == 0) {
            json_kv_number(&w, "period_s", st.period);
            json_kv_number(&w, "pipeline_latency_s", st.latency);
            eval_stream_free(&st);
        }
        json_object_end(&w);
        json_finish(&w);
    } else {
        char compact[1024];
        cli_place_compact(in.device_names, place, in.L, cli_unicode(), compact, sizeof compact);
        report_scenario_header(stdout, &s, s.objective);
        printf("placement: %s\n\n", compact);
        report_eval_text(stdout, &in, &ev);
        printf("\n");
        report_eval_verdict(stdout, &in, &ev);
        nn_stream st;
        if (s.objective == OBJ_THROUGHPUT && eval_stream(&in, place, 1, &st) == 0) {
            char p[32], l[32];
            units_format(st.period, UNIT_TIME, p, sizeof p);
            units_format(st.latency, UNIT_TIME, l, sizeof l);
            if (st.feasible)
                printf("stream:  period %s (%.4g inputs/s), one input through the pipeline %s\n", p,
                       st.period > 0 ? 1 / st.period : INFINITY, l);
            eval_stream_free(&st);
        }
        if (gantt && ev.feasible &&
            picture_gantt(&SPEC, &in, &ev, place, picture_stream_inputs(&s, inputs)) != 0)
            gantt_failed = true;
    }
    rc = ev.feasible && !gantt_failed ? CLI_EXIT_OK : CLI_EXIT_FAIL;
    if (svg_path) {
        int prc = picture_timeline(&SPEC, svg_path, force, &s, &in, &ev, place, "placement",
                                   compare ? other : NULL, other_title,
                                   picture_stream_inputs(&s, inputs));
        if (prc != 0) rc = prc;
    }
    eval_free(&ev);
out_instance:
    instance_free(&in);
out_place:
    free(place);
    free(other);
out_scenario:
    scenario_free(&s);
    return rc;
}
