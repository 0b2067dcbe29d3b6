/* Whole files as errata fix reads and writes them: a file's bytes decoded
   with binary files told apart (errata_decode_file), and a batch repaired
   into its outputs (errata_fix_files), with a small dictionary and no model. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errata.h"
#include "dictionary_engine.h"

static const char dictionary[] =
    "errata-dict 1\n"
    "根底\t基础\tswap\tG\tkeep-next=下\n"
    "效劳\t服务\tswap\tG\tkeep-prev=有,无\n";

static const char damaged[] = "打下根底，有了效劳，根底牢\n";
static const char repaired[] = "打下基础，有了服务，基础牢\n";

/* ------------------------------------------------------------ decoding */

static void utf8_is_not_copied(void **state)
{
    (void)state;
    char *out = (char *)1;
    size_t len = 0, binary_at = 0;
    errata_encoding detected = ERRATA_ENCODING_AUTO;
    assert_int_equal(errata_decode_file(damaged, strlen(damaged), ERRATA_ENCODING_AUTO, &out, &len,
                                        &detected, &binary_at),
                     ERRATA_OK);
    assert_null(out);
    assert_int_equal(len, strlen(damaged));
    assert_int_equal(detected, ERRATA_ENCODING_UTF8);
    assert_int_equal(binary_at, SIZE_MAX);
}

static void other_encodings_are_decoded(void **state)
{
    (void)state;
    const char gbk[] = "\xb7\xa2\xd5\xb9"; /* 发展 */
    char *out = NULL;
    size_t len = 0, binary_at = 0;
    errata_encoding detected = ERRATA_ENCODING_AUTO;
    assert_int_equal(errata_decode_file(gbk, 4, ERRATA_ENCODING_AUTO, &out, &len, &detected,
                                        &binary_at),
                     ERRATA_OK);
    assert_string_equal(out, "发展");
    assert_int_equal(len, 6);
    assert_int_equal(detected, ERRATA_ENCODING_GB18030);
    errata_free(out);
}

static size_t binary_offset(const char *data, size_t len, errata_encoding encoding, int *rc)
{
    char *out = NULL;
    size_t out_len = 0, binary_at = 0;
    *rc = errata_decode_file(data, len, encoding, &out, &out_len, NULL, &binary_at);
    errata_free(out);
    return binary_at;
}

static void binary_files_are_told_from_undecodable_text(void **state)
{
    (void)state;
    int rc = 0;
    /* A control byte in what cannot be decoded: not text. */
    assert_int_equal(binary_offset("ab\x02\xff\xfe", 5, ERRATA_ENCODING_AUTO, &rc), 2);
    assert_int_equal(rc, ERRATA_EENCODING);
    assert_int_equal(binary_offset("\x89PNG\r\n\x1a\n\0\0", 10, ERRATA_ENCODING_AUTO, &rc), 8);
    /* Bytes in no encoding, without a control byte: text that cannot be decoded. */
    assert_int_equal(binary_offset("ab\xff\xff\xff", 5, ERRATA_ENCODING_AUTO, &rc), SIZE_MAX);
    assert_int_equal(rc, ERRATA_EENCODING);
    /* UTF-16 by its BOM, cut short: its NULs are text. */
    assert_int_equal(binary_offset("\xff\xfe" "a\0b", 5, ERRATA_ENCODING_AUTO, &rc), SIZE_MAX);
    assert_int_equal(rc, ERRATA_EENCODING);
    /* UTF-16LE without a BOM, one byte missing at its end. */
    assert_int_equal(binary_offset("a\0b\0c\0d\0e", 9, ERRATA_ENCODING_AUTO, &rc), SIZE_MAX);
    assert_int_equal(rc, ERRATA_EENCODING);
    /* Named as UTF-16: the same. */
    assert_int_equal(binary_offset("a\0b", 3, ERRATA_ENCODING_UTF16LE, &rc), SIZE_MAX);
    assert_int_equal(rc, ERRATA_EENCODING);
}

/* ------------------------------------------------------------ batches */

typedef struct {
    char dir[64];
    errata_engine *engine;
} fixture;

