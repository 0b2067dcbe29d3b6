#!/usr/bin/env bash
# Run libFuzzer harnesses:
#   bash tests/fuzz/run.sh [--smoke] FUZZER_DIR SECONDS WORK_DIR NAME...
#
# --smoke (what make test runs) replaces the time budget by SMOKE_RUNS
# executions (default 500) from a fixed random seed, so that it passes or
# fails alike on every run; make fuzz is where new findings are looked for.
# Each harness NAME first replays its committed seeds, tests/fuzz/corpus/NAME
# (the inputs of past findings are among them: a finding that comes back
# fails here), then fuzzes for SECONDS with tests/fuzz/NAME.dict when there is
# one (and the flags in tests/fuzz/NAME.options).  New inputs go to WORK_DIR/corpus/NAME (kept from run to run; with
# --smoke a fresh temporary directory instead), crashes to WORK_DIR/findings.
# One line a harness: runs, coverage (cov: edges, ft: features), corpus size.
# Exits non-zero when a harness failed.
set -u

smoke=0
SMOKE_RUNS=${SMOKE_RUNS:-500}
if [[ ${1-} == --smoke ]]; then
    smoke=1
    shift
fi
if [[ $# -lt 4 ]]; then
    echo "usage: bash tests/fuzz/run.sh [--smoke] FUZZER_DIR SECONDS WORK_DIR NAME..." >&2
    exit 2
fi
bin_dir=$1 seconds=$2 work=$3
shift 3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$work/findings" "$work/logs"
failed=0

for name in "$@"; do
    fuzzer=$bin_dir/$name seeds=$here/corpus/$name log=$work/logs/$name.log
    if [[ $smoke == 1 ]]; then
        corpus=$(mktemp -d "${TMPDIR:-/tmp}/errata-fuzz-$name.XXXXXX")
    else
        corpus=$work/corpus/$name
        mkdir -p "$corpus"
    fi
    options=(-timeout=30 -print_final_stats=1 -artifact_prefix="$work/findings/$name-")
    # --smoke (make test) must give the same verdict every time: a fixed
    # seed and number of runs instead of a time budget.
    if [[ $smoke == 1 ]]; then
        options+=(-seed=1 -runs="$SMOKE_RUNS")
    else
        options+=(-max_total_time="$seconds")
    fi
    [[ -f $here/$name.dict ]] && options+=(-dict="$here/$name.dict")
    # NAME.options: more libFuzzer flags (-close_fd_mask=2 for a harness
    # whose code reports on standard error as it should)
    [[ -f $here/$name.options ]] && read -ra extra <"$here/$name.options" && options+=("${extra[@]}")
    status=0
    if ! "$fuzzer" "$seeds"/* >"$log" 2>&1; then
        echo "$name: a committed seed fails (log: $log)"
        status=1
    elif ! "$fuzzer" "${options[@]}" "$corpus" "$seeds" >"$log" 2>&1; then
        echo "$name: FAILED (log: $log; the input is in $work/findings)"
        status=1
    fi
    if [[ $status == 0 ]]; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        cov=$(grep -E '^#[0-9]+' "$log" | grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' | tail -1)
        echo "$name: $runs runs$([[ $smoke == 1 ]] || echo " in ${seconds} s"), $cov"
    else
        tail -40 "$log" | sed 's/^/    | /'
        failed=1
    fi
    [[ $smoke == 1 ]] && rm -rf "$corpus"
done
exit $failed
