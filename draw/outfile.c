/* Atomic output files that do not overwrite unless forced. */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../model/common.h"

int outfile_write(const char *path, bool force, outfile_fill fill, void *ctx, char *why,
                  size_t why_size)
{
    why[0] = '\0';
    if (!force && access(path, F_OK) == 0) {
        snprintf(why, why_size, "'%s' exists", path);
        return OUTFILE_EXISTS;
    }
    size_t n = strlen(path);
    char *dir_buf = malloc(n + 1), *base_buf = malloc(n + 1), *tmp = malloc(2 * n + 16);
    int rc = OUTFILE_ERROR;
    if (!dir_buf || !base_buf || !tmp) {
        snprintf(why, why_size, "cannot write '%s': out of memory", path);
        goto out;
    }
    memcpy(dir_buf, path, n + 1);
    memcpy(base_buf, path, n + 1);
    snprintf(tmp, 2 * n + 16, "%s/.%s.XXXXXX", dirname(dir_buf), basename(base_buf));
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(why, why_size, "cannot write '%s': %s", path, strerror(errno));
        goto out;
    }
    const char *step = "cannot write";
    FILE *f = NULL;
    if (fchmod(fd, 0644) != 0 || !(f = fdopen(fd, "w"))) goto fail;
    fd = -1;
    if (fill(f, ctx) != 0) {
        errno = errno ? errno : EIO;
        goto fail;
    }
    if (fflush(f) != 0 || fsync(fileno(f)) != 0) goto fail;
    int closed = fclose(f);
    f = NULL;
    if (closed != 0) goto fail;
    if (force) {
        step = "cannot replace";
        if (rename(tmp, path) != 0) goto fail;
    } else {
        if (link(tmp, path) != 0) {
            if (errno == EEXIST) {
                unlink(tmp);
                snprintf(why, why_size, "'%s' exists", path);
                rc = OUTFILE_EXISTS;
                goto out;
            }
            /* File systems without hard links: create exclusively, then rename. */
            int excl = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
            if (excl < 0) goto fail;
            close(excl);
            if (rename(tmp, path) != 0) goto fail;
        } else {
            unlink(tmp);
        }
    }
    rc = OUTFILE_OK;
    goto out;
fail:;
    int saved = errno ? errno : EIO;
    if (f) fclose(f);
    if (fd >= 0) close(fd);
    unlink(tmp);
    snprintf(why, why_size, "%s '%s': %s", step, path, strerror(saved));
out:
    free(dir_buf);
    free(base_buf);
    free(tmp);
    return rc;
}
