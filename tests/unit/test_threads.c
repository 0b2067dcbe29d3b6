/* One engine shared by several threads: each repairs the same texts (in a
   different order, several times over) and must get exactly what a single
   thread gets.  Also run under ThreadSanitizer by `make tsan-tests`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errata.h"

#define THREADS 4
#define ROUNDS 3

/* Damaged sentences in the genres the swap tool hit, and clean ones. */
static const char *const texts[] = {
    "我们坚持原那么，全心全意为人民效劳，打好平安消费的根底。",
    "要深化开展科学开展观，推进经济社会又好又快开展。",
    "各单位要认真组织开展安全生产月活动，切实提高职工的安全意识。",
    "工程质量是建设工程的生命，施工单位必须严格执行国家标准。",
    "本学期，我校以课堂教学为中心，不断进步教学质量，获得了显著成绩。",
    "社区要加强综合治理，维护平安稳定，为居民提供优质效劳。",
    "只有坚持改革开放，才能实现经济的持续健康开展。",
    "消费者权益保护工作取得新进展，消费维权意识明显提高。",
    "今天天气很好，我们去公园散步。",
    "系统运行在Windovvs服务器上，使用Microsfot Office软件处理文档。",
    "第一章 总那么\n第一条 为了标准平安消费管理，制定本方法。\n",
};
#define TEXT_COUNT (sizeof texts / sizeof *texts)

static errata_engine *engine;

/* Everything a check and a fix give, as one string to compare. */
static char *describe(const char *text)
{
    errata_result *result = NULL;
    if (errata_check(engine, text, strlen(text), NULL, &result) != ERRATA_OK)
        return NULL;
    size_t cap = 4096, len = 0;
    char *out = malloc(cap);
    char *fixed = NULL;
    size_t fixed_len = 0;
    if (out && errata_result_apply(result, text, strlen(text), NULL, &fixed, &fixed_len) == ERRATA_OK)
        len += (size_t)snprintf(out, cap, "%s\n", fixed);
    for (size_t i = 0; out && i < errata_result_count(result) && len < cap; i++) {
        const errata_edit *e = errata_result_edit(result, i);
        len += (size_t)snprintf(out + len, cap - len, "%zu-%zu %s>%s %s %s %.9f\n", e->byte_start,
                                e->byte_end, e->old_text, e->new_text, e->rule,
                                errata_action_name(e->action), e->confidence);
    }
    errata_free(fixed);
    errata_result_free(result);
    return out;
}

/* The text round-tripped through GB18030, which must come back unchanged. */
static int encoding_round_trip(const char *text)
{
    char *gb = NULL, *back = NULL;
    size_t gb_len = 0, back_len = 0;
    errata_encoding detected = ERRATA_ENCODING_AUTO;
    int ok = errata_encode(text, strlen(text), ERRATA_ENCODING_GB18030, &gb, &gb_len) == ERRATA_OK &&
             errata_decode(gb, gb_len, ERRATA_ENCODING_AUTO, &back, &back_len, &detected) ==
                 ERRATA_OK &&
             detected == ERRATA_ENCODING_GB18030 && strcmp(back, text) == 0;
    errata_free(gb);
    errata_free(back);
    return ok;
}

static char *expected[TEXT_COUNT];

typedef struct {
    unsigned index;
    size_t mismatches;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    for (unsigned round = 0; round < ROUNDS; round++)
        for (size_t k = 0; k < TEXT_COUNT; k++) {
            size_t i = (k + w->index * 3 + round) % TEXT_COUNT;
            char *got = describe(texts[i]);
            w->mismatches += !got || strcmp(got, expected[i]) != 0;
            w->mismatches += !encoding_round_trip(texts[i]);
            free(got);
        }
    return NULL;
}

static int load_engine(void **state)
{
    (void)state;
    if (errata_engine_new(&engine, NULL) != ERRATA_OK)
        return -1;
    for (size_t i = 0; i < TEXT_COUNT; i++)
        if (!(expected[i] = describe(texts[i])))
            return -1;
    return 0;
}

static int free_engine(void **state)
{
    (void)state;
    for (size_t i = 0; i < TEXT_COUNT; i++)
        free(expected[i]);
    errata_engine_free(engine);
    return 0;
}

static void single_thread_finds_the_damage(void **state)
{
    (void)state;
    assert_non_null(strstr(expected[0], "我们坚持原则，全心全意为人民服务"));
    assert_non_null(strstr(expected[0], "原那么>原则"));
    assert_string_equal(expected[8], "今天天气很好，我们去公园散步。\n");
}

static void threads_sharing_an_engine_agree_with_one_thread(void **state)
{
    (void)state;
    pthread_t threads[THREADS];
    worker workers[THREADS];
    for (unsigned t = 0; t < THREADS; t++) {
        workers[t] = (worker){t, 0};
        assert_int_equal(pthread_create(&threads[t], NULL, work, &workers[t]), 0);
    }
    size_t mismatches = 0;
    for (unsigned t = 0; t < THREADS; t++) {
        assert_int_equal(pthread_join(threads[t], NULL), 0);
        mismatches += workers[t].mismatches;
    }
    assert_int_equal(mismatches, 0);
}

/* Each thread's error message is its own. */
typedef struct {
    const char *bad;
    char message[128];
} failing_call;

static void *fail_with_own_message(void *arg)
{
    failing_call *call = arg;
    char *out = NULL;
    size_t out_len = 0;
    for (int i = 0; i < 1000; i++)
        errata_decode(call->bad, strlen(call->bad), ERRATA_ENCODING_UTF8, &out, &out_len, NULL);
    snprintf(call->message, sizeof call->message, "%s", errata_error_message());
    return NULL;
}

static void error_messages_are_per_thread(void **state)
{
    (void)state;
    failing_call calls[2] = {{"x\xFF", ""}, {"xyz\xFF", ""}};
    pthread_t threads[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, fail_with_own_message, &calls[i]), 0);
    char *out = NULL;
    size_t out_len = 0;
    assert_int_equal(errata_decode("ab\xFF", 3, ERRATA_ENCODING_UTF8, &out, &out_len, NULL),
                     ERRATA_EENCODING);
    for (int i = 0; i < 2; i++)
        pthread_join(threads[i], NULL);
    assert_string_equal(calls[0].message, "invalid UTF-8 at byte offset 1");
    assert_string_equal(calls[1].message, "invalid UTF-8 at byte offset 3");
    assert_string_equal(errata_error_message(), "invalid UTF-8 at byte offset 2");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(single_thread_finds_the_damage),
        cmocka_unit_test(threads_sharing_an_engine_agree_with_one_thread),
        cmocka_unit_test(error_messages_are_per_thread),
    };
    return cmocka_run_group_tests(tests, load_engine, free_engine);
}
