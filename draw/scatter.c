#include "scatter.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void range_of(const double *v, int n, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    for (int i = 0; i < n; i++) {
        if (!isfinite(v[i])) continue;
        *lo = fmin(*lo, v[i]);
        *hi = fmax(*hi, v[i]);
    }
    if (!isfinite(*lo)) *lo = *hi = 0;
    if (*hi - *lo <= 1e-12 * fabs(*hi)) { /* flat: a band around the value */
        double pad = *hi != 0 ? fabs(*hi) * 0.05 : 1;
        *lo -= pad;
        *hi += pad;
    }
}

static int scale(double v, double lo, double hi, int cells)
{
    int k = (int)floor((v - lo) / (hi - lo) * (cells - 1) + 0.5);
    return k < 0 ? 0 : k >= cells ? cells - 1 : k;
}

int scatter_layout(const double *x, const double *y, int n, int width, int height,
                   scatter_grid *out)
{
    memset(out, 0, sizeof *out);
    if (width < 2) width = 2;
    if (height < 2) height = 2;
    out->width = width;
    out->height = height;
    out->cell = calloc((size_t)width * (size_t)height, sizeof *out->cell);
    if (!out->cell) return -1;
    range_of(x, n, &out->x0, &out->x1);
    range_of(y, n, &out->y0, &out->y1);
    for (int i = 0; i < n; i++) {
        int r, c;
        if (!scatter_cell(out, x[i], y[i], &r, &c)) continue;
        int *cell = &out->cell[(size_t)r * (size_t)width + (size_t)c];
        if (*cell == 0) *cell = i + 1; /* the first point in a cell shows */
    }
    return 0;
}

bool scatter_cell(const scatter_grid *g, double x, double y, int *row, int *col)
{
    if (!isfinite(x) || !isfinite(y)) return false;
    *col = scale(x, g->x0, g->x1, g->width);
    *row = g->height - 1 - scale(y, g->y0, g->y1, g->height);
    return true;
}

void scatter_free(scatter_grid *g)
{
    if (!g) return;
    free(g->cell);
    memset(g, 0, sizeof *g);
}

int scatter_print(FILE *out, const double *x, const double *y, int n, unit_kind xunit,
                  unit_kind yunit, const char *xname, const char *yname, int width, bool unicode)
{
    enum { LABEL = 10, HEIGHT = 12 };
    int area = width - LABEL - 2;
    if (area < 20) area = 20;
    scatter_grid g;
    if (scatter_layout(x, y, n, area, HEIGHT, &g) != 0) return -1;
    char lo[32], hi[32];
    fprintf(out, "%*s %s\n", LABEL, "", yname);
    for (int r = 0; r < g.height; r++) {
        char label[32] = "";
        if (r == 0) units_format(g.y1, yunit, label, sizeof label);
        if (r == g.height - 1) units_format(g.y0, yunit, label, sizeof label);
        fprintf(out, "%*s %s", LABEL, label, unicode ? "\xe2\x94\x82" : "|");
        for (int c = 0; c < g.width; c++) {
            int p = g.cell[(size_t)r * (size_t)g.width + (size_t)c];
            if (p == 0)
                fputc(' ', out);
            else if (p <= 9)
                fputc('0' + p, out);
            else
                fputs(unicode ? "\xe2\x80\xa2" : "*", out);
        }
        fputc('\n', out);
    }
    fprintf(out, "%*s %s", LABEL, "", unicode ? "\xe2\x94\x94" : "+");
    for (int c = 0; c < g.width; c++)
        fputs(unicode ? "\xe2\x94\x80" : "-", out);
    units_format(g.x0, xunit, lo, sizeof lo);
    units_format(g.x1, xunit, hi, sizeof hi);
    int gap = g.width - (int)strlen(lo) - (int)strlen(hi);
    fprintf(out, "\n%*s  %s%*s%s\n%*s  %s\n", LABEL, "", lo, gap > 1 ? gap : 1, "", hi, LABEL, "",
            xname);
    scatter_free(&g);
    return ferror(out) ? -1 : 0;
}