static char *path_in(const fixture *f, const char *name)
{
    char *path = NULL;
    assert_true(asprintf(&path, "%s/%s", f->dir, name) > 0);
    return path;
}

static void write_file(const fixture *f, const char *name, const char *data, size_t len)
{
    char *path = path_in(f, name);
    FILE *out = fopen(path, "wb");
    assert_non_null(out);
    assert_int_equal(fwrite(data, 1, len, out), len);
    assert_int_equal(fclose(out), 0);
    free(path);
}

/* The file's bytes (NUL-terminated), or NULL when it does not exist. */
static char *read_back(const fixture *f, const char *name, size_t *len)
{
    char *path = path_in(f, name);
    FILE *in = fopen(path, "rb");
    free(path);
    if (!in)
        return NULL;
    char *data = calloc(1, 1 << 16);
    assert_non_null(data);
    *len = fread(data, 1, (1 << 16) - 1, in);
    fclose(in);
    return data;
}

static void assert_file(const fixture *f, const char *name, const char *data, size_t len)
{
    size_t got_len = 0;
    char *got = read_back(f, name, &got_len);
    assert_non_null(got);
    assert_int_equal(got_len, len);
    assert_memory_equal(got, data, len);
    free(got);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    strcpy(f->dir, "/tmp/errata-test-files-XXXXXX");
    if (!f || !mkdtemp(f->dir))
        return -1;
    f->engine = engine_on_dictionary_text(dictionary, 1);
    *state = f;
    return 0;
}

