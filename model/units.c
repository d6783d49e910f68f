/* Quantities with units. One table lists every unit symbol with its kind and
 * factor; parsing, formatting and the messages all read it. */
#include "units.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suggest.h"

typedef struct unit_def {
    const char *sym;
    unit_kind kind;
    double mul, div; /* value = number * mul / div; dividing keeps "100 ms" exact */
    bool listed;     /* named in the "accepted" list of messages */
    bool display;    /* chosen by units_format / units_format_exact */
} unit_def;

#define U(s, k, m, d, l, disp)                                                                     \
    {                                                                                              \
        .sym = s, .kind = k, .mul = m, .div = d, .listed = l, .display = disp                      \
    }

static const unit_def UNITS[] = {
    U("FLOP", UNIT_FLOP, 1, 1, true, true),
    U("kFLOP", UNIT_FLOP, 1e3, 1, true, true),
    U("MFLOP", UNIT_FLOP, 1e6, 1, true, true),
    U("GFLOP", UNIT_FLOP, 1e9, 1, true, true),
    U("TFLOP", UNIT_FLOP, 1e12, 1, true, true),
    U("PFLOP", UNIT_FLOP, 1e15, 1, true, true),

    U("FLOP/s", UNIT_FLOP_RATE, 1, 1, true, true),
    U("kFLOP/s", UNIT_FLOP_RATE, 1e3, 1, true, true),
    U("MFLOP/s", UNIT_FLOP_RATE, 1e6, 1, true, true),
    U("GFLOP/s", UNIT_FLOP_RATE, 1e9, 1, true, true),
    U("TFLOP/s", UNIT_FLOP_RATE, 1e12, 1, true, true),
    U("PFLOP/s", UNIT_FLOP_RATE, 1e15, 1, true, true),
    U("FLOPS", UNIT_FLOP_RATE, 1, 1, false, false),
    U("kFLOPS", UNIT_FLOP_RATE, 1e3, 1, false, false),
    U("MFLOPS", UNIT_FLOP_RATE, 1e6, 1, false, false),
    U("GFLOPS", UNIT_FLOP_RATE, 1e9, 1, false, false),
    U("TFLOPS", UNIT_FLOP_RATE, 1e12, 1, false, false),
    U("PFLOPS", UNIT_FLOP_RATE, 1e15, 1, false, false),
    /* int8 accelerators quote operations per second; one operation is one FLOP here. */
    U("GOPS", UNIT_FLOP_RATE, 1e9, 1, false, false),
    U("GOPS/s", UNIT_FLOP_RATE, 1e9, 1, false, false),
    U("TOPS", UNIT_FLOP_RATE, 1e12, 1, false, false),
    U("TOPS/s", UNIT_FLOP_RATE, 1e12, 1, false, false),

    U("B", UNIT_BYTES, 1, 1, true, true),
    U("kB", UNIT_BYTES, 1e3, 1, true, true),
    U("MB", UNIT_BYTES, 1e6, 1, true, true),
    U("GB", UNIT_BYTES, 1e9, 1, true, true),
    U("TB", UNIT_BYTES, 1e12, 1, true, true),
    U("KiB", UNIT_BYTES, 1024.0, 1, true, false),
    U("MiB", UNIT_BYTES, 1048576.0, 1, true, false),
    U("GiB", UNIT_BYTES, 1073741824.0, 1, true, false),
    U("TiB", UNIT_BYTES, 1099511627776.0, 1, true, false),

    U("B/s", UNIT_BYTE_RATE, 1, 1, true, true),
    U("kB/s", UNIT_BYTE_RATE, 1e3, 1, true, true),
    U("MB/s", UNIT_BYTE_RATE, 1e6, 1, true, true),
    U("GB/s", UNIT_BYTE_RATE, 1e9, 1, true, true),
    U("TB/s", UNIT_BYTE_RATE, 1e12, 1, true, true),
    U("KiB/s", UNIT_BYTE_RATE, 1024.0, 1, true, false),
    U("MiB/s", UNIT_BYTE_RATE, 1048576.0, 1, true, false),
    U("GiB/s", UNIT_BYTE_RATE, 1073741824.0, 1, true, false),

    U("bit/s", UNIT_BIT_RATE, 1, 1, true, true),
    U("kbit/s", UNIT_BIT_RATE, 1e3, 1, true, true),
    U("Mbit/s", UNIT_BIT_RATE, 1e6, 1, true, true),
    U("Gbit/s", UNIT_BIT_RATE, 1e9, 1, true, true),
    U("Tbit/s", UNIT_BIT_RATE, 1e12, 1, true, true),
    U("bps", UNIT_BIT_RATE, 1, 1, false, false),
    U("kbps", UNIT_BIT_RATE, 1e3, 1, false, false),
    U("Mbps", UNIT_BIT_RATE, 1e6, 1, false, false),
    U("Gbps", UNIT_BIT_RATE, 1e9, 1, false, false),
    U("Tbps", UNIT_BIT_RATE, 1e12, 1, false, false),

    U("s", UNIT_TIME, 1, 1, true, true),
    U("ms", UNIT_TIME, 1, 1e3, true, true),
    U("us", UNIT_TIME, 1, 1e6, true, true),
    U("ns", UNIT_TIME, 1, 1e9, true, true),
    U("\xc2\xb5s", UNIT_TIME, 1, 1e6, false, false), /* micro sign */
    U("\xce\xbcs", UNIT_TIME, 1, 1e6, false, false), /* Greek mu */

    U("W", UNIT_POWER, 1, 1, true, true),
    U("mW", UNIT_POWER, 1, 1e3, true, true),
    U("uW", UNIT_POWER, 1, 1e6, true, true),
    U("kW", UNIT_POWER, 1e3, 1, true, true),

    U("J", UNIT_ENERGY, 1, 1, true, true),
    U("mJ", UNIT_ENERGY, 1, 1e3, true, true),
    U("uJ", UNIT_ENERGY, 1, 1e6, true, true),
    U("nJ", UNIT_ENERGY, 1, 1e9, true, true),
    U("kJ", UNIT_ENERGY, 1e3, 1, true, true),

    U("J/bit", UNIT_ENERGY_PER_BIT, 1, 1, true, true),
    U("mJ/bit", UNIT_ENERGY_PER_BIT, 1, 1e3, true, true),
    U("uJ/bit", UNIT_ENERGY_PER_BIT, 1, 1e6, true, true),
    U("nJ/bit", UNIT_ENERGY_PER_BIT, 1, 1e9, true, true),
    U("pJ/bit", UNIT_ENERGY_PER_BIT, 1, 1e12, true, true),

    U("", UNIT_COUNT, 1, 1, false, true),
    U("k", UNIT_COUNT, 1e3, 1, true, true),
    U("M", UNIT_COUNT, 1e6, 1, true, true),
    U("G", UNIT_COUNT, 1e9, 1, true, true),
    U("T", UNIT_COUNT, 1e12, 1, true, true),
};

