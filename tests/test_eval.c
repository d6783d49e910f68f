/* The evaluator against MODEL.md's worked example and hand-computed cases. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "eval.h"
#include "helpers_assert.h"
#include "helpers_random.h"
#include "scenario_fixture.h"

/* MODEL.md's worked example and its instance. */
static void worked_instance(nn_scenario *s, nn_instance *in)
{
    fixture_worked_example(s);
    assert_int_equal(instance_build(s, in), 0);
}

/* MODEL.md's table: 4 placements x 3 modes, in seconds. */
static void test_worked_example_table(void **state)
{
    (void)state;
    nn_scenario s;
    nn_instance in;
    worked_instance(&s, &in);
    const struct {
        int place[3];
        double t[MODE_COUNT];
    } rows[] = {
        {{0, 0, 0}, {[MODE_PRELOAD] = 7.200, [MODE_ONDEMAND] = 8.300, [MODE_RESIDENT] = 1.200}},
        {{0, 1, 1}, {[MODE_PRELOAD] = 0.712, [MODE_ONDEMAND] = 1.132, [MODE_RESIDENT] = 0.332}},
        {{1, 1, 1}, {[MODE_PRELOAD] = 0.722, [MODE_ONDEMAND] = 0.843, [MODE_RESIDENT] = 0.133}},
        {{0, 0, 1}, {[MODE_PRELOAD] = 3.132, [MODE_ONDEMAND] = 3.732, [MODE_RESIDENT] = 1.132}},
    };
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        for (int m = 0; m < MODE_COUNT; m++) {
            assert_close(eval_latency(&in, rows[r].place, (nn_mode)m), rows[r].t[m]);
            nn_eval ev;
            assert_int_equal(eval_run(&in, rows[r].place, (nn_mode)m, &ev), 0);
            assert_true(ev.feasible);
            assert_int_equal(ev.nreasons, 0);
            assert_close(ev.latency, rows[r].t[m]);
            eval_free(&ev);
        }
    }
    scenario_instance_free(&s, &in);
}

/* A shared tensor loads and counts once per device, with the first of its
 * layers there (MODEL.md, shared weights): 10 MB "emb" used by L1 and L3. */
static void test_shared_weights(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example_shared(&s);
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    assert_int_equal(in.S, 1);
    const struct {
        int place[3];
        double t[MODE_COUNT];
        double mem[2];
    } rows[] = {
        /* edge loads L1 + emb (1.1 s), L2 (2 s), L3 (5 s, emb already in). */
        {{0, 0, 0},
         {[MODE_PRELOAD] = 8.200, [MODE_ONDEMAND] = 9.300, [MODE_RESIDENT] = 1.200},
         {81.3e6, 0}},
        /* edge: L1 + emb, ready 1.1 s; cloud: L2 0.2 s, then L3 + emb 0.6 s. */
        {{0, 1, 1},
         {[MODE_PRELOAD] = 1.432, [MODE_ONDEMAND] = 2.232, [MODE_RESIDENT] = 0.332},
         {11.3e6, 80.21e6}},
        /* cloud: L1 + emb 0.11 s, L2 0.2 s, L3 0.5 s. */
        {{1, 1, 1},
         {[MODE_PRELOAD] = 0.822, [MODE_ONDEMAND] = 0.943, [MODE_RESIDENT] = 0.133},
         {0, 81.3e6}},
    };
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        for (int m = 0; m < MODE_COUNT; m++) {
            assert_close(eval_latency(&in, rows[r].place, (nn_mode)m), rows[r].t[m]);
            nn_eval ev;
            assert_int_equal(eval_run(&in, rows[r].place, (nn_mode)m, &ev), 0);
            assert_true(ev.feasible);
            assert_close(ev.latency, rows[r].t[m]);
            for (int d = 0; d < 2; d++)
                if (rows[r].mem[d] > 0) assert_close(ev.mem_used[d], rows[r].mem[d]);
            eval_free(&ev);
        }
    }
    /* Memory counts emb once: all on the edge needs 71 MB + 10 MB + 0.3 MB
     * of activations = 81.3 MB (91.3 MB if counted per use). */
    in.memory[0] = 81.29e6;
    int all_edge[3] = {0, 0, 0};
    assert_true(isinf(eval_latency(&in, all_edge, MODE_RESIDENT)));
    in.memory[0] = 81.3e6;
    assert_close(eval_latency(&in, all_edge, MODE_RESIDENT), 1.2);
    scenario_instance_free(&s, &in);
}

