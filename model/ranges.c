#include "ranges.h"

#include <math.h>
#include <stdio.h>

static const nn_range RANGES[RANGE_COUNT] = {
    [RANGE_SPEED] = {.unit = UNIT_FLOP_RATE, .min = 1e3, .max = 1e18},
    [RANGE_MEMORY] = {.unit = UNIT_BYTES, .min = 1e3, .max = 1e14},
    [RANGE_LOAD_RATE] = {.unit = UNIT_BYTE_RATE, .min = 1e3, .max = 1e14},
    [RANGE_MEMORY_BANDWIDTH] = {.unit = UNIT_BYTE_RATE, .min = 1e3, .max = 1e15},
    [RANGE_BANDWIDTH] = {.unit = UNIT_BIT_RATE, .min = 100, .max = 1e14, .zero = true},
    [RANGE_LATENCY] = {.unit = UNIT_TIME, .min = 0, .max = 1000},
    [RANGE_FLOPS] = {.unit = UNIT_FLOP, .min = 0, .max = 1e18},
    [RANGE_BYTES] = {.unit = UNIT_BYTES, .min = 0, .max = 1e14},
    [RANGE_PROFILE] = {.unit = UNIT_TIME, .min = 0, .max = 1000},
    [RANGE_POWER] = {.unit = UNIT_POWER, .min = 0, .max = 1e6},
    [RANGE_BIT_ENERGY] = {.unit = UNIT_ENERGY_PER_BIT, .min = 0, .max = 1e-3},
    [RANGE_ENERGY] = {.unit = UNIT_ENERGY, .min = 0, .max = 1e9},
};

const nn_range *ranges_range(nn_range_id id)
{
    return (unsigned)id < RANGE_COUNT ? &RANGES[id] : &RANGES[RANGE_BYTES];
}

void ranges_range_text(nn_range_id id, char *buf, size_t size)
{
    const nn_range *r = ranges_range(id);
    char lo[32], hi[32];
    units_format(r->min, r->unit, lo, sizeof lo);
    units_format(r->max, r->unit, hi, sizeof hi);
    snprintf(buf, size, "from %s to %s%s", lo, hi, r->zero ? ", or 0" : "");
}

bool ranges_in_range(nn_range_id id, double value)
{
    const nn_range *r = ranges_range(id);
    if (!isfinite(value)) return false;
    if (r->zero && value == 0) return true;
    return value >= r->min && value <= r->max;
}

bool ranges_check(nn_range_id id, const char *key, double value, char *why, size_t why_size)
{
    if (ranges_in_range(id, value)) return true;
    if (why && why_size) {
        char range[96], got[48];
        ranges_range_text(id, range, sizeof range);
        units_format(value, ranges_range(id)->unit, got, sizeof got);
        snprintf(why, why_size, "%s must be %s, got %s", key, range, got);
    }
    return false;
}

double ranges_clamp(nn_range_id id, double value)
{
    const nn_range *r = ranges_range(id);
    if (isnan(value)) return r->min;
    if (r->zero && value == 0) return 0;
    return fmin(fmax(value, r->min), r->max);
}

/* The most layers the cap allows on n devices. */
static long layers_within(long cap, int n)
{
    long layers = cap / ((long)n * n);
    return layers < NN_MAX_LAYERS ? layers : NN_MAX_LAYERS;
}

static bool size_within(int nlayers, int ndevices, long cap, char *why, size_t why_size)
{
    long size = (long)nlayers * ndevices * ndevices;
    if (nlayers <= NN_MAX_LAYERS && ndevices <= NN_MAX_DEVICES && size <= cap) return true;
    if (why && why_size)
        snprintf(why, why_size,
                 "%d layers on %d devices is too large to solve in bounded time and memory; "
                 "accepted: layers x devices x devices at most %ld (e.g. %ld layers on %d "
                 "devices, %ld on 16, %ld on 4)",
                 nlayers, ndevices, cap, layers_within(cap, NN_MAX_DEVICES), NN_MAX_DEVICES,
                 layers_within(cap, 16), layers_within(cap, 4));
    return false;
}

bool ranges_check_size(int nlayers, int ndevices, char *why, size_t why_size)
{
    return size_within(nlayers, ndevices, NN_MAX_PLACEMENT_SIZE, why, why_size);
}

bool ranges_check_ilp_size(int nlayers, int ndevices, char *why, size_t why_size)
{
    return size_within(nlayers, ndevices, NN_MAX_ILP_SIZE, why, why_size);
}
