/* Plot axes: ranges and ticks in units. */
#include "plot.h"

#include <math.h>
#include <stdio.h>

#include "../model/common.h"

static void tick_label(double v, unit_kind unit, char *buf, size_t size)
{
    if (unit == UNIT_KIND_COUNT)
        snprintf(buf, size, "%g", v);
    else
        units_format(v, unit, buf, size);
}

static void add_tick(plot_axis *a, double v, unit_kind unit)
{
    if (a->nticks == PLOT_MAX_TICKS) return;
    plot_tick *t = &a->ticks[a->nticks++];
    t->v = v;
    tick_label(v, unit, t->label, sizeof t->label);
}

double plot_nice_step(double raw)
{
    double p = pow(10, floor(log10(raw)));
    const double mult[] = {1, 2, 5, 10};
    for (int i = 0; i < 4; i++)
        if (mult[i] * p >= raw * (1 - 1e-9)) return mult[i] * p;
    return 10 * p;
}

void plot_axis_build(plot_axis *a, double lo, double hi, bool log, unit_kind unit, int max_ticks)
{
    if (max_ticks < 2) max_ticks = 2;
    if (max_ticks > PLOT_MAX_TICKS) max_ticks = PLOT_MAX_TICKS;
    if (lo > hi) {
        double t = lo;
        lo = hi;
        hi = t;
    }
    if (log && !(lo > 0)) log = false;
    if (!(hi > lo)) {
        if (log) {
            lo /= 2;
            hi *= 2;
        } else if (lo == 0) {
            hi = 1;
        } else {
            double d = fabs(lo) * 0.1;
            lo -= d;
            hi += d;
        }
    }
    *a = (plot_axis){.lo = lo, .hi = hi, .log = log};
    if (log) {
        int d0 = (int)ceil(log10(lo) - 1e-9), d1 = (int)floor(log10(hi) + 1e-9);
        int decades = d1 - d0 + 1;
        if (decades >= 2) {
            int every = (decades + max_ticks - 1) / max_ticks;
            for (int d = d0; d <= d1; d++)
                if ((d - d0) % every == 0) add_tick(a, pow(10, d), unit);
            /* With few decades, 2 and 5 times them help the eye. */
            if (decades * 3 <= max_ticks) {
                for (int d = d0 - 1; d <= d1; d++)
                    for (int m = 2; m <= 5; m += 3) {
                        double v = m * pow(10, d);
                        if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) add_tick(a, v, unit);
                    }
            }
            /* Ticks in ascending order for the painters. */
            for (int i = 1; i < a->nticks; i++)
                for (int j = i; j > 0 && a->ticks[j - 1].v > a->ticks[j].v; j--) {
                    plot_tick t = a->ticks[j];
                    a->ticks[j] = a->ticks[j - 1];
                    a->ticks[j - 1] = t;
                }
            return;
        }
        /* Less than two decades: linear-looking 1-2-5 steps do better. */
    }
    double step = plot_nice_step((hi - lo) / (max_ticks - 1));
    double first = ceil(lo / step - 1e-9);
    for (int i = 0; a->nticks < max_ticks; i++) {
        double v = (first + i) * step;
        if (v > hi + step * 1e-9) break;
        if (fabs(v) < step * 1e-9) v = 0;
        if (log && v <= 0) continue;
        add_tick(a, v, unit);
    }
}

double plot_axis_frac(const plot_axis *a, double v)
{
    if (a->log) return (log(v) - log(a->lo)) / (log(a->hi) - log(a->lo));
    return (v - a->lo) / (a->hi - a->lo);
}

unit_kind plot_yunit(const plot_data *p)
{
    return p->yname[0] ? p->yunit : UNIT_TIME;
}

const char *plot_yname(const plot_data *p)
{
    return p->yname[0] ? p->yname : "latency";
}

void plot_axes(const plot_data *p, int x_ticks, int y_ticks, plot_axis *x, plot_axis *y)
{
    double xlo = INFINITY, xhi = -INFINITY;
    for (int i = 0; i < p->n; i++) {
        xlo = fmin(xlo, p->x[i]);
        xhi = fmax(xhi, p->x[i]);
    }
    if (isfinite(p->current) && !p->xcat) {
        xlo = fmin(xlo, p->current);
        xhi = fmax(xhi, p->current);
    }
    if (!(xlo <= xhi)) xlo = xhi = 1;
    if (p->xcat) {
        /* Categories sit at 0..n-1 with half a slot either side. */
        *x = (plot_axis){.lo = -0.5, .hi = p->n - 0.5};
        int every = (p->n + x_ticks - 1) / (x_ticks > 0 ? x_ticks : 1);
        for (int i = 0; i < p->n && x->nticks<PLOT_MAX_TICKS; i += every> 0 ? every : 1) {
            x->ticks[x->nticks].v = i;
            str_copy(x->ticks[x->nticks].label, sizeof x->ticks[0].label, p->xcat[i]);
            x->nticks++;
        }
    } else {
        plot_axis_build(x, xlo, xhi, p->xlog, p->xunit, x_ticks);
        /* The data's own ends, not the ticks', bound the plot. */
        x->lo = xlo < xhi ? xlo : x->lo;
        x->hi = xlo < xhi ? xhi : x->hi;
    }
    /* The optimum and the best baseline set the scale: the picture is about
     * them. Single devices far off it are clipped (plot_series_off). */
    double ylo = INFINITY, yhi = -INFINITY;
    for (int s = 0; s < p->nseries; s++)
        for (int i = 0; i < p->n && p->series[s].style != PLOT_BASELINE; i++) {
            double v = p->series[s].y[i];
            if (!isfinite(v) || v <= 0) continue;
            ylo = fmin(ylo, v);
            yhi = fmax(yhi, v);
        }
    if (!(ylo <= yhi)) ylo = yhi = 1;
    bool ylog = yhi / ylo > 30;
    if (ylog) {
        plot_axis_build(y, ylo / 1.15, yhi * 1.15, true, plot_yunit(p), y_ticks);
    } else {
        double pad = (yhi - ylo) * 0.08;
        if (pad == 0) pad = yhi * 0.1;
        double lo = ylo - pad < 0 || ylo - pad < ylo * 0.2 ? 0 : ylo - pad;
        plot_axis_build(y, lo, yhi + pad, false, plot_yunit(p), y_ticks);
    }
}

bool plot_series_off(const plot_data *p, int s, const plot_axis *y)
{
    for (int i = 0; i < p->n; i++) {
        double v = p->series[s].y[i];
        if (isfinite(v) && v >= y->lo && v <= y->hi) return false;
    }
    return true;
}

const char *plot_class_colour(int cls)
{
    /* Light tints (bands, map cells) that dark text reads on. */
    static const char *const colours[] = {
        "#a6cee3", "#b2df8a", "#fdbf6f", "#cab2d6", "#fb9a99", "#ffff99", "#8dd3c7", "#bebada",
        "#80b1d3", "#fdb462", "#b3de69", "#fccde5", "#d9d9d9", "#bc80bd", "#ccebc5", "#ffed6f"};
    int n = (int)(sizeof colours / sizeof colours[0]);
    if (cls < 0) return "#ffffff";
    return colours[cls % n];
}