/* MODEL.md's energy example: power 10 W (edge), 100 W (cloud), link 100
 * nJ/bit; then idle and load power by hand. */
static void test_energy_worked_example(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    s.devices[0].power = 10;
    s.devices[1].power = 100;
    s.links[0].energy = 100e-9;
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    int place[3] = {0, 1, 1};
    double bat, dev[2];
    assert_close(eval_energy(&in, place, MODE_PRELOAD, &bat, dev), 2.2608);
    assert_close(dev[0], 1.16);   /* L1 1 J + sending 200 kB 0.16 J */
    assert_close(dev[1], 1.1008); /* L2, L3 1.1 J + returning 1 kB */
    assert_true(bat == 0);        /* no battery device */
    nn_eval ev;
    assert_int_equal(eval_run(&in, place, MODE_PRELOAD, &ev), 0);
    assert_close(ev.energy, 2.2608);
    assert_close(ev.energy_dev[0], 1.16);
    eval_free(&ev);
    instance_free(&in);
    /* Idle 1 W on the edge over T = 0.712 s, load power 2 W on the cloud
     * for its 0.7 s of loading (not in resident mode); the edge on battery. */
    s.devices[0].idle_power = 1;
    s.devices[0].battery = true;
    s.devices[1].load_power = 2;
    assert_int_equal(instance_build(&s, &in), 0);
    assert_close(eval_energy(&in, place, MODE_PRELOAD, &bat, dev),
                 2.2608 + 0.712 - 0.1 + 1.4); /* idle: 1 W x T, minus 1 W x its 0.1 s compute */
    assert_close(bat, 1.16 + 0.712 - 0.1);
    assert_close(eval_energy(&in, place, MODE_RESIDENT, &bat, dev), 2.2608 + 0.332 - 0.1);
    /* Over a limit: infeasible for the objective. */
    assert_true(isinf(eval_objective(&in, place, MODE_PRELOAD, OBJ_ENERGY, 0.7, 0)));
    assert_true(isinf(eval_objective(&in, place, MODE_PRELOAD, OBJ_LATENCY, 0, 4)));
    assert_close(eval_objective(&in, place, MODE_PRELOAD, OBJ_LATENCY, 0, 5), 0.712);
    assert_close(eval_objective(&in, place, MODE_PRELOAD, OBJ_BATTERY_ENERGY, 0, 0), 1.772);
    scenario_instance_free(&s, &in);
}

/* MODEL.md's stream example: periods of the worked example's placements
 * (weights resident): the busiest device's compute or link direction's
 * 8 x bytes / bandwidth; latency is propagation, not occupancy. */
static void test_stream_worked_example(void **state)
{
    (void)state;
    nn_scenario s;
    nn_instance in;
    worked_instance(&s, &in);
    const struct {
        int place[3];
        double period;
    } rows[] = {
        {{0, 0, 0}, 1.2}, /* edge computes 0.1 + 1 + 0.1 s */
        {{0, 1, 1}, 0.2}, /* edge -> cloud sends 200 kB at 8 Mbit/s */
        {{1, 1, 1}, 0.1}, /* the input, 100 kB, edge -> cloud */
        {{0, 0, 1}, 1.1}, /* edge computes L1 and L2 */
    };
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++)
        assert_close(eval_period(&in, rows[r].place), rows[r].period);
    nn_stream st;
    int place[3] = {1, 1, 1};
    assert_int_equal(eval_stream(&in, place, 3, &st), 0);
    assert_true(st.feasible);
    assert_close(st.period, 0.1);
    /* One input: the input 0.1 s + 10 ms on the link, compute 12 ms, the
     * result 1 ms + 10 ms back: 133 ms, its resident latency. */
    assert_close(st.latency, 0.133);
    assert_int_equal(st.ntasks, 3 * 5); /* two hops and three layers per input */
    eval_stream_free(&st);
    /* Contiguous stages refuse a device's second run. */
    in.stages = STAGES_CONTIGUOUS;
    int split[3] = {0, 1, 0};
    assert_true(isinf(eval_period(&in, split)));
    in.stages = STAGES_ANY;
    assert_true(isfinite(eval_period(&in, split)));
    scenario_instance_free(&s, &in);
}

