#!/usr/bin/env bash
# Memcheck over the unit tests and the main CLI paths: any error or
# definite leak fails the run.
set -uo pipefail
build=${1:?usage: tests/valgrind.sh BUILD_DIR}
log=$(mktemp) jsonl=$(mktemp)
trap 'rm -f "$log" "$jsonl"' EXIT
printf '{"id":1,"text":"打好根底，坚持科学开展观。"}\n{"id":2,"text":"clean"}\n' >"$jsonl"
passed=0 failed=0
run() {
    valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
        "$@" >/dev/null 2>"$log" </dev/null
    if [ $? -ne 99 ] && ! grep -q '^==[0-9]*==' "$log"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "valgrind: errors in: $*"
        cat "$log"
    fi
}
for t in "$build"/tests/test_*; do
    case "$t" in *test_threads) continue ;; esac # ThreadSanitizer covers it
    run "$t"
done
run "$build/errata" fix corpus/wenku-sample.txt
run "$build/errata" check --format=jsonl corpus/wenku-sample.txt
run "$build/errata" diff corpus/wenku-sample.txt
run "$build/errata" fix --jsonl "$jsonl"
run "$build/errata" fix -j 2 -r corpus/ocr-tuning/moderate
echo "valgrind: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
