/* The explorer's files, driven by keys: s keeps the opened text as written
 * except for the edit; S onto an existing file and w onto an existing file
 * ask first; w never writes over the scenario; "~/" expands; a file with
 * other hard links is only split after a yes, one changed on disk since it
 * was read only replaced after a yes; a text that cannot be patched is saved
 * fresh and the footer says so. */
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

#include "explorer.h"
#include "helpers_io.h"
#include "scenario_io.h"

typedef struct tmp {
    char dir[64];
} tmp;

static void tmp_make(tmp *t)
{
    snprintf(t->dir, sizeof t->dir, "/tmp/nnpart-tuifiles-XXXXXX");
    assert_non_null(mkdtemp(t->dir));
}

static void tmp_path(const tmp *t, const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", t->dir, name);
}

static void tmp_remove(tmp *t)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->dir);
    assert_int_equal(system(cmd), 0);
}

static void copy_file(const char *from, const char *to)
{
    char *text = test_file_read(from, NULL);
    assert_non_null(text);
    test_file_write(to, text);
    free(text);
}

static void open_file(explorer *ex, const char *path)
{
    nn_scenario s;
    nn_error err;
    if (scenario_load_file(path, &s, &err) != 0) fail_msg("%s", err.message);
    assert_int_equal(explorer_init(ex, &s, path), 0);
}

static unsigned type(explorer *ex, const char *text)
{
    unsigned eff = 0;
    for (const char *p = text; *p; p++)
        eff |= explorer_key(ex, (unsigned char)*p);
    return eff;
}

/* Opens a prompt with `key`, replaces its text with `text`, presses Enter. */
static unsigned prompt(explorer *ex, int key, const char *text)
{
    explorer_key(ex, key);
    assert_int_equal(ex->modal, MODAL_INPUT);
    explorer_key(ex, EXK_CTRL('u'));
    type(ex, text);
    return explorer_key(ex, EXK_ENTER);
}

/* Lines of a text, for comparing files line by line. */
static int split(char *text, char **line, int max)
{
    int n = 0;
    for (char *p = text; *p && n < max;) {
        line[n++] = p;
        char *nl = strchr(p, '\n');
        if (!nl) break;
        *nl = '\0';
        p = nl + 1;
    }
    return n;
}

static void test_save_keeps_the_file_as_written(void **state)
{
    (void)state;
    tmp t;
    tmp_make(&t);
    char path[128];
    tmp_path(&t, "gpt2-home.yaml", path, sizeof path);
    copy_file("configs/gpt2-home.yaml", path);
    explorer ex;
    open_file(&ex, path);
    /* The first link (phone - laptop, a wifi preset) at half its bandwidth,
     * and the next mode. */
    assert_int_equal(ex.pane, PANE_LINKS);
    assert_int_equal(ex.row[PANE_LINKS], 0);
    explorer_key(&ex, '-');
    explorer_key(&ex, 'm');
    assert_true(explorer_unsaved(&ex));
    explorer_key(&ex, 's');
    assert_int_equal(ex.modal, MODAL_NONE);
    assert_false(ex.msg_error);
    char want_msg[256];
    snprintf(want_msg, sizeof want_msg, "saved to %s", path);
    assert_string_equal(ex.msg, want_msg);
    assert_false(explorer_unsaved(&ex));

    char *before = test_file_read("configs/gpt2-home.yaml", NULL),
         *after = test_file_read(path, NULL);
    char *o[128], *s[128];
    int no = split(before, o, 128), ns = split(after, s, 128);
    assert_int_equal(ns, no + 1);
    int k = 0;
    while (k < no && strcmp(o[k], "  - between: [phone, laptop]") != 0)
        k++;
    assert_true(k < no);
    for (int i = 0; i < no; i++) {
        int j = i < k + 2 ? i : i + 1;
        if (strncmp(o[i], "mode: ", 6) == 0)
            assert_string_equal(s[j], "mode: preload");
        else
            assert_string_equal(s[j], o[i]); /* comments and presets too */
    }
    assert_string_equal(s[k + 1], "    preset: wifi");
    assert_int_equal(strncmp(s[k + 2], "    bandwidth: ", 15), 0);
    free(before);
    free(after);

    /* What was saved is what is shown, and saving again changes nothing. */
    nn_scenario back;
    nn_error err;
    char why[256];
    assert_int_equal(scenario_load_file(path, &back, &err), 0);
    if (!scenario_equal(&back, &ex.doc, why, sizeof why)) fail_msg("%s", why);
    scenario_free(&back);
    char *first = test_file_read(path, NULL);
    explorer_key(&ex, 's');
    char *second = test_file_read(path, NULL);
    assert_string_equal(first, second);
    free(first);
    free(second);
    explorer_free(&ex);
    tmp_remove(&t);
}

