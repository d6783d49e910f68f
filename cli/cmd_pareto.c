/* nnpart pareto FILE: the exact latency-energy Pareto front. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "scatter.h"
#include "report.h"
#include "solve.h"

static const cli_opt OPTS[] = {
    {.name = "mode", .arg = "M", .help = "preload, ondemand or resident (default: the file's)"},
    {.name = "battery", .arg = NULL, .help = "the energy of battery devices only"},
    {.name = "max-points", .arg = "N", .help = "stop after N points (default 100)"},
    {.name = "time-limit",
     .arg = "S",
     .help = "stop after S in all (default 10s; none: no limit), keep the points found"},
    {.name = "json", .arg = NULL, .help = "print the front as JSON"},
    {.name = "csv", .arg = NULL, .help = "print the front as CSV"},
};

static const cli_spec SPEC = {
    .command = "pareto",
    .synopsis = "FILE [--mode M] [--battery] [--max-points N] [--time-limit S] [--json|--csv]",
    .about = "Prints the exact latency-energy Pareto front of one inference: every\n"
             "placement trade-off where no other placement is both faster and uses less\n"
             "energy, from the fastest to the most frugal. Each point is found by the ILP\n"
             "as the least latency with less energy than the point before, then the least\n"
             "energy at that latency (epsilon-constraint), both proven optimal; energies\n"
             "within 1e-6 relative count as one point. --battery counts only devices with\n"
             "battery: true (the file's objective battery-energy does too). Prints a table\n"
             "and a plot, or --json / --csv. Exits with 1 when no placement is feasible or\n"
             "a point could not be proven.",
    .min_pos = 1,
    .max_pos = 1,
    .nopts = 6,
    .opts = OPTS,
    .example = "nnpart pareto configs/battery-phone.yaml",
};

static void print_text(const nn_scenario *s, const nn_instance *in, const nn_pareto *p,
                       bool battery)
{
    bool unicode = cli_unicode();
    report_scenario_header(stdout, s, battery ? OBJ_BATTERY_ENERGY : OBJ_ENERGY);
    char t[32];
    units_format(p->solve_time_s, UNIT_TIME, t, sizeof t);
    printf("front:     latency vs %s energy: %s (%s)\n\n", battery ? "battery devices'" : "total",
           p->message, t);
    if (p->count == 0) return;
    cli_table tab;
    table_init(&tab, ">#", ">latency", ">energy", ">slower", ">energy saved", "placement", NULL);
    double *x = malloc((size_t)p->count * sizeof *x), *y = malloc((size_t)p->count * sizeof *y);
    for (int i = 0; i < p->count; i++) {
        const nn_pareto_point *pt = &p->points[i];
        char compact[1024];
        cli_place_compact(in->device_names, pt->place, in->L, unicode, compact, sizeof compact);
        table_cell(&tab, "%d", i + 1);
        report_cell(&tab, pt->latency, UNIT_TIME);
        report_cell(&tab, pt->energy, UNIT_ENERGY);
        /* Against the fastest point, with enough digits to tell points apart. */
        table_cell(&tab, "%+.3g%%", 100 * (pt->latency / p->points[0].latency - 1));
        if (p->points[0].energy > 0)
            table_cell(&tab, "%.3g%%", 100 * (1 - pt->energy / p->points[0].energy));
        else
            table_cell(&tab, "-");
        table_cell(&tab, "%s", compact);
        if (x && y) {
            x[i] = pt->latency;
            y[i] = pt->energy;
        }
    }
    table_print(&tab, stdout, 2);
    table_free(&tab);
    if (x && y && p->count > 1) {
        printf("\n");
        scatter_print(stdout, x, y, p->count, UNIT_TIME, UNIT_ENERGY, "latency", "energy",
                      cli_columns() < 100 ? cli_columns() : 100, unicode);
    }
    free(x);
    free(y);
}

