/* What eval, solve and sweep print about a placement, in text and in JSON,
 * written once so every command reports an evaluation the same way. */
#ifndef NNPART_CLI_REPORT_H
#define NNPART_CLI_REPORT_H

#include <stdio.h>

#include "json.h"
#include "solve.h"
#include "table.h"
#include "units.h"

/* units_format with a dash for values that do not exist (no route). */
void report_format(double value, unit_kind kind, char *buf, size_t size);
/* Appends a table cell with report_format's text. */
int report_cell(cli_table *t, double value, unit_kind kind);

/* "scenario:", "network:" and "mode:" lines that eval and solve start with. */
void report_scenario_header(FILE *out, const nn_scenario *s, nn_objective objective);
/* The mode `objective` runs in, and when that is not the file's, why:
 * "resident (objective throughput keeps weights resident; the file's
 * preload does not apply)". */
void report_mode_text(const nn_scenario *s, nn_objective objective, char *buf, size_t size);

/* The timeline (layer, device, arrive, ready, start, finish), transfers,
 * weight loads and memory per device. */
/* Whether the scenario gives any power or link energy. */
bool report_has_energy(const nn_instance *in);
void report_eval_text(FILE *out, const nn_instance *in, const nn_eval *ev);
/* "latency: 712 ms (preload)" and the critical path, or "infeasible" and
 * every reason. */
void report_eval_verdict(FILE *out, const nn_instance *in, const nn_eval *ev);
/* "critical path: compute ... + transfer ... + weights ..." (nothing when
 * infeasible). */
void report_critical_text(FILE *out, const nn_instance *in, const nn_eval *ev);
/* "critical_path": {compute_s, transfer_s, weights_s, devices, links,
 * segments}, or null when infeasible. */
void report_critical_json(json_writer *w, const nn_instance *in, const nn_eval *ev);
/* What held a layer's start back: "input", "weights" or "nothing". */
const char *report_wait_name(nn_wait w);
/* Eval's JSON fields, written into an open object: mode, feasible,
 * latency_s, placement, layers, transfers, loads, memory, reasons. */
void report_eval_json(json_writer *w, const nn_instance *in, const nn_eval *ev, const int *place);
/* "placement": the device name of every layer, or null when `place` is NULL. */
void report_placement_json(json_writer *w, const nn_instance *in, const int *place);

/* Baselines with their latency and ratio to the optimum. */
void report_baselines_text(FILE *out, const nn_instance *in, const nn_baselines *b, bool unicode);
/* "baselines": [{name, feasible, latency_s, ratio, placement, why}] */
void report_baselines_json(json_writer *w, const nn_instance *in, const nn_baselines *b);
/* The feasible baseline with the lowest latency, or NULL. */
const nn_baseline *report_best_baseline(const nn_baselines *b);

#endif
