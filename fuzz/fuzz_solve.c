/* A solve-and-evaluate round: a scenario the loader accepts is solved with
 * a small time limit, and the evaluator must agree with the latency the
 * solver reports for its placement, and the placement's stream timeline
 * keeps each lane's bars apart. Never a GLPK abort (the error hook),
 * crash or leak. Small instances only, so each input takes milliseconds. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "gantt.h"
#include "instance.h"
#include "scenario_io.h"
#include "solve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nn_scenario s;
    if (scenario_load_string((const char *)data, size, "fuzz.yaml", &s, NULL) != 0) return 0;
    if (s.net.nlayers > 16 || s.ndevices > 4) {
        scenario_free(&s);
        return 0;
    }
    nn_instance in;
    FUZZ_REQUIRE(instance_build(&s, &in) == 0, "instance_build");
    nn_solve_options opt = {.mode = s.mode, .time_limit_s = 0.2};
    nn_solve_result r;
    FUZZ_REQUIRE(solve_ilp(&in, &opt, &r) == 0, "solve_ilp out of memory");
    if (r.place && (r.status == SOLVE_OPTIMAL || r.status == SOLVE_FEASIBLE)) {
        for (int l = 0; l < in.L; l++)
            FUZZ_REQUIRE(r.place[l] >= 0 && r.place[l] < in.D, "layer %d on %d", l, r.place[l]);
        double lat = eval_latency(&in, r.place, s.mode);
        FUZZ_REQUIRE(isfinite(lat) && fabs(lat - r.latency) <= 1e-9 * fabs(lat),
                     "evaluator %.17g, solver %.17g (%s)", lat, r.latency, r.message);
        /* The placement's stream timeline: each lane in time order, no overlap. */
        nn_stream st;
        FUZZ_REQUIRE(gantt_stream_eval(&in, r.place, 1 + (int)(size % GANTT_MAX_INPUTS), &st) == 0,
                     "eval_stream out of memory");
        gantt_view v;
        gantt_view_fit(&v, gantt_stream_total(&st));
        gantt_layout g;
        FUZZ_REQUIRE(gantt_stream_build(&in, &st, &v, 120, &g) == 0, "stream layout out of memory");
        for (int l = 0; l < g.nlanes; l++)
            for (int i = 1; i < g.lanes[l].nbars; i++) {
                const gantt_bar *a = &g.bars[g.lanes[l].first_bar + i - 1], *b = a + 1;
                FUZZ_REQUIRE(a->t1 <= b->t0 + 1e-9 * g.total, "lane %d: [%g, %g] overlaps [%g, %g]",
                             l, a->t0, a->t1, b->t0, b->t1);
            }
        gantt_layout_free(&g);
        eval_stream_free(&st);
    } else {
        FUZZ_REQUIRE(r.message[0] != '\0', "status %s without a message",
                     solve_status_name(r.status));
    }
    solve_result_free(&r);
    instance_free(&in);
    scenario_free(&s);
    return 0;
}
