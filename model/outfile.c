/* User-named output files: outfile.h's rules on fileio's atomic save. */
#include "outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fileio.h"

/* Something a write would replace: any name but a device or FIFO, which
 * is written in place (a dangling link counts: the file would appear). */
static bool replaces_something(const char *path)
{
    struct stat st;
    if (!fileio_exists(path)) return false;
    return stat(path, &st) != 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode);
}

int outfile_check(const char *path, const char *source, bool force)
{
    if (source && fileio_same(path, source)) return OUTFILE_SOURCE;
    if (!force && replaces_something(path)) return OUTFILE_EXISTS;
    return OUTFILE_OK;
}

int outfile_write(const char *path, const char *source, bool force, outfile_fill fill, void *ctx,
                  char *why, size_t why_size)
{
    why[0] = '\0';
    int rc = outfile_check(path, source, force);
    if (rc == OUTFILE_SOURCE) {
        snprintf(why, why_size, "'%s' is the file being read", path);
        return rc;
    }
    if (rc == OUTFILE_EXISTS) {
        snprintf(why, why_size, "'%s' exists", path);
        return rc;
    }
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) {
        snprintf(why, why_size, "cannot write '%s': %s", path, strerror(errno));
        return OUTFILE_ERROR;
    }
    errno = 0;
    int filled = fill(f, ctx);
    int saved = errno ? errno : EIO;
    if (fclose(f) != 0 && filled == 0) {
        filled = -1;
        saved = errno ? errno : ENOMEM;
    }
    if (filled != 0) {
        free(text);
        snprintf(why, why_size, "cannot write '%s': %s", path, strerror(saved));
        return OUTFILE_ERROR;
    }
    /* --force names this file: other hard links keep the old contents. */
    nn_error err;
    int wrote = fileio_write(path, text, len, FILEIO_SPLIT_LINKS | (force ? 0 : FILEIO_NEW), &err);
    saved = errno;
    free(text);
    if (wrote == 0) return OUTFILE_OK;
    if (wrote == FILEIO_EXISTS) {
        snprintf(why, why_size, "'%s' exists", path);
        return OUTFILE_EXISTS;
    }
    snprintf(why, why_size, "cannot write '%s': %s", path, strerror(saved ? saved : EIO));
    return OUTFILE_ERROR;
}