static void test_save_as_asks_before_replacing(void **state)
{
    (void)state;
    tmp t;
    tmp_make(&t);
    char path[128], other[128];
    tmp_path(&t, "worked.yaml", path, sizeof path);
    tmp_path(&t, "precious.yaml", other, sizeof other);
    copy_file("configs/worked-example.yaml", path);
    test_file_write(other, "precious\n");
    explorer ex;
    open_file(&ex, path);
    explorer_key(&ex, 'm');

    prompt(&ex, 'S', other);
    assert_int_equal(ex.modal, MODAL_CONFIRM);
    assert_int_equal(ex.confirm_kind, CONFIRM_REPLACE_FILE);
    char want[256];
    snprintf(want, sizeof want, "%s exists. Replace it? (y/n)", other);
    assert_string_equal(ex.confirm_text, want);
    explorer_key(&ex, 'n');
    assert_int_equal(ex.modal, MODAL_NONE);
    snprintf(want, sizeof want, "not saved: %s is unchanged", other);
    assert_string_equal(ex.msg, want);
    char *text = test_file_read(other, NULL);
    assert_string_equal(text, "precious\n");
    free(text);
    assert_string_equal(ex.path, path);
    assert_true(explorer_unsaved(&ex));

    prompt(&ex, 'S', other);
    assert_int_equal(ex.modal, MODAL_CONFIRM);
    explorer_key(&ex, 'y');
    assert_int_equal(ex.modal, MODAL_NONE);
    assert_string_equal(ex.path, other);
    assert_false(explorer_unsaved(&ex));
    /* The copy keeps the opened file's comments. */
    text = test_file_read(other, NULL);
    assert_non_null(strstr(text, "# MODEL.md's worked example: two devices, three layers.\n"));
    free(text);

    /* Saving as the file itself (by another name for it) needs no question. */
    char link[128];
    tmp_path(&t, "alias.yaml", link, sizeof link);
    assert_int_equal(symlink(other, link), 0);
    explorer_key(&ex, 'm');
    prompt(&ex, 'S', link);
    assert_int_equal(ex.modal, MODAL_NONE);
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode)); /* written through, still a link */
    nn_scenario back;
    nn_error err;
    assert_int_equal(scenario_load_file(other, &back, &err), 0);
    assert_int_equal(back.mode, ex.doc.mode);
    scenario_free(&back);
    explorer_free(&ex);
    tmp_remove(&t);
}

