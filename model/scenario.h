/* A scenario: a network, the devices and links it may run on, the mode, and
 * the user's constraints. This is the user-facing document: what is loaded,
 * edited in the explorer and saved. Numbers are derived from it by
 * instance_build(). */
#ifndef NNPART_SCENARIO_H
#define NNPART_SCENARIO_H

#include "network.h"

typedef enum nn_mode { MODE_PRELOAD, MODE_ONDEMAND, MODE_RESIDENT, MODE_COUNT } nn_mode;
/* What the solver optimises (MODEL.md): one inference's latency or energy
 * (of every device, or of battery devices only), or a stream's period. */
typedef enum nn_objective {
    OBJ_LATENCY,
    OBJ_ENERGY,
    OBJ_BATTERY_ENERGY,
    OBJ_THROUGHPUT,
    OBJ_COUNT
} nn_objective;

/* Placements allowed: any, or each device one contiguous run of layers. */
typedef enum nn_stages { STAGES_ANY, STAGES_CONTIGUOUS, STAGES_COUNT } nn_stages;

typedef enum nn_tier { TIER_EDGE, TIER_HUB, TIER_CLOUD, TIER_COUNT } nn_tier;

typedef struct nn_device {
    char name[NN_NAME_LEN];
    nn_tier tier;
    double speed;     /* FLOP/s */
    double memory;    /* bytes for weights and activations */
    double load_rate; /* bytes/s from storage into compute memory */
    /* bytes/s between memory and the compute units (the roofline); 0: not
     * given, and compute time is flops / speed alone. */
    double memory_bandwidth;
    /* Energy (MODEL.md, energy): watts; 0 when not given. */
    double power;      /* while computing */
    double idle_power; /* while waiting, over the whole inference */
    double load_power; /* extra, while loading weights */
    bool battery;      /* counts for the battery-energy objective */
} nn_device;

typedef struct nn_link {
    int a, b;           /* device indices */
    double bandwidth;   /* bits/s, a -> b */
    double reverse;     /* bits/s, b -> a */
    bool reverse_given; /* false: reverse mirrors bandwidth */
    double latency;     /* seconds, one way */
    double energy;      /* joules per bit sent (either way), charged to the sender */
} nn_link;

/* profiles: {DEVICE: FILE.csv}: measured compute times of one device, the
 * path as the scenario wrote it (relative to the scenario file). */
typedef struct nn_profile_file {
    int device;
    char path[256];
} nn_profile_file;

typedef struct nn_scenario {
    char name[NN_TEXT_LEN];
    nn_network net;
    nn_mode mode;
    nn_objective objective;
    double latency_limit; /* seconds; 0: none */
    double energy_limit;  /* joules (battery devices' under battery-energy); 0: none */
    nn_stages stages;
    int source, sink; /* device indices */
    int ndevices;
    nn_device *devices;
    int nlinks;
    nn_link *links;
    int *pin;           /* per layer: device index, or -1 when free (length net.nlayers) */
    int nprofile_files; /* at most one per device */
    nn_profile_file profile_files[NN_MAX_DEVICES];
    /* Where the file gave the network (1-based), for messages about it
     * after loading (the ILP's size); 0: not from a file. */
    int net_line, net_col;
} nn_scenario;

void scenario_init(nn_scenario *s); /* empty scenario */
void scenario_free(nn_scenario *s);
int scenario_copy(nn_scenario *dst, const nn_scenario *src); /* dst is overwritten */

int scenario_find_device(const nn_scenario *s, const char *name); /* index or -1 */
int scenario_find_link(const nn_scenario *s, int a, int b);       /* either order, or -1 */
/* Appends; returns the new index or -1 (limit reached / duplicate name). */
int scenario_add_device(nn_scenario *s, const nn_device *dev);
int scenario_add_link(nn_scenario *s, const nn_link *link);
/* Removes a device with its links and pins; source/sink fall back to device 0.
 * Refuses (-1) to remove the last device. */
int scenario_remove_device(nn_scenario *s, int index);
int scenario_remove_link(nn_scenario *s, int index);
/* Renames device `index`, with the profiles that name it. Refuses (-1, the
 * reason in `why`) an empty or too long name, a control character, or a
 * name another device has. */
int scenario_rename_device(nn_scenario *s, int index, const char *name, char *why, size_t size);
/* Replaces the network (takes ownership of *net) and clears the pins. */
int scenario_set_network(nn_scenario *s, nn_network *net);
/* Bandwidth in bits/s from device `from` to device `to` over link `l`. */
double link_bandwidth(const nn_link *l, int from);

const char *mode_name(nn_mode m);
int mode_parse(const char *name, nn_mode *out);
const char *objective_name(nn_objective o);
/* The unit of the objective's value: time (a latency, a stream's period)
 * or energy. */
unit_kind objective_unit(nn_objective o);
/* What the objective's value is: "latency", "energy", "battery energy" or
 * "period". */
const char *objective_value_name(nn_objective o);
int objective_parse(const char *name, nn_objective *out);
/* The mode the objective runs in: a stream keeps its weights resident
 * (MODEL.md, Throughput), whatever `mode` says; the other objectives, `mode`. */
nn_mode objective_mode(nn_objective o, nn_mode mode);
const char *stages_name(nn_stages st);
const char *tier_name(nn_tier t);
int tier_parse(const char *name, nn_tier *out);

/* The built-in default scenario (configs/default.yaml compiled in). */
extern const char nnpart_default_yaml[];

#endif