/* A random instance for `seed` whose memories and pins refuse no
 * placement, and a placement of it drawn at random. */
static void random_unbound(uint64_t seed, nn_scenario *s, nn_instance *in, int *place)
{
    const random_spec spec = {.max_layers = 7, .max_devices = 4, .max_placements = 1L << 30};
    random_instance(s, in, seed, &spec);
    for (int d = 0; d < in->D; d++)
        in->memory[d] = 1e15;
    for (int l = 0; l < in->L; l++)
        in->pin[l] = -1;
    rng r = {.s = seed};
    for (int l = 0; l < in->L; l++)
        place[l] = rng_int(&r, 0, in->D - 1);
}

/* N inputs through random placements: no engine runs two tasks at once,
 * each input's tasks follow one another, input k runs k periods after input
 * 0, so the steady-state period is eval_period's. */
static void test_stream_schedule_random(void **state)
{
    (void)state;
    int checked = 0;
    for (uint64_t seed = 1; seed <= 300; seed++) {
        nn_scenario s;
        nn_instance in;
        int place[16];
        random_unbound(seed, &s, &in, place);
        nn_stream st;
        assert_int_equal(eval_stream(&in, place, 4, &st), 0);
        if (!isfinite(st.period)) {
            assert_false(st.feasible);
            assert_true(isinf(eval_latency(&in, place, MODE_RESIDENT)));
            scenario_instance_free(&s, &in);
            continue;
        }
        double P = st.period;
        for (int i = 0; i < st.ntasks; i++) {
            const nn_stream_task *a = &st.tasks[i];
            assert_true(a->end >= a->start);
            for (int j = i + 1; j < st.ntasks; j++) {
                const nn_stream_task *b = &st.tasks[j];
                bool same = a->layer >= 0 && b->layer >= 0 ? a->from == b->from
                            : a->layer < 0 && b->layer < 0 ? a->from == b->from && a->to == b->to
                                                           : false;
                if (!same || a->end <= a->start || b->end <= b->start) continue;
                double tol = 1e-9 * fmax(P, 1e-9);
                if (a->start < b->end - tol && b->start < a->end - tol)
                    fail_msg("seed %llu: tasks %d and %d overlap on one engine",
                             (unsigned long long)seed, i, j);
            }
        }
        /* Tasks are listed per task, inputs 0..3 in a row. */
        int per = st.ntasks / 4;
        double prev_end = -INFINITY;
        for (int t = 0; t < per; t++) {
            const nn_stream_task *first = &st.tasks[t * 4];
            assert_true(first->start >= prev_end - 1e-12 * fmax(1, prev_end));
            prev_end = first->end;
            for (int k = 1; k < 4; k++)
                assert_close(st.tasks[t * 4 + k].start - first->start + 1, k * P + 1);
        }
        checked++;
        eval_stream_free(&st);
        scenario_instance_free(&s, &in);
    }
    assert_true(checked > 150);
}

/* The bottleneck of random placements: its busy time is the period, it is
 * the busiest engine, and its busy time is what its tasks of one input
 * occupy in the schedule (summed from eval_stream, independently). */
static void test_bottleneck_random(void **state)
{
    (void)state;
    int checked = 0;
    for (uint64_t seed = 1; seed <= 300; seed++) {
        nn_scenario s;
        nn_instance in;
        int place[16];
        random_unbound(seed, &s, &in, place);
        nn_bottleneck b;
        double P = eval_bottleneck(&in, place, &b);
        assert_true(P == eval_period(&in, place) || (isinf(P) && isinf(eval_period(&in, place))));
        nn_stream st;
        assert_int_equal(eval_stream(&in, place, 1, &st), 0);
        if (!isfinite(P) || !(P > 0)) {
            if (!isfinite(P)) assert_int_equal(b.engine.from, -1);
            eval_stream_free(&st);
            scenario_instance_free(&s, &in);
            continue;
        }
        assert_true(b.engine.busy_s == P);
        assert_true(b.next.from < 0 || b.next.busy_s <= P);
        assert_true(b.next.from < 0 || b.next.from != b.engine.from || b.next.to != b.engine.to);
        /* Every engine's occupancy from the schedule's tasks. */
        double busy[4 * 5] = {0};
        for (int i = 0; i < st.ntasks; i++) {
            const nn_stream_task *t = &st.tasks[i];
            int k = t->layer >= 0 ? t->from : in.D + t->from * in.D + t->to;
            busy[k] += t->end - t->start;
        }
        double most = 0;
        for (int k = 0; k < in.D * (in.D + 1); k++)
            most = fmax(most, busy[k]);
        int e = b.engine.from == b.engine.to ? b.engine.from
                                             : in.D + b.engine.from * in.D + b.engine.to;
        assert_close(busy[e], P);
        assert_close(most, P);
        if (b.next.from >= 0) {
            int n2 = b.next.from == b.next.to ? b.next.from : in.D + b.next.from * in.D + b.next.to;
            assert_close(busy[n2], b.next.busy_s);
            /* No third engine is busier than the next. */
            for (int k = 0; k < in.D * (in.D + 1); k++)
                if (k != e && k != n2) assert_true(busy[k] <= b.next.busy_s * (1 + 1e-9) + 1e-15);
        }
        checked++;
        eval_stream_free(&st);
        scenario_instance_free(&s, &in);
    }
    assert_true(checked > 150);
}