static void test_write_lp_never_over_the_scenario(void **state)
{
    (void)state;
    tmp t;
    tmp_make(&t);
    char path[128], link[128], notes[128], fresh[128];
    tmp_path(&t, "worked.yaml", path, sizeof path);
    tmp_path(&t, "link.yaml", link, sizeof link);
    tmp_path(&t, "notes.txt", notes, sizeof notes);
    tmp_path(&t, "model.lp", fresh, sizeof fresh);
    copy_file("configs/worked-example.yaml", path);
    assert_int_equal(symlink(path, link), 0);
    test_file_write(notes, "notes\n");
    explorer ex;
    open_file(&ex, path);

    const char *same[] = {path, link};
    for (int i = 0; i < 2; i++) {
        unsigned eff = prompt(&ex, 'w', same[i]);
        assert_false(eff & EFFECT_WRITE_LP);
        assert_int_equal(ex.modal, MODAL_INPUT);
        char want[512];
        snprintf(want, sizeof want,
                 "refused: %s is the scenario being edited; write the LP to another file", same[i]);
        assert_string_equal(ex.input_error, want);
        explorer_key(&ex, EXK_ESC);
    }
    char *text = test_file_read(path, NULL),
         *orig = test_file_read("configs/worked-example.yaml", NULL);
    assert_string_equal(text, orig);
    free(text);
    free(orig);

    unsigned eff = prompt(&ex, 'w', notes);
    assert_false(eff & EFFECT_WRITE_LP);
    assert_int_equal(ex.modal, MODAL_CONFIRM);
    assert_int_equal(ex.confirm_kind, CONFIRM_REPLACE_LP);
    char want[256];
    snprintf(want, sizeof want, "%s exists. Replace it with the LP? (y/n)", notes);
    assert_string_equal(ex.confirm_text, want);
    eff = explorer_key(&ex, 'n');
    assert_false(eff & EFFECT_WRITE_LP);
    snprintf(want, sizeof want, "the LP was not written: %s is unchanged", notes);
    assert_string_equal(ex.msg, want);
    prompt(&ex, 'w', notes);
    eff = explorer_key(&ex, 'y');
    assert_true(eff & EFFECT_WRITE_LP);
    assert_string_equal(ex.lp_path, notes);
    assert_true(ex.lp_force); /* yes: the worker may replace it */

    /* A new file is written without a question. */
    eff = prompt(&ex, 'w', fresh);
    assert_true(eff & EFFECT_WRITE_LP);
    assert_int_equal(ex.modal, MODAL_NONE);
    assert_string_equal(ex.lp_path, fresh);
    assert_false(ex.lp_force); /* one that appears meanwhile is not replaced */
    explorer_free(&ex);
    tmp_remove(&t);
}

static void test_home_in_typed_paths(void **state)
{
    (void)state;
    tmp t;
    tmp_make(&t);
    const char *old = getenv("HOME");
    char saved[512] = "";
    if (old) snprintf(saved, sizeof saved, "%s", old);
    setenv("HOME", t.dir, 1);
    char path[128], want[128];
    tmp_path(&t, "worked.yaml", path, sizeof path);
    copy_file("configs/worked-example.yaml", path);
    explorer ex;
    open_file(&ex, path);

    prompt(&ex, 'S', "~/home.yaml");
    tmp_path(&t, "home.yaml", want, sizeof want);
    assert_int_equal(ex.modal, MODAL_NONE);
    assert_string_equal(ex.path, want);
    assert_int_equal(access(want, R_OK), 0);

    unsigned eff = prompt(&ex, 'w', "~/x.lp");
    assert_true(eff & EFFECT_WRITE_LP);
    tmp_path(&t, "x.lp", want, sizeof want);
    assert_string_equal(ex.lp_path, want);

    /* "~" alone is the home directory itself: not a file to save over. */
    prompt(&ex, 'S', "~");
    assert_int_equal(ex.modal, MODAL_INPUT);
    assert_non_null(strstr(ex.input_error, "is not a regular file; nothing was written"));
    explorer_key(&ex, EXK_ESC);
    prompt(&ex, 'S', "~nosuchuser-nnpart/x.yaml");
    assert_int_equal(ex.modal, MODAL_INPUT);
    assert_string_equal(ex.input_error, "cannot expand '~nosuchuser-nnpart/x.yaml': no such user "
                                        "or no home directory");
    explorer_free(&ex);
    if (old)
        setenv("HOME", saved, 1);
    else
        unsetenv("HOME");
    tmp_remove(&t);
}

