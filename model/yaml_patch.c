/* Saving into the user's own text. The file a scenario was read from is
 * parsed again with libyaml, whose marks give every node's place in the
 * text; the scenario it holds and the edited one are written section by
 * section with the fresh writer's pieces (yaml_write.h), and only the
 * sections whose text differs are touched: a changed value is replaced in
 * its byte range, in its old quoting; a key the file left to a preset is
 * added as an override; an added or deleted device, link or pin adds or
 * removes that entry's lines (or its part of a flow list). The result is
 * loaded again and must equal the edited scenario; a section it does not
 * reproduce is written whole, and if that fails too the whole file is
 * written fresh, each time with a note saying what happened.
 *
 * The spans come from this second parse rather than from the loader, so the
 * loader's single pass and its error reporting stay as they are. */
#include "scenario_io.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "yaml_write.h"

/* Characters between two checkpoints of the index -> byte map. */
#define CKPT_STRIDE 64
/* Nesting followed when measuring a node; accepted files are shallow. */
#define MAX_DEPTH 64

typedef struct edit {
    size_t start, end; /* bytes of the base text replaced */
    char *text;
    int seq; /* insertion order, for edits at the same place */
} edit;

typedef struct patcher {
    const char *text;
    size_t len;
    size_t bom;   /* bytes of a byte order mark libyaml skips */
    size_t *ckpt; /* byte offset of character CKPT_STRIDE * k */
    size_t nckpt;
    const char *eol; /* "\n" or "\r\n", as the file has it */
    yaml_document_t doc;
    yaml_node_t *root;
    edit *edits;
    int nedits, cap;
    bool late;       /* edits now recorded go after others at the same place */
    bool eof_fixed;  /* a line break was added after a last line that had none */
    bool rewrote;    /* the section being patched was written whole anyway */
    bool local_fail; /* the section being patched needs rewriting whole */
    bool fatal;      /* the text cannot be patched at all */
    bool oom;
    char why[256];
} patcher;

static void give_up(patcher *p, const char *why)
{
    p->local_fail = true;
    if (!p->why[0]) str_copy(p->why, sizeof p->why, why);
}

/* ---- positions ----------------------------------------------------------- */

/* libyaml's marks count characters (after a byte order mark); edits need
 * bytes. A checkpoint every CKPT_STRIDE characters keeps this cheap. */
static int map_build(patcher *p)
{
    p->bom = p->len >= 3 && memcmp(p->text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
    size_t chars = 0;
    for (size_t b = p->bom; b < p->len; b++)
        chars += ((unsigned char)p->text[b] & 0xc0) != 0x80;
    p->nckpt = chars / CKPT_STRIDE + 1;
    p->ckpt = malloc(p->nckpt * sizeof *p->ckpt);
    if (!p->ckpt) return -1;
    size_t c = 0;
    for (size_t b = p->bom; b <= p->len; b++) {
        if (b < p->len && ((unsigned char)p->text[b] & 0xc0) == 0x80) continue;
        if (c % CKPT_STRIDE == 0) p->ckpt[c / CKPT_STRIDE] = b;
        c++;
        if (b == p->len) break;
    }
    return 0;
}

static size_t byte_at(const patcher *p, size_t index)
{
    size_t k = index / CKPT_STRIDE;
    if (k >= p->nckpt) return p->len;
    size_t b = p->ckpt[k];
    for (size_t n = index % CKPT_STRIDE; n > 0 && b < p->len; n--) {
        b++;
        while (b < p->len && ((unsigned char)p->text[b] & 0xc0) == 0x80)
            b++;
    }
    return b;
}

static yaml_node_t *node(patcher *p, int id)
{
    return yaml_document_get_node(&p->doc, id);
}

static size_t node_start(const patcher *p, const yaml_node_t *n)
{
    return byte_at(p, n->start_mark.index);
}

static bool is_flow(const yaml_node_t *n)
{
    return (n->type == YAML_MAPPING_NODE && n->data.mapping.style == YAML_FLOW_MAPPING_STYLE) ||
           (n->type == YAML_SEQUENCE_NODE && n->data.sequence.style == YAML_FLOW_SEQUENCE_STYLE);
}

static bool is_block_scalar(const yaml_node_t *n)
{
    return n->type == YAML_SCALAR_NODE && (n->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
                                           n->data.scalar.style == YAML_FOLDED_SCALAR_STYLE);
}

/* The byte after a node's last character. A block collection's own end mark
 * lies at the next token (past any comments), so it is measured by its
 * children; a block scalar's takes its trailing line breaks, trimmed here. */
static size_t node_end_depth(patcher *p, yaml_node_t *n, int depth)
{
    size_t end = byte_at(p, n->end_mark.index);
    if (n->type == YAML_SCALAR_NODE) {
        if (is_block_scalar(n)) {
            size_t start = node_start(p, n);
            while (end > start && strchr(" \t\r\n", p->text[end - 1]))
                end--;
        }
        return end;
    }
    if (is_flow(n) || depth > MAX_DEPTH) return end;
    size_t last = node_start(p, n);
    if (n->type == YAML_SEQUENCE_NODE) {
        for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
             it++) {
            size_t e = node_end_depth(p, node(p, *it), depth + 1);
            if (e > last) last = e;
        }
    } else if (n->type == YAML_MAPPING_NODE) {
        for (yaml_node_pair_t *q = n->data.mapping.pairs.start; q < n->data.mapping.pairs.top;
             q++) {
            size_t e = node_end_depth(p, node(p, q->value), depth + 1);
            if (e > last) last = e;
            e = node_end_depth(p, node(p, q->key), depth + 1);
            if (e > last) last = e;
        }
    }
    return last;
}

