/* The scenario document: devices, links, pins, and edits that keep the
 * indices consistent. */
#include "scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"

void scenario_init(nn_scenario *s)
{
    memset(s, 0, sizeof *s);
    s->mode = MODE_PRELOAD;
}

void scenario_free(nn_scenario *s)
{
    if (!s) return;
    network_free(&s->net);
    free(s->devices);
    free(s->links);
    free(s->pin);
    scenario_init(s);
}

int scenario_copy(nn_scenario *dst, const nn_scenario *src)
{
    nn_scenario c = *src;
    c.devices = NULL;
    c.links = NULL;
    c.pin = NULL;
    memset(&c.net, 0, sizeof c.net);
    if (network_copy(&c.net, &src->net) != 0) return -1;
    if (src->ndevices > 0) c.devices = malloc((size_t)src->ndevices * sizeof *c.devices);
    if (src->nlinks > 0) c.links = malloc((size_t)src->nlinks * sizeof *c.links);
    if (src->pin && src->net.nlayers > 0) c.pin = malloc((size_t)src->net.nlayers * sizeof *c.pin);
    if ((src->ndevices > 0 && !c.devices) || (src->nlinks > 0 && !c.links) ||
        (src->pin && src->net.nlayers > 0 && !c.pin)) {
        scenario_free(&c);
        return -1;
    }
    if (c.devices) memcpy(c.devices, src->devices, (size_t)src->ndevices * sizeof *c.devices);
    if (c.links) memcpy(c.links, src->links, (size_t)src->nlinks * sizeof *c.links);
    if (c.pin) memcpy(c.pin, src->pin, (size_t)src->net.nlayers * sizeof *c.pin);
    *dst = c;
    return 0;
}

int scenario_find_device(const nn_scenario *s, const char *name)
{
    for (int i = 0; i < s->ndevices; i++)
        if (strcmp(s->devices[i].name, name) == 0) return i;
    return -1;
}

int scenario_find_link(const nn_scenario *s, int a, int b)
{
    for (int i = 0; i < s->nlinks; i++) {
        const nn_link *l = &s->links[i];
        if ((l->a == a && l->b == b) || (l->a == b && l->b == a)) return i;
    }
    return -1;
}

int scenario_add_device(nn_scenario *s, const nn_device *dev)
{
    if (s->ndevices >= NN_MAX_DEVICES || scenario_find_device(s, dev->name) >= 0) return -1;
    if (!ranges_check_size(s->net.nlayers, s->ndevices + 1, NULL, 0)) return -1;
    nn_device *grown = realloc(s->devices, (size_t)(s->ndevices + 1) * sizeof *grown);
    if (!grown) return -1;
    s->devices = grown;
    s->devices[s->ndevices] = *dev;
    return s->ndevices++;
}

int scenario_add_link(nn_scenario *s, const nn_link *link)
{
    if (link->a == link->b || link->a < 0 || link->b < 0 || link->a >= s->ndevices ||
        link->b >= s->ndevices || scenario_find_link(s, link->a, link->b) >= 0)
        return -1;
    nn_link *grown = realloc(s->links, (size_t)(s->nlinks + 1) * sizeof *grown);
    if (!grown) return -1;
    s->links = grown;
    s->links[s->nlinks] = *link;
    if (!link->reverse_given) s->links[s->nlinks].reverse = link->bandwidth;
    return s->nlinks++;
}

int scenario_remove_link(nn_scenario *s, int index)
{
    if (index < 0 || index >= s->nlinks) return -1;
    memmove(&s->links[index], &s->links[index + 1],
            (size_t)(s->nlinks - index - 1) * sizeof *s->links);
    s->nlinks--;
    return 0;
}

/* Index `removed` is gone: indices above it shift down by one. */
static int shift_index(int i, int removed)
{
    return i > removed ? i - 1 : i;
}

int scenario_remove_device(nn_scenario *s, int index)
{
    if (index < 0 || index >= s->ndevices || s->ndevices <= 1) return -1;
    for (int i = s->nlinks - 1; i >= 0; i--)
        if (s->links[i].a == index || s->links[i].b == index) scenario_remove_link(s, i);
    for (int i = 0; i < s->nlinks; i++) {
        s->links[i].a = shift_index(s->links[i].a, index);
        s->links[i].b = shift_index(s->links[i].b, index);
    }
    for (int l = 0; s->pin && l < s->net.nlayers; l++) {
        if (s->pin[l] == index)
            s->pin[l] = -1;
        else if (s->pin[l] >= 0)
            s->pin[l] = shift_index(s->pin[l], index);
    }
    /* Measured times on the device go with it: a profile naming no device
     * would make the saved file unloadable. */
    for (int l = 0; l < s->net.nlayers; l++) {
        nn_layer *layer = &s->net.layers[l];
        int kept = 0;
        for (int i = 0; i < layer->nprofiles; i++)
            if (strcmp(layer->profiles[i].device, s->devices[index].name) != 0)
                layer->profiles[kept++] = layer->profiles[i];
        layer->nprofiles = kept;
    }
    int kept = 0;
    for (int i = 0; i < s->nprofile_files; i++)
        if (s->profile_files[i].device != index) {
            s->profile_files[kept] = s->profile_files[i];
            s->profile_files[kept++].device = shift_index(s->profile_files[i].device, index);
        }
    s->nprofile_files = kept;
    s->source = s->source == index ? 0 : shift_index(s->source, index);
    s->sink = s->sink == index ? 0 : shift_index(s->sink, index);
    memmove(&s->devices[index], &s->devices[index + 1],
            (size_t)(s->ndevices - index - 1) * sizeof *s->devices);
    s->ndevices--;
    return 0;
}