/* The worked example's bottleneck, as the explorer and solve say it. */
static void test_bottleneck_worked_example(void **state)
{
    (void)state;
    nn_scenario s;
    nn_instance in;
    worked_instance(&s, &in);
    int place[3] = {0, 1, 1};
    nn_bottleneck b;
    assert_close(eval_bottleneck(&in, place, &b), 0.2);
    char text[256];
    eval_bottleneck_format(&in, &b, "->", text, sizeof text);
    assert_string_equal(text,
                        "edge->cloud link 200 ms of 200 ms period; next: edge compute 100 ms");
    in.stages = STAGES_CONTIGUOUS;
    int split[3] = {0, 1, 0};
    assert_true(isinf(eval_bottleneck(&in, split, &b)));
    assert_int_equal(b.engine.from, -1);
    eval_bottleneck_format(&in, &b, "->", text, sizeof text);
    assert_string_equal(text, "");
    scenario_instance_free(&s, &in);
}

/* The timeline of the preload optimum, step by step (MODEL.md's formulas). */
static void test_worked_example_timeline(void **state)
{
    (void)state;
    nn_scenario s;
    nn_instance in;
    worked_instance(&s, &in);
    int place[3] = {0, 1, 1};
    nn_eval ev;
    assert_int_equal(eval_run(&in, place, MODE_PRELOAD, &ev), 0);
    /* L1 on edge: input already there, weights 1 MB at 10 MB/s = 0.1 s. */
    assert_close(ev.layers[0].arrive + 1, 1);
    assert_close(ev.layers[0].ready, 0.1);
    assert_close(ev.layers[0].start, 0.1);
    assert_close(ev.layers[0].finish, 0.2);
    /* 200 kB over 8 Mbit/s + 10 ms = 0.21 s. */
    assert_close(ev.layers[1].arrive, 0.41);
    assert_close(ev.layers[1].ready, 0.2);
    assert_close(ev.layers[1].finish, 0.42);
    /* L3 waits for its 50 MB: ready at 0.2 + 0.5 = 0.7 s. */
    assert_close(ev.layers[2].ready, 0.7);
    assert_close(ev.layers[2].start, 0.7);
    assert_close(ev.layers[2].finish, 0.701);
    /* Loads: edge [0, 0.1], cloud [0, 0.2] then [0.2, 0.7]. */
    assert_int_equal(ev.nloads, 3);
    assert_int_equal(ev.loads[1].device, 1);
    assert_close(ev.loads[2].start, 0.2);
    assert_close(ev.loads[2].end, 0.7);
    /* Hops: L1 -> L2 (edge -> cloud) and the result back to the sink. */
    assert_int_equal(ev.nhops, 2);
    assert_int_equal(ev.hops[0].boundary, 1);
    assert_int_equal(ev.hops[0].from, 0);
    assert_int_equal(ev.hops[0].to, 1);
    assert_close(ev.hops[0].start, 0.2);
    assert_close(ev.hops[0].end, 0.41);
    assert_int_equal(ev.hops[1].boundary, 3);
    assert_close(ev.hops[1].end, 0.712);
    /* Memory: cloud holds 70 MB of weights + largest input+output (210 kB). */
    assert_close(ev.mem_used[1], 70e6 + 210000);
    assert_close(ev.mem_used[0], 1e6 + 300000);
    eval_free(&ev);

    /* ondemand: the load starts when the input arrives. */
    assert_int_equal(eval_run(&in, place, MODE_ONDEMAND, &ev), 0);
    assert_close(ev.loads[1].start, 0.41);
    assert_close(ev.loads[1].end, 0.61);
    eval_free(&ev);
    /* resident: no loads at all. */
    assert_int_equal(eval_run(&in, place, MODE_RESIDENT, &ev), 0);
    assert_int_equal(ev.nloads, 0);
    eval_free(&ev);
    scenario_instance_free(&s, &in);
}