#define NUNITS (sizeof UNITS / sizeof UNITS[0])

static const struct {
    const char *name, *example;
} KINDS[UNIT_KIND_COUNT] = {
    [UNIT_FLOP] = {.name = "FLOP count", .example = "1 GFLOP"},
    [UNIT_FLOP_RATE] = {.name = "compute rate", .example = "20 GFLOP/s"},
    [UNIT_BYTES] = {.name = "size", .example = "2 GB"},
    [UNIT_BYTE_RATE] = {.name = "byte rate", .example = "80 MB/s"},
    [UNIT_BIT_RATE] = {.name = "bandwidth", .example = "300 Mbit/s"},
    [UNIT_TIME] = {.name = "time", .example = "2 ms"},
    [UNIT_COUNT] = {.name = "count", .example = "61.1 M"},
    [UNIT_POWER] = {.name = "power", .example = "3 W"},
    [UNIT_ENERGY] = {.name = "quantity of energy", .example = "2 J"},
    [UNIT_ENERGY_PER_BIT] = {.name = "per-bit energy", .example = "100 nJ/bit"},
};

const char *units_kind_name(unit_kind kind)
{
    return (unsigned)kind < UNIT_KIND_COUNT ? KINDS[kind].name : "value";
}

const char *units_kind_example(unit_kind kind)
{
    return (unsigned)kind < UNIT_KIND_COUNT ? KINDS[kind].example : "1";
}

/* Numbers are read and written in the C locale whatever the program's
 * locale (the explorer sets one for UTF-8): a saved "1.5 GB" must not
 * become "1,5 GB". uselocale() is per thread, so this is safe in workers. */
static locale_t c_locale_enter(void)
{
    locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    return c ? uselocale(c) : (locale_t)0;
}

static void c_locale_leave(locale_t old)
{
    if (!old) return;
    locale_t c = uselocale(old);
    if (c && c != LC_GLOBAL_LOCALE) freelocale(c);
}