static size_t node_end(patcher *p, yaml_node_t *n)
{
    return node_end_depth(p, n, 0);
}

static size_t line_start(const patcher *p, size_t pos)
{
    while (pos > 0 && p->text[pos - 1] != '\n')
        pos--;
    return pos;
}

/* The start of the next line (the end of the text on the last line). */
static size_t next_line(const patcher *p, size_t pos)
{
    while (pos < p->len && p->text[pos] != '\n')
        pos++;
    return pos < p->len ? pos + 1 : pos;
}

/* Only blanks between the start of the line and pos. */
static bool first_on_line(const patcher *p, size_t pos)
{
    for (size_t i = line_start(p, pos); i < pos; i++)
        if (p->text[i] != ' ') return false;
    return true;
}

/* Only blanks or a comment from pos to the end of the line. */
static bool rest_blank(const patcher *p, size_t pos)
{
    for (size_t i = pos; i < p->len; i++) {
        char c = p->text[i];
        if (c == '\n' || c == '\r' || c == '#') return true;
        if (c != ' ' && c != '\t') return false;
    }
    return true;
}

/* Columns before pos when the line holds only blanks and list dashes up to
 * it (one byte each); -1 otherwise. */
static int indent_of(const patcher *p, size_t pos)
{
    size_t ls = line_start(p, pos);
    for (size_t i = ls; i < pos; i++)
        if (p->text[i] != ' ' && p->text[i] != '-') return -1;
    return (int)(pos - ls);
}

/* ---- edits --------------------------------------------------------------- */

/* Records that [start, end) becomes `text`, its line breaks in the file's. */
static void edit_add(patcher *p, size_t start, size_t end, const char *text)
{
    if (p->oom) return;
    if (p->nedits == p->cap) {
        int cap = p->cap ? p->cap * 2 : 32;
        edit *grown = realloc(p->edits, (size_t)cap * sizeof *grown);
        if (!grown) {
            p->oom = true;
            return;
        }
        p->edits = grown;
        p->cap = cap;
    }
    size_t breaks = 0, n = strlen(text);
    bool crlf = strcmp(p->eol, "\r\n") == 0;
    for (size_t i = 0; crlf && i < n; i++)
        breaks += text[i] == '\n';
    char *copy = malloc(n + breaks + 1), *o = copy;
    if (!copy) {
        p->oom = true;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (crlf && text[i] == '\n') *o++ = '\r';
        *o++ = text[i];
    }
    *o = '\0';
    int seq = p->nedits + (p->late ? 1 << 24 : 0);
    p->edits[p->nedits] = (edit){.start = start, .end = end, .text = copy, .seq = seq};
    p->nedits++;
}

/* Inserts whole lines at pos, first ending a last line that has no break. */
static void lines_insert(patcher *p, size_t pos, const char *text)
{
    if (pos == p->len && p->len > 0 && p->text[p->len - 1] != '\n' && !p->eof_fixed) {
        edit_add(p, pos, pos, "\n");
        p->eof_fixed = true;
    }
    edit_add(p, pos, pos, text);
}

static void edits_truncate(patcher *p, int count)
{
    while (p->nedits > count)
        free(p->edits[--p->nedits].text);
}

/* By place; at one place insertions first (a key added at the end of an
 * entry goes before the next entry, which may be cut), then in order. */
static int edit_cmp(const void *a, const void *b)
{
    const edit *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    bool xi = x->end == x->start, yi = y->end == y->start;
    if (xi != yi) return xi ? -1 : 1;
    return x->seq - y->seq;
}

/* The base text with every edit applied; NULL when two edits overlap (a
 * bug guard: the callers make disjoint ones) or memory runs out. */
static char *edits_apply(patcher *p, size_t *out_len)
{
    qsort(p->edits, (size_t)p->nedits, sizeof *p->edits, edit_cmp);
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    if (!f) return NULL;
    size_t at = 0;
    bool ok = true;
    for (int i = 0; i < p->nedits; i++) {
        const edit *e = &p->edits[i];
        if (e->start < at) {
            ok = false;
            break;
        }
        fwrite(p->text + at, 1, e->start - at, f);
        fputs(e->text, f);
        at = e->end;
    }
    if (ok) fwrite(p->text + at, 1, p->len - at, f);
    if (fclose(f) != 0 || !ok) {
        free(buf);
        return NULL;
    }
    *out_len = size;
    return buf;
}

/* ---- building text ------------------------------------------------------- */

typedef struct text_buf {
    char *s;
    size_t n;
    FILE *f;
} text_buf;

static FILE *tb_open(text_buf *t)
{
    *t = (text_buf){.s = NULL};
    t->f = open_memstream(&t->s, &t->n);
    return t->f;
}

/* Closes and hands over the string (NULL when out of memory). */
static char *tb_close(text_buf *t)
{
    if (!t->f || fclose(t->f) != 0) {
        free(t->s);
        return NULL;
    }
    return t->s;
}

static void spaces(FILE *f, int n)
{
    for (int i = 0; i < n; i++)
        fputc(' ', f);
}

