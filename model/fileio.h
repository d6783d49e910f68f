/* Files on disk: a whole file read into memory, and the atomic replacement
 * every save goes through. A save writes a temporary file beside the real
 * target (the end of a chain of symbolic links, which stay links), keeps the
 * target's mode and, where permitted, its owner and group, syncs it, renames
 * it over the target and syncs the directory. Also what the explorer and
 * the command line check before writing: whether a path exists, names the
 * same file as another, or has several hard links; and "~/" expansion. */
#ifndef NNPART_FILEIO_H
#define NNPART_FILEIO_H

#include <stddef.h>

#include "common.h"

/* Reads the whole file (at most `max` bytes) into a new NUL-terminated
 * buffer. Refuses anything but a regular file (file_open_regular: a FIFO
 * would block). -1 with the reason in `err`. */
int fileio_read(const char *path, size_t max, char **text, size_t *len, nn_error *err);

/* fileio_replace's flags. */
enum {
    /* Replace a file that has other hard links: the other names keep the
     * old contents. Without it such a save is refused with FILEIO_LINKED. */
    FILEIO_SPLIT_LINKS = 1u << 0,
    /* Only create: refused with FILEIO_EXISTS when something is at `path`,
     * and the file is put in place by link(2), so that one appearing
     * meanwhile is not replaced either. */
    FILEIO_NEW = 1u << 1,
};
enum { FILEIO_LINKED = -2, FILEIO_EXISTS = -3 };

/* Atomically replaces (or creates) the file `path` resolves to with `len`
 * bytes of `data`. 0 on success; -1 (the old file is untouched, the reason
 * in `err`, errno that of the step that failed); FILEIO_LINKED (nothing
 * written) when the target has more than one hard link and
 * FILEIO_SPLIT_LINKS is not given; FILEIO_EXISTS (nothing written) with
 * FILEIO_NEW when the name is taken. */
int fileio_replace(const char *path, const char *data, size_t len, unsigned flags, nn_error *err);

/* fileio_replace for regular files (and names not yet taken); a device or
 * FIFO such as /dev/stdout is written in place, every write checked (it
 * replaces nothing, so FILEIO_NEW does not refuse it). */
int fileio_write(const char *path, const char *data, size_t len, unsigned flags, nn_error *err);

/* Follows symbolic links from `path` to the name that is finally written
 * (which need not exist yet). False (errno set) on a loop or a bad link. */
bool fileio_resolve(const char *path, char *out, size_t size);
/* Whether something exists at `path` (a dangling link counts). */
bool fileio_exists(const char *path);
/* Whether `path` is an existing regular file (through links). */
bool fileio_is_regular(const char *path);
/* Whether `path` is a directory (through links). */
bool fileio_is_dir(const char *path);
/* Whether both paths name the same existing file (device and inode). */
bool fileio_same(const char *a, const char *b);
/* Hard links of the existing file `path` resolves to; 0 when none. */
int fileio_links(const char *path);

/* "~" and "~/..." become $HOME (or the password database's home), "~user/"
 * that user's home; anything else is copied. False when the home is unknown
 * or the result does not fit. */
bool fileio_expand_home(const char *path, char *out, size_t size);

#endif
