#!/usr/bin/env bash
# Memcheck over the unit tests and the main CLI paths: any error, any
# definite leak, an exit status other than the one the program must give
# (a crash, an error exit) or, where given, other output than expected fails
# the run.
set -uo pipefail
build=${1:?usage: tests/valgrind.sh BUILD_DIR}
log=$(mktemp) out=$(mktemp) jsonl=$(mktemp) home=$(mktemp -d)
trap 'rm -rf "$log" "$out" "$jsonl" "$home"' EXIT
# No user dictionary may change the outputs.
unset ERRATA_USER_DICT XDG_CONFIG_HOME
export HOME=$home
printf '{"id":1,"text":"打好根底，坚持科学开展观。"}\n{"id":2,"text":"clean"}\n' >"$jsonl"
passed=0 failed=0

# memcheck STATUS COMMAND...: run COMMAND under memcheck (its output in
# $out, its input $INPUT or nothing); say what went wrong and fail unless it ran clean and exited with
# STATUS.
memcheck() {
    local want=$1 status=0
    shift
    valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
        "$@" >"$out" 2>"$log" <"${INPUT:-/dev/null}" || status=$?
    if grep -q '^==[0-9]*==' "$log"; then
        echo "valgrind: errors in: $*"
    elif [ "$status" -ne "$want" ]; then
        echo "valgrind: exit status $status, expected $want: $*"
    else
        return 0
    fi
    cat "$log"
    return 1
}

count() { if [ "$1" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi; }

run() { # STATUS COMMAND...
    memcheck "$@"
    count $?
}

run_expecting() { # OUTPUT STATUS COMMAND...: the output must be OUTPUT too
    local expected=$1 ok=0
    shift
    memcheck "$@" || ok=1
    if [ "$ok" -eq 0 ] && [ "$(cat "$out")" != "$expected" ]; then
        echo "valgrind: unexpected output of: ${*:2}"
        cat "$out"
        ok=1
    fi
    count "$ok"
}

for t in "$build"/tests/test_*; do
    case "$t" in *test_threads) continue ;; esac # ThreadSanitizer covers it
    run 0 "$t"
done
# The command linked dynamically: Memcheck cannot follow the heap of the
# static build/errata (its malloc is linked in, not replaceable).
errata=$build/errata-dynamic
run 0 "$errata" fix corpus/wenku-sample.txt
run 1 "$errata" check --format=jsonl corpus/wenku-sample.txt
run 1 "$errata" diff corpus/wenku-sample.txt
run_expecting '{"id":1,"text":"打好基础，坚持科学发展观。"}
{"id":2,"text":"clean"}' 0 "$errata" fix --jsonl "$jsonl"
run 0 "$errata" fix -j 2 -r corpus/ocr-tuning/moderate
# errata learn on the batch of tests/cli/test_learn.sh (every 发展 made 开展
# in four of six documents), written as a dictionary, its examples checked.
mkdir "$home/learn"
for f in a b c d e f; do
    sed 's/基础/根底/g' "tests/cli/data/learn/$f.txt" >"$home/learn/$f.txt"
done
sed -i 's/发展/开展/g' "$home/learn/"[abcd].txt
run 0 "$errata" learn --no-default-dict --dict tests/cli/data/learn.dict -q "$home/learn"
grep -q $'^开展\t发展\tswap' "$out" || { echo "valgrind: learn found no 开展 -> 发展"; failed=$((failed + 1)); }
# A whole language-server session (standard input: tests/lsp/session.py's).
python3 tests/lsp/session.py "$home/user.dict" >"$home/lsp-session"
INPUT=$home/lsp-session run 0 "$errata" lsp
echo "valgrind: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
