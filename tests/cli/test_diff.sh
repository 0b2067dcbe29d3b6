# errata diff: unified diffs built from the edits.

test_diff_hunks_context_and_missing_newline() {
    cp "$DATA/lines.txt" lines.txt
    run_test_engine diff lines.txt
    assert_status 1
    assert_stdout <<'EOF'
--- a/lines.txt
+++ b/lines.txt
@@ -1,7 +1,7 @@
 第1行：平常的一句话。
-第2行：我们坚持原那么。
+第2行：我们坚持原则。
 第3行：平常的一句话。
-第4行：为人民效劳。
+第4行：为人民服务。
 第5行：平常的一句话。
 第6行：平常的一句话。
 第7行：平常的一句话。
@@ -12,9 +12,9 @@
 第12行：平常的一句话。
 第13行：平常的一句话。
 第14行：平常的一句话。
-第15行：打好根底。
+第15行：打好基础。
 第16行：平常的一句话。
 第17行：平常的一句话。
 第18行：平常的一句话。
 第19行：平常的一句话。
-第20行：全心全意为人民效劳。
\ No newline at end of file
+第20行：全心全意为人民服务。
\ No newline at end of file
EOF
    assert_no_stderr
}

test_diff_single_line_file() {
    printf '为人民效劳\n' >one.txt
    run_test_engine diff one.txt
    assert_status 1
    assert_stdout <<'EOF'
--- a/one.txt
+++ b/one.txt
@@ -1 +1 @@
-为人民效劳
+为人民服务
EOF
}

test_diff_several_edits_on_one_line_and_adjacent_lines() {
    printf '甲\n原那么和效劳\n效劳\n乙\n' >in.txt
    run_test_engine diff in.txt
    assert_status 1
    assert_stdout <<'EOF'
--- a/in.txt
+++ b/in.txt
@@ -1,4 +1,4 @@
 甲
-原那么和效劳
-效劳
+原则和服务
+服务
 乙
EOF
}

test_diff_no_change_exits_0() {
    run_test_engine diff "$DATA/clean.txt"
    assert_status 0
    assert_no_stdout
    assert_no_stderr
}

test_diff_stdin() {
    run_test_engine diff <"$DATA/two.txt"
    assert_status 1
    assert_stdout <<'EOF'
--- a/-
+++ b/-
@@ -1,2 +1,2 @@
-我们坚持原那么，为人民效劳。
-打好根底，站在大树根底下。
+我们坚持原则，为人民服务。
+打好基础，站在大树根底下。
EOF
}

test_diff_several_files() {
    cp "$DATA/two.txt" a.txt
    cp "$DATA/clean.txt" b.txt
    printf '效劳\n' >c.txt
    run_test_engine diff a.txt b.txt c.txt
    assert_status 1
    assert_equal "$(grep -c '^--- a/' "$IO/out")" 2
    assert_contains "$IO/out" '--- a/c.txt'
    assert_not_contains "$IO/out" 'b.txt'
}

test_diff_quiet() {
    run_test_engine diff -q "$DATA/two.txt"
    assert_status 1
    assert_no_stdout
}

# What patch makes of the diff is what fix writes.  Every document used here
# has something to repair: diff must exit 1 and the repair must change it.
diff_round_trip() {
    local source=$1
    shift
    mkdir -p a b
    cp "$source" a/doc.txt
    local rc=0
    (cd a && "$ERRATA" diff "$@" doc.txt >../doc.diff) || rc=$?
    [[ $rc -eq 1 ]] || fail "diff exited $rc, expected 1 (changes)"
    (cd a && "$ERRATA" fix -q "$@" doc.txt >../b/doc.txt) || fail "fix failed"
    ! cmp -s "$source" b/doc.txt || fail "fix changed nothing"
    patch -s -p1 -d a <doc.diff || fail "patch refused the diff"
    assert_files_equal a/doc.txt b/doc.txt
}

test_diff_round_trip_with_patch() {
    diff_round_trip "$DATA/lines.txt" "${TEST_ENGINE[@]}"
}

test_diff_round_trip_on_the_sample_with_defaults() {
    diff_round_trip "$DATA/../../../corpus/wenku-sample.txt"
}

test_diff_round_trip_on_ocr_documents() {
    local doc count=0
    for doc in "$DATA"/../../../corpus/ocr-tuning/heavy/*.txt; do
        rm -rf a b
        diff_round_trip "$doc"
        count=$((count + 1))
    done
    assert_equal "$count" 10
}

test_diff_colour() {
    local e=$'\e'
    printf '为人民效劳\n' >one.txt
    run_test_engine diff --color=always one.txt
    assert_status 1
    assert_stdout <<EOF
$e[1m--- a/one.txt
+++ b/one.txt$e[0m
$e[36m@@ -1 +1 @@$e[0m
$e[31m-为人民效劳$e[0m
$e[32m+为人民服务$e[0m
EOF
}