static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *path = NULL;
        if (asprintf(&path, "%s/%s", dir, e->d_name) < 0)
            continue;
        if (e->d_type == DT_DIR)
            remove_tree(path);
        else
            unlink(path);
        free(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

static int teardown(void **state)
{
    fixture *f = *state;
    errata_engine_free(f->engine);
    remove_tree(f->dir);
    free(f);
    return 0;
}

static errata_file file_of(const fixture *f, const char *input, const char *output)
{
    errata_file file = {0};
    file.input = path_in(f, input);
    file.output = path_in(f, output);
    return file;
}

static void file_free(errata_file *file)
{
    free((char *)file->input);
    free((char *)file->output);
    errata_free(file->rules);
    errata_free(file->note);
}

static void files_are_repaired_into_their_outputs(void **state)
{
    fixture *f = *state;
    char *gb = NULL;
    size_t gb_len = 0;
    assert_int_equal(errata_encode(damaged, strlen(damaged), ERRATA_ENCODING_GB18030, &gb, &gb_len),
                     ERRATA_OK);
    write_file(f, "a.txt", damaged, strlen(damaged));
    write_file(f, "b.txt", gb, gb_len);
    write_file(f, "c.txt", "\xef\xbb\xbf" "照旧\n", 10); /* UTF-8 with a BOM, nothing to repair */
    errata_file files[] = {file_of(f, "a.txt", "out/a.txt"), file_of(f, "b.txt", "out/deep/b.txt"),
                           file_of(f, "c.txt", "out/c.txt")};
    assert_int_equal(errata_fix_files(f->engine, NULL, NULL, NULL, files, 3), ERRATA_OK);

    assert_int_equal(files[0].status, ERRATA_FILE_WRITTEN);
    assert_int_equal(files[0].changed, 1);
    assert_int_equal(files[0].bytes, strlen(damaged));
    assert_null(files[0].note);
    assert_int_equal(files[0].rule_count, 2);
    assert_string_equal(files[0].rules[0].rule, "swap/效劳>服务");
    assert_int_equal(files[0].rules[0].count, 1);
    assert_string_equal(files[0].rules[1].rule, "swap/根底>基础");
    assert_int_equal(files[0].rules[1].count, 2);
    assert_file(f, "out/a.txt", repaired, strlen(repaired));

    /* Written back in its own encoding, its directory made. */
    char *gb_repaired = NULL;
    size_t gb_repaired_len = 0;
    assert_int_equal(errata_encode(repaired, strlen(repaired), ERRATA_ENCODING_GB18030,
                                   &gb_repaired, &gb_repaired_len),
                     ERRATA_OK);
    assert_int_equal(files[1].status, ERRATA_FILE_WRITTEN);
    assert_int_equal(files[1].bytes, gb_len);
    assert_file(f, "out/deep/b.txt", gb_repaired, gb_repaired_len);

    /* Unchanged: its bytes as read, BOM and all. */
    assert_int_equal(files[2].status, ERRATA_FILE_WRITTEN);
    assert_int_equal(files[2].changed, 0);
    assert_null(files[2].rules);
    assert_int_equal(files[2].rule_count, 0);
    assert_file(f, "out/c.txt", "\xef\xbb\xbf" "照旧\n", 10);

    for (size_t i = 0; i < 3; i++)
        file_free(&files[i]);
    errata_free(gb);
    errata_free(gb_repaired);
}

static void options_reach_every_file(void **state)
{
    fixture *f = *state;
    write_file(f, "a.txt", damaged, strlen(damaged));
    errata_file files[] = {file_of(f, "a.txt", "a.out"), file_of(f, "a.txt", "b.out")};
    errata_check_options check = ERRATA_CHECK_OPTIONS_INIT;
    check.disabled_rules = "swap/根底>基础";
    errata_fix_files_options opts = ERRATA_FIX_FILES_OPTIONS_INIT;
    opts.output_encoding = ERRATA_ENCODING_UTF16LE_BOM;
    assert_int_equal(errata_fix_files(f->engine, NULL, &check, &opts, files, 1), ERRATA_OK);
    const char *expected = "打下根底，有了服务，根底牢\n";
    char *utf16 = NULL;
    size_t utf16_len = 0;
    assert_int_equal(errata_encode(expected, strlen(expected), ERRATA_ENCODING_UTF16LE_BOM, &utf16,
                                   &utf16_len),
                     ERRATA_OK);
    assert_int_equal(files[0].rule_count, 1);
    assert_file(f, "a.out", utf16, utf16_len);
    errata_free(utf16);

    /* Proposals applied too: below a threshold of 0.99 every edit is one. */
    check.disabled_rules = NULL;
    check.apply_threshold = 0.99;
    opts = (errata_fix_files_options)ERRATA_FIX_FILES_OPTIONS_INIT;
    assert_int_equal(errata_fix_files(f->engine, NULL, &check, &opts, files + 1, 1), ERRATA_OK);
    assert_int_equal(files[1].changed, 0);
    opts.apply_proposed = 1;
    errata_scratch *scratch = NULL;
    assert_int_equal(errata_scratch_new(f->engine, &scratch), ERRATA_OK);
    assert_int_equal(errata_fix_files(f->engine, scratch, &check, &opts, files + 1, 1), ERRATA_OK);
    assert_int_equal(files[1].changed, 1);
    assert_int_equal(files[1].rule_count, 2);
    assert_file(f, "b.out", repaired, strlen(repaired));
    errata_scratch_free(scratch);
    for (size_t i = 0; i < 2; i++)
        file_free(&files[i]);
}

static void files_that_are_not_documents_are_noted(void **state)
{
    fixture *f = *state;
    write_file(f, "binary.dat", "ab\x02\x03\xff", 5);
    write_file(f, "bad.txt", "ab\xff\xff\xff", 5);
    write_file(f, "data.txt", "{\"text\": \"根底\"}\n", 19);
    errata_file files[] = {file_of(f, "binary.dat", "out/binary.dat"),
                           file_of(f, "bad.txt", "out/bad.txt"),
                           file_of(f, "data.txt", "out/data.txt"),
                           file_of(f, "data.txt", "out/named.txt"),
                           file_of(f, "missing.txt", "out/missing.txt")};
    files[3].any_text = 1;
    assert_int_equal(errata_fix_files(f->engine, NULL, NULL, NULL, files, 5), ERRATA_OK);

    assert_int_equal(files[0].status, ERRATA_FILE_SKIPPED);
    assert_string_equal(files[0].note, "skipped: not a text file (byte 0x02 at offset 2)");
    assert_int_equal(files[0].bytes, 5);
    assert_int_equal(files[1].status, ERRATA_FILE_FAILED);
    assert_string_equal(files[1].note, "cannot decode, left alone: neither UTF-8 nor GB18030: "
                                       "invalid UTF-8 at byte offset 2, invalid GB18030 at "
                                       "byte offset 2");
    assert_int_equal(files[2].status, ERRATA_FILE_SKIPPED);
    assert_string_equal(files[2].note, "skipped: JSON, not a document");
    /* Named as a document, it is repaired whatever its text starts as. */
    assert_int_equal(files[3].status, ERRATA_FILE_WRITTEN);
    assert_int_equal(files[3].rule_count, 1);
    assert_file(f, "out/named.txt", "{\"text\": \"基础\"}\n", 19);
    assert_int_equal(files[4].status, ERRATA_FILE_FAILED);
    assert_string_equal(files[4].note, "cannot read: No such file or directory");
    assert_int_equal(files[4].bytes, 0);

    size_t len = 0;
    assert_null(read_back(f, "out/binary.dat", &len));
    assert_null(read_back(f, "out/bad.txt", &len));
    assert_null(read_back(f, "out/data.txt", &len));
    for (size_t i = 0; i < 5; i++)
        file_free(&files[i]);
}

static void an_output_that_cannot_be_written_fails_alone(void **state)
{
    fixture *f = *state;
    write_file(f, "a.txt", damaged, strlen(damaged));
    write_file(f, "blocker", "x", 1);
    errata_file files[] = {file_of(f, "a.txt", "blocker/a.txt"), file_of(f, "a.txt", "a.out")};
    assert_int_equal(errata_fix_files(f->engine, NULL, NULL, NULL, files, 2), ERRATA_OK);
    assert_int_equal(files[0].status, ERRATA_FILE_FAILED);
    char *expected = NULL;
    assert_true(asprintf(&expected, "cannot write %s: Not a directory", files[0].output) > 0);
    assert_string_equal(files[0].note, expected);
    assert_null(files[0].rules); /* a file not written counts no edits */
    assert_int_equal(files[0].changed, 0);
    assert_int_equal(files[1].status, ERRATA_FILE_WRITTEN);
    assert_file(f, "a.out", repaired, strlen(repaired));
    /* Nothing else left in the folder: no temporary file. */
    DIR *d = opendir(f->dir);
    size_t entries = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        entries += e->d_name[0] != '.';
    closedir(d);
    assert_int_equal(entries, 3);
    free(expected);
    for (size_t i = 0; i < 2; i++)
        file_free(&files[i]);
}

static void bad_arguments_fail_before_any_file(void **state)
{
    fixture *f = *state;
    errata_file files[] = {file_of(f, "a.txt", "a.out"), {0}};
    assert_int_equal(errata_fix_files(NULL, NULL, NULL, NULL, files, 1), ERRATA_EINVAL);
    assert_int_equal(errata_fix_files(f->engine, NULL, NULL, NULL, files, 2), ERRATA_EINVAL);
    assert_string_equal(errata_error_message(), "errata_fix_files: file 1 has no input or output");
    errata_fix_files_options opts = ERRATA_FIX_FILES_OPTIONS_INIT;
    opts.version = 99;
    assert_int_equal(errata_fix_files(f->engine, NULL, NULL, &opts, files, 1), ERRATA_EINVAL);
    assert_int_equal(errata_fix_files(f->engine, NULL, NULL, NULL, NULL, 0), ERRATA_OK);
    size_t len = 0;
    assert_null(read_back(f, "a.out", &len));
    file_free(&files[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8_is_not_copied),
        cmocka_unit_test(other_encodings_are_decoded),
        cmocka_unit_test(binary_files_are_told_from_undecodable_text),
        cmocka_unit_test_setup_teardown(files_are_repaired_into_their_outputs, setup, teardown),
        cmocka_unit_test_setup_teardown(options_reach_every_file, setup, teardown),
        cmocka_unit_test_setup_teardown(files_that_are_not_documents_are_noted, setup, teardown),
        cmocka_unit_test_setup_teardown(an_output_that_cannot_be_written_fails_alone, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(bad_arguments_fail_before_any_file, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
