/* A background thread on the latest scenario snapshot: start, submit,
 * cancel, stop, and the wake-up pipe. */
#include "job_thread.h"

#include <fcntl.h>
#include <glpk.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct job {
    nn_scenario s;
    unsigned long gen;
    max_align_t arg[]; /* arg_size bytes */
} job;

struct job_thread {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int pipe_rd, pipe_wr;
    job_run_fn run;
    void *owner;
    size_t arg_size;
    atomic_int cancel;
    bool stop;
    bool busy;               /* a job is running */
    unsigned long submitted; /* number of the newest job */
    job *pending;            /* waiting, or NULL */
};

static void job_free(job *j)
{
    if (!j) return;
    scenario_free(&j->s);
    free(j);
}

static void *job_main(void *arg)
{
    job_thread *t = arg;
    pthread_mutex_lock(&t->mu);
    for (;;) {
        while (!t->pending && !t->stop)
            pthread_cond_wait(&t->cv, &t->mu);
        if (t->stop) break;
        job *j = t->pending;
        t->pending = NULL;
        t->busy = true;
        /* Under the lock: a submission after this point cancels this job. */
        atomic_store(&t->cancel, 0);
        pthread_mutex_unlock(&t->mu);
        t->run(t, t->owner, &j->s, j->arg, j->gen, &t->cancel);
        job_free(j);
        pthread_mutex_lock(&t->mu);
        t->busy = false;
    }
    pthread_mutex_unlock(&t->mu);
    /* GLPK keeps a per-thread environment; release it with the thread. */
    glp_free_env();
    return NULL;
}

/* Non-blocking both ends (the thread never stalls on a full pipe, which
 * already says "look"; the main loop never on an empty one), closed on exec. */
static int pipe_open(int fds[2])
{
    if (pipe(fds) != 0) return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
    }
    return 0;
}

job_thread *job_thread_start(job_run_fn run, void *owner, size_t arg_size)
{
    job_thread *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    int fds[2];
    if (pipe_open(fds) != 0) {
        free(t);
        return NULL;
    }
    t->pipe_rd = fds[0];
    t->pipe_wr = fds[1];
    t->run = run;
    t->owner = owner;
    t->arg_size = arg_size;
    atomic_init(&t->cancel, 0);
    pthread_mutex_init(&t->mu, NULL);
    pthread_cond_init(&t->cv, NULL);
    if (pthread_create(&t->thread, NULL, job_main, t) != 0) {
        pthread_mutex_destroy(&t->mu);
        pthread_cond_destroy(&t->cv);
        close(fds[0]);
        close(fds[1]);
        free(t);
        return NULL;
    }
    return t;
}

void job_thread_stop(job_thread *t)
{
    if (!t) return;
    pthread_mutex_lock(&t->mu);
    t->stop = true;
    atomic_store(&t->cancel, 1);
    pthread_cond_signal(&t->cv);
    pthread_mutex_unlock(&t->mu);
    pthread_join(t->thread, NULL);
    job_free(t->pending);
    close(t->pipe_rd);
    close(t->pipe_wr);
    pthread_mutex_destroy(&t->mu);
    pthread_cond_destroy(&t->cv);
    free(t);
}

unsigned long job_thread_submit(job_thread *t, const nn_scenario *s, const void *arg)
{
    job *j = calloc(1, sizeof *j + t->arg_size);
    if (!j) return 0;
    scenario_init(&j->s);
    if (scenario_copy(&j->s, s) != 0) {
        job_free(j);
        return 0;
    }
    if (arg) memcpy(j->arg, arg, t->arg_size);
    pthread_mutex_lock(&t->mu);
    job_free(t->pending);
    t->pending = j;
    j->gen = ++t->submitted;
    if (t->busy) atomic_store(&t->cancel, 1); /* the job running is stale */
    pthread_cond_signal(&t->cv);
    unsigned long gen = j->gen;
    pthread_mutex_unlock(&t->mu);
    return gen;
}

int job_thread_fd(const job_thread *t)
{
    return t->pipe_rd;
}

void job_thread_drain(job_thread *t)
{
    char buf[64];
    while (read(t->pipe_rd, buf, sizeof buf) > 0) {
    }
}

void job_thread_lock(job_thread *t)
{
    pthread_mutex_lock(&t->mu);
}

void job_thread_unlock(job_thread *t)
{
    pthread_mutex_unlock(&t->mu);
}

bool job_thread_latest(const job_thread *t, unsigned long gen)
{
    return gen == t->submitted;
}

void job_thread_wake(job_thread *t)
{
    char byte = 1;
    ssize_t ignored = write(t->pipe_wr, &byte, 1);
    (void)ignored;
}