/* A new value for an existing scalar, in the old one's quoting. */
static void spell_like(FILE *f, const yaml_node_t *old, const char *text, bool string, bool flow)
{
    if (old && old->type == YAML_SCALAR_NODE &&
        old->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE) {
        fputc('\'', f);
        for (const char *c = text; *c; c++)
            fputs(*c == '\'' ? "''" : (char[]){*c, 0}, f);
        fputc('\'', f);
    } else if (old && old->type == YAML_SCALAR_NODE &&
               old->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
        fputc('"', f);
        for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
            if (*c == '"' || *c == '\\')
                fprintf(f, "\\%c", *c);
            else if (*c < 0x20 || *c == 0x7f)
                fprintf(f, "\\x%02x", *c);
            else
                fputc(*c, f);
        }
        fputc('"', f);
    } else {
        yw_spell(text, string, flow, f);
    }
}

static void spell_pair(FILE *f, const yw_item *it, bool flow)
{
    yw_spell(it->key, it->key_string, flow, f);
    fputs(": ", f);
    yw_spell(it->value, it->string, flow, f);
}

/* ---- node lookups -------------------------------------------------------- */

static const char *scalar_of(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int map_size(const yaml_node_t *m)
{
    return (int)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
}

static int seq_size(const yaml_node_t *s)
{
    return (int)(s->data.sequence.items.top - s->data.sequence.items.start);
}

/* The pair of `m` whose key is `key`: its index, or -1. */
static int map_find(patcher *p, const yaml_node_t *m, const char *key)
{
    for (int i = 0; i < map_size(m); i++) {
        const char *k = scalar_of(node(p, m->data.mapping.pairs.start[i].key));
        if (k && strcmp(k, key) == 0) return i;
    }
    return -1;
}

static yaml_node_t *pair_key(patcher *p, const yaml_node_t *m, int i)
{
    return node(p, m->data.mapping.pairs.start[i].key);
}

static yaml_node_t *pair_value(patcher *p, const yaml_node_t *m, int i)
{
    return node(p, m->data.mapping.pairs.start[i].value);
}

static yaml_node_t *seq_item(patcher *p, const yaml_node_t *s, int i)
{
    return node(p, s->data.sequence.items.start[i]);
}

/* ---- collections --------------------------------------------------------- */

/* A mapping or sequence seen as a row of elements: a sequence's items, a
 * mapping's pairs. `lead` is where an element's lines begin in block style
 * (the dash of an item, the key of a pair). */
typedef struct coll {
    yaml_node_t *node;
    bool flow;
    int n;
    size_t *start, *end, *lead;
    bool *del;
    int inserted_at_end;
} coll;

/* The dash before a block sequence item, or (size_t)-1. */
static size_t find_dash(const patcher *p, size_t pos)
{
    while (pos > 0 && strchr(" \t\r\n", p->text[pos - 1]))
        pos--;
    if (pos == 0 || p->text[pos - 1] != '-') return (size_t)-1;
    return pos - 1;
}

static int coll_open(patcher *p, coll *c, yaml_node_t *n)
{
    *c = (coll){.node = n, .flow = is_flow(n)};
    c->n = n->type == YAML_MAPPING_NODE ? map_size(n) : seq_size(n);
    size_t k = c->n > 0 ? (size_t)c->n : 1;
    c->start = calloc(k, sizeof *c->start);
    c->end = calloc(k, sizeof *c->end);
    c->lead = calloc(k, sizeof *c->lead);
    c->del = calloc(k, sizeof *c->del);
    if (!c->start || !c->end || !c->lead || !c->del) {
        p->oom = true;
        return -1;
    }
    for (int i = 0; i < c->n; i++) {
        yaml_node_t *first = n->type == YAML_MAPPING_NODE ? pair_key(p, n, i) : seq_item(p, n, i);
        yaml_node_t *last = n->type == YAML_MAPPING_NODE ? pair_value(p, n, i) : first;
        c->start[i] = node_start(p, first);
        c->end[i] = node_end(p, last);
        if (c->end[i] < c->start[i]) {
            /* An alias: the value lives elsewhere in the text. */
            give_up(p, "a value is an alias of another");
            return -1;
        }
        c->lead[i] = c->start[i];
        if (!c->flow && n->type == YAML_SEQUENCE_NODE) c->lead[i] = find_dash(p, c->start[i]);
    }
    return 0;
}

static void coll_close(coll *c)
{
    free(c->start);
    free(c->end);
    free(c->lead);
    free(c->del);
}

/* Whether block element i fills whole lines, so that it can be cut out. */
static bool block_element_ok(const patcher *p, const coll *c, int i)
{
    return c->lead[i] != (size_t)-1 && first_on_line(p, c->lead[i]) && rest_blank(p, c->end[i]);
}

/* The separator between flow elements a and a+1 when it is a comma among
 * blanks (to be copied for a new element), else ", ". */
static void flow_sep(const patcher *p, const coll *c, char *buf, size_t size)
{
    str_copy(buf, size, ", ");
    if (c->n < 2) return;
    size_t a = c->end[c->n - 2], b = c->start[c->n - 1];
    int commas = 0;
    for (size_t i = a; i < b; i++) {
        if (p->text[i] == ',')
            commas++;
        else if (!strchr(" \t\r\n", p->text[i]))
            return;
    }
    if (commas != 1 || b - a >= size) return;
    memcpy(buf, p->text + a, b - a);
    buf[b - a] = '\0';
    /* The file's line breaks are restored by edit_add. */
    char *w = buf;
    for (char *r = buf; *r; r++)
        if (*r != '\r') *w++ = *r;
    *w = '\0';
}

/* Cuts out every element marked deleted: in block style their lines, in
 * flow style each run of them with one separator. */
static void coll_cut(patcher *p, coll *c)
{
    for (int i = 0; i < c->n; i++) {
        if (!c->del[i]) continue;
        if (!c->flow) {
            if (!block_element_ok(p, c, i)) {
                give_up(p, "an entry shares its lines with another");
                return;
            }
            edit_add(p, line_start(p, c->lead[i]), next_line(p, c->end[i]), "");
            continue;
        }
        int j = i;
        while (j + 1 < c->n && c->del[j + 1])
            j++;
        int before = i - 1, after = j + 1;
        if (after < c->n)
            edit_add(p, c->start[i], c->start[after], "");
        else if (before >= 0)
            edit_add(p, c->end[before], c->end[j], "");
        else
            edit_add(p, c->start[i], c->end[j], "");
        i = j;
    }
}

static int coll_kept(const coll *c)
{
    int k = 0;
    for (int i = 0; i < c->n; i++)
        k += !c->del[i];
    return k;
}

/* Inserts an element whose text is `flow_text` in flow style or
 * `block_text` (whole lines) in block style, before element `before` (which
 * is kept) or, with -1, at the end. */
static void coll_insert(patcher *p, coll *c, int before, const char *flow_text,
                        const char *block_text)
{
    char sep[64], *buf;
    text_buf t;
    if (c->flow) {
        flow_sep(p, c, sep, sizeof sep);
        if (!tb_open(&t)) {
            p->oom = true;
            return;
        }
        size_t pos;
        if (before >= 0) {
            pos = c->start[before];
            fprintf(t.f, "%s%s", flow_text, sep);
        } else if (c->n == 0) {
            pos = node_start(p, c->node);
            if (p->text[pos] != '[' && p->text[pos] != '{') {
                free(tb_close(&t));
                give_up(p, "an empty collection is not written as [] or {}");
                return;
            }
            pos++;
            fprintf(t.f, "%s%s", c->inserted_at_end ? sep : "", flow_text);
        } else {
            pos = c->end[c->n - 1];
            bool first = coll_kept(c) == 0 && !c->inserted_at_end;
            fprintf(t.f, "%s%s", first ? "" : sep, flow_text);
        }
        if ((buf = tb_close(&t))) edit_add(p, pos, pos, buf);
        free(buf);
    } else {
        if (c->n == 0) {
            give_up(p, "an empty block collection");
            return;
        }
        if (before >= 0)
            edit_add(p, line_start(p, c->lead[before]), line_start(p, c->lead[before]), block_text);
        else
            lines_insert(p, next_line(p, c->end[c->n - 1]), block_text);
    }
    if (before < 0) c->inserted_at_end++;
}

/* The texts of a new list entry in the style of its siblings in `c`:
 * flow "{k: v, ...}", or block lines at the siblings' dash and key columns. */
static int entry_texts(patcher *p, const coll *c, const yw_item *items, int n, char **flow_text,
                       char **block_text)
{
    *flow_text = *block_text = NULL;
    int sib = c->n - 1;
    yaml_node_t *s = sib >= 0 ? seq_item(p, c->node, sib) : NULL;
    bool inner_space = false;
    if (s && is_flow(s)) {
        size_t a = node_start(p, s);
        inner_space = a + 1 < p->len && p->text[a + 1] == ' ';
    }
    text_buf t;
    if (!tb_open(&t)) return -1;
    fputs(inner_space ? "{ " : "{", t.f);
    for (int k = 0; k < n; k++) {
        if (k) fputs(", ", t.f);
        spell_pair(t.f, &items[k], true);
    }
    fputs(inner_space ? " }" : "}", t.f);
    if (!(*flow_text = tb_close(&t))) return -1;
    if (c->flow) return 0;

    int dash = 2, key = 4;
    bool sib_flow = false;
    if (s) {
        dash = indent_of(p, c->lead[sib]);
        sib_flow = is_flow(s);
        if (dash < 0) {
            give_up(p, "a list entry does not start its line");
            return -1;
        }
        if (!sib_flow) {
            if (s->type != YAML_MAPPING_NODE || map_size(s) == 0) {
                give_up(p, "a list entry is not a mapping");
                return -1;
            }
            key = indent_of(p, node_start(p, pair_key(p, s, 0)));
            if (key <= dash) key = dash + 2;
        }
    }
    if (!tb_open(&t)) return -1;
    spaces(t.f, dash);
    if (sib_flow) {
        fprintf(t.f, "- %s\n", *flow_text);
    } else {
        fputc('-', t.f);
        spaces(t.f, key - dash - 1);
        for (int k = 0; k < n; k++) {
            if (k) spaces(t.f, key);
            spell_pair(t.f, &items[k], false);
            fputc('\n', t.f);
        }
    }
    return (*block_text = tb_close(&t)) ? 0 : -1;
}

/* ---- values -------------------------------------------------------------- */

/* Replaces the value node `v` by the item's value, keeping its quoting. */
static void value_replace(patcher *p, yaml_node_t *v, const yw_item *it, bool flow)
{
    if (is_block_scalar(v) || (v->type != YAML_SCALAR_NODE && it->string)) {
        give_up(p, "a value is written as a block scalar");
        return;
    }
    size_t start = node_start(p, v), end = node_end(p, v);
    if (end < start) {
        give_up(p, "a value is an alias of another");
        return;
    }
    text_buf t;
    if (!tb_open(&t)) {
        p->oom = true;
        return;
    }
    spell_like(t.f, v, it->value, it->string, flow);
    char *buf = tb_close(&t);
    if (!buf) {
        p->oom = true;
        return;
    }
    edit_add(p, start, end, buf);
    free(buf);
}

/* Adds `key: value` at the end of mapping `m`. */
static void pair_insert(patcher *p, coll *c, const yw_item *it)
{
    text_buf t;
    if (!tb_open(&t)) {
        p->oom = true;
        return;
    }
    if (c->flow) {
        spell_pair(t.f, it, true);
    } else {
        if (c->n == 0) {
            free(tb_close(&t));
            give_up(p, "an empty block mapping");
            return;
        }
        int col = indent_of(p, c->start[0]);
        if (col < 0) {
            free(tb_close(&t));
            give_up(p, "a key does not start its line");
            return;
        }
        spaces(t.f, col);
        spell_pair(t.f, it, false);
        fputc('\n', t.f);
    }
    char *buf = tb_close(&t);
    if (!buf) {
        p->oom = true;
        return;
    }
    coll_insert(p, c, -1, buf, buf);
    free(buf);
}

/* After all elements of a top-level block collection are cut: "key: []". */
static void mark_empty(patcher *p, yaml_node_t *key, const char *empty)
{
    size_t pos = node_end(p, key);
    while (pos < p->len && p->text[pos] == ' ')
        pos++;
    if (pos >= p->len || p->text[pos] != ':') {
        give_up(p, "no colon after a key");
        return;
    }
    char buf[8];
    snprintf(buf, sizeof buf, " %s", empty);
    edit_add(p, pos + 1, pos + 1, buf);
}

/* ---- one list entry ------------------------------------------------------ */

static const yw_item *item_find(const yw_item *items, int n, const char *key)
{
    for (int i = 0; i < n; i++)
        if (strcmp(items[i].key, key) == 0) return &items[i];
    return NULL;
}

/* The keys of one entry whose values differ: replaced where the file has
 * the key, added where it left it to a preset, removed where the edit drops
 * it. Keys the writer does not write (preset) are never touched. */
static void entry_patch(patcher *p, yaml_node_t *m, const yw_item *oi, int no, const yw_item *ei,
                        int ne)
{
    if (m->type != YAML_MAPPING_NODE) {
        give_up(p, "a list entry is not a mapping");
        return;
    }
    coll c;
    if (coll_open(p, &c, m) != 0) {
        coll_close(&c);
        return;
    }
    /* Deletions are marked first: an insertion into a flow mapping needs
     * to know whether any pair stays before it. */
    for (int k = 0; k < no; k++) {
        if (item_find(ei, ne, oi[k].key)) continue;
        int at = map_find(p, m, oi[k].key);
        if (at >= 0) c.del[at] = true;
    }
    for (int k = 0; k < ne && !p->local_fail; k++) {
        const yw_item *o = item_find(oi, no, ei[k].key);
        if (o && strcmp(o->value, ei[k].value) == 0) continue;
        int at = map_find(p, m, ei[k].key);
        if (at >= 0)
            value_replace(p, pair_value(p, m, at), &ei[k], c.flow);
        else
            pair_insert(p, &c, &ei[k]);
    }
    if (!p->local_fail && coll_kept(&c) == 0) give_up(p, "an entry would lose every key");
    if (!p->local_fail) coll_cut(p, &c);
    coll_close(&c);
}

/* ---- sections ------------------------------------------------------------ */

typedef struct pass {
    const nn_scenario *o, *e;
    yaml_node_t *key, *val; /* the section in the file, or NULL */
} pass;

/* Whole lines of the top-level entry, for deleting or rewriting it. */
static bool top_entry_ok(patcher *p, const pass *x)
{
    return first_on_line(p, node_start(p, x->key)) && rest_blank(p, node_end(p, x->val));
}

/* Writes the edited section whole in the fresh writer's layout: replaces the
 * file's entry, adds it after the last top-level entry, or deletes it. */
static void section_rewrite(patcher *p, const yw_section *sec, const pass *x)
{
    char *text = yw_section_text(x->e, sec);
    if (!text) {
        p->oom = true;
        return;
    }
    if (!x->key && is_flow(p->root)) {
        p->fatal = true;
        give_up(p, "a new top-level key has no place in a flow mapping");
    } else if (!x->key) {
        /* After the last top-level entry, and after anything else
         * inserted there (a new last pin, say). */
        p->late = true;
        if (text[0]) lines_insert(p, next_line(p, node_end(p, p->root)), text);
        p->late = false;
    } else if (!top_entry_ok(p, x)) {
        p->fatal = true;
        give_up(p, "a top-level key shares its line with another");
    } else if (!text[0]) {
        edit_add(p, line_start(p, node_start(p, x->key)), next_line(p, node_end(p, x->val)), "");
    } else {
        /* Up to the end of the last line; its line break stays. */
        size_t end = next_line(p, node_end(p, x->val));
        if (end > 0 && p->text[end - 1] == '\n') end--;
        if (end > 0 && p->text[end - 1] == '\r') end--;
        size_t n = strlen(text);
        if (n > 0 && text[n - 1] == '\n') text[n - 1] = '\0';
        edit_add(p, node_start(p, x->key), end, text);
    }
    free(text);
}

static void scalar_patch(patcher *p, const yw_section *sec, const pass *x)
{
    yw_item item;
    int n = sec->items(x->e, 0, &item);
    if (x->val && n > 0 && x->val->type == YAML_SCALAR_NODE)
        value_replace(p, x->val, &item, false);
    else if (x->val && n > 0)
        give_up(p, "the value is not a single value");
    else
        section_rewrite(p, sec, x);
}

/* The first item (the name) of each entry of a list section. */
static char (*list_ids(const yw_section *sec, const nn_scenario *s, int *n))[YW_VALUE_LEN]
{
    *n = sec->slots(s);
    char(*ids)[YW_VALUE_LEN] = calloc((size_t)(*n > 0 ? *n : 1), sizeof *ids);
    yw_item items[YW_MAX_ITEMS];
    for (int i = 0; ids && i < *n; i++)
        if (sec->items(s, i, items) > 0) str_copy(ids[i], sizeof ids[i], items[0].value);
    return ids;
}

/* Entries that moved (deleted, then added again elsewhere) cannot keep
 * their lines: the longest run of matches in the file's order is kept, the
 * others become a deletion and an insertion. */
static void keep_in_order(int *match, int ne, bool *used)
{
    int *len = calloc((size_t)(ne > 0 ? ne : 1), sizeof *len),
        *prev = calloc((size_t)(ne > 0 ? ne : 1), sizeof *prev);
    if (!len || !prev) {
        free(len);
        free(prev);
        return; /* the reorder check below then gives up */
    }
    int best = -1;
    for (int j = 0; j < ne; j++) {
        prev[j] = -1;
        len[j] = match[j] >= 0;
        for (int k = 0; k < j && match[j] >= 0; k++)
            if (match[k] >= 0 && match[k] < match[j] && len[k] + 1 > len[j]) {
                len[j] = len[k] + 1;
                prev[j] = k;
            }
        if (match[j] >= 0 && (best < 0 || len[j] > len[best])) best = j;
    }
    bool *keep = calloc((size_t)(ne > 0 ? ne : 1), sizeof *keep);
    if (keep) {
        for (int j = best; j >= 0; j = prev[j])
            keep[j] = true;
        for (int j = 0; j < ne; j++)
            if (match[j] >= 0 && !keep[j]) {
                used[match[j]] = false;
                match[j] = -1;
            }
    }
    free(keep);
    free(len);
    free(prev);
}

/* Devices and links: entries matched by their first item (name, between);
 * kept ones patched key by key, the others cut or inserted in place. */
static void list_patch(patcher *p, const yw_section *sec, const pass *x)
{
    if (!x->val) {
        section_rewrite(p, sec, x);
        return;
    }
    if (x->val->type != YAML_SEQUENCE_NODE) {
        give_up(p, "the section is not a list");
        return;
    }
    int no, ne;
    char(*oid)[YW_VALUE_LEN] = list_ids(sec, x->o, &no);
    char(*eid)[YW_VALUE_LEN] = list_ids(sec, x->e, &ne);
    int *match = calloc((size_t)(ne > 0 ? ne : 1), sizeof *match);
    bool *used = calloc((size_t)(no > 0 ? no : 1), sizeof *used);
    yw_item *oi = malloc(2 * YW_MAX_ITEMS * sizeof *oi), *ei = oi ? oi + YW_MAX_ITEMS : NULL;
    coll c = {.node = NULL};
    if (!oid || !eid || !match || !used || !oi) {
        p->oom = true;
        goto out;
    }
    if (coll_open(p, &c, x->val) != 0) goto out;
    if (c.n != no) {
        give_up(p, "the list does not hold the entries read from it");
        goto out;
    }
    for (int j = 0; j < ne; j++) {
        match[j] = -1;
        for (int i = 0; i < no && match[j] < 0; i++)
            if (!used[i] && strcmp(oid[i], eid[j]) == 0) match[j] = i;
        if (match[j] >= 0) used[match[j]] = true;
    }
    keep_in_order(match, ne, used);
    for (int j = 0, last = -1; j < ne; j++) {
        if (match[j] < 0) continue;
        if (match[j] < last) {
            give_up(p, "the entries were reordered");
            goto out;
        }
        last = match[j];
    }
    for (int i = 0; i < no; i++)
        c.del[i] = !used[i];
    coll_cut(p, &c);
    int inserted = 0;
    for (int j = 0; j < ne && !p->local_fail && !p->oom; j++) {
        int m = sec->items(x->e, j, ei);
        if (match[j] >= 0) {
            int k = sec->items(x->o, match[j], oi);
            entry_patch(p, seq_item(p, x->val, match[j]), oi, k, ei, m);
            continue;
        }
        int before = -1;
        for (int k = j + 1; k < ne && before < 0; k++)
            before = match[k];
        char *flow_text, *block_text;
        if (entry_texts(p, &c, ei, m, &flow_text, &block_text) == 0)
            coll_insert(p, &c, before, flow_text, block_text);
        else if (!p->local_fail)
            p->oom = true;
        free(flow_text);
        free(block_text);
        inserted++;
    }
    if (!p->local_fail && !c.flow && coll_kept(&c) == 0 && inserted == 0)
        mark_empty(p, x->key, "[]");
out:
    if (c.node) coll_close(&c);
    free(oid);
    free(eid);
    free(match);
    free(used);
    free(oi);
}

static bool same_layer_names(const nn_scenario *a, const nn_scenario *b)
{
    if (a->net.nlayers != b->net.nlayers) return false;
    for (int l = 0; l < a->net.nlayers; l++)
        if (strcmp(a->net.layers[l].name, b->net.layers[l].name) != 0) return false;
    return true;
}

/* Pins: pairs found by key; changed values replaced, others cut or added. */
static void map_patch(patcher *p, const yw_section *sec, const pass *x)
{
    if (!x->val || !same_layer_names(x->o, x->e)) {
        section_rewrite(p, sec, x);
        return;
    }
    if (x->val->type != YAML_MAPPING_NODE) {
        give_up(p, "the section is not a mapping");
        return;
    }
    coll c;
    if (coll_open(p, &c, x->val) != 0) {
        coll_close(&c);
        return;
    }
    /* Two passes: deletions marked before anything is inserted (see
     * entry_patch). */
    int slots = sec->slots(x->e), added = 0;
    for (int round = 0; round < 2; round++)
        for (int l = 0; l < slots && !p->local_fail && !p->oom; l++) {
            yw_item o, e;
            int no = sec->items(x->o, l, &o), ne = sec->items(x->e, l, &e);
            if (no == ne && (no == 0 || strcmp(o.value, e.value) == 0)) continue;
            int at = map_find(p, x->val, ne ? e.key : o.key);
            if (round == 0) {
                if (!ne && at >= 0) c.del[at] = true;
            } else if (ne && at >= 0) {
                value_replace(p, pair_value(p, x->val, at), &e, c.flow);
            } else if (ne) {
                pair_insert(p, &c, &e);
                added++;
            }
        }
    if (!p->local_fail) coll_cut(p, &c);
    if (!p->local_fail && !c.flow && coll_kept(&c) == 0 && added == 0 && c.n > 0)
        mark_empty(p, x->key, "{}");
    coll_close(&c);
}

static void section_patch(patcher *p, const yw_section *sec, const pass *x, bool whole)
{
    if (whole) {
        section_rewrite(p, sec, x);
        return;
    }
    switch (sec->shape) {
    case YW_SCALAR:
        scalar_patch(p, sec, x);
        return;
    case YW_BLOCK: {
        /* A zoo name replaced in place; anything else written whole (and
         * said, since comments inside it go). */
        yw_item item;
        if (x->val && x->val->type == YAML_SCALAR_NODE && sec->items(x->e, 0, &item) > 0) {
            value_replace(p, x->val, &item, false);
        } else {
            p->rewrote = x->val != NULL;
            section_rewrite(p, sec, x);
        }
        return;
    }
    case YW_LIST:
        list_patch(p, sec, x);
        return;
    case YW_MAP:
        map_patch(p, sec, x);
        return;
    }
}

/* ---- passes -------------------------------------------------------------- */

/* One attempt: every changed section patched (or, where `whole[i]`, written
 * whole). Sections that could not be patched are marked in `whole` and
 * written whole instead. NULL when the text cannot be patched at all. */
static char *patch_once(patcher *p, const nn_scenario *o, const nn_scenario *e, const bool *changed,
                        bool *whole, size_t *out_len)
{
    edits_truncate(p, 0);
    p->eof_fixed = false;
    for (int i = 0; i < yw_section_count() && !p->fatal && !p->oom; i++) {
        if (!changed[i]) continue;
        const yw_section *sec = yw_section_at(i);
        pass x = {.o = o, .e = e};
        int at = map_find(p, p->root, sec->key);
        if (at >= 0) {
            x.key = pair_key(p, p->root, at);
            x.val = pair_value(p, p->root, at);
        }
        int mark = p->nedits;
        p->local_fail = p->rewrote = false;
        section_patch(p, sec, &x, whole[i]);
        if (p->rewrote) whole[i] = true;
        if (p->local_fail && !p->fatal && !whole[i]) {
            edits_truncate(p, mark);
            whole[i] = true;
            p->local_fail = false;
            section_rewrite(p, sec, &x);
        }
    }
    if (p->fatal || p->oom || p->local_fail) return NULL;
    return edits_apply(p, out_len);
}

/* Whether `text` loads to a scenario that writes like `e`, section by
 * section (and compares equal); the sections that differ are marked. */
static bool reloads_to(const char *text, size_t len, const char *name, const nn_scenario *e,
                       bool *bad, char *why, size_t why_size)
{
    nn_scenario back;
    nn_error err;
    if (scenario_load_string(text, len, name, &back, &err) != 0) {
        snprintf(why, why_size, "the patched text does not load (%.400s)", err.message);
        return false;
    }
    bool same = true;
    for (int i = 0; i < yw_section_count(); i++) {
        char *a = yw_section_text(&back, yw_section_at(i)),
             *b = yw_section_text(e, yw_section_at(i));
        bool differ = !a || !b || strcmp(a, b) != 0;
        if (differ) {
            bad[i] = true;
            if (same)
                snprintf(why, why_size, "section '%s' reloads differently", yw_section_at(i)->key);
            same = false;
        }
        free(a);
        free(b);
    }
    char diff[256];
    if (same && !scenario_equal(&back, e, diff, sizeof diff)) {
        snprintf(why, why_size, "the patched text reloads differently: %s", diff);
        same = false;
    }
    scenario_free(&back);
    return same;
}

static char *write_fresh(const nn_scenario *s, size_t *len)
{
    text_buf t;
    if (!tb_open(&t)) return NULL;
    scenario_write(s, t.f);
    char *buf = tb_close(&t);
    if (buf) *len = strlen(buf);
    return buf;
}

static void names_of(const bool *marked, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < yw_section_count() && used < size; i++) {
        if (!marked[i]) continue;
        int n = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", yw_section_at(i)->key);
        if (n < 0) break;
        used += (size_t)n;
    }
}

