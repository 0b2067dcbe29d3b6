# errata selftest: the dictionaries' own examples.

test_selftest_passes_on_the_test_dictionary() {
    run "$ERRATA" selftest "${TEST_ENGINE[@]}"
    assert_status 0
    assert_stdout $'selftest: 1 example, 1 passed, 0 failed\n'
    assert_no_stderr
}

test_selftest_lists_failures_with_source_line() {
    cat >mine.dict <<'DICT'
errata-dict 1
# A passing fix example, a failing one, a failing keep example.
效劳	服务	user	U	fix=为人民效劳>为人民服务	fix=为人民效劳>为大家服务
原那么	原则	user	U	keep=原那么
DICT
    run "$ERRATA" selftest --no-default-dict --no-model --dict mine.dict
    assert_status 1
    assert_stdout <<'OUT'
mine.dict:3: fix example failed
  text:     为人民效劳
  expected: 为大家服务
  got:      为人民服务
mine.dict:4: keep example failed
  text:     原那么
  expected: 原那么
  got:      原则
selftest: 3 examples, 1 passed, 2 failed
OUT
    run "$ERRATA" selftest -q --no-default-dict --no-model --dict mine.dict
    assert_status 1
    assert_equal "$(wc -l <"$IO/out")" 8
}

test_selftest_several_dictionaries() {
    printf 'errata-dict 1\n效劳\t服务\tuser\tU\tfix=为人民效劳>为人民服务\n' >a.dict
    printf 'errata-dict 1\n原那么\t原则\tuser\tU\tfix=讲原那么>讲原则\tkeep=原则\n' >b.dict
    run "$ERRATA" selftest --no-default-dict --no-model --dict a.dict --dict b.dict
    assert_status 0
    assert_stdout $'selftest: 3 examples, 3 passed, 0 failed\n'
}

test_selftest_no_examples() {
    printf 'errata-dict 1\n效劳\t服务\tuser\tU\n' >a.dict
    run "$ERRATA" selftest --no-default-dict --no-model --dict a.dict
    assert_status 0
    assert_stdout $'selftest: 0 examples, 0 passed, 0 failed\n'
}

test_selftest_bad_dictionary() {
    printf 'errata-dict 1\n效劳\n' >bad.dict
    run "$ERRATA" selftest --dict bad.dict
    assert_status 2
    assert_no_stdout
    assert_contains "$IO/err" 'errata: bad.dict:2: '
}

# The built-in dictionaries' examples, with the built-in model.
test_selftest_built_in_dictionaries() {
    run "$ERRATA" selftest
    assert_status 0
    assert_contains "$IO/out" ' 0 failed'
}