static void test_hard_links_split_only_after_yes(void **state)
{
    (void)state;
    tmp t;
    tmp_make(&t);
    char path[128], twin[128];
    tmp_path(&t, "worked.yaml", path, sizeof path);
    tmp_path(&t, "twin.yaml", twin, sizeof twin);
    copy_file("configs/worked-example.yaml", path);
    assert_int_equal(link(path, twin), 0);
    char *orig = test_file_read(path, NULL);
    explorer ex;
    open_file(&ex, path);
    explorer_key(&ex, 'm');
    explorer_key(&ex, 's');
    assert_int_equal(ex.modal, MODAL_CONFIRM);
    assert_int_equal(ex.confirm_kind, CONFIRM_SPLIT_LINKS);
    assert_non_null(strstr(ex.confirm_text, "has 2 hard links: saving gives this name its own "
                                            "copy and leaves the others as they are. Save? (y/n)"));
    explorer_key(&ex, 'n');
    assert_true(explorer_unsaved(&ex));
    char *now = test_file_read(path, NULL);
    assert_string_equal(now, orig);
    free(now);

    explorer_key(&ex, 's');
    explorer_key(&ex, 'y');
    assert_false(explorer_unsaved(&ex));
    now = test_file_read(twin, NULL);
    assert_string_equal(now, orig); /* the other name keeps the old text */
    free(now);
    now = test_file_read(path, NULL);
    assert_string_not_equal(now, orig);
    free(now);
    free(orig);
    explorer_free(&ex);
    tmp_remove(&t);
}

static void test_unpatchable_text_is_said(void **state)
{
    (void)state;
    tmp t;
    tmp_make(&t);
    char path[128];
    tmp_path(&t, "flow.yaml", path, sizeof path);
    test_file_write(path, "{network: alexnet, devices: [{name: a, speed: 1 GFLOP/s, memory: 1 GB, "
                          "load_rate: 1 GB/s}]}  # one line\n");
    explorer ex;
    open_file(&ex, path);
    explorer_key(&ex, 'm');
    explorer_key(&ex, 's');
    assert_true(ex.msg_error);
    char want[512];
    snprintf(want, sizeof want,
             "saved to %s; written in nnpart's layout (the old comments and presets are gone): "
             "a new top-level key has no place in a flow mapping",
             path);
    assert_string_equal(ex.msg, want);
    assert_false(explorer_unsaved(&ex));
    explorer_free(&ex);
    tmp_remove(&t);
}

static void test_changes_on_disk_are_not_overwritten_silently(void **state)
{
    (void)state;
    tmp t;
    tmp_make(&t);
    char path[128];
    tmp_path(&t, "worked.yaml", path, sizeof path);
    copy_file("configs/worked-example.yaml", path);
    explorer ex;
    open_file(&ex, path);
    explorer_key(&ex, 'm');
    /* Someone else edits the file meanwhile. */
    char *theirs = test_file_read(path, NULL);
    char *edited = malloc(strlen(theirs) + 32);
    assert_non_null(edited);
    sprintf(edited, "# their note\n%s", theirs);
    test_file_write(path, edited);

    explorer_key(&ex, 's');
    assert_int_equal(ex.modal, MODAL_CONFIRM);
    assert_int_equal(ex.confirm_kind, CONFIRM_CHANGED_ON_DISK);
    char want[512];
    snprintf(want, sizeof want,
             "%s changed on disk since it was read. Replace it with this version? (y/n)", path);
    assert_string_equal(ex.confirm_text, want);
    explorer_key(&ex, 'n');
    assert_true(explorer_unsaved(&ex));
    char *now = test_file_read(path, NULL);
    assert_string_equal(now, edited);
    free(now);

    explorer_key(&ex, 's');
    explorer_key(&ex, 'y');
    assert_int_equal(ex.modal, MODAL_NONE);
    assert_false(explorer_unsaved(&ex));
    nn_scenario back;
    nn_error err;
    assert_int_equal(scenario_load_file(path, &back, &err), 0);
    assert_int_equal(back.mode, ex.doc.mode);
    scenario_free(&back);
    /* Its own save is not a change on disk: the next s asks nothing. */
    explorer_key(&ex, 'm');
    explorer_key(&ex, 's');
    assert_int_equal(ex.modal, MODAL_NONE);
    assert_false(explorer_unsaved(&ex));
    free(theirs);
    free(edited);
    explorer_free(&ex);
    tmp_remove(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_save_keeps_the_file_as_written),
        cmocka_unit_test(test_save_as_asks_before_replacing),
        cmocka_unit_test(test_write_lp_never_over_the_scenario),
        cmocka_unit_test(test_home_in_typed_paths),
        cmocka_unit_test(test_hard_links_split_only_after_yes),
        cmocka_unit_test(test_unpatchable_text_is_said),
        cmocka_unit_test(test_changes_on_disk_are_not_overwritten_silently),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