int scenario_set_network(nn_scenario *s, nn_network *net)
{
    int *pin = NULL;
    if (net->nlayers > 0) {
        pin = malloc((size_t)net->nlayers * sizeof *pin);
        if (!pin) return -1;
        for (int l = 0; l < net->nlayers; l++)
            pin[l] = -1;
    }
    network_free(&s->net);
    free(s->pin);
    s->nprofile_files = 0; /* they name the old network's layers */
    s->net_line = s->net_col = 0;
    s->net = *net;
    s->pin = pin;
    memset(net, 0, sizeof *net);
    return 0;
}

double link_bandwidth(const nn_link *l, int from)
{
    return from == l->a ? l->bandwidth : l->reverse;
}

static const char *const MODE_NAMES[MODE_COUNT] = {
    [MODE_PRELOAD] = "preload",
    [MODE_ONDEMAND] = "ondemand",
    [MODE_RESIDENT] = "resident",
};

static const char *const TIER_NAMES[TIER_COUNT] = {
    [TIER_EDGE] = "edge",
    [TIER_HUB] = "hub",
    [TIER_CLOUD] = "cloud",
};

static int name_index(const char *const *names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcasecmp(names[i], name) == 0) return i;
    return -1;
}

const char *mode_name(nn_mode m)
{
    return (unsigned)m < MODE_COUNT ? MODE_NAMES[m] : "?";
}

nn_mode objective_mode(nn_objective o, nn_mode mode)
{
    return o == OBJ_THROUGHPUT ? MODE_RESIDENT : mode;
}

int mode_parse(const char *name, nn_mode *out)
{
    int i = name_index(MODE_NAMES, MODE_COUNT, name);
    if (i < 0) return -1;
    *out = (nn_mode)i;
    return 0;
}

static const char *const OBJECTIVE_NAMES[OBJ_COUNT] = {
    [OBJ_LATENCY] = "latency",
    [OBJ_ENERGY] = "energy",
    [OBJ_BATTERY_ENERGY] = "battery-energy",
    [OBJ_THROUGHPUT] = "throughput",
};

static const char *const STAGES_NAMES[STAGES_COUNT] = {
    [STAGES_ANY] = "any",
    [STAGES_CONTIGUOUS] = "contiguous",
};

const char *objective_name(nn_objective o)
{
    return (unsigned)o < OBJ_COUNT ? OBJECTIVE_NAMES[o] : "?";
}

unit_kind objective_unit(nn_objective o)
{
    return o == OBJ_ENERGY || o == OBJ_BATTERY_ENERGY ? UNIT_ENERGY : UNIT_TIME;
}

const char *objective_value_name(nn_objective o)
{
    switch (o) {
    case OBJ_ENERGY:
        return "energy";
    case OBJ_BATTERY_ENERGY:
        return "battery energy";
    case OBJ_THROUGHPUT:
        return "period";
    case OBJ_LATENCY:
    case OBJ_COUNT:
        break;
    }
    return "latency";
}

int objective_parse(const char *name, nn_objective *out)
{
    int i = name_index(OBJECTIVE_NAMES, OBJ_COUNT, name);
    if (i < 0) return -1;
    *out = (nn_objective)i;
    return 0;
}

const char *stages_name(nn_stages st)
{
    return (unsigned)st < STAGES_COUNT ? STAGES_NAMES[st] : "?";
}

const char *tier_name(nn_tier t)
{
    return (unsigned)t < TIER_COUNT ? TIER_NAMES[t] : "?";
}

int tier_parse(const char *name, nn_tier *out)
{
    int i = name_index(TIER_NAMES, TIER_COUNT, name);
    if (i < 0) return -1;
    *out = (nn_tier)i;
    return 0;
}

int scenario_rename_device(nn_scenario *s, int index, const char *name, char *why, size_t size)
{
    size_t len = strlen(name);
    if (index < 0 || index >= s->ndevices) {
        snprintf(why, size, "no such device");
        return -1;
    }
    if (len == 0) {
        snprintf(why, size, "a device needs a name");
        return -1;
    }
    if (len >= NN_NAME_LEN) {
        snprintf(why, size, "the name is %zu bytes long; at most %d bytes accepted", len,
                 NN_NAME_LEN - 1);
        return -1;
    }
    if (!text_name_printable(name, len)) {
        snprintf(why, size, "the name contains a control character");
        return -1;
    }
    int other = scenario_find_device(s, name);
    if (other >= 0 && other != index) {
        snprintf(why, size, "another device is called %s", name);
        return -1;
    }
    char old[NN_NAME_LEN];
    str_copy(old, sizeof old, s->devices[index].name);
    for (int l = 0; l < s->net.nlayers; l++)
        for (int k = 0; k < s->net.layers[l].nprofiles; k++)
            if (strcmp(s->net.layers[l].profiles[k].device, old) == 0)
                str_copy(s->net.layers[l].profiles[k].device, NN_NAME_LEN, name);
    str_copy(s->devices[index].name, NN_NAME_LEN, name);
    return 0;
}
