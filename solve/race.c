/* The race: the label engine and the ILP side by side, sharing incumbents;
 * the first proof wins and stops the other. Also the shared incumbent. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "solve_internal.h"

struct solve_share {
    pthread_mutex_t lock;
    int L;
    double best; /* latency of `place`, INFINITY if none */
    int *place;  /* [L] */
    atomic_uint version;
    void (*tick)(solve_share *sh, void *arg); /* the race's hook, or NULL */
    void *tick_arg;
};

void share_offer(solve_share *sh, const nn_instance *in, const int *place, double latency)
{
    if (!sh || !(latency < INFINITY)) return;
    pthread_mutex_lock(&sh->lock);
    if (latency < sh->best && sh->L == in->L) {
        sh->best = latency;
        memcpy(sh->place, place, (size_t)in->L * sizeof *place);
        atomic_fetch_add(&sh->version, 1);
    }
    pthread_mutex_unlock(&sh->lock);
}

double share_best(solve_share *sh, int *place)
{
    if (!sh) return INFINITY;
    pthread_mutex_lock(&sh->lock);
    double v = sh->best;
    if (place && isfinite(v)) memcpy(place, sh->place, (size_t)sh->L * sizeof *place);
    pthread_mutex_unlock(&sh->lock);
    return v;
}

unsigned share_version(solve_share *sh)
{
    return sh ? atomic_load(&sh->version) : 0;
}

void share_tick(solve_share *sh)
{
    if (sh && sh->tick) sh->tick(sh, sh->tick_arg);
}