static void print_json(const nn_scenario *s, const nn_instance *in, const nn_pareto *p,
                       bool battery)
{
    json_writer w;
    json_init(&w, stdout);
    json_object_begin(&w);
    json_kv_string(&w, "scenario", s->name);
    json_kv_string(&w, "network", s->net.name);
    json_kv_string(&w, "mode", mode_name(s->mode));
    json_kv_string(&w, "energy", battery ? "battery" : "total");
    json_kv_string(&w, "status", solve_status_name(p->status));
    json_kv_string(&w, "message", p->message);
    json_kv_bool(&w, "truncated", p->truncated);
    json_kv_number(&w, "solve_time_s", p->solve_time_s);
    json_key(&w, "points");
    json_array_begin(&w);
    for (int i = 0; i < p->count; i++) {
        json_object_begin_inline(&w);
        json_kv_number(&w, "latency_s", p->points[i].latency);
        json_kv_number(&w, "energy_j", p->points[i].energy);
        json_key(&w, "placement");
        json_array_begin_inline(&w);
        for (int l = 0; l < in->L; l++)
            json_string(&w, in->device_names[p->points[i].place[l]]);
        json_array_end(&w);
        json_object_end(&w);
    }
    json_array_end(&w);
    json_object_end(&w);
    json_finish(&w);
}

static void print_csv(const nn_instance *in, const nn_pareto *p)
{
    printf("latency_s,energy_j,placement\n");
    for (int i = 0; i < p->count; i++) {
        char compact[1024];
        cli_place_compact(in->device_names, p->points[i].place, in->L, false, compact,
                          sizeof compact);
        printf("%.17g,%.17g,\"%s\"\n", p->points[i].latency, p->points[i].energy, compact);
    }
}

int cmd_pareto(int argc, char **argv)
{
    cli_args args;
    int rc = cli_parse(&SPEC, argc, argv, &args);
    if (rc != CLI_PARSED) return rc;
    bool json = cli_get(&SPEC, &args, "json") != NULL, csv = cli_get(&SPEC, &args, "csv") != NULL;
    if (json && csv) return cli_usage_error(&SPEC, "--json and --csv cannot be combined");
    long max_points = 100;
    const char *mp = cli_get(&SPEC, &args, "max-points");
    if (mp) {
        char *end;
        max_points = strtol(mp, &end, 10);
        if (end == mp || *end || max_points < 1 || max_points > 10000)
            return cli_usage_error(&SPEC, "--max-points: '%s' is not a number from 1 to 10000", mp);
    }
    nn_solve_options opt = {.objective = OBJ_ENERGY};
    if ((rc = cli_parse_time_limit(&SPEC, cli_get(&SPEC, &args, "time-limit"),
                                   &opt.time_limit_s)) != 0)
        return rc;
    nn_scenario s;
    scenario_init(&s);
    if ((rc = cli_load(args.pos[0], &s)) != 0) return rc;
    /* The front is of latency and energy, whatever the file optimises. */
    bool battery = cli_get(&SPEC, &args, "battery") != NULL || s.objective == OBJ_BATTERY_ENERGY;
    if ((rc = cli_apply_mode(&SPEC, cli_get(&SPEC, &args, "mode"),
                             battery ? OBJ_BATTERY_ENERGY : OBJ_ENERGY, &s)) != 0)
        goto out;
    opt.mode = s.mode;
    opt.objective = battery ? OBJ_BATTERY_ENERGY : OBJ_ENERGY;
    nn_instance in;
    if (instance_build(&s, &in) != 0) {
        fprintf(stderr, "nnpart pareto: out of memory\n");
        rc = CLI_EXIT_FAIL;
        goto out;
    }
    if ((rc = cli_check_ilp_size(args.pos[0], &s, &in, &opt)) != 0) {
        instance_free(&in);
        goto out;
    }
    nn_pareto p;
    if (solve_pareto(&in, &opt, (int)max_points, &p) != 0) {
        fprintf(stderr, "nnpart pareto: out of memory\n");
        rc = CLI_EXIT_FAIL;
    } else {
        if (json)
            print_json(&s, &in, &p, battery);
        else if (csv)
            print_csv(&in, &p);
        else
            print_text(&s, &in, &p, battery);
        rc = p.status == SOLVE_OPTIMAL ? CLI_EXIT_OK : CLI_EXIT_FAIL;
        if (p.status != SOLVE_OPTIMAL && (json || csv))
            fprintf(stderr, "nnpart pareto: %s\n", p.message);
        pareto_free(&p);
    }
    instance_free(&in);
out:
    scenario_free(&s);
    return rc;
}