static const unit_def *unit_lookup(const char *sym)
{
    for (size_t i = 0; i < NUNITS; i++)
        if (strcmp(UNITS[i].sym, sym) == 0) return &UNITS[i];
    return NULL;
}

/* The base unit of a kind (a bare number means this). */
static const unit_def *unit_base(unit_kind kind)
{
    for (size_t i = 0; i < NUNITS; i++)
        if (UNITS[i].kind == kind && UNITS[i].mul == 1 && UNITS[i].div == 1) return &UNITS[i];
    return NULL;
}

/* "expected a compute rate such as '20 GFLOP/s' (FLOP/s, kFLOP/s, ...)" */
static void expected_text(unit_kind kind, char *buf, size_t size)
{
    size_t n = (size_t)snprintf(buf, size, "expected a %s such as '%s' (", units_kind_name(kind),
                                units_kind_example(kind));
    bool first = true;
    for (size_t i = 0; i < NUNITS && n < size; i++) {
        if (UNITS[i].kind != kind || !UNITS[i].listed) continue;
        n += (size_t)snprintf(buf + n, size - n, "%s%s", first ? "" : ", ", UNITS[i].sym);
        first = false;
    }
    if (n < size) snprintf(buf + n, size - n, ")");
}

static bool parse_fail(char *why, size_t why_size, unit_kind kind, const char *head)
{
    if (!why || why_size == 0) return false;
    char tail[256];
    expected_text(kind, tail, sizeof tail);
    snprintf(why, why_size, "%s, %s", head, tail);
    return false;
}

static bool parse_in_c_locale(const char *text, unit_kind kind, double *out, char *why,
                              size_t why_size)
{
    const char *p = text ? text : "";
    while (*p == ' ' || *p == '\t')
        p++;
    size_t len = strlen(p);
    while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
        len--;
    /* The text as the user wrote it, without surrounding blanks, for messages. */
    char shown[96], head[256];
    snprintf(shown, sizeof shown, "%.*s", (int)(len < 90 ? len : 90), p);

    if (len == 0) return parse_fail(why, why_size, kind, "empty value");
    char *end;
    double x = strtod(p, &end);
    if (end == p) {
        snprintf(head, sizeof head, "'%s' is not a number", shown);
        return parse_fail(why, why_size, kind, head);
    }
    if (!isfinite(x)) {
        snprintf(head, sizeof head, "'%s' is not a finite number", shown);
        return parse_fail(why, why_size, kind, head);
    }
    if (x < 0) {
        snprintf(head, sizeof head, "'%s' is negative", shown);
        return parse_fail(why, why_size, kind, head);
    }

    const char *u = end;
    while (*u == ' ' || *u == '\t')
        u++;
    const char *ue = u;
    while (*ue && *ue != ' ' && *ue != '\t')
        ue++;
    char sym[32];
    snprintf(sym, sizeof sym, "%.*s", (int)(ue - u < 31 ? ue - u : 31), u);
    const char *rest = ue;
    while (*rest == ' ' || *rest == '\t')
        rest++;
    const unit_def *def = sym[0] ? unit_lookup(sym) : unit_base(kind);
    if (!def) {
        const char *cands[NUNITS];
        size_t nc = 0;
        for (size_t i = 0; i < NUNITS; i++)
            if (UNITS[i].kind == kind && UNITS[i].sym[0]) cands[nc++] = UNITS[i].sym;
        const char *near = suggest_closest(sym, cands, nc);
        if (near)
            snprintf(head, sizeof head, "unknown unit '%s' in '%s' (did you mean '%s'?)", sym,
                     shown, near);
        else
            snprintf(head, sizeof head, "unknown unit '%s' in '%s'", sym, shown);
        return parse_fail(why, why_size, kind, head);
    }
    if (*rest) {
        int nrest = (int)(p + len - rest);
        snprintf(head, sizeof head, "'%s' has unexpected text '%.*s' after the unit", shown,
                 nrest < 60 ? nrest : 60, rest);
        return parse_fail(why, why_size, kind, head);
    }

    if (def->kind != kind) {
        snprintf(head, sizeof head, "'%s' is a %s", shown, units_kind_name(def->kind));
        return parse_fail(why, why_size, kind, head);
    }
    double v = x * def->mul / def->div;
    if (!isfinite(v)) {
        snprintf(head, sizeof head, "'%s' is too large", shown);
        return parse_fail(why, why_size, kind, head);
    }
    *out = v == 0 ? 0.0 : v; /* no negative zero */
    return true;
}

