#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Symbolic links followed before giving up, as the kernel's MAXSYMLINKS. */
#define MAX_LINK_HOPS 40

int fileio_read(const char *path, size_t max, char **text, size_t *len, nn_error *err)
{
    nn_error scratch;
    if (!err) err = &scratch;
    *text = NULL;
    *len = 0;
    FILE *f = file_open_regular(path, err);
    if (!f) return -1;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    /* One byte more than accepted tells a file that is too large. */
    for (;;) {
        if (n == cap) {
            if (cap == max + 1) {
                free(buf);
                fclose(f);
                return error_set(err, path, 0, 0, NULL,
                                 "file too large; at most %zu bytes accepted", max);
            }
            cap = cap ? cap * 2 : 65536;
            if (cap > max + 1) cap = max + 1;
            char *grown = realloc(buf, cap + 1);
            if (!grown) {
                free(buf);
                fclose(f);
                return error_set(err, path, 0, 0, NULL, "out of memory reading the file");
            }
            buf = grown;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    int failed = ferror(f);
    int saved = errno;
    fclose(f);
    if (failed) {
        free(buf);
        return error_set(err, path, 0, 0, NULL, "cannot read: %s", strerror(saved));
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return 0;
}

bool fileio_resolve(const char *path, char *out, size_t size)
{
    char cur[PATH_MAX], target[PATH_MAX];
    if (strlen(path) >= sizeof cur) {
        errno = ENAMETOOLONG;
        return false;
    }
    str_copy(cur, sizeof cur, path);
    for (int hop = 0; hop <= MAX_LINK_HOPS; hop++) {
        struct stat st;
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode)) {
            if (strlen(cur) >= size) {
                errno = ENAMETOOLONG;
                return false;
            }
            str_copy(out, size, cur);
            return true;
        }
        ssize_t n = readlink(cur, target, sizeof target - 1);
        if (n < 0) return false;
        target[n] = '\0';
        if (target[0] == '/') {
            str_copy(cur, sizeof cur, target);
            continue;
        }
        /* A relative link is relative to the directory holding it. */
        char dir[PATH_MAX];
        str_copy(dir, sizeof dir, cur);
        int m = snprintf(cur, sizeof cur, "%s/%s", dirname(dir), target);
        if (m < 0 || (size_t)m >= sizeof cur) {
            errno = ENAMETOOLONG;
            return false;
        }
    }
    errno = ELOOP;
    return false;
}

bool fileio_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

bool fileio_is_regular(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

bool fileio_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool fileio_same(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

int fileio_links(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (int)st.st_nlink : 0;
}

bool fileio_expand_home(const char *path, char *out, size_t size)
{
    if (path[0] != '~') {
        if (strlen(path) >= size) return false;
        str_copy(out, size, path);
        return true;
    }
    const char *rest = path + 1 + strcspn(path + 1, "/");
    size_t user_len = (size_t)(rest - path - 1);
    const char *home = NULL;
    if (user_len == 0) {
        home = getenv("HOME");
        if (!home || !*home) {
            const struct passwd *pw = getpwuid(getuid());
            home = pw ? pw->pw_dir : NULL;
        }
    } else {
        char user[256];
        if (user_len >= sizeof user) return false;
        memcpy(user, path + 1, user_len);
        user[user_len] = '\0';
        const struct passwd *pw = getpwnam(user);
        home = pw ? pw->pw_dir : NULL;
    }
    if (!home) return false;
    /* "~/" under a home of "/" gives "/x", not "//x". */
    size_t hl = strlen(home);
    if (hl > 1 && home[hl - 1] == '/' && rest[0] == '/') hl--;
    if (hl == 1 && home[0] == '/' && rest[0] == '/') hl = 0;
    int n = snprintf(out, size, "%.*s%s", (int)hl, home, rest);
    return n >= 0 && (size_t)n < size;
}

/* Syncs the directory holding a renamed file so the rename survives a crash. */
static int sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    /* Some file systems cannot sync directories; the rename is done anyway. */
    if (rc != 0 && (errno == EINVAL || errno == ENOTSUP)) rc = 0;
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            if (n == 0) errno = EIO;
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* error_set, then errno as the failed step left it, for callers that word
 * their own message (outfile). */
static int failed(nn_error *err, const char *path, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int failed(nn_error *err, const char *path, int errnum, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char msg[sizeof err->message];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    error_set(err, path, 0, 0, NULL, "%s", msg);
    errno = errnum;
    return -1;
}

static int taken(const char *path, nn_error *err)
{
    error_set(err, path, 0, 0, NULL, "exists; nothing was written");
    errno = EEXIST;
    return FILEIO_EXISTS;
}

/* Moves `tmp` to the free name `target`: link(2) fails with EEXIST when the
 * name is taken, even by a file that appeared meanwhile. */
static int put_new(const char *tmp, const char *target)
{
    if (link(tmp, target) == 0) return unlink(tmp), 0;
    if (errno == EEXIST) return -1;
    /* File systems without hard links: claim the name, then rename. */
    int fd = open(target, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) return -1;
    close(fd);
    return rename(tmp, target);
}

int fileio_replace(const char *path, const char *data, size_t len, unsigned flags, nn_error *err)
{
    nn_error scratch;
    if (!err) err = &scratch;
    if ((flags & FILEIO_NEW) && fileio_exists(path)) return taken(path, err);
    char target[PATH_MAX];
    if (!fileio_resolve(path, target, sizeof target))
        return failed(err, path, errno, "cannot save: cannot follow the link: %s", strerror(errno));
    struct stat st;
    bool exists = stat(target, &st) == 0;
    if (exists && !S_ISREG(st.st_mode))
        return failed(err, path, S_ISDIR(st.st_mode) ? EISDIR : EINVAL,
                      "cannot save: '%s' is not a regular file; nothing was written", target);
    if (exists && st.st_nlink > 1 && !(flags & FILEIO_SPLIT_LINKS)) {
        error_set(err, path, 0, 0, NULL,
                  "not saved: the file has %ld hard links; saving gives this name a new file "
                  "and leaves the other %ld name%s with the old contents",
                  (long)st.st_nlink, (long)st.st_nlink - 1, st.st_nlink == 2 ? "" : "s");
        return FILEIO_LINKED;
    }

    char dir_buf[PATH_MAX], base_buf[PATH_MAX], tmp[2 * PATH_MAX + 16];
    str_copy(dir_buf, sizeof dir_buf, target);
    str_copy(base_buf, sizeof base_buf, target);
    const char *dir = dirname(dir_buf), *base = basename(base_buf);
    snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", dir, base);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return failed(err, path, errno, "cannot save: cannot create a temporary file in '%s': %s",
                      dir, strerror(errno));
    const char *step = "cannot set the file mode";
    /* The owner first: changing it clears set-user-ID bits, the mode then
     * restores them. Only root may give a file away; others may still keep
     * its group when they belong to it. Neither is an error. */
    if (exists && (st.st_uid != geteuid() || st.st_gid != getegid()) &&
        fchown(fd, st.st_uid, st.st_gid) != 0 && fchown(fd, (uid_t)-1, st.st_gid) != 0)
        errno = 0;
    if (fchmod(fd, exists ? (st.st_mode & 07777) : 0644) != 0) goto fail;
    step = "cannot write";
    if (write_all(fd, data, len) != 0) goto fail;
    step = "cannot sync";
    if (fsync(fd) != 0) goto fail;
    step = "cannot write";
    int rc = close(fd);
    fd = -1;
    if (rc != 0) goto fail;
    step = "cannot replace the file";
    if (flags & FILEIO_NEW) {
        if (put_new(tmp, target) != 0) {
            if (errno != EEXIST) goto fail;
            unlink(tmp);
            return taken(path, err);
        }
    } else if (rename(tmp, target) != 0) {
        goto fail;
    }
    if (sync_dir(dir) != 0)
        return failed(err, path, errno, "saved, but cannot sync directory '%s': %s", dir,
                      strerror(errno));
    return 0;

fail:;
    int saved = errno ? errno : EIO;
    if (fd >= 0) close(fd);
    unlink(tmp);
    return failed(err, path, saved, "cannot save (%s): %s; the old file is unchanged", step,
                  strerror(saved));
}

int fileio_write(const char *path, const char *data, size_t len, unsigned flags, nn_error *err)
{
    nn_error scratch;
    if (!err) err = &scratch;
    struct stat st;
    if (stat(path, &st) != 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))
        return fileio_replace(path, data, len, flags, err);
    /* Not blocking on a FIFO nobody reads: that is an error (ENXIO). */
    int fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return failed(err, path, errno, "cannot open: %s", strerror(errno));
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    int rc = write_all(fd, data, len);
    int saved = errno;
    if (close(fd) != 0 && rc == 0) {
        rc = -1;
        saved = errno;
    }
    if (rc != 0) return failed(err, path, saved, "write failed: %s", strerror(saved));
    return 0;
}
