# The real damaged sample, repaired with the defaults (built-in dictionaries
# and model), must come out as the reviewed expected text.

test_wenku_sample_fixed_with_defaults() {
    local expected="$DATA/wenku-sample.fixed.txt"
    [[ -f $expected ]] || fail "$expected is missing"
    run "$ERRATA" fix -q "$DATA/../../../corpus/wenku-sample.txt"
    assert_status 0
    assert_no_stderr
    assert_files_equal "$IO/out" "$expected"
}

test_wenku_sample_from_stdin_and_in_place_agree() {
    cp "$DATA/../../../corpus/wenku-sample.txt" sample.txt
    "$ERRATA" fix -q <sample.txt >from-stdin.txt || fail "fix from standard input failed"
    run "$ERRATA" fix -q --in-place sample.txt
    assert_status 0
    assert_files_equal sample.txt from-stdin.txt
}