static bool has_reason(const nn_eval *ev, nn_reason_kind kind, const char *text)
{
    for (int i = 0; i < ev->nreasons; i++)
        if (ev->reasons[i].kind == kind && strstr(ev->reasons[i].text, text)) return true;
    return false;
}

/* A preload placement both evaluators reject: eval_latency gives infinity
 * and eval_run reports it infeasible, with its reasons left in *ev. */
static void run_infeasible(const nn_instance *in, const int *place, nn_eval *ev)
{
    assert_true(isinf(eval_latency(in, place, MODE_PRELOAD)));
    assert_int_equal(eval_run(in, place, MODE_PRELOAD, ev), 0);
    assert_false(ev->feasible);
}

static void test_memory_reason(void **state)
{
    (void)state;
    nn_scenario s;
    nn_instance in;
    worked_instance(&s, &in);
    int place[3] = {0, 0, 0}; /* 71 MB of weights fit in 100 MB */
    assert_true(isfinite(eval_latency(&in, place, MODE_PRELOAD)));
    instance_free(&in);
    s.devices[0].memory = 60e6; /* now 71.3 MB do not */
    assert_int_equal(instance_build(&s, &in), 0);
    nn_eval ev;
    run_infeasible(&in, place, &ev);
    assert_int_equal(ev.nreasons, 1);
    assert_int_equal(ev.reasons[0].device, 0);
    assert_close(ev.reasons[0].amount, 71.3e6 - 60e6);
    assert_true(has_reason(&ev, REASON_MEMORY, "edge needs 71.3 MB"));
    assert_true(has_reason(&ev, REASON_MEMORY, "11.3 MB over"));
    /* The timeline is still computed, for display. */
    assert_close(ev.latency, 7.2);
    eval_free(&ev);
    scenario_instance_free(&s, &in);
}

static void test_pin_reason(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    s.pin[1] = 0; /* L2 must stay on the edge */
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    int place[3] = {0, 1, 1};
    nn_eval ev;
    run_infeasible(&in, place, &ev);
    assert_true(has_reason(&ev, REASON_PIN, "layer L2 is pinned to edge but placed on cloud"));
    eval_free(&ev);
    int ok[3] = {0, 0, 1};
    assert_close(eval_latency(&in, ok, MODE_PRELOAD), 3.132);
    scenario_instance_free(&s, &in);
}

static void test_no_route(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    s.links[0].reverse = 0; /* cloud cannot answer */
    s.links[0].reverse_given = true;
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    int place[3] = {0, 1, 1};
    nn_eval ev;
    run_infeasible(&in, place, &ev);
    assert_true(isinf(ev.latency));
    assert_true(has_reason(&ev, REASON_ROUTE, "no route from cloud to edge for the output of L3"));
    eval_free(&ev);
    /* Staying on the edge needs no link. */
    int local[3] = {0, 0, 0};
    assert_close(eval_latency(&in, local, MODE_PRELOAD), 7.2);
    scenario_instance_free(&s, &in);
}

