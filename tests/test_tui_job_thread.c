/* tui/job_thread: a job runs on its own copy of the scenario and argument,
 * a newer submission cancels the one running and replaces the one waiting,
 * only the newest publishes, the pipe wakes the main loop, and stopping
 * cancels the job running and frees the one waiting (LeakSanitizer under
 * make test). */
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "job_thread.h"
#include "scenario_fixture.h"

typedef struct arg {
    int hold; /* run until cancelled this many times */
    char tag[16];
} arg;

typedef struct owner {
    atomic_int started; /* jobs run so far */
    atomic_int holding; /* a held job is running: its round, from 1 */
    /* Under the thread's lock: */
    int runs, cancelled;
    unsigned long published;
    char tag[16];
    int ndevices;
} owner;

static void run(job_thread *t, void *o, const nn_scenario *s, const void *a, unsigned long gen,
                atomic_int *cancel)
{
    owner *w = o;
    const arg *x = a;
    atomic_fetch_add(&w->started, 1);
    bool was_cancelled = false;
    for (int h = 0; h < x->hold; h++) {
        atomic_store(&w->holding, h + 1);
        /* A bound, not a timing assertion: the test fails if never cancelled. */
        for (int i = 0; i < 2000 && !atomic_load(cancel); i++)
            usleep(5000);
        was_cancelled = atomic_load(cancel) != 0;
        /* Holding on: the next cancel comes from somewhere else. */
        if (h + 1 < x->hold) atomic_store(cancel, 0);
    }
    atomic_store(&w->holding, 0);
    job_thread_lock(t);
    w->runs++;
    w->cancelled += was_cancelled;
    if (job_thread_latest(t, gen)) {
        w->published = gen;
        str_copy(w->tag, sizeof w->tag, x->tag);
        w->ndevices = s->ndevices;
        job_thread_wake(t);
    }
    job_thread_unlock(t);
}

static void wait_readable(job_thread *t)
{
    struct pollfd p = {.fd = job_thread_fd(t), .events = POLLIN};
    assert_int_equal(poll(&p, 1, 10000), 1);
}

static void wait_holding(owner *w, int round)
{
    for (int i = 0; i < 2000 && atomic_load(&w->holding) != round; i++)
        usleep(5000);
    assert_int_equal(atomic_load(&w->holding), round);
}

static void test_newest_wins(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    owner w = {0};
    job_thread *t = job_thread_start(run, &w, sizeof(arg));
    assert_non_null(t);

    /* The first job holds on through two cancels: the second submission's,
     * then the third's, which replaces the second while it waits. */
    arg a = {.hold = 2};
    str_copy(a.tag, sizeof a.tag, "first");
    unsigned long g1 = job_thread_submit(t, &s, &a);
    assert_int_equal(g1, 1);
    wait_holding(&w, 1);
    /* The caller's scenario and argument may change at once: jobs have copies. */
    a.hold = 0;
    str_copy(a.tag, sizeof a.tag, "second");
    unsigned long g2 = job_thread_submit(t, &s, &a);
    wait_holding(&w, 2);
    str_copy(a.tag, sizeof a.tag, "third");
    unsigned long g3 = job_thread_submit(t, &s, &a);
    assert_true(g1 < g2 && g2 < g3);
    str_copy(a.tag, sizeof a.tag, "changed");
    int devices = s.ndevices;
    scenario_free(&s);
    scenario_init(&s);

    for (int i = 0; i < 100; i++) {
        wait_readable(t);
        job_thread_drain(t);
        job_thread_lock(t);
        bool done = w.published == g3;
        job_thread_unlock(t);
        if (done) break;
    }
    job_thread_lock(t);
    assert_int_equal(w.published, g3);
    assert_string_equal(w.tag, "third");
    assert_int_equal(w.ndevices, devices);
    /* The first was cancelled; the second never ran. */
    assert_int_equal(w.cancelled, 1);
    assert_int_equal(w.runs, 2);
    job_thread_unlock(t);
    assert_int_equal(atomic_load(&w.started), 2);

    /* Drained: nothing to read until the next wake. */
    struct pollfd p = {.fd = job_thread_fd(t), .events = POLLIN};
    assert_int_equal(poll(&p, 1, 0), 0);
    job_thread_stop(t);
    scenario_free(&s);
}

static void test_stop_cancels_and_frees(void **state)
{
    (void)state;
    nn_scenario s;
    fixture_worked_example(&s);
    owner w = {0};
    job_thread *t = job_thread_start(run, &w, sizeof(arg));
    assert_non_null(t);
    /* Cancelled once by the next submission, it holds on until the stop
     * cancels it again: the job left waiting is freed, never run. */
    arg held = {.hold = 2};
    job_thread_submit(t, &s, &held);
    wait_holding(&w, 1);
    assert_true(job_thread_submit(t, &s, NULL) > 0);
    wait_holding(&w, 2);
    job_thread_stop(t);
    assert_int_equal(atomic_load(&w.started), 1);
    assert_int_equal(w.cancelled, 1);
    scenario_free(&s);
    job_thread_stop(NULL); /* like free(NULL) */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_newest_wins),
        cmocka_unit_test(test_stop_cancels_and_frees),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
