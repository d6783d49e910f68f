/* Exporting the view on screen as SVG. */
#include "export.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../draw/gantt_svg.h"
#include "outfile.h"
#include "../draw/plot_svg.h"
#include "explorer_internal.h"
#include "pareto_view.h"
#include "sensitivity.h"

void export_place(const explorer *ex, char *dir, size_t dir_size, char *stem, size_t stem_size)
{
    if (!ex->path[0]) {
        str_copy(dir, dir_size, ".");
        str_copy(stem, stem_size, "default");
        return;
    }
    char a[EX_PATH_LEN], b[EX_PATH_LEN];
    str_copy(a, sizeof a, ex->path);
    str_copy(b, sizeof b, ex->path);
    str_copy(dir, dir_size, dirname(a));
    str_copy(stem, stem_size, basename(b));
    char *dot = strrchr(stem, '.');
    if (dot && dot != stem && (strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0)) *dot = '\0';
}

typedef struct job {
    const explorer *ex;
    const plot_data *plot; /* the sensitivity or Pareto plot, or NULL: the timeline */
} job;

static int fill(FILE *out, void *ctx)
{
    const job *j = ctx;
    if (j->plot) return plot_svg_write(out, j->plot);
    const explorer *ex = j->ex;
    const tui_outcome *o = ex->shown;
    char heading[2 * NN_TEXT_LEN], sub[2][1024];
    snprintf(heading, sizeof heading, "%s \xE2\x80\x94 %s, %d layers", ex->doc.name,
             ex->doc.net.name, o->in.L);
    placement_compact(o->in.device_names, o->res.place, o->in.L, true, sub[0], sizeof sub[0]);
    /* The timeline as on the screen: under throughput, the stream. */
    gantt_svg_row rows[2] = {{.in = &o->in,
                              .ev = &o->ev,
                              .title = "optimum",
                              .subtitle = sub[0],
                              .stream = ex_stream_shown(ex) ? &o->stream : NULL}};
    int n = 1;
    if (ex->compare_place && ex->has_compare_ev) {
        placement_compact(o->in.device_names, ex->compare_place, o->in.L, true, sub[1],
                          sizeof sub[1]);
        rows[1] = (gantt_svg_row){
            .in = &o->in, .ev = &ex->compare_ev, .title = ex->compare_name, .subtitle = sub[1]};
        n = 2;
    }
    return gantt_svg_write(out, heading, rows, n);
}

/* "link:hub-cloud.bandwidth" -> "hub-cloud-bandwidth": a file name part. */
static void name_part(const char *what, char *buf, size_t size)
{
    const char *colon = strchr(what, ':');
    const char *s = colon ? colon + 1 : what;
    size_t n = 0;
    for (; *s && n + 1 < size; s++) {
        unsigned char c = (unsigned char)*s;
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
        buf[n++] = keep ? (char)c : '-';
    }
    buf[n] = '\0';
}

unsigned export_act_view(explorer *ex)
{
    const sens_result *sens = NULL;
    plot_data front;
    bool have_front = false;
    char kind[200];
    if (pview_active(ex)) {
        if (pview_computing(ex) || pview_plot(ex, &front) != 0) {
            ex_say(ex, true,
                   "nothing to export yet: the Pareto front is being computed (or has "
                   "no point)");
            return EFFECT_REDRAW;
        }
        have_front = true;
        snprintf(kind, sizeof kind, "pareto");
    } else if (sens_active(ex)) {
        sens = ex->sens->shown;
        if (!sens || !sens->ok) {
            ex_say(ex, true, "nothing to export yet: the sensitivity view is being computed");
            return EFFECT_REDRAW;
        }
        char part[160];
        name_part(sens->what, part, sizeof part);
        snprintf(kind, sizeof kind, "sensitivity-%s", part);
    } else {
        const tui_outcome *o = ex->shown;
        if (!o || !o->has_eval || !o->res.place) {
            ex_say(ex, true, "nothing to export yet: no timeline on show");
            return EFFECT_REDRAW;
        }
        snprintf(kind, sizeof kind, "timeline");
    }
    char dir[EX_PATH_LEN], stem[EX_PATH_LEN], path[2 * EX_PATH_LEN + 256], why[1024];
    export_place(ex, dir, sizeof dir, stem, sizeof stem);
    job j = {.ex = ex, .plot = have_front ? &front : sens ? &sens->plot : NULL};
    unsigned eff = EFFECT_REDRAW;
    /* Never over a file: the first free name of stem-kind.svg, stem-kind-2.svg, ... */
    for (int k = 1; k <= 999; k++) {
        if (k == 1)
            snprintf(path, sizeof path, "%s/%s-%s.svg", dir, stem, kind);
        else
            snprintf(path, sizeof path, "%s/%s-%s-%d.svg", dir, stem, kind, k);
        int rc =
            outfile_write(path, ex->path[0] ? ex->path : NULL, false, fill, &j, why, sizeof why);
        if (rc == OUTFILE_EXISTS) continue;
        if (rc != OUTFILE_OK) {
            ex_say(ex, true, "export failed: %s", why);
            goto out;
        }
        char *full = realpath(path, NULL);
        ex_say(ex, false, "exported the %s to %s",
               have_front ? "Pareto front"
               : sens     ? "sensitivity plot"
                          : "timeline",
               full ? full : path);
        free(full);
        goto out;
    }
    ex_say(ex, true, "export failed: %s/%s-%s-*.svg are all taken (999 files)", dir, stem, kind);
out:
    if (have_front) pview_plot_free(&front);
    return eff;
}
