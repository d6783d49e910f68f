#include "common.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void error_clear(nn_error *err)
{
    if (err) memset(err, 0, sizeof *err);
}

void str_copy(char *dst, size_t size, const char *src)
{
    if (size == 0) return;
    snprintf(dst, size, "%s", src ? src : "");
}

int error_set(nn_error *err, const char *file, int line, int column, const char *field,
              const char *fmt, ...)
{
    if (!err) return -1;
    char text[384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);

    str_copy(err->file, sizeof err->file, file);
    err->line = line;
    err->column = column;
    str_copy(err->field, sizeof err->field, field);

    char where[256] = "";
    size_t n = 0;
    if (file && *file) n += (size_t)snprintf(where + n, sizeof where - n, "%s:", file);
    if (line > 0) n += (size_t)snprintf(where + n, sizeof where - n, "%d:", line);
    if (line > 0 && column > 0) n += (size_t)snprintf(where + n, sizeof where - n, "%d:", column);
    if (n > 0 && n < sizeof where) snprintf(where + n, sizeof where - n, " ");
    if (field && *field)
        snprintf(err->message, sizeof err->message, "%s%s: %s", where, field, text);
    else
        snprintf(err->message, sizeof err->message, "%s%s", where, text);
    return -1;
}