/* A relay: a -> b only through c; a fast two-hop path beats a slow direct one. */
static void test_relayed_route(void **state)
{
    (void)state;
    nn_scenario s;
    scenario_init(&s);
    fixture_device(&s, "a", 1e9, 1e9, 1e9);
    fixture_device(&s, "b", 1e9, 1e9, 1e9);
    fixture_device(&s, "c", 1e9, 1e9, 1e9);
    fixture_link(&s, 0, 2, 80e6, 80e6, 0.001); /* 1 MB: 0.1 s + 1 ms */
    fixture_link(&s, 2, 1, 40e6, 40e6, 0.002); /* 1 MB: 0.2 s + 2 ms */
    fixture_link(&s, 0, 1, 8e6, 8e6, 0.0);     /* 1 MB: 1 s direct */
    nn_network net = {0};
    fixture_layer(&net, "x", 0, 0, 1e6);
    assert_int_equal(fixture_finish(&s, &net, 1e6), 0);
    s.source = 0;
    s.sink = 1;
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    assert_close(instance_xfer(&in, 1, 0, 1), 0.303);
    int place[1] = {0};
    nn_eval ev;
    assert_int_equal(eval_run(&in, place, MODE_RESIDENT, &ev), 0);
    assert_int_equal(ev.nhops, 2);
    assert_int_equal(ev.hops[0].to, 2);
    assert_int_equal(ev.hops[1].from, 2);
    assert_close(ev.hops[0].end, 0.101);
    assert_close(ev.hops[1].end, 0.303);
    assert_close(ev.latency, 0.303);
    eval_free(&ev);
    instance_free(&in);

    /* A tiny tensor is latency-bound: the direct link (0 ms) wins. */
    s.net.layers[0].output_bytes = 1;
    assert_int_equal(instance_build(&s, &in), 0);
    assert_close(instance_xfer(&in, 1, 0, 1), 8.0 / 8e6);
    scenario_instance_free(&s, &in);
}

/* One-way links: each direction has its own rate. */
static void test_asymmetric_link(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    s.links[0].reverse = 80e6;
    s.links[0].reverse_given = true;
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    /* Result (1000 B) back from the cloud now takes 10 ms + 0.1 ms. */
    assert_close(instance_xfer(&in, 3, 1, 0), 0.0101);
    assert_close(instance_xfer(&in, 3, 0, 1), 0.011);
    int place[3] = {0, 1, 1};
    assert_close(eval_latency(&in, place, MODE_PRELOAD), 0.7111);
    scenario_instance_free(&s, &in);
}

/* A measured profile overrides flops / speed on that device only. */
static void test_profile_override(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    assert_int_equal(layer_add_profile(&s.net.layers[1], "cloud", 0.5), 0);
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    assert_close(in.comp[1 * 2 + 1], 0.5);
    assert_close(in.comp[1 * 2 + 0], 1.0);
    int place[3] = {0, 1, 1};
    /* L2 now runs 0.41 -> 0.91; L3 starts when L2 ends (its weights are ready
     * at 0.7), finishes 0.911; plus 11 ms back. */
    assert_close(eval_latency(&in, place, MODE_PRELOAD), 0.922);
    scenario_instance_free(&s, &in);
}

/* Source and sink elsewhere than the first device. */
static void test_source_sink(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    s.source = 1;
    s.sink = 1;
    nn_instance in;
    assert_int_equal(instance_build(&s, &in), 0);
    int cloud[3] = {1, 1, 1};
    /* Resident, nothing moves: 1.2 GFLOP at 100 GFLOP/s. */
    assert_close(eval_latency(&in, cloud, MODE_RESIDENT), 0.012);
    int edge_first[3] = {0, 1, 1};
    /* Input 100 kB to the edge: 10 ms + 0.1 s. */
    assert_close(eval_latency(&in, edge_first, MODE_RESIDENT), 0.11 + 0.1 + 0.21 + 0.011);
    scenario_instance_free(&s, &in);
}

static void test_bad_placement(void **state)
{
    (void)state;
    nn_scenario s;
    nn_instance in;
    worked_instance(&s, &in);
    int place[3] = {0, 7, 1};
    nn_eval ev;
    run_infeasible(&in, place, &ev);
    assert_true(has_reason(&ev, REASON_DEVICE, "does not exist"));
    eval_free(&ev);
    scenario_instance_free(&s, &in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worked_example_table),
        cmocka_unit_test(test_worked_example_timeline),
        cmocka_unit_test(test_shared_weights),
        cmocka_unit_test(test_energy_worked_example),
        cmocka_unit_test(test_stream_worked_example),
        cmocka_unit_test(test_stream_schedule_random),
        cmocka_unit_test(test_bottleneck_random),
        cmocka_unit_test(test_bottleneck_worked_example),
        cmocka_unit_test(test_memory_reason),
        cmocka_unit_test(test_pin_reason),
        cmocka_unit_test(test_no_route),
        cmocka_unit_test(test_relayed_route),
        cmocka_unit_test(test_asymmetric_link),
        cmocka_unit_test(test_profile_override),
        cmocka_unit_test(test_source_sink),
        cmocka_unit_test(test_bad_placement),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