bool units_parse(const char *text, unit_kind kind, double *out, char *why, size_t why_size)
{
    locale_t old = c_locale_enter();
    bool ok = parse_in_c_locale(text, kind, out, why, why_size);
    c_locale_leave(old);
    return ok;
}

/* The display unit for `a` (>= 0): the largest whose mantissa is >= 1, else
 * the smallest. */
static const unit_def *display_unit(double a, unit_kind kind)
{
    const unit_def *best = NULL, *smallest = NULL;
    for (size_t i = 0; i < NUNITS; i++) {
        const unit_def *d = &UNITS[i];
        if (d->kind != kind || !d->display) continue;
        double scale = d->mul / d->div;
        if (!smallest || scale < smallest->mul / smallest->div) smallest = d;
        if (a * d->div / d->mul >= 1 && (!best || scale > best->mul / best->div)) best = d;
    }
    return best ? best : smallest;
}

static void join(char *buf, size_t size, const char *sign, const char *num, const char *sym)
{
    snprintf(buf, size, "%s%s%s%s", sign, num, sym[0] ? " " : "", sym);
}

void units_format(double value, unit_kind kind, char *buf, size_t size)
{
    if (!buf || size == 0) return;
    if ((unsigned)kind >= UNIT_KIND_COUNT) kind = UNIT_COUNT;
    const unit_def *base = unit_base(kind);
    if (isnan(value)) {
        snprintf(buf, size, "nan");
        return;
    }
    const char *sign = value < 0 ? "-" : "";
    double a = fabs(value);
    if (isinf(a) || a == 0) {
        join(buf, size, a == 0 ? "" : sign, a == 0 ? "0" : "inf", base->sym);
        return;
    }
    locale_t old = c_locale_enter();
    /* Round to 3 significant digits first so 999.7 ms becomes "1 s". */
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.2e", a);
    double r = strtod(tmp, NULL);
    if (isinf(r)) r = a; /* 1.797e308 rounds past the largest double */
    const unit_def *d = display_unit(r, kind);
    double m = r * d->div / d->mul;
    if (m >= 1e6) {
        /* Far beyond the largest prefix: an exponent in the base unit, so
         * the unit always fits ("1e+290 s", not 290 digits cut short). */
        d = base;
        snprintf(tmp, sizeof tmp, "%.3g", r);
    } else if (m >= 1000) {
        snprintf(tmp, sizeof tmp, "%.0f", m); /* just beyond the largest prefix */
    } else {
        snprintf(tmp, sizeof tmp, "%.3g", m);
    }
    join(buf, size, sign, tmp, d->sym);
    c_locale_leave(old);
}

/* Tries mantissa texts of growing precision in unit `d`; prefers texts
 * without an exponent. Returns true with `buf` filled on an exact match. */
static bool exact_in_unit(double a, const unit_def *d, unit_kind kind, char *buf, size_t size)
{
    double m = a * d->div / d->mul;
    char with_exp[64] = "";
    for (int prec = 1; prec <= 17; prec++) {
        char num[40], text[64];
        snprintf(num, sizeof num, "%.*g", prec, m);
        join(text, sizeof text, "", num, d->sym);
        double back;
        if (!parse_in_c_locale(text, kind, &back, NULL, 0) || back != a) continue;
        if (!strchr(num, 'e')) {
            snprintf(buf, size, "%s", text);
            return true;
        }
        if (!with_exp[0]) snprintf(with_exp, sizeof with_exp, "%s", text);
    }
    if (!with_exp[0]) return false;
    snprintf(buf, size, "%s", with_exp);
    return true;
}

/* All 17 digits in the base unit: the form of last resort. */
static void format_plain(double value, const unit_def *base, char *buf, size_t size)
{
    char num[40];
    snprintf(num, sizeof num, "%.17g", value);
    join(buf, size, "", num, base->sym);
}

void units_format_exact(double value, unit_kind kind, char *buf, size_t size)
{
    if (!buf || size == 0) return;
    if ((unsigned)kind >= UNIT_KIND_COUNT) kind = UNIT_COUNT;
    const unit_def *base = unit_base(kind);
    if (!isfinite(value) || value < 0) {
        /* Not representable in a file (units_parse rejects it); still show it. */
        format_plain(value, base, buf, size);
        return;
    }
    if (value == 0) {
        join(buf, size, "", "0", base->sym);
        return;
    }
    locale_t old = c_locale_enter();
    const unit_def *d = display_unit(value, kind);
    if (!exact_in_unit(value, d, kind, buf, size) && !exact_in_unit(value, base, kind, buf, size))
        format_plain(value, base, buf, size);
    c_locale_leave(old);
}
