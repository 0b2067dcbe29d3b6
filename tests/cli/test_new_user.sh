# What a new user ran into: the batch summary after a failed write, apply's
# mismatch message, unknown rule names, the help texts, UTF-16 without a
# BOM of odd length.

# The summary without its timing: "(0.0 MB in 0.01 s, 1.2 MB/s)" goes.
summary_only() {
    sed -E 's/ \([0-9.]+ MB in [0-9.]+ s, [0-9.]+ MB\/s\)$//' "$IO/err"
}

test_batch_summary_leaves_out_a_file_that_could_not_be_written() {
    cp "$DATA/two.txt" a.txt
    cp "$DATA/two.txt" b.txt
    mkdir -p out/b.txt # a directory where b.txt's output should go
    run_test_engine fix -j 1 --output-dir out a.txt b.txt
    assert_status 2
    summary_only >"$IO/summary"
    assert_file_is "$IO/summary" <<'EOF2'
errata: out/b.txt: Is a directory
errata: 2 files read, 1 changed, 0 skipped, 1 failed
errata: edits by rule:
       1  swap/原那么>原则
       1  swap/效劳>服务
       1  swap/根底>基础
EOF2
}

test_apply_mismatch_shows_whole_characters() {
    cp "$DATA/two.txt" two.txt
    printf '%s\n' '{"file":"two.txt","byte_start":13,"byte_end":20,"old":"原那么","new":"原则","action":"apply"}' >e.jsonl
    run_test_engine apply e.jsonl
    assert_status 2
    assert_no_stdout
    assert_stderr <<'EOF2'
errata: e.jsonl:1: two.txt: bytes 13..20 cut into characters (bytes 12..21 are "原那么"), not "原那么"; has it changed since the edits were listed?
EOF2
    assert_files_equal two.txt "$DATA/two.txt"
}

test_disable_names_an_unknown_rule() {
    run_test_engine check --disable=swap,nosuchrule "$DATA/two.txt"
    assert_status 2
    assert_no_stdout
    assert_stderr $'errata: check: --disable: no rule is named \'nosuchrule\'\nTry \'errata check --help\'.\n'
    run_test_engine fix --disable=layout/page-heder "$DATA/two.txt"
    assert_status 2
    assert_stderr $'errata: fix: --disable: no rule is named \'layout/page-heder\'\nTry \'errata fix --help\'.\n'
    run_test_engine fix --disable=swap/原那么 "$DATA/two.txt"
    assert_status 2
    assert_stderr $'errata: fix: --disable: no rule is named \'swap/原那么\'\nTry \'errata fix --help\'.\n'
}

test_disable_takes_every_rule_and_family_there_is() {
    # Every rule name written in the library, its family, and a pair rule.
    local rules
    rules=$(grep -rhoE '"(layout|punct|quote|number|flag|ocr)/[a-z0-9-]+"' "$DATA/../../../lib" |
        tr -d '"' | sort -u | tr '\n' ',')
    [[ $rules == *layout/page-header* ]] || fail "no rule names found in lib/"
    rules+="layout,punct,quote,number,flag,ocr,swap,lookalike,latin,swap/原那么>原则,latin/teh>the"
    run_test_engine check --disable="$rules" "$DATA/two.txt"
    assert_status 0
    assert_no_stdout
    assert_no_stderr
}

# The example dictionary of dictionaries/FORMAT.md.
format_example() {
    awk '/^## Example/ { on = 1; next } on && /^```/ { if (started) exit; started = 1; next }
         started { print }' "$DATA/../../../dictionaries/FORMAT.md"
}

test_format_example_shows_the_two_field_line_and_loads() {
    format_example >example.dict
    assert_equal "$(grep -cP '^[^\t#!]+\t[^\t]+$' example.dict)" 1
    printf '它发展大数具产业。\n' >doc.txt
    run "$ERRATA" fix --no-default-dict --no-model --dict example.dict doc.txt
    assert_status 0
    assert_stdout $'它发展大数据产业。\n'
}

test_batch_help_shows_the_output_choice_as_optional() {
    run "$ERRATA" fix -r --help
    assert_status 0
    assert_equal "$(head -1 "$IO/out")" \
        'Usage: errata fix [-r] [-j N] [--in-place | --output-dir DIR] [OPTION...] FILE|DIR...'
}

test_help_says_what_exit_status_1_means_per_command() {
    run "$ERRATA" --help
    assert_status 0
    assert_equal "$(tail -2 "$IO/out")" \
        $'Exit status: 0 done (nothing found), 1 something found (check, diff), an example\nfailed (selftest) or edits left for later (review), 2 error.'
}

test_readme_gives_the_review_width_the_code_uses() {
    local root="$DATA/../../.."
    assert_contains "$root/cli/review_term.c" '#define MAX_COLUMNS 100'
    assert_contains "$root/README.md" 'on a terminal wider than'
    assert_contains "$root/README.md" '100 columns the rows stay within 100'
    assert_not_contains "$root/README.md" '80 columns or less'
}

test_odd_length_utf16_without_bom_is_called_truncated() {
    printf 'Report 2024: 为人民效劳。\n' | encode_as utf-16-le | head -c -1 >le.txt
    printf 'Report 2024: 为人民效劳。\n' | encode_as utf-16-be | head -c -1 >be.txt
    run_test_engine fix le.txt
    assert_status 2
    assert_no_stdout
    assert_stderr $'errata: le.txt: cannot decode: truncated UTF-16LE sequence at byte offset 38\n'
    run_test_engine check be.txt
    assert_status 2
    assert_stderr $'errata: be.txt: cannot decode: truncated UTF-16BE sequence at byte offset 38\n'
    # In a batch run it is a file that failed, not one skipped as binary.
    run_test_engine fix -r --output-dir out le.txt
    assert_status 2
    assert_contains "$IO/err" 'errata: le.txt: cannot decode, left alone: truncated UTF-16LE sequence at byte offset 38'
    assert_contains "$IO/err" 'errata: 0 files read, 0 changed, 0 skipped, 1 failed'
}
