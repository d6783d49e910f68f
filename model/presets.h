/* Named devices and links with typical numbers, each with its rationale. */
#ifndef NNPART_PRESETS_H
#define NNPART_PRESETS_H

#include "scenario.h"

typedef struct nn_device_preset {
    const char *name; /* "jetson-nano", "phone", "desktop-gpu", "a100", ... */
    nn_tier tier;
    double speed, memory, load_rate;
    double memory_bandwidth; /* bytes/s sustained between memory and compute */
    const char *rationale;   /* one line: where the numbers come from */
} nn_device_preset;

typedef struct nn_link_preset {
    const char *name;                   /* "3g", "4g", "5g", "wifi", "ethernet", "wan" */
    double bandwidth, reverse, latency; /* reverse: uplink vs downlink */
    double energy;                      /* J per bit sent (the sender's radio or NIC) */
    const char *rationale;
} nn_link_preset;

int presets_device_count(void);
const nn_device_preset *presets_device_at(int i);
const nn_device_preset *presets_device_find(const char *name);
int presets_link_count(void);
const nn_link_preset *presets_link_at(int i);
const nn_link_preset *presets_link_find(const char *name);

#endif
