#!/usr/bin/env bash
# The huge document's throughput against the bench input's, the figure of
# issue #12: MB per CPU-second (user + sys) of `errata fix` and `errata check`
# on one document of HUGE_MB megabytes on a single line (build/bench/all.txt
# without its line breaks, repeated), over that of `fix -r -j 1` and `check`
# over build/bench/input (made by make bench).
#
#   bash scripts/huge_ratio.sh fix|check|both ERRATA [ERRATA...]
#
# This machine's CPU time for the same work swings by a fifth from minute to
# minute with the load of other work, so a ratio of two runs minutes apart
# says as much about the machine as about errata.  Each pair therefore runs
# the bench input just before and just after the huge document (BENCH_REPEAT
# runs each side, default 3) and divides the huge document's rate by the mean
# of those two; the figure is the median of PAIRS pairs (default 5).  Several
# binaries are measured in turn within each pair, so that a before and an
# after see the same minutes.
# HUGE_MB defaults to 1000 (the issue's 1 GB); the document is made once in
# build/bench/huge-ratio.txt and removed at the end.
set -euo pipefail

if [[ $# -lt 2 || ! $1 =~ ^(fix|check|both)$ ]]; then
    echo "usage: bash scripts/huge_ratio.sh fix|check|both ERRATA [ERRATA...]" >&2
    exit 2
fi
case $1 in both) commands="fix check" ;; *) commands=$1 ;; esac
shift
binaries=()
for b in "$@"; do
    [[ -x $b ]] || { echo "huge_ratio: $b is not an executable" >&2; exit 2; }
    binaries+=("$(cd "$(dirname "$b")" && pwd)/$(basename "$b")")
done
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bench=build/bench
huge_mb=${HUGE_MB:-1000}
pairs=${PAIRS:-5}
repeat=${BENCH_REPEAT:-3}
gnu_time=/usr/bin/time
[[ -x $gnu_time ]] || { echo "huge_ratio: GNU time is needed (Debian package 'time')" >&2; exit 2; }
[[ -f $bench/input/.done && -f $bench/all.txt ]] ||
    { echo "huge_ratio: no bench input; run make bench first" >&2; exit 2; }

# No user configuration, as in make bench.
unset ERRATA_USER_DICT XDG_CONFIG_HOME
HOME=$(mktemp -d "${TMPDIR:-/tmp}/errata-ratio-home.XXXXXX")
export HOME
huge=$bench/huge-ratio.txt
trap 'rm -rf "$HOME" "$huge" "$huge.seed" "$bench"/ratio-*.out' EXIT

tr -d '\n' <"$bench/all.txt" >"$huge.seed"
: >"$huge"
while (( $(stat -c %s "$huge") < huge_mb * 1000000 )); do
    cat "$huge.seed" >>"$huge"
done
huge_bytes=$(stat -c %s "$huge")
input_bytes=$(cat "$bench/input"/*.txt | wc -c)

# One run's CPU seconds (user + sys) into cpu, its peak memory in MB into
# peak; the output is discarded, and check's exit status 1 (something found)
# is no failure.
cpu_seconds() {
    local status=0
    "$gnu_time" -f '%U %S %M' -o "$bench/ratio-time.out" "$@" >/dev/null \
        2>"$bench/ratio-stderr.out" || status=$?
    if (( status > 1 )); then
        echo "huge_ratio: failed: $*" >&2
        tail -5 "$bench/ratio-stderr.out" >&2
        exit 1
    fi
    # the last line: GNU time writes a note before it when the status is not 0
    read -r cpu peak < <(tail -1 "$bench/ratio-time.out" |
        awk '{ printf "%.2f %d\n", $1 + $2, $3 / 1024 }')
}

# The bench input's CPU seconds for one run of command (fix or check), the
# mean of repeat runs, into input_cpu.
input_seconds() {
    local errata=$1 command=$2 total=0 run
    for run in $(seq 1 "$repeat"); do
        if [[ $command == fix ]]; then
            cpu_seconds "$errata" fix -r -j 1 -q "$bench/input"
        else
            cpu_seconds "$errata" check -q "$bench/input"/*.txt
        fi
        total=$(awk -v a="$total" -v b="$cpu" 'BEGIN { print a + b }')
    done
    input_cpu=$(awk -v t="$total" -v n="$repeat" 'BEGIN { printf "%.3f\n", t / n }')
}

median() { tr ' ' '\n' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "huge document: $huge_bytes bytes on one line; bench input: $input_bytes bytes;" \
    "$pairs pairs, the bench input $repeat times each side"
declare -A ratios
for pair in $(seq 1 "$pairs"); do
    for command in $commands; do
        for errata in "${binaries[@]}"; do
            input_seconds "$errata" "$command"
            before=$input_cpu
            cpu_seconds "$errata" "$command" -q "$huge"
            on_huge=$cpu huge_peak=$peak
            input_seconds "$errata" "$command"
            after=$input_cpu
            read -r input_rate huge_rate ratio < <(awk -v ib="$input_bytes" -v hb="$huge_bytes" \
                -v b="$before" -v a="$after" -v h="$on_huge" \
                'BEGIN { ir = ib / 1e6 / ((a + b) / 2); hr = hb / 1e6 / h;
                         printf "%.2f %.2f %.3f\n", ir, hr, hr / ir }')
            printf '%s %s pair %d: bench input %s / %s s (%s MB/s), huge %s s (%s MB/s, peak %s MB): %s\n' \
                "$command" "$errata" "$pair" "$before" "$after" "$input_rate" "$on_huge" \
                "$huge_rate" "$huge_peak" "$ratio"
            ratios[$command $errata]="${ratios[$command $errata]:-} $ratio"
        done
    done
done
for command in $commands; do
    for errata in "${binaries[@]}"; do
        list=${ratios[$command $errata]# }
        printf '%s %s: median ratio %s (pairs: %s)\n' "$command" "$errata" \
            "$(echo "$list" | median)" "$list"
    done
done
