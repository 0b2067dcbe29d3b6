# errata fix over many files: -r, -j, --in-place, --output-dir, standard
# output in order, files that are not text, the summary and the progress bar.

fixed_two() {
    printf '我们坚持原则，为人民服务。\n打好基础，站在大树根底下。\n'
}

# The summary without its timing: "(0.0 MB in 0.01 s, 1.2 MB/s)" goes.
summary() {
    sed -E 's/ \([0-9.]+ MB in [0-9.]+ s, [0-9.]+ MB\/s\)$//' "$IO/err"
}

make_tree() {
    mkdir -p tree/sub/deeper tree/.hidden tree/empty
    cp "$DATA/two.txt" tree/a.txt
    cp "$DATA/clean.txt" tree/sub/clean.txt
    cp "$DATA/lines.txt" tree/sub/deeper/lines.txt
    cp "$DATA/two.txt" tree/.hidden/two.txt
    cp "$DATA/two.txt" tree/.dotfile.txt
    ln -s ../a.txt tree/sub/link.txt
}

test_batch_output_dir_mirrors_the_tree() {
    make_tree
    run_test_engine fix -r --output-dir "$IO/mirror" tree
    assert_status 0
    assert_no_stdout
    assert_equal "$(cd "$IO/mirror" && find . -type f | LC_ALL=C sort)" \
        $'./a.txt\n./sub/clean.txt\n./sub/deeper/lines.txt'
    assert_file_is "$IO/mirror/a.txt" "$(fixed_two)"$'\n'
    assert_files_equal "$IO/mirror/sub/clean.txt" "$DATA/clean.txt"
    assert_contains "$IO/mirror/sub/deeper/lines.txt" '第20行：全心全意为人民服务。'
    assert_files_equal tree/a.txt "$DATA/two.txt"
    summary >"$IO/summary"
    assert_file_is "$IO/summary" <<'EOF'
errata: 3 files read, 2 changed, 0 skipped, 0 failed
errata: edits by rule:
       3  swap/效劳>服务
       2  swap/原那么>原则
       2  swap/根底>基础
EOF
}

test_batch_output_dir_takes_file_operands_by_name() {
    mkdir -p in
    cp "$DATA/two.txt" in/x.txt
    run_test_engine fix -j 2 --output-dir out in/x.txt "$DATA/clean.txt" -q
    assert_status 0
    assert_no_stderr
    assert_equal "$(list_dir out)" $'clean.txt\nx.txt'
    assert_file_is out/x.txt "$(fixed_two)"$'\n'
}

test_batch_output_dir_refuses_two_files_of_one_name() {
    mkdir -p one two
    cp "$DATA/two.txt" one/x.txt
    cp "$DATA/clean.txt" two/x.txt
    run_test_engine fix --output-dir out one/x.txt two/x.txt
    assert_status 2
    assert_stderr <<'EOF'
errata: fix: one/x.txt and two/x.txt would both be written to out/x.txt
Try 'errata fix --help'.
EOF
    assert_not_exists out
}

test_batch_output_dir_inside_the_tree_is_not_walked() {
    mkdir -p tree
    cp "$DATA/two.txt" tree/a.txt
    run_test_engine fix -r --output-dir tree/out tree -q
    assert_status 0
    run_test_engine fix -r --output-dir tree/out tree -q
    assert_status 0
    assert_equal "$(cd tree && find . -type f | LC_ALL=C sort)" $'./a.txt\n./out/a.txt'
}

