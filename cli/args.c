#include "args.h"

#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#include "ranges.h"
#include "units.h"

void cli_usage(const cli_spec *spec, FILE *out, bool full)
{
    fprintf(out, "usage: nnpart %s %s\n", spec->command, spec->synopsis);
    if (!full) return;
    if (spec->about) fprintf(out, "\n%s\n", spec->about);
    fprintf(out, "\noptions:\n");
    for (int i = 0; i < spec->nopts; i++) {
        const cli_opt *o = &spec->opts[i];
        char left[64];
        if (o->letter)
            snprintf(left, sizeof left, "-%c, --%s%s%s", o->letter, o->name, o->arg ? " " : "",
                     o->arg ? o->arg : "");
        else
            snprintf(left, sizeof left, "--%s%s%s", o->name, o->arg ? " " : "",
                     o->arg ? o->arg : "");
        fprintf(out, "  %-22s %s\n", left, o->help);
    }
    fprintf(out, "  %-22s %s\n", "-h, --help", "show this help");
    if (spec->example) fprintf(out, "\nexample:\n  %s\n", spec->example);
}

int cli_usage_error(const cli_spec *spec, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "nnpart %s: ", spec->command);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    cli_usage(spec, stderr, false);
    fprintf(stderr, "Try 'nnpart %s --help' for more.\n", spec->command);
    return 2;
}

static int find_opt(const cli_spec *spec, const char *name, size_t len)
{
    for (int i = 0; i < spec->nopts; i++)
        if (strlen(spec->opts[i].name) == len && strncmp(spec->opts[i].name, name, len) == 0)
            return i;
    return -1;
}

int cli_parse(const cli_spec *spec, int argc, char **argv, cli_args *out)
{
    *out = (cli_args){.npos = 0};
    bool only_pos = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_pos || a[0] != '-' || a[1] == '\0') {
            if (out->npos >= spec->max_pos || out->npos >= CLI_MAX_POS)
                return cli_usage_error(spec, "unexpected argument '%s'", a);
            out->pos[out->npos++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_pos = true;
            continue;
        }
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            cli_usage(spec, stdout, true);
            return 0;
        }
        int k = -1;
        const char *name = a + 2, *eq = NULL;
        size_t len = 0;
        if (a[1] != '-') {
            for (int j = 0; j < spec->nopts && a[2] == '\0'; j++)
                if (spec->opts[j].letter && spec->opts[j].letter == a[1]) k = j;
            if (k < 0) return cli_usage_error(spec, "unknown option '%s'", a);
            name = spec->opts[k].name;
            len = strlen(name);
        } else {
            eq = strchr(name, '=');
            len = eq ? (size_t)(eq - name) : strlen(name);
            k = find_opt(spec, name, len);
        }
        if (k < 0) return cli_usage_error(spec, "unknown option '--%.*s'", (int)len, name);
        const cli_opt *o = &spec->opts[k];
        /* Keeping the last of two silently hides a typo in a script; options
         * that make lists (sweep's axes) say so in their table entry. */
        if (out->val[k] && !o->repeat)
            return cli_usage_error(spec, "option '--%s' given twice", o->name);
        if (out->nocc == CLI_MAX_OCC)
            return cli_usage_error(spec, "more than %d options", CLI_MAX_OCC);
        if (!o->arg) {
            if (eq) return cli_usage_error(spec, "option '--%s' takes no value", o->name);
            out->val[k] = "";
        } else if (eq) {
            out->val[k] = eq + 1;
        } else if (i + 1 < argc) {
            out->val[k] = argv[++i];
        } else {
            return cli_usage_error(spec, "option '--%s' needs a value %s", o->name, o->arg);
        }
        out->occ[out->nocc++] = (struct cli_occ){.opt = k, .val = out->val[k]};
    }
    if (out->npos < spec->min_pos)
        return cli_usage_error(spec, "missing argument%s", spec->min_pos > 1 ? "s" : "");
    return CLI_PARSED;
}

const char *cli_get(const cli_spec *spec, const cli_args *args, const char *name)
{
    int k = find_opt(spec, name, strlen(name));
    return k < 0 ? NULL : args->val[k];
}

int cli_parse_time_limit(const cli_spec *spec, const char *text, double *out)
{
    if (!text) {
        *out = NN_DEFAULT_TIME_LIMIT_S;
        return 0;
    }
    if (strcmp(text, "none") == 0) {
        *out = 0;
        return 0;
    }
    char why[256];
    double v;
    if (!units_parse(text, UNIT_TIME, &v, why, sizeof why))
        return cli_usage_error(spec, "--time-limit: %s; or 'none' for no limit", why);
    if (v == 0)
        return cli_usage_error(spec, "--time-limit: 0 s leaves no time to solve; give a time "
                                     "such as '10s', or 'none' for no limit");
    *out = v;
    return 0;
}
