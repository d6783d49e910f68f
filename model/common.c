#include "common.h"

#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

    /* Names, keys and values in messages come from files: escaped, so a
     * message cannot drive the terminal it is shown on. */
    text_escape(err->file, sizeof err->file, file);
    err->line = line;
    err->column = column;
    text_escape(err->field, sizeof err->field, field);
    file = err->file;
    field = err->field;

    char where[256] = "";
    size_t n = 0;
    if (file && *file) n += (size_t)snprintf(where + n, sizeof where - n, "%s:", file);
    if (line > 0) n += (size_t)snprintf(where + n, sizeof where - n, "%d:", line);
    if (line > 0 && column > 0) n += (size_t)snprintf(where + n, sizeof where - n, "%d:", column);
    if (n > 0 && n < sizeof where) snprintf(where + n, sizeof where - n, " ");
    char raw[sizeof err->message];
    if (field && *field)
        snprintf(raw, sizeof raw, "%s%s: %s", where, field, text);
    else
        snprintf(raw, sizeof raw, "%s%s", where, text);
    text_escape(err->message, sizeof err->message, raw);
    return -1;
}

static const char *file_kind(mode_t m)
{
    if (S_ISDIR(m)) return "a directory";
    if (S_ISFIFO(m)) return "a FIFO";
    if (S_ISCHR(m)) return "a character device";
    if (S_ISBLK(m)) return "a block device";
    if (S_ISSOCK(m)) return "a socket";
    return "a special file";
}

FILE *file_open_regular(const char *path, nn_error *err)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        error_set(err, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int saved = errno;
        close(fd);
        error_set(err, path, 0, 0, NULL, "cannot read: %s", strerror(saved));
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        error_set(err, path, 0, 0, NULL, "not a regular file (%s); accepted: a scenario file",
                  file_kind(st.st_mode));
        return NULL;
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0) fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        error_set(err, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
        close(fd);
    }
    return f;
}
