/* One background thread that works on the latest snapshot of the scenario
 * (the explorer's solver worker and its sensitivity view each run one).
 * A submission copies the scenario and a small argument, replaces the job
 * still waiting and cancels the one running. The owner's run function does
 * the work without the lock, then stores its results in the owner's own
 * slots under the thread's lock (job_thread_lock), if job_thread_latest
 * says the job is still the newest, and calls job_thread_wake: the pipe
 * behind job_thread_fd becomes readable, so the main loop can sleep in
 * poll(). No curses here. */
#ifndef NNPART_JOB_THREAD_H
#define NNPART_JOB_THREAD_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "../model/scenario.h"

typedef struct job_thread job_thread;

/* Runs job number `gen` on the thread: `s` and `arg` (arg_size bytes, as
 * submitted) are the thread's until it returns. `cancel` turns non-zero
 * when a newer job is submitted or the thread stops. */
typedef void (*job_run_fn)(job_thread *t, void *owner, const nn_scenario *s, const void *arg,
                           unsigned long gen, atomic_int *cancel);

/* Starts the thread; NULL on failure. */
job_thread *job_thread_start(job_run_fn run, void *owner, size_t arg_size);
/* Cancels the job running, joins the thread, frees the job waiting and
 * everything of the thread's own; the owner frees its results after. */
void job_thread_stop(job_thread *t);
/* Queues a copy of `s` and of arg_size bytes of `arg` (NULL: zeros).
 * Returns the job's number (> 0), 0 when out of memory. */
unsigned long job_thread_submit(job_thread *t, const nn_scenario *s, const void *arg);

/* Readable when job_thread_wake was called; job_thread_drain empties it. */
int job_thread_fd(const job_thread *t);
void job_thread_drain(job_thread *t);

/* The lock that guards the owner's results. */
void job_thread_lock(job_thread *t);
void job_thread_unlock(job_thread *t);
/* Under the lock: whether job `gen` is still the newest submitted. */
bool job_thread_latest(const job_thread *t, unsigned long gen);
/* Makes job_thread_fd readable (never blocks). */
void job_thread_wake(job_thread *t);

#endif
