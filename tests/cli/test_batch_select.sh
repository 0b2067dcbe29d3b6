# Which files errata fix -r repairs: documents by default (data and code
# files left alone, by extension or by how their text starts), --include
# and --exclude globs, and the count of files left out in the summary.

summary_without_timing() {
    sed -E 's/ \([0-9.]+ MB in [0-9.]+ s, [0-9.]+ MB\/s\)$//' "$IO/err"
}

make_mixed_tree() {
    mkdir -p tree/src tree/vendor/lib
    cp "$DATA/two.txt" tree/report.txt
    cp "$DATA/two.txt" tree/notes.md
    cp "$DATA/two.txt" tree/page.gold.json
    cp "$DATA/two.txt" tree/table.CSV
    cp "$DATA/two.txt" tree/src/tool.py
    cp "$DATA/two.txt" tree/vendor/lib/readme.txt
    printf '{"text": "为人民效劳"}\n' >tree/export
    printf '#!/bin/sh\necho 为人民效劳\n' >tree/run
    printf '[原那么]为人民效劳。\n' >tree/bracket.txt
}

test_recursive_fix_leaves_data_and_code_alone_by_default() {
    make_mixed_tree
    run_test_engine fix -r -j 1 --output-dir out tree  # one worker: notes in order
    assert_status 0
    assert_equal "$(cd out && find . -type f | LC_ALL=C sort)" \
        $'./bracket.txt\n./notes.md\n./report.txt\n./vendor/lib/readme.txt'
    summary_without_timing >"$IO/summary"
    assert_file_is "$IO/summary" <<'EOF'
errata: tree/export: skipped: JSON, not a document (--include takes it)
errata: tree/run: skipped: a script, not a document (--include takes it)
errata: 4 files read, 4 changed, 5 skipped, 0 failed
errata: edits by rule:
       4  swap/原那么>原则
       4  swap/效劳>服务
       3  swap/根底>基础
EOF
}

test_recursive_fix_include_and_exclude_globs() {
    make_mixed_tree
    # --include takes what it names, whatever it holds; --exclude wins,
    # over directories too; a glob with '/' matches the path in the tree.
    run_test_engine fix -r --output-dir out -q --include='*.json' --include=export \
        --include='*.txt' --exclude=vendor --exclude='/bracket.*' tree
    assert_status 0
    assert_equal "$(cd out && find . -type f | LC_ALL=C sort)" \
        $'./export\n./page.gold.json\n./report.txt'
    assert_file_is out/export $'{"text": "为人民服务"}\n'
    # One worker: two workers print their notes in either order.
    run_test_engine fix -r -j 1 --in-place --exclude='*.txt' --exclude='*.md' tree
    assert_status 0
    summary_without_timing >"$IO/summary"
    assert_file_is "$IO/summary" <<'EOF'
errata: tree/export: skipped: JSON, not a document (--include takes it)
errata: tree/run: skipped: a script, not a document (--include takes it)
errata: 0 files read, 0 changed, 9 skipped, 0 failed
errata: no edits
EOF
    assert_files_equal tree/report.txt "$DATA/two.txt"
}

test_include_and_exclude_need_recursion_and_a_glob() {
    run_test_engine fix --include='*.txt' "$DATA/two.txt"
    assert_status 2
    assert_stderr $'errata: fix: --include and --exclude need -r\nTry \'errata fix --help\'.\n'
    run_test_engine fix -r --exclude= "$DATA"
    assert_status 2
    assert_stderr $'errata: fix: --include and --exclude need a glob\nTry \'errata fix --help\'.\n'
}

test_file_operands_are_taken_whatever_their_name() {
    cp "$DATA/two.txt" data.json
    run_test_engine fix -r --output-dir out -q data.json
    assert_status 0
    assert_equal "$(list_dir out)" data.json
}
