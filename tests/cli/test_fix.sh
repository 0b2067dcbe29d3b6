# errata fix: standard input and output, files, -o, the note on proposals.

test_fix_stdin_to_stdout() {
    run_test_engine fix <"$DATA/two.txt"
    assert_status 0
    assert_stdout <<'EOF'
我们坚持原则，为人民服务。
打好基础，站在大树根底下。
EOF
    assert_no_stderr
}

test_fix_dash_is_stdin() {
    run_test_engine fix - <"$DATA/two.txt"
    assert_status 0
    assert_contains "$IO/out" '我们坚持原则，为人民服务。'
}

test_fix_file_to_stdout_leaves_file_alone() {
    cp "$DATA/two.txt" in.txt
    run_test_engine fix in.txt
    assert_status 0
    assert_stdout <<'EOF'
我们坚持原则，为人民服务。
打好基础，站在大树根底下。
EOF
    assert_files_equal in.txt "$DATA/two.txt"
}

test_fix_several_files_in_order() {
    run_test_engine fix "$DATA/clean.txt" "$DATA/two.txt" "$DATA/clean.txt"
    assert_status 0
    assert_stdout <<'EOF'
今天天气很好，我们去公园散步。
我们坚持原则，为人民服务。
打好基础，站在大树根底下。
今天天气很好，我们去公园散步。
EOF
}

test_fix_clean_text_unchanged() {
    run_test_engine fix "$DATA/clean.txt"
    assert_status 0
    assert_stdout "$(cat "$DATA/clean.txt")"$'\n'
    assert_no_stderr
}

test_fix_keeps_missing_final_newline() {
    printf '为人民效劳' >in.txt
    run_test_engine fix in.txt
    assert_status 0
    assert_stdout '为人民服务'
}

test_fix_empty_input() {
    : >empty.txt
    run_test_engine fix empty.txt
    assert_status 0
    assert_no_stdout
    assert_no_stderr
    run_test_engine fix </dev/null
    assert_status 0
    assert_no_stdout
}

test_fix_output_file() {
    run_test_engine fix -o out.txt "$DATA/two.txt"
    assert_status 0
    assert_no_stdout
    assert_file_is out.txt <<'EOF'
我们坚持原则，为人民服务。
打好基础，站在大树根底下。
EOF
    run_test_engine fix --output=out2.txt "$DATA/clean.txt" "$DATA/two.txt"
    assert_status 0
    assert_file_is out2.txt <<'EOF'
今天天气很好，我们去公园散步。
我们坚持原则，为人民服务。
打好基础，站在大树根底下。
EOF
    run_test_engine fix --output out3.txt <"$DATA/two.txt"
    assert_status 0
    assert_files_equal out3.txt out.txt
    run_test_engine fix -o - "$DATA/two.txt"
    assert_status 0
    assert_files_equal "$IO/out" out.txt
    assert_not_exists ./-
}

test_fix_output_over_its_own_input() {
    cp "$DATA/two.txt" doc.txt
    run_test_engine fix -o doc.txt doc.txt
    assert_status 0
    assert_file_is doc.txt <<'EOF'
我们坚持原则，为人民服务。
打好基础，站在大树根底下。
EOF
}

test_fix_output_not_written_when_an_input_fails() {
    echo old >out.txt
    run_test_engine fix -o out.txt "$DATA/two.txt" missing.txt
    assert_status 2
    assert_stderr 'errata: missing.txt: No such file or directory
'
    assert_file_is out.txt $'old\n'
    assert_equal "$(list_dir .)" out.txt
}

test_fix_output_to_device_is_written_not_replaced() {
    run_test_engine fix -o /dev/null "$DATA/two.txt"
    assert_status 0
    [[ -c /dev/null ]] || fail "/dev/null is no longer a device"
}

test_fix_goes_on_after_a_bad_file() {
    run_test_engine fix missing.txt "$DATA/two.txt"
    assert_status 2
    assert_stderr 'errata: missing.txt: No such file or directory
'
    assert_stdout <<'EOF'
我们坚持原则，为人民服务。
打好基础，站在大树根底下。
EOF
}

test_fix_keep_word_is_never_changed() {
    printf '建设平安浙江，为人民效劳。\n' >in.txt
    run_test_engine fix in.txt
    assert_status 0
    assert_stdout $'建设平安浙江，为人民服务。\n'
}

test_fix_double_dash_ends_options() {
    cp "$DATA/two.txt" ./-q
    run_test_engine fix -- -q
    assert_status 0
    assert_contains "$IO/out" '为人民服务'
}

test_fix_write_error_is_reported() {
    [[ -w /dev/full ]] || return 0
    run bash -c '"$0" fix "$@" >/dev/full' "$ERRATA" "${TEST_ENGINE[@]}" "$DATA/two.txt"
    assert_status 2
    assert_contains "$IO/err" 'errata: standard output: No space left on device'
}

test_fix_large_file() {
    # About 1 MB: the two lines of two.txt, 12000 times.
    yes "$(cat "$DATA/two.txt")" | head -n 24000 >big.txt
    sed 's/原那么/原则/; s/效劳/服务/; s/打好根底/打好基础/' big.txt >expected.txt
    run_test_engine fix big.txt
    assert_status 0
    assert_files_equal "$IO/out" expected.txt
    run_test_engine fix --in-place big.txt
    assert_status 0
    assert_files_equal big.txt expected.txt
}