test_batch_in_place_with_workers() {
    for i in 1 2 3 4 5 6 7; do cp "$DATA/two.txt" "f$i.txt"; done
    cp "$DATA/clean.txt" clean.txt
    local inode_before
    inode_before=$(stat -c %i clean.txt)
    run_test_engine fix -j 3 --in-place -q ./*.txt
    assert_status 0
    assert_no_stdout
    assert_no_stderr
    for i in 1 2 3 4 5 6 7; do assert_file_is "f$i.txt" "$(fixed_two)"$'\n'; done
    assert_files_equal clean.txt "$DATA/clean.txt"
    assert_equal "$(stat -c %i clean.txt)" "$inode_before"
    assert_equal "$(list_dir .)" $'clean.txt\nf1.txt\nf2.txt\nf3.txt\nf4.txt\nf5.txt\nf6.txt\nf7.txt'
}

test_batch_in_place_recursive_with_backup() {
    mkdir -p d/e
    cp "$DATA/two.txt" d/e/a.txt
    chmod 0640 d/e/a.txt
    run_test_engine fix -r -i --backup=.orig d -q
    assert_status 0
    assert_file_is d/e/a.txt "$(fixed_two)"$'\n'
    assert_files_equal d/e/a.txt.orig "$DATA/two.txt"
    assert_equal "$(stat -c %a d/e/a.txt)" 640
}

test_batch_file_given_twice_is_rewritten_once() {
    cp "$DATA/two.txt" a.txt
    run_test_engine fix -j 2 -i a.txt ./a.txt a.txt
    assert_status 0
    assert_file_is a.txt "$(fixed_two)"$'\n'
    summary >"$IO/summary"
    assert_contains "$IO/summary" 'errata: 1 file read, 1 changed, 0 skipped, 0 failed'
}

test_batch_stdout_keeps_the_order_given() {
    for i in 1 2 3 4 5 6 7 8 9; do printf '第%s份：为人民效劳。\n' "$i" >"f$i.txt"; done
    run_test_engine fix -j 3 -q f9.txt f1.txt f5.txt f2.txt f8.txt f3.txt f7.txt f4.txt f6.txt
    assert_status 0
    assert_stdout <<'EOF'
第9份：为人民服务。
第1份：为人民服务。
第5份：为人民服务。
第2份：为人民服务。
第8份：为人民服务。
第3份：为人民服务。
第7份：为人民服务。
第4份：为人民服务。
第6份：为人民服务。
EOF
}

test_batch_standard_input() {
    run_test_engine fix -j 1 -q <"$DATA/two.txt"
    assert_status 0
    assert_stdout "$(fixed_two)"$'\n'
}

test_batch_skips_binary_and_reports_undecodable() {
    mkdir -p tree
    cp "$DATA/two.txt" tree/a.txt
    printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR' >tree/image.png
    printf 'abc\xff\xfe\x80' >tree/broken.txt
    cp tree/image.png "$IO/image.png"
    cp tree/broken.txt "$IO/broken.txt"
    run_test_engine fix -r -j 1 -i tree
    assert_status 2
    assert_files_equal tree/image.png "$IO/image.png"
    assert_files_equal tree/broken.txt "$IO/broken.txt"
    assert_file_is tree/a.txt "$(fixed_two)"$'\n'
    summary >"$IO/summary"
    assert_file_is "$IO/summary" <<'EOF'
errata: tree/broken.txt: cannot decode, left alone: neither UTF-8 nor GB18030: invalid UTF-8 at byte offset 3, invalid GB18030 at byte offset 3
errata: tree/image.png: skipped: not a text file (byte 0x00 at offset 8)
errata: 1 file read, 1 changed, 1 skipped, 1 failed
errata: edits by rule:
       1  swap/原那么>原则
       1  swap/效劳>服务
       1  swap/根底>基础
EOF
}

test_batch_only_binary_files_is_success() {
    printf 'PK\x03\x04\0\0' >a.zip
    run_test_engine fix -j 1 -i a.zip -q
    assert_status 0
    assert_stderr ''
}

test_batch_quiet_leaves_out_skipped_notes_not_failures() {
    printf 'PK\x03\x04\0\0' >a.zip
    printf '{"a": 1}\n' >data.json
    printf 'abc\xff\xfe\x80' >broken.txt
    run_test_engine fix -r -j 1 -i -q a.zip data.json broken.txt
    assert_status 2
    assert_stderr $'errata: broken.txt: cannot decode, left alone: neither UTF-8 nor GB18030: invalid UTF-8 at byte offset 3, invalid GB18030 at byte offset 3\n'
}

test_batch_directory_needs_r() {
    mkdir -p d
    cp "$DATA/two.txt" d/a.txt
    cp "$DATA/two.txt" b.txt
    run_test_engine fix -j 1 -i d b.txt -q
    assert_status 2
    assert_stderr $'errata: d: is a directory (use -r to walk it)\n'
    assert_file_is b.txt "$(fixed_two)"$'\n'
    assert_files_equal d/a.txt "$DATA/two.txt"
}

test_batch_missing_file_fails_others_done() {
    cp "$DATA/two.txt" b.txt
    run_test_engine fix -j 2 -i missing.txt b.txt -q
    assert_status 2
    assert_stderr $'errata: missing.txt: No such file or directory\n'
    assert_file_is b.txt "$(fixed_two)"$'\n'
}

test_batch_empty_directory() {
    mkdir -p d
    run_test_engine fix -r -i d
    assert_status 0
    summary >"$IO/summary"
    assert_file_is "$IO/summary" $'errata: 0 files read, 0 changed, 0 skipped, 0 failed\nerrata: no edits\n'
}

test_batch_progress_bar_when_forced() {
    cp "$DATA/two.txt" a.txt
    cp "$DATA/lines.txt" b.txt
    run_test_engine fix -j 1 --progress --output-dir out a.txt b.txt
    assert_status 0
    # The bar is drawn, then cleared before the summary.
    assert_contains "$IO/err" '[========================] 2/2 files'
    assert_contains "$IO/err" $'\r\033[K'
    grep -q 'MB/s  0:00 left' "$IO/err" || fail "no rate or time left in the bar"
    assert_contains "$IO/err" 'errata: 2 files read, 2 changed'
}

test_batch_no_progress_bar_when_not_a_terminal() {
    cp "$DATA/two.txt" a.txt
    run_test_engine fix -j 1 --output-dir out a.txt
    assert_status 0
    assert_not_contains "$IO/err" 'files  '
    assert_not_contains "$IO/err" $'\r'
}

test_batch_usage_errors() {
    local cases=(
        "-r|-r, --in-place and --output-dir need FILE operands"
        "-r -o x a.txt|-o cannot go with -r, -j or --progress; use --output-dir"
        "-j 1 -i --output-dir o a.txt|--in-place and --output-dir cannot go together"
        "-j 0 a.txt|-j needs a number from 1 to 1024, not '0'"
        "-jx a.txt|unknown option '-jx'"
        "-j 1 --backup=.b a.txt|--backup needs --in-place and a non-empty suffix"
        "-j 1 -i -|standard input cannot be written in place or into --output-dir"
        "--output-encoding latin1 a.txt|unknown encoding 'latin1'"
        "-j 1 --field t a.txt|--field, --attach-edits and --strict need --jsonl"
        "--jsonl -r|--jsonl reads standard input or FILEs and writes standard output; it takes none of -r, -j, --in-place, --backup, --output-dir, -o, --report, --input-encoding, --output-encoding"
    )
    cp "$DATA/two.txt" a.txt
    local case args message
    for case in "${cases[@]}"; do
        args=${case%%|*}
        message=${case#*|}
        # shellcheck disable=SC2086
        run_test_engine fix $args
        assert_status 2
        assert_stderr "errata: fix: $message"$'\n'"Try 'errata fix --help'."$'\n'
    done
    assert_files_equal a.txt "$DATA/two.txt"
}

test_batch_help() {
    run "$ERRATA" fix -r --help
    assert_status 0
    assert_contains "$IO/out" '--output-dir DIR'
    assert_contains "$IO/out" '--jsonl'
    run "$ERRATA" fix --help
    assert_status 0
    assert_contains "$IO/out" "see 'errata fix -r --help'"
}

test_batch_without_batch_options_is_plain_fix() {
    cp "$DATA/two.txt" a.txt
    run_test_engine fix a.txt
    assert_status 0
    assert_no_stderr
    assert_stdout "$(fixed_two)"$'\n'
}
