/* Writing SVG text: the document frame, shapes, and text that is always
 * escaped, so names from a scenario (a layer called "a<b&c") cannot break
 * the XML. Numbers are written with two decimals; attributes passed as
 * `attrs` are the painter's own constant text, never user data. */
#ifndef NNPART_SVG_H
#define NNPART_SVG_H

#include <stdio.h>

/* Average advance of a character in the painters' sans-serif font, as a
 * fraction of the font size: what they use to decide whether a label fits. */
#define SVG_CHAR_EM 0.6

typedef struct svg {
    FILE *out;
    double width, height;
} svg;

/* The document header: size in pixels, a white background, the shared style
 * sheet (`css`, constant text) and a <title> (escaped). */
void svg_begin(svg *g, FILE *out, double width, double height, const char *title, const char *css);
void svg_end(svg *g);

/* Writes `s` escaped for XML text or attribute values: & < > " ' become
 * entities, control characters (not allowed in XML 1.0) become '?', and bytes
 * that are not valid UTF-8 become U+FFFD. */
void svg_escape(FILE *out, const char *s);

void svg_rect(svg *g, double x, double y, double w, double h, const char *attrs);
void svg_line(svg *g, double x1, double y1, double x2, double y2, const char *attrs);
/* `text` is escaped; `attrs` may set class, text-anchor, fill. */
void svg_text(svg *g, double x, double y, const char *attrs, const char *text);
/* An element with a tooltip: opens <g attrs><title>tip</title>; close with svg_group_end. */
void svg_group_begin(svg *g, const char *attrs, const char *tip);
void svg_group_end(svg *g);
/* Width in pixels of `text` at `font_px`, estimated from its characters. */
double svg_text_width(const char *text, double font_px);

/* A device's colour: a fixed qualitative palette (Tableau 10), cycled. */
const char *svg_palette(int index);

#endif
