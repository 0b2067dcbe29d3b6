/* The readers of edit lists (errata apply, review --edits) and of review
   sidecars (resuming errata review), on arbitrary text.  The first byte
   chooses which (even: an edit list, odd: a sidecar); the rest is the file.
   A sidecar gets a right header line first (the fuzzer could not forge its
   hash), so its answers are replayed onto the proposals errata makes for a
   small document.
   Invariants, edit list: a refusal is reported; every edit read has
   byte_start <= byte_end and its strings; the check of an edit against the
   document agrees with the document's bytes; the edits that pass, applied,
   give a text of the expected length (or are refused as overlapping).
   Sidecar: a refusal has a message; after a replay every answered item's
   step is at most the file's last step, every undo step names items that
   exist, and the accepted and edited items apply to the document. */
#include "fuzz.h"
#include "review.h"

static errata_engine *engine;
static const char document[] = "为人民效劳，坚持原那么。\n第 3 页\n推进科学开展观。\n";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    engine = fuzz_engine();
    return 0;
}

static void write_file(const char *path, const char *a, size_t a_len, const char *b, size_t b_len)
{
    FILE *f = fopen(path, "wb");
    FUZZ_CHECK(f && fwrite(a, 1, a_len, f) == a_len && fwrite(b, 1, b_len, f) == b_len &&
                   fclose(f) == 0,
               "cannot write %s", path);
}

static int by_start(const void *pa, const void *pb)
{
    const errata_edit *a = pa, *b = pb;
    return a->byte_start < b->byte_start ? -1 : a->byte_start > b->byte_start;
}

static void check_edit_list(const char *path)
{
    errata_review_jsonl list;
    if (errata_review_jsonl_load(path, &list) != 0) {
        FUZZ_CHECK(list.count == 0 && list.items == NULL, "a refused list kept its items");
        return;
    }
    size_t len = sizeof document - 1, passed = 0;
    long growth = 0;
    errata_edit *edits = calloc(list.count + 1, sizeof *edits);
    FUZZ_CHECK(edits, "calloc");
    for (size_t i = 0; i < list.count; i++) {
        const errata_edit *e = &list.items[i].edit;
        FUZZ_CHECK(e->byte_start <= e->byte_end && list.items[i].file && e->old_text &&
                       e->new_text && e->rule && e->reason,
                   "edit %zu", i);
        size_t n = e->byte_end - e->byte_start;
        int matches = e->byte_end <= len && strlen(e->old_text) == n &&
                      memcmp(document + e->byte_start, e->old_text, n) == 0;
        FUZZ_CHECK((errata_review_jsonl_verify(&list, &list.items[i], document, len) == 0) ==
                       matches,
                   "verify disagrees with the document on edit %zu", i);
        if (matches) {
            edits[passed++] = *e;
            growth += (long)strlen(e->new_text) - (long)n;
        }
    }
    qsort(edits, passed, sizeof *edits, by_start);
    char *out = NULL;
    size_t out_len = 0;
    int rc = errata_apply(document, len, edits, passed, &out, &out_len);
    FUZZ_CHECK(rc == ERRATA_OK ? (long)out_len == (long)len + growth : rc == ERRATA_EINVAL,
               "apply %d", rc);
    errata_free(out);
    free(edits);
    errata_review_jsonl_free(&list);
}

/* One file under review: the document, errata's proposals for it. */
static void open_review(errata_review_session *session, const char *doc_path)
{
    session->files = calloc(1, sizeof *session->files);
    FUZZ_CHECK(session->files, "calloc");
    session->file_count = 1;
    errata_review_file *file = &session->files[0];
    file->sidecar_fd = -1;
    file->path = strdup(doc_path);
    file->sidecar_path = errata_review_sidecar_path(doc_path);
    FUZZ_CHECK(errata_cli_read_document(doc_path, ERRATA_ENCODING_AUTO, &file->doc) == 0,
               "read %s", doc_path);
    file->hash = errata_review_hash(file->doc.raw.data, file->doc.raw.len);
    errata_check_options opts = ERRATA_CHECK_OPTIONS_INIT;
    errata_result *result = NULL;
    FUZZ_CHECK(errata_check(engine, file->doc.text, file->doc.len, &opts, &result) == ERRATA_OK,
               "check");
    for (size_t i = 0; i < errata_result_count(result); i++)
        FUZZ_CHECK(errata_review_file_add_item(file, errata_result_edit(result, i)) == 0, "item");
    errata_result_free(result);
}

static void check_sidecar(const char *doc_path, const char *answers, size_t len)
{
    write_file(doc_path, document, sizeof document - 1, "", 0);
    errata_review_session session = {0};
    open_review(&session, doc_path);
    errata_review_file *file = &session.files[0];
    char header[256];
    int n = snprintf(header, sizeof header,
                     "{\"errata_review\":1,\"file\":\"doc.txt\",\"bytes\":%zu,\"fnv1a64\":\"%016llx\"}\n",
                     file->doc.raw.len, (unsigned long long)file->hash);
    write_file(file->sidecar_path, header, (size_t)n, answers, len);
    char err[256] = "";
    if (errata_review_sidecar_load(&session, 0, err, sizeof err) != 0) {
        FUZZ_CHECK(*err, "a refusal without a message");
    } else {
        for (size_t i = 0; i < file->count; i++)
            FUZZ_CHECK(file->items[i].step <= file->last_step &&
                           file->items[i].state <= ERRATA_REVIEW_SEEN &&
                           (file->items[i].state != ERRATA_REVIEW_EDITED ||
                            file->items[i].replacement),
                       "item %zu", i);
        for (size_t s = 0; s < session.step_count; s++)
            for (size_t r = 0; r < session.steps[s].count; r++)
                FUZZ_CHECK(session.steps[s].refs[r].file == 0 &&
                               session.steps[s].refs[r].item < file->count,
                           "step %zu", s);
        char *out = NULL;
        size_t out_len = 0;
        FUZZ_CHECK(errata_review_file_result(file, &out, &out_len) == ERRATA_OK, "result: %s",
                   errata_error_message());
        errata_free(out);
    }
    unlink(file->sidecar_path);
    errata_review_session_clear(&session);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    char dir[64];
    fuzz_temp_template(dir, sizeof dir, "edits");
    FUZZ_CHECK(mkdtemp(dir), "mkdtemp");
    char path[sizeof dir + 16];
    if (data[0] & 1) {
        snprintf(path, sizeof path, "%s/doc.txt", dir);
        check_sidecar(path, (const char *)data + 1, size - 1);
    } else {
        snprintf(path, sizeof path, "%s/edits.jsonl", dir);
        write_file(path, (const char *)data + 1, size - 1, "", 0);
        check_edit_list(path);
    }
    unlink(path);
    rmdir(dir);
    return 0;
}
