/* Files on disk: a save writes through symbolic links (which stay links),
 * refuses to split hard links unless asked, keeps the mode and the owner,
 * writes devices in place with every write checked; "~" expands. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "fileio.h"
#include "helpers_io.h"

typedef struct dir {
    char path[64];
} dir;

static void dir_make(dir *d)
{
    snprintf(d->path, sizeof d->path, "/tmp/nnpart-fileio-XXXXXX");
    assert_non_null(mkdtemp(d->path));
}

static void dir_remove(dir *d)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", d->path);
    assert_int_equal(system(cmd), 0);
}

static void in_dir(const dir *d, const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", d->path, name);
}

static void assert_text(const char *path, const char *want)
{
    char *got = test_file_read(path, NULL);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void replace(const char *path, const char *text, unsigned flags)
{
    nn_error err;
    error_clear(&err);
    if (fileio_replace(path, text, strlen(text), flags, &err) != 0) fail_msg("%s", err.message);
}

static void test_symlinks_stay_links(void **state)
{
    (void)state;
    dir d;
    dir_make(&d);
    char target[128], link1[128], link2[128], sub[128];
    in_dir(&d, "sub", sub, sizeof sub);
    assert_int_equal(mkdir(sub, 0755), 0);
    in_dir(&d, "sub/real.yaml", target, sizeof target);
    in_dir(&d, "link.yaml", link1, sizeof link1);
    in_dir(&d, "chain.yaml", link2, sizeof link2);
    test_file_write(target, "old\n");
    /* A relative link, and a link to that link. */
    assert_int_equal(symlink("sub/real.yaml", link1), 0);
    assert_int_equal(symlink(link1, link2), 0);

    replace(link2, "new\n", 0);
    assert_text(target, "new\n");
    struct stat st;
    assert_int_equal(lstat(link1, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(lstat(link2, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    char resolved[256];
    assert_true(fileio_resolve(link2, resolved, sizeof resolved));
    assert_string_equal(resolved, target);
    /* The temporary file went into the target's directory and is gone. */
    char cmd[256];
    snprintf(cmd, sizeof cmd, "test $(ls -A '%s' | wc -l) = 1", sub);
    assert_int_equal(system(cmd), 0);

    /* A dangling link: the file it names is created, the link stays. */
    char dangling[128], made[128];
    in_dir(&d, "dangling.yaml", dangling, sizeof dangling);
    in_dir(&d, "sub/made.yaml", made, sizeof made);
    assert_int_equal(symlink("sub/made.yaml", dangling), 0);
    replace(dangling, "made\n", 0);
    assert_text(made, "made\n");
    assert_int_equal(lstat(dangling, &st), 0);
    assert_true(S_ISLNK(st.st_mode));

    /* A loop is refused with the reason. */
    char a[128], b[128];
    in_dir(&d, "a", a, sizeof a);
    in_dir(&d, "b", b, sizeof b);
    assert_int_equal(symlink(b, a), 0);
    assert_int_equal(symlink(a, b), 0);
    nn_error err;
    assert_int_equal(fileio_replace(a, "x", 1, 0, &err), -1);
    assert_non_null(strstr(err.message, "cannot save: cannot follow the link: Too many levels of "
                                        "symbolic links"));
    dir_remove(&d);
}

static void test_hard_links_are_split_only_when_asked(void **state)
{
    (void)state;
    dir d;
    dir_make(&d);
    char one[128], two[128];
    in_dir(&d, "one.yaml", one, sizeof one);
    in_dir(&d, "two.yaml", two, sizeof two);
    test_file_write(one, "shared\n");
    assert_int_equal(link(one, two), 0);
    assert_int_equal(fileio_links(one), 2);
    assert_true(fileio_same(one, two));

    nn_error err;
    assert_int_equal(fileio_replace(one, "mine\n", 5, 0, &err), FILEIO_LINKED);
    char want[512];
    snprintf(want, sizeof want,
             "%s: not saved: the file has 2 hard links; saving gives this name a new file and "
             "leaves the other 1 name with the old contents",
             one);
    assert_string_equal(err.message, want);
    assert_text(one, "shared\n");
    assert_text(two, "shared\n");

    replace(one, "mine\n", FILEIO_SPLIT_LINKS);
    assert_text(one, "mine\n");
    assert_text(two, "shared\n");
    assert_false(fileio_same(one, two));
    assert_int_equal(fileio_links(one), 1);
    dir_remove(&d);
}

static void test_mode_and_owner_are_kept(void **state)
{
    (void)state;
    dir d;
    dir_make(&d);
    char path[128], fresh[128];
    in_dir(&d, "kept.yaml", path, sizeof path);
    in_dir(&d, "fresh.yaml", fresh, sizeof fresh);
    test_file_write(path, "x\n");
    const mode_t modes[] = {0600, 0640, 0444, 0755, 02755};
    for (size_t i = 0; i < sizeof modes / sizeof *modes; i++) {
        assert_int_equal(chmod(path, modes[i]), 0);
        replace(path, "y\n", 0);
        struct stat st;
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_mode & 07777, modes[i]);
    }
    replace(fresh, "new\n", 0);
    struct stat st;
    assert_int_equal(stat(fresh, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0644);

    /* Root may keep another user's file theirs (and the set-group-ID bit,
     * which chown would clear, comes back with the mode). */
    if (geteuid() == 0) {
        assert_int_equal(chown(path, 12345, 23456), 0);
        assert_int_equal(chmod(path, 02640), 0);
        replace(path, "z\n", 0);
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_uid, 12345);
        assert_int_equal(st.st_gid, 23456);
        assert_int_equal(st.st_mode & 07777, 02640);
    } else {
        print_message("not root: the owner part is skipped\n");
    }
    dir_remove(&d);
}

static void test_special_targets(void **state)
{
    (void)state;
    dir d;
    dir_make(&d);
    nn_error err;
    /* A directory is not replaced by a save. */
    assert_int_equal(fileio_replace(d.path, "x", 1, 0, &err), -1);
    assert_non_null(strstr(err.message, "is not a regular file; nothing was written"));
    /* fileio_write writes a device in place, checking the write. */
    assert_int_equal(fileio_write("/dev/null", "x\n", 2, 0, &err), 0);
    assert_int_equal(fileio_write("/dev/full", "x\n", 2, 0, &err), -1);
    assert_string_equal(err.message, "/dev/full: write failed: No space left on device");
    /* A FIFO nobody reads is an error, not a hang. */
    char fifo[128];
    in_dir(&d, "fifo", fifo, sizeof fifo);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(fileio_write(fifo, "x\n", 2, 0, &err), -1);
    assert_non_null(strstr(err.message, "cannot open: No such device or address"));
    /* ... and is not read as a file either. */
    char *text;
    size_t len;
    assert_int_equal(fileio_read(fifo, 100, &text, &len, &err), -1);
    assert_non_null(strstr(err.message, "not a regular file (a FIFO)"));
    /* fileio_write onto a regular file is the atomic replace. */
    char plain[128];
    in_dir(&d, "plain", plain, sizeof plain);
    assert_int_equal(fileio_write(plain, "p\n", 2, 0, &err), 0);
    assert_text(plain, "p\n");
    assert_true(fileio_exists(plain) && fileio_is_regular(plain) && !fileio_is_dir(plain));
    assert_true(fileio_is_dir(d.path) && !fileio_is_regular(d.path));
    /* FILEIO_NEW only creates: a taken name (a dangling link too) is kept
     * and nothing else is left behind; a device is still written in place. */
    assert_int_equal(fileio_write(plain, "n\n", 2, FILEIO_NEW, &err), FILEIO_EXISTS);
    assert_text(plain, "p\n");
    char dangling[128], fresh[128];
    in_dir(&d, "dangling", dangling, sizeof dangling);
    assert_int_equal(symlink("nowhere", dangling), 0);
    assert_int_equal(fileio_replace(dangling, "n\n", 2, FILEIO_NEW, &err), FILEIO_EXISTS);
    char nowhere[128];
    in_dir(&d, "nowhere", nowhere, sizeof nowhere);
    assert_false(fileio_exists(nowhere));
    in_dir(&d, "fresh", fresh, sizeof fresh);
    assert_int_equal(fileio_write(fresh, "f\n", 2, FILEIO_NEW, &err), 0);
    assert_text(fresh, "f\n");
    assert_int_equal(fileio_links(fresh), 1);
    assert_int_equal(fileio_write("/dev/null", "x\n", 2, FILEIO_NEW, &err), 0);
    assert_int_equal(unlink(dangling), 0);
    assert_int_equal(unlink(fresh), 0);
    /* Too large is refused by the reader. */
    test_file_write(plain, "0123456789");
    assert_int_equal(fileio_read(plain, 5, &text, &len, &err), -1);
    assert_non_null(strstr(err.message, "file too large; at most 5 bytes accepted"));
    assert_int_equal(fileio_read(plain, 10, &text, &len, &err), 0);
    assert_int_equal(len, 10);
    assert_string_equal(text, "0123456789");
    free(text);
    dir_remove(&d);
}

static void expect_home(const char *in, const char *want)
{
    char out[512];
    assert_true(fileio_expand_home(in, out, sizeof out));
    assert_string_equal(out, want);
}

static void test_home_expands(void **state)
{
    (void)state;
    const char *old = getenv("HOME");
    char saved[512] = "";
    if (old) snprintf(saved, sizeof saved, "%s", old);

    setenv("HOME", "/home/someone", 1);
    expect_home("~", "/home/someone");
    expect_home("~/", "/home/someone/");
    expect_home("~/x.yaml", "/home/someone/x.yaml");
    expect_home("~/a/b.lp", "/home/someone/a/b.lp");
    expect_home("x/~/y", "x/~/y");
    expect_home("/abs/path", "/abs/path");
    expect_home("rel", "rel");
    setenv("HOME", "/home/slash/", 1);
    expect_home("~/x", "/home/slash/x");
    setenv("HOME", "/", 1);
    expect_home("~/x", "/x");
    expect_home("~root/x", "/root/x");
    /* Without $HOME, the password database says where home is. */
    unsetenv("HOME");
    char out[512];
    assert_true(fileio_expand_home("~/x", out, sizeof out));
    assert_true(out[0] == '/' && strstr(out, "/x") != NULL);
    assert_false(fileio_expand_home("~nosuchuser-nnpart/x", out, sizeof out));
    char tiny[4];
    setenv("HOME", "/home/someone", 1);
    assert_false(fileio_expand_home("~/x", tiny, sizeof tiny));
    if (old)
        setenv("HOME", saved, 1);
    else
        unsetenv("HOME");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_symlinks_stay_links),
        cmocka_unit_test(test_hard_links_are_split_only_when_asked),
        cmocka_unit_test(test_mode_and_owner_are_kept),
        cmocka_unit_test(test_special_targets),
        cmocka_unit_test(test_home_expands),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
