/* Network storage: layers, profiles, copies. Shape inference lives in
 * layers.c, the built-in networks in zoo.c. */
#include "network.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void network_free(nn_network *net)
{
    if (!net) return;
    for (int i = 0; i < net->nlayers; i++) {
        free(net->layers[i].profiles);
        free(net->layers[i].uses);
    }
    free(net->layers);
    free(net->shared);
    memset(net, 0, sizeof *net);
}

int network_copy(nn_network *dst, const nn_network *src)
{
    nn_network copy = *src;
    copy.layers = NULL;
    copy.shared = NULL;
    copy.nshared = 0;
    if (src->nlayers > 0) {
        copy.layers = calloc((size_t)src->nlayers, sizeof *copy.layers);
        if (!copy.layers) return -1;
    }
    for (int i = 0; i < src->nlayers; i++) {
        copy.layers[i] = src->layers[i];
        copy.layers[i].profiles = NULL;
        copy.layers[i].uses = NULL;
        int n = src->layers[i].nprofiles, u = src->layers[i].nuses;
        if (n > 0) copy.layers[i].profiles = malloc((size_t)n * sizeof(nn_profile));
        if (u > 0) copy.layers[i].uses = malloc((size_t)u * sizeof(int));
        if ((n > 0 && !copy.layers[i].profiles) || (u > 0 && !copy.layers[i].uses)) {
            copy.nlayers = i + 1;
            network_free(&copy);
            return -1;
        }
        if (n > 0)
            memcpy(copy.layers[i].profiles, src->layers[i].profiles,
                   (size_t)n * sizeof(nn_profile));
        if (u > 0) memcpy(copy.layers[i].uses, src->layers[i].uses, (size_t)u * sizeof(int));
    }
    if (src->nshared > 0) {
        copy.shared = malloc((size_t)src->nshared * sizeof *copy.shared);
        if (!copy.shared) {
            network_free(&copy);
            return -1;
        }
        memcpy(copy.shared, src->shared, (size_t)src->nshared * sizeof *copy.shared);
        copy.nshared = src->nshared;
    }
    *dst = copy;
    return 0;
}

nn_layer *network_add_layer(nn_network *net, const char *name, nn_layer_type type)
{
    if (net->nlayers >= NN_MAX_LAYERS) return NULL;
    nn_layer *grown = realloc(net->layers, (size_t)(net->nlayers + 1) * sizeof *grown);
    if (!grown) return NULL;
    net->layers = grown;
    nn_layer *l = &net->layers[net->nlayers++];
    memset(l, 0, sizeof *l);
    str_copy(l->name, sizeof l->name, name);
    l->type = type;
    const nn_layer_type_desc *desc = layer_type_get(type);
    for (int i = 0; desc && i < desc->nparams; i++)
        l->param[i] = desc->params[i].def;
    return l;
}

int network_find_layer(const nn_network *net, const char *name)
{
    for (int i = 0; i < net->nlayers; i++)
        if (strcmp(net->layers[i].name, name) == 0) return i;
    return -1;
}

int layer_add_profile(nn_layer *layer, const char *device, double seconds)
{
    for (int i = 0; i < layer->nprofiles; i++) {
        if (strcmp(layer->profiles[i].device, device) == 0) {
            layer->profiles[i].seconds = seconds;
            return 0;
        }
    }
    nn_profile *grown = realloc(layer->profiles, (size_t)(layer->nprofiles + 1) * sizeof *grown);
    if (!grown) return -1;
    layer->profiles = grown;
    nn_profile *p = &layer->profiles[layer->nprofiles++];
    str_copy(p->device, sizeof p->device, device);
    p->seconds = seconds;
    p->from_file = false;
    return 0;
}

void network_strip_derived(nn_network *net)
{
    int given = 0;
    while (given < net->nshared && !net->shared[given].derived)
        given++;
    net->nshared = given;
    for (int i = 0; i < net->nlayers; i++)
        net->layers[i].nuses = net->layers[i].nuses_given;
}

int network_find_shared(const nn_network *net, const char *name)
{
    for (int i = 0; i < net->nshared; i++)
        if (strcmp(net->shared[i].name, name) == 0) return i;
    return -1;
}

/* Appends a tensor; derived ones go after the user's (network_strip_derived). */
int network_push_shared(nn_network *net, const nn_shared *t)
{
    if (network_find_shared(net, t->name) >= 0) return -1;
    nn_shared *grown = realloc(net->shared, (size_t)(net->nshared + 1) * sizeof *grown);
    if (!grown) return -1;
    net->shared = grown;
    net->shared[net->nshared] = *t;
    return net->nshared++;
}

int network_add_shared(nn_network *net, const char *name, double bytes)
{
    network_strip_derived(net);
    nn_shared t = {.bytes = bytes, .params = bytes / dtype_bytes(net->dtype)};
    str_copy(t.name, sizeof t.name, name);
    return network_push_shared(net, &t);
}

/* Appends to the layer's uses (given: before the derived ones). */
static int layer_push_use(nn_layer *layer, int index, bool given)
{
    for (int i = 0; i < layer->nuses; i++)
        if (layer->uses[i] == index) return -1;
    int *grown = realloc(layer->uses, (size_t)(layer->nuses + 1) * sizeof *grown);
    if (!grown) return -1;
    layer->uses = grown;
    if (given) {
        memmove(layer->uses + layer->nuses_given + 1, layer->uses + layer->nuses_given,
                (size_t)(layer->nuses - layer->nuses_given) * sizeof *grown);
        layer->uses[layer->nuses_given++] = index;
    } else {
        layer->uses[layer->nuses] = index;
    }
    layer->nuses++;
    return 0;
}

int layer_add_use(nn_layer *layer, int index)
{
    return layer_push_use(layer, index, true);
}

int layer_add_derived_use(nn_layer *layer, int index)
{
    return layer_push_use(layer, index, false);
}

static const struct {
    const char *name;
    int bytes;
} DTYPES[DTYPE_COUNT] = {
    [DTYPE_FP32] = {.name = "fp32", .bytes = 4},
    [DTYPE_FP16] = {.name = "fp16", .bytes = 2},
    [DTYPE_INT8] = {.name = "int8", .bytes = 1},
};

int dtype_bytes(nn_dtype dt)
{
    return (unsigned)dt < DTYPE_COUNT ? DTYPES[dt].bytes : 4;
}

const char *dtype_name(nn_dtype dt)
{
    return (unsigned)dt < DTYPE_COUNT ? DTYPES[dt].name : "?";
}

int dtype_parse(const char *name, nn_dtype *out)
{
    for (int i = 0; i < DTYPE_COUNT; i++) {
        if (strcasecmp(name, DTYPES[i].name) == 0) {
            *out = (nn_dtype)i;
            return 0;
        }
    }
    return -1;
}

void shape_format(const nn_shape *s, char *buf, size_t size)
{
    if (s->ndim <= 0) {
        snprintf(buf, size, "?");
        return;
    }
    size_t n = (size_t)snprintf(buf, size, "[");
    for (int i = 0; i < s->ndim && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, i ? ", %ld" : "%ld", s->dim[i]);
    if (n < size) snprintf(buf + n, size - n, "]");
}
