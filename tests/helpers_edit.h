/* Random edits of the kinds the explorer makes (a value doubled or halved,
 * the mode, a pin, a device or link added or deleted), seeded, for the
 * patch tests and the patch fuzz harness. No cmocka here. */
#ifndef NNPART_TEST_HELPERS_EDIT_H
#define NNPART_TEST_HELPERS_EDIT_H

#include <stdbool.h>
#include <stdio.h>

#include "field.h"
#include "scenario.h"

static inline unsigned long edit_rnd(unsigned long *x)
{
    *x = *x * 6364136223846793005UL + 1442695040888963407UL;
    return *x >> 33;
}

/* One random edit; false when it did not apply (a refused value, no room).
 * `serial` names added devices apart. */
static inline bool edit_random(nn_scenario *s, unsigned long *x, int serial)
{
    char why[256];
    switch (edit_rnd(x) % 8) {
    case 0:
    case 1: {
        nn_field_id id = (nn_field_id)(edit_rnd(x) % FIELD_COUNT);
        const nn_field_desc *f = field_desc(id);
        int count = f->owner == FIELD_DEVICE ? s->ndevices : s->nlinks;
        if (count == 0) return false;
        nn_field_ref ref = {.id = id, .index = (int)(edit_rnd(x) % (unsigned long)count)};
        double v = field_get(s, &ref);
        if (v <= 0) return false;
        return field_set(s, &ref, edit_rnd(x) % 2 ? v * 2 : v / 2, why, sizeof why);
    }
    case 2:
        s->mode = (nn_mode)((s->mode + 1) % MODE_COUNT);
        return true;
    case 3: {
        if (!s->pin || s->net.nlayers == 0) return false;
        int l = (int)(edit_rnd(x) % (unsigned long)s->net.nlayers);
        s->pin[l] = (int)(edit_rnd(x) % (unsigned long)(s->ndevices + 1)) - 1;
        return true;
    }
    case 4: {
        nn_device d = {.tier = TIER_HUB, .speed = 1e12, .memory = 8e9, .load_rate = 1e9};
        snprintf(d.name, sizeof d.name, "rnd-%d", serial);
        return scenario_add_device(s, &d) >= 0;
    }
    case 5:
        return s->ndevices > 1 &&
               scenario_remove_device(s, (int)(edit_rnd(x) % (unsigned long)s->ndevices)) == 0;
    case 6: {
        if (s->ndevices < 2) return false;
        int a = (int)(edit_rnd(x) % (unsigned long)s->ndevices),
            b = (int)(edit_rnd(x) % (unsigned long)s->ndevices);
        if (a == b || scenario_find_link(s, a, b) >= 0) return false;
        nn_link l = {.a = a, .b = b, .bandwidth = 1e8, .latency = 1e-3};
        return scenario_add_link(s, &l) >= 0;
    }
    default:
        return s->nlinks > 0 &&
               scenario_remove_link(s, (int)(edit_rnd(x) % (unsigned long)s->nlinks)) == 0;
    }
}

#endif
