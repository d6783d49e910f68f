/* Every bound nnpart puts on its input, in one place: the accepted range of
 * each kind of number (the loader, the field table, the explorer's steps and
 * typed values, and `nnpart sweep` all judge a value here), and the sizes
 * that keep time and memory bounded on any input. The ranges are physical:
 * wide enough for a microcontroller and a data centre, narrow enough that
 * every derived time stays a number GLPK can scale. */
#ifndef NNPART_RANGES_H
#define NNPART_RANGES_H

#include <stdbool.h>
#include <stddef.h>

#include "units.h"

#define NN_MAX_DEVICES 32
#define NN_MAX_LAYERS 4096
/* Layers x devices x devices the ILP is built for: its transfer variables
 * grow with it (4096 layers on 4 devices, 256 on 16, 64 on 32). */
#define NN_MAX_ILP_SIZE 65536L
/* ... and that any solve accepts: past the ILP's size the label engine
 * runs alone, in memory its caps bound whatever the instance (solve/
 * labels_internal.h); what still grows is the instance's transfer table,
 * (layers + 1) x devices^2 numbers (8 MB here). */
#define NN_MAX_PLACEMENT_SIZE 1048576L
#define NN_MAX_FILE_BYTES (64L * 1024 * 1024)
/* Nesting of YAML collections: libyaml is quadratic on deep flow nesting. */
#define NN_MAX_YAML_DEPTH 64
/* Widest text output or screen nnpart lays out ($COLUMNS, the terminal). */
#define NN_MAX_COLUMNS 1000
/* Default time limit of `nnpart solve` and `nnpart sweep` per solve. */
#define NN_DEFAULT_TIME_LIMIT_S 10.0

typedef enum nn_range_id {
    RANGE_SPEED,            /* device compute rate */
    RANGE_MEMORY,           /* device memory */
    RANGE_LOAD_RATE,        /* device storage -> memory rate */
    RANGE_MEMORY_BANDWIDTH, /* device memory -> compute rate (the roofline) */
    RANGE_BANDWIDTH,        /* link, per direction; 0: no direct path */
    RANGE_LATENCY,          /* link, one way */
    RANGE_FLOPS,            /* one layer's operations */
    RANGE_BYTES,            /* one layer's weights or tensor; the network input */
    RANGE_PROFILE,          /* one layer's measured compute time */
    RANGE_POWER,            /* device power draw */
    RANGE_BIT_ENERGY,       /* link energy per bit sent */
    RANGE_ENERGY,           /* energy of one inference (energy_limit) */
    RANGE_COUNT
} nn_range_id;

typedef struct nn_range {
    unit_kind unit;
    double min, max; /* inclusive */
    bool zero;       /* 0 is also accepted (below min) */
} nn_range;

const nn_range *ranges_range(nn_range_id id);
/* "from 1 kFLOP/s to 1000 PFLOP/s", "from 100 bit/s to 100 Tbit/s, or 0". */
void ranges_range_text(nn_range_id id, char *buf, size_t size);
bool ranges_in_range(nn_range_id id, double value);
/* Checks a value; false with "KEY must be from A to B, got V" in `why`. */
bool ranges_check(nn_range_id id, const char *key, double value, char *why, size_t why_size);
/* The nearest accepted value (for the explorer's steps), 0 staying 0 when
 * accepted. */
double ranges_clamp(nn_range_id id, double value);

/* Checks the size of a placement problem; false with the limit in `why`. */
bool ranges_check_size(int nlayers, int ndevices, char *why, size_t why_size);
/* The same for the ILP (NN_MAX_ILP_SIZE): false, with why, when an
 * instance this large can be solved by the label engine alone. */
bool ranges_check_ilp_size(int nlayers, int ndevices, char *why, size_t why_size);

#endif