int scenario_patch(const char *base, size_t len, const nn_scenario *edited, char **out,
                   size_t *out_len, char *note, size_t note_size)
{
    return scenario_patch_at(base, len, NULL, NULL, edited, out, out_len, note, note_size);
}

/* scenario_patch_at with `edited`'s references already relative to `path`. */
static int patch_at(const char *base, size_t len, const char *from, const char *path,
                    const nn_scenario *edited, char **out, size_t *out_len, char *note,
                    size_t note_size)
{
    char scratch[2];
    if (!note) {
        note = scratch;
        note_size = sizeof scratch;
    }
    note[0] = '\0';
    *out = NULL;
    *out_len = 0;
    if (!base) {
        *out = write_fresh(edited, out_len);
        return *out ? PATCH_FRESH : -1;
    }
    nn_scenario orig;
    nn_error err;
    /* Relative references (an ONNX model) resolve beside the file: the old
     * text's where it was read, the result's where it is saved. */
    const char *name = path ? path : "<saved>", *old_name = from ? from : name;
    if (scenario_load_string(base, len, old_name, &orig, &err) != 0) {
        snprintf(note, note_size, "written in nnpart's layout: the old text no longer loads");
        *out = write_fresh(edited, out_len);
        return *out ? PATCH_REWRITTEN : -1;
    }

    /* Per section: changed by the edit, to be written whole, reloaded wrong. */
    int nsec = yw_section_count();
    bool *flags = calloc((size_t)(3 * nsec), sizeof *flags);
    if (!flags) {
        scenario_free(&orig);
        return -1;
    }
    bool *changed = flags, *whole = flags + nsec, *again = flags + 2 * nsec;
    int nchanged = 0;
    for (int i = 0; i < nsec; i++) {
        char *a = yw_section_text(&orig, yw_section_at(i)),
             *b = yw_section_text(edited, yw_section_at(i));
        changed[i] = !a || !b || strcmp(a, b) != 0;
        nchanged += changed[i];
        free(a);
        free(b);
    }
    if (nchanged == 0) {
        scenario_free(&orig);
        free(flags);
        *out = malloc(len + 1);
        if (!*out) return -1;
        memcpy(*out, base, len);
        (*out)[len] = '\0';
        *out_len = len;
        return PATCH_KEPT;
    }

    patcher p = {.text = base, .len = len, .eol = "\n"};
    const char *nl = memchr(base, '\n', len);
    if (nl && nl > base && nl[-1] == '\r') p.eol = "\r\n";
    yaml_parser_t parser;
    bool parsed = false;
    int form = -1;
    char why[512] = "";
    if (map_build(&p) == 0 && yaml_parser_initialize(&parser)) {
        yaml_parser_set_input_string(&parser, (const unsigned char *)base, len);
        parsed = yaml_parser_load(&parser, &p.doc) != 0;
        yaml_parser_delete(&parser);
    }
    if (parsed) p.root = yaml_document_get_root_node(&p.doc);
    if (p.root && p.root->type == YAML_MAPPING_NODE) {
        for (int attempt = 0; attempt < 2 && form < 0; attempt++) {
            size_t n = 0;
            char *text = patch_once(&p, &orig, edited, changed, whole, &n);
            if (!text) {
                if (p.oom) break;
                snprintf(why, sizeof why, "%s", p.why[0] ? p.why : "the text cannot be patched");
                break;
            }
            memset(again, 0, (size_t)nsec * sizeof *again);
            if (reloads_to(text, n, name, edited, again, why, sizeof why)) {
                *out = text;
                *out_len = n;
                form = PATCH_KEPT;
                for (int i = 0; i < nsec; i++)
                    if (whole[i]) form = PATCH_SECTIONS;
                break;
            }
            free(text);
            /* Second attempt: every section that did not come back right
             * (an unchanged one too: a sink left implicit follows a changed
             * source) is written whole; failing that, every changed one. */
            bool more = false;
            for (int i = 0; i < nsec; i++)
                if (again[i] && !whole[i]) more = whole[i] = changed[i] = true;
            bool any = more;
            for (int i = 0; i < nsec && !any; i++)
                if (changed[i] && !whole[i]) more = whole[i] = true;
            if (!more) break;
        }
    } else if (!p.oom) {
        snprintf(why, sizeof why, "%s",
                 p.root ? "the top level is not a mapping" : "the old text cannot be parsed");
    }
    edits_truncate(&p, 0);
    free(p.edits);
    free(p.ckpt);
    if (parsed) yaml_document_delete(&p.doc);
    scenario_free(&orig);

    if (form == PATCH_SECTIONS) {
        char list[256];
        names_of(whole, list, sizeof list);
        snprintf(note, note_size,
                 "rewrote %s in nnpart's layout (comments inside it are gone); the rest is kept as "
                 "written",
                 list);
    }
    free(flags);
    if (form >= 0) return form;
    if (p.oom) return -1;
    snprintf(note, note_size,
             "written in nnpart's layout (the old comments and presets are gone): %s", why);
    *out = write_fresh(edited, out_len);
    return *out ? PATCH_REWRITTEN : -1;
}

int scenario_patch_at(const char *base, size_t len, const char *from, const char *path,
                      const nn_scenario *edited, char **out, size_t *out_len, char *note,
                      size_t note_size)
{
    if (!from || !path || (!edited->net.onnx[0] && edited->nprofile_files == 0))
        return patch_at(base, len, from, path, edited, out, out_len, note, note_size);
    /* Saved elsewhere, the model and profile paths are rewritten to name
     * the same files. A shallow copy: it shares the layers, only read here. */
    nn_scenario *moved = malloc(sizeof *moved);
    if (!moved) return -1;
    *moved = *edited;
    scenario_rebase(moved, from, path);
    int form = patch_at(base, len, from, path, moved, out, out_len, note, note_size);
    free(moved);
    return form;
}
