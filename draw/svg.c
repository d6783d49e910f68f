/* SVG text output: escaping, shapes, the document frame. */
#include "svg.h"

#include "utf8.h"

/* Length of the valid UTF-8 sequence at `s`, or 0 when it is not one. */
static int utf8_valid(const unsigned char *s)
{
    if (s[0] < 0x80) return 1;
    int n = s[0] >= 0xF0 && s[0] <= 0xF4  ? 4
            : s[0] >= 0xE0                ? 3
            : s[0] >= 0xC2 && s[0] < 0xE0 ? 2
                                          : 0;
    if (!n) return 0;
    for (int i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    /* Overlong forms, surrogates and code points past U+10FFFF. */
    if (n == 3 && s[0] == 0xE0 && s[1] < 0xA0) return 0;
    if (n == 3 && s[0] == 0xED && s[1] >= 0xA0) return 0;
    if (n == 4 && s[0] == 0xF0 && s[1] < 0x90) return 0;
    if (n == 4 && s[0] == 0xF4 && s[1] >= 0x90) return 0;
    return n;
}

void svg_escape(FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        switch (*p) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        case '\'':
            fputs("&apos;", out);
            break;
        default:
            if (*p < 0x20 || *p == 0x7F) {
                fputc('?', out);
                break;
            }
            int n = utf8_valid(p);
            if (!n) {
                fputs("\xEF\xBF\xBD", out); /* U+FFFD */
                p++;
                continue;
            }
            fwrite(p, 1, (size_t)n, out);
            p += n;
            continue;
        }
        p++;
    }
}

void svg_begin(svg *g, FILE *out, double width, double height, const char *title, const char *css)
{
    *g = (svg){.out = out, .width = width, .height = height};
    fprintf(out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
            "viewBox=\"0 0 %.0f %.0f\">\n<title>",
            width, height, width, height);
    svg_escape(out, title);
    fprintf(out, "</title>\n<style>\n%s</style>\n", css ? css : "");
    fprintf(out, "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>\n", width,
            height);
}

void svg_end(svg *g)
{
    fputs("</svg>\n", g->out);
}

void svg_rect(svg *g, double x, double y, double w, double h, const char *attrs)
{
    fprintf(g->out, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" %s/>\n", x, y,
            w > 0 ? w : 0, h > 0 ? h : 0, attrs ? attrs : "");
}

void svg_line(svg *g, double x1, double y1, double x2, double y2, const char *attrs)
{
    fprintf(g->out, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" %s/>\n", x1, y1, x2, y2,
            attrs ? attrs : "");
}

void svg_text(svg *g, double x, double y, const char *attrs, const char *text)
{
    fprintf(g->out, "<text x=\"%.2f\" y=\"%.2f\" %s>", x, y, attrs ? attrs : "");
    svg_escape(g->out, text);
    fputs("</text>\n", g->out);
}

void svg_group_begin(svg *g, const char *attrs, const char *tip)
{
    fprintf(g->out, "<g %s>", attrs ? attrs : "");
    if (tip) {
        fputs("<title>", g->out);
        svg_escape(g->out, tip);
        fputs("</title>", g->out);
    }
    fputc('\n', g->out);
}

void svg_group_end(svg *g)
{
    fputs("</g>\n", g->out);
}

double svg_text_width(const char *text, double font_px)
{
    return utf8_cells(text) * font_px * SVG_CHAR_EM;
}

const char *svg_palette(int index)
{
    static const char *const colours[] = {"#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2",
                                          "#edc948", "#9c755f", "#ff9da7", "#bab0ac", "#e15759"};
    int n = (int)(sizeof colours / sizeof colours[0]);
    if (index < 0) index = -index;
    return colours[index % n];
}
