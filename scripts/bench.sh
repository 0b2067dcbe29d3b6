#!/usr/bin/env bash
# make bench: speed figures for errata, measured in one run on two inputs.
#
#   bash scripts/bench.sh path/to/errata
#
# Distinct text, which the throughput targets refer to: the 3,374 law texts
# of ../shared/data/formal-zh/laws-lawrefbook-*.txt.xz (about 54 MB; BENCH_LAWS
# names another copy) damaged by scripts/corrupt.py (families A and B, layout
# damage), one document a file, made by scripts/bench_laws.py.  No document
# recurs, so errata's caches of model scores help only as much as real text
# lets them.  These texts are training data of the formal-text model: the
# input measures speed, never accuracy.
# Repeated text, for reference: the documents of corpus/docs/ damaged by
# scripts/corrupt.py (several seeds, both swap families, layout damage), 64
# variants repeated up to BENCH_MB megabytes (default 20) and cut into files
# of about half a megabyte; every document recurs, which the caches profit
# from.  Both inputs are generated into build/bench/ (not committed) once.
# Printed for each input: errata fix throughput with one worker and with -j 2,
# the same input through OpenCC (s2t) and through a plain sed replacement
# list made from dictionaries/swaps.dict; for the repeated text also one
# worker with the look-alike pass off, then also the OCR and Latin passes
# (what the swap, layout and judging work costs alone), and its variants one
# document a file; then start-up time (load + fix 1 KB; hyperfine when
# installed: the mean against its target, the median, and an empty C
# program's in the same minutes, the machine's floor) and peak memory (GNU
# time), each against its target.
# errata runs with no user configuration (no ERRATA_USER_DICT or
# XDG_CONFIG_HOME, HOME an empty directory), so no user dictionary is loaded.
# Every throughput is the best of BENCH_RUNS runs (default 3), errata's and
# the reference tools' alike, timed to the microsecond.
# A benchmark, not a test: it reports, it does not fail on a missed target.
set -euo pipefail

if [[ $# -ne 1 || ! -x $1 ]]; then
    echo "usage: bash scripts/bench.sh path/to/errata" >&2
    exit 2
fi
errata=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bench=build/bench
megabytes=${BENCH_MB:-20}
runs=${BENCH_RUNS:-3} # each throughput is the best of this many runs
file_bytes=500000
gnu_time=/usr/bin/time
[[ -x $gnu_time ]] || { echo "bench: GNU time is needed (Debian package 'time')" >&2; exit 2; }
laws_source=${BENCH_LAWS:-$(ls ../shared/data/formal-zh/laws-lawrefbook-*.txt.xz 2>/dev/null | head -1)}

# No user configuration: errata would load $ERRATA_USER_DICT or
# ${XDG_CONFIG_HOME:-$HOME/.config}/errata/user.dict (cli/common.c).
unset ERRATA_USER_DICT XDG_CONFIG_HOME
HOME=$(mktemp -d "${TMPDIR:-/tmp}/errata-bench-home.XXXXXX")
export HOME
trap 'rm -rf "$HOME"' EXIT

# ------------------------------------------------------------------ input

make_variants() {
    local dir=$bench/variants doc name family seed
    [[ -f $dir/.done ]] && return
    rm -rf "$dir"
    mkdir -p "$dir"
    for doc in corpus/docs/*.txt; do
        name=$(basename "$doc" .txt)
        for family in A B; do
            for seed in 1 2 3; do
                python3 scripts/corrupt.py --seed "$seed" --family "$family" "$doc" \
                    "$dir/$name.$family$seed.txt"
            done
            python3 scripts/corrupt.py --seed 7 --family "$family" --layout "$doc" \
                "$dir/$name.${family}L.txt"
        done
    done
    rm -f "$dir"/*.gold.json "$dir"/*.clean.txt
    touch "$dir/.done"
}

# Files of about file_bytes each (whole documents), megabytes in all.
make_input() {
    local stamp="$megabytes MB in files of $file_bytes bytes"
    [[ -f $bench/input/.done && $(cat "$bench/input/.done") == "$stamp" ]] && return
    rm -rf "$bench/input" "$bench/all.txt"
    mkdir -p "$bench/input"
    python3 - "$bench/variants" "$bench/input" "$megabytes" "$file_bytes" <<'EOF'
import pathlib, sys
variants = sorted(pathlib.Path(sys.argv[1]).glob("*.txt"))
out, total, per_file = pathlib.Path(sys.argv[2]), int(sys.argv[3]) * 10**6, int(sys.argv[4])
texts = [v.read_bytes() for v in variants]
written, index, k = 0, 0, 0
while written < total:
    chunk = bytearray()
    while len(chunk) < per_file:
        chunk += texts[k % len(texts)] + b"\n"
        k += 1
    (out / ("%04d.txt" % index)).write_bytes(chunk)
    written += len(chunk)
    index += 1
EOF
    cat "$bench/input"/*.txt >"$bench/all.txt"
    head -c 1200 "$bench/variants/$(ls "$bench/variants" | head -1)" |
        python3 -c 'import sys; b=sys.stdin.buffer.read(); sys.stdout.buffer.write(b[:b.rfind(b"\n")+1])' \
            >"$bench/1k.txt"
    echo "$stamp" >"$bench/input/.done"
}

# The variants as a corpus pipeline sees them: one document a file (a few
# KB each), each once.  In the big files every document recurs, which
# errata's caches of model scores profit from; here none does (start-up
# included: the set is small).
make_documents() {
    [[ -f $bench/documents/.once ]] && return
    rm -rf "$bench/documents"
    mkdir -p "$bench/documents"
    cp "$bench/variants"/*.txt "$bench/documents/"
    touch "$bench/documents/.once"
}

# The distinct text: the law texts, damaged, one document a file, and all of
# them in one file for OpenCC and sed.  Made again when the source or the
# scripts that make it change.
make_laws() {
    local stamp
    stamp="$(basename "$laws_source") $(cat scripts/bench_laws.py scripts/corrupt.py | sha256sum)"
    [[ -f $bench/laws/.done && $(cat "$bench/laws/.done") == "$stamp" ]] && return
    echo "bench: damaging the law texts of $laws_source (a few minutes, once) ..."
    rm -rf "$bench/laws" "$bench/laws-all.txt"
    python3 scripts/bench_laws.py "$laws_source" "$bench/laws" >/dev/null
    cat "$bench/laws"/*.txt >"$bench/laws-all.txt"
    echo "$stamp" >"$bench/laws/.done"
}

# A sed script replacing every corrupted form by its original, blindly.
make_sed_script() {
    awk -F'\t' '!/^#/ && NF >= 4 && $1 != "!keep" {
        gsub(/[\/&\\]/, "\\\\&", $1); gsub(/[\/&\\]/, "\\\\&", $2)
        print "s/" $1 "/" $2 "/g" }' dictionaries/swaps.dict >"$bench/swaps.sed"
}

# ------------------------------------------------------------------ measuring

bytes_of() { cat "$@" | wc -c; }

# Run a command (output discarded) runs times under GNU time: "SECONDS
# MAXRSS_KB", the shortest wall-clock time (to the microsecond: GNU time
# rounds to 10 ms) and the largest peak memory.
measure() {
    local run start best="" peak=0 seconds kib
    for run in $(seq 1 "$runs"); do
        start=$EPOCHREALTIME
        "$gnu_time" -f '%M' -o "$bench/time.out" "$@" >/dev/null 2>"$bench/stderr.out" || {
            echo "bench: failed: $*" >&2
            tail -5 "$bench/stderr.out" >&2
            return 1
        }
        seconds=$(python3 -c 'import sys; print(float(sys.argv[2]) - float(sys.argv[1]))' \
            "$start" "$EPOCHREALTIME")
        kib=$(cat "$bench/time.out")
        best=$(python3 -c 'import sys; print(min(float(a) for a in sys.argv[1:] if a))' "$seconds" "$best")
        (( kib > peak )) && peak=$kib
    done
    echo "$best $peak"
}

rate() { python3 -c 'import sys; print("%.2f" % (int(sys.argv[1]) / 1e6 / max(float(sys.argv[2]), 1e-9)))' "$@"; }

# Start-up: errata fix of 1 KB and, in the same minutes, an empty C program
# (the machine's floor: executing any dynamically linked program).  Prints
# errata's mean and median, then the empty program's, in milliseconds.
startup_ms() {
    local empty=$bench/empty-program
    [[ -x $empty ]] || printf 'int main(void) { return 0; }\n' | "${CC:-cc}" -O2 -x c - -o "$empty"
    if command -v hyperfine >/dev/null; then
        hyperfine -N --warmup 5 --runs 50 --export-json "$bench/startup.json" \
            "$empty" "$errata fix -q $bench/1k.txt" >/dev/null 2>&1
        python3 -c 'import json,sys
r = json.load(open(sys.argv[1]))["results"]
print(" ".join("%.1f" % (x * 1000) for x in (r[1]["mean"], r[1]["median"], r[0]["mean"], r[0]["median"])))' \
            "$bench/startup.json"
        return
    fi
    local times=() cmd i start
    for cmd in "$errata" "$empty"; do
        for i in $(seq 1 50); do
            start=$EPOCHREALTIME
            "$cmd" fix -q "$bench/1k.txt" >/dev/null
            times+=("$start" "$EPOCHREALTIME")
        done
    done
    python3 -c 'import statistics, sys
t = [float(x) for x in sys.argv[1:]]
d = [(t[i + 1] - t[i]) * 1000 for i in range(0, len(t), 2)]
print(" ".join("%.1f" % f(part) for part in (d[:50], d[50:]) for f in (statistics.mean, statistics.median)))' \
        "${times[@]}"
}

verdict() { python3 -c 'import sys; print("ok" if eval(sys.argv[1]) else "MISSED")' "$1"; }

# ------------------------------------------------------------------ run

ratio() { python3 -c 'import sys; print("nan" if "nan" in sys.argv[1:] else "%.2f" % (float(sys.argv[1]) / float(sys.argv[2])))' "$@"; }

# A row: label, value, unit, target, verdict or note.
row() { printf '%-52s %9s %-4s %8s  %s\n' "$@"; }

opencc_rate() { # all-in-one file, its bytes
    if ! command -v opencc >/dev/null; then echo nan; return; fi
    local t m
    read -r t m < <(measure opencc -c s2t.json -i "$1" -o /dev/null)
    rate "$2" "$t"
}

sed_rate() { # all-in-one file, its bytes
    local t m
    read -r t m < <(measure sed -f "$bench/swaps.sed" "$1")
    rate "$2" "$t"
}

peak_kib=0
note_peak() { (( $1 > peak_kib )) && peak_kib=$1; return 0; }

echo "bench: errata runs with no user configuration (ERRATA_USER_DICT and XDG_CONFIG_HOME unset, HOME an empty directory)"
echo "bench: preparing the inputs in $bench/ ..."
mkdir -p "$bench"
make_variants
make_input
make_documents
make_sed_script
[[ -n $laws_source && -f $laws_source ]] && make_laws
sed_rules=$(wc -l <"$bench/swaps.sed")

printf '\n'
row "measure" "value" "" "target" ""

if [[ -f $bench/laws/.done ]]; then
    law_files=$(ls "$bench/laws"/*.txt | wc -l)
    law_bytes=$(bytes_of "$bench/laws-all.txt")
    echo "Distinct text: $law_files law texts ($(basename "$laws_source")), damaged by scripts/corrupt.py"
    echo "(families A and B, layout damage), one document a file, $law_bytes bytes. Speed only, never"
    echo "accuracy: these texts are training data of the formal-text model."
    read -r t1 m1 < <(measure "$errata" fix -r -j 1 -q "$bench/laws")
    read -r t2 m2 < <(measure "$errata" fix -r -j 2 -q "$bench/laws")
    note_peak "$m1"; note_peak "$m2"
    r1=$(rate "$law_bytes" "$t1")
    r2=$(rate "$law_bytes" "$t2")
    ro=$(opencc_rate "$bench/laws-all.txt" "$law_bytes")
    speedup=$(ratio "$r2" "$r1")
    vs_opencc=$(ratio "$r1" "$ro")
    row "errata fix, 1 worker" "$r1" "MB/s" ">= 30" "$(verdict "$r1 >= 30")"
    row "errata fix, -j 2" "$r2" "MB/s" "" ""
    row "  -j 2 over 1 worker" "${speedup}x" "" ">= 1.8x" "$(verdict "$speedup >= 1.8")"
    row "opencc -c s2t.json" "$ro" "MB/s" "" ""
    row "  errata (1 worker) over OpenCC" "${vs_opencc}x" "" ">= 10x" \
        "$([[ $vs_opencc == nan ]] && echo "no opencc" || verdict "$vs_opencc >= 10")"
    row "sed, $sed_rules blind replacements" "$(sed_rate "$bench/laws-all.txt" "$law_bytes")" "MB/s" "" ""
    printf '(best of %s runs: %.3f s with 1 worker, %.3f s with -j 2)\n' "$runs" "$t1" "$t2"
else
    echo "Distinct text: skipped, no law texts (../shared/data/formal-zh/laws-lawrefbook-*.txt.xz; or set BENCH_LAWS)"
fi

bytes=$(bytes_of "$bench/input"/*.txt)
files=$(ls "$bench/input"/*.txt | wc -l)
variants=$(ls "$bench/variants"/*.txt | wc -l)
echo "Repeated text, for reference: $variants damaged variants of corpus/docs repeated to $bytes bytes in"
echo "$files files (every document recurs, which errata's caches profit from)."
read -r t1 m1 < <(measure "$errata" fix -r -j 1 -q "$bench/input")
read -r t2 m2 < <(measure "$errata" fix -r -j 2 -q "$bench/input")
note_peak "$m1"; note_peak "$m2"
read -r tn mn < <(measure "$errata" fix -r -j 1 -q --disable=lookalike "$bench/input")
read -r tc mc < <(measure "$errata" fix -r -j 1 -q --disable=lookalike,ocr,latin "$bench/input")
read -r td md < <(measure "$errata" fix -r -j 1 -q "$bench/documents")
r1=$(rate "$bytes" "$t1")
r2=$(rate "$bytes" "$t2")
ro=$(opencc_rate "$bench/all.txt" "$bytes")
row "errata fix, 1 worker" "$r1" "MB/s" "" ""
row "errata fix, -j 2" "$r2" "MB/s" "" ""
row "  -j 2 over 1 worker" "$(ratio "$r2" "$r1")x" "" "" ""
row "errata fix, 1 worker, look-alike pass off" "$(rate "$bytes" "$tn")" "MB/s" "" ""
row "  also the OCR and Latin passes off" "$(rate "$bytes" "$tc")" "MB/s" "" ""
row "  the variants one document a file ($(ls "$bench/documents"/*.txt | wc -l) files)" \
    "$(rate "$(bytes_of "$bench/documents"/*.txt)" "$td")" "MB/s" "" ""
row "opencc -c s2t.json" "$ro" "MB/s" "" ""
row "  errata (1 worker) over OpenCC" "$(ratio "$r1" "$ro")x" "" "" ""
row "sed, $sed_rules blind replacements" "$(sed_rate "$bench/all.txt" "$bytes")" "MB/s" "" ""
printf '(best of %s runs: %.3f s with 1 worker, %.3f s with -j 2)\n' "$runs" "$t1" "$t2"

# The Dask pipeline (python/errata/dask.py): a local cluster of 2 worker
# processes against errata fix -r -j 2, both writing every file into an
# output directory, on the distinct text when there is some.  The runs
# alternate (command, job, command, job...: scripts/bench_dask.py), so both
# see the same load; the ratio is of the best of each, the medians' beside it.
# Seven pairs, not $runs: a run of either side swings by a third with this
# machine's load, and with three pairs one lucky run decided the ratio.
dask_runs=${BENCH_DASK_RUNS:-7}
dask_input=$bench/laws
[[ -f $dask_input/.done ]] || dask_input=$bench/input
dask_bytes=$(bytes_of "$dask_input"/*.txt)
if /usr/bin/python3 -c 'import distributed' 2>/dev/null; then
    dask_times=$(PYTHONPATH=python ERRATA_LIBRARY="$(dirname "$errata")/liberrata.so" \
        /usr/bin/python3 scripts/bench_dask.py "$errata" "$dask_input" 2 "$dask_runs")
    read -r tj tk mj mk pairs <<<"$dask_times"
    rj=$(rate "$dask_bytes" "$tj")
    rk=$(rate "$dask_bytes" "$tk")
    echo "Dask ($(basename "$dask_input"), into an output directory; a job on a running local cluster):"
    row "errata fix -r -j 2 --output-dir" "$rj" "MB/s" "" ""
    row "python3 -m errata.dask, 2 local workers" "$rk" "MB/s" "" ""
    row "  Dask over errata fix -j 2" "$(ratio "$rk" "$rj")x" "" ">= 0.85x" "$(verdict "$rk >= 0.85 * $rj")"
    printf '(best of %s alternating runs: %.3f s the command, %.3f s the job; medians %.3f / %.3f s, ratio %s; run by run, median %sx)\n' \
        "$dask_runs" "$tj" "$tk" "$mj" "$mk" "$(ratio "$mj" "$mk")" "$pairs"
else
    echo "Dask: skipped, no python3-distributed"
fi

# The Python package (python/errata): Engine.fix over the same texts held
# in memory, on 1 thread and on 2 threads sharing the engine
# (scripts/bench_python.py), and a call's cost on a 100-character text.
read -r tp1 tp2 us_call us_joined < <(PYTHONPATH=python \
    ERRATA_LIBRARY="$(dirname "$errata")/liberrata.so" \
    /usr/bin/python3 scripts/bench_python.py "$dask_input" 2 "$runs")
echo "Python ($(basename "$dask_input"), texts in memory, one engine):"
row "Engine.fix, 1 thread" "$(rate "$dask_bytes" "$tp1")" "MB/s" "" ""
row "Engine.fix, 2 threads" "$(rate "$dask_bytes" "$tp2")" "MB/s" "" ""
row "  2 threads over 1" "$(ratio "$tp1" "$tp2")x" "" "" ""
row "Engine.fix of a 100-character text" "$us_call" "us" "" \
    "($us_joined us a 100 characters joined into one text)"

# One huge document: corpus text repeated to $huge_mb MB on a single line
# (issue 12), fix and check each run once; the target is peak memory within
# twice its size + 100 MB.  (Not counted in the peak memory below.)
huge_mb=${HUGE_MB:-200}
huge=$bench/huge.txt
tr -d '\n' <"$bench/all.txt" >"$bench/huge-seed.txt"
while (( $(stat -c %s "$huge" 2>/dev/null || echo 0) < huge_mb * 1000000 )); do
    cat "$bench/huge-seed.txt" >>"$huge"
done
huge_bytes=$(stat -c %s "$huge")
read -r thf mhf < <(runs=1 measure "$errata" fix -q "$huge")
# check exits with 1 when it finds something: only 2 is a failure.
read -r thc mhc < <(runs=1 measure bash -c '"$0" check -q "$1"; (( $? < 2 ))' "$errata" "$huge")
rm -f "$huge" "$bench/huge-seed.txt"
huge_limit=$((2 * huge_bytes / 1000000 + 100))
echo "One document of $huge_mb MB on one line (run once):"
row "errata fix" "$(rate "$huge_bytes" "$thf")" "MB/s" "" ""
row "  peak memory" "$((mhf / 1024))" "MB" "< $huge_limit" "$(verdict "$((mhf / 1024)) < $huge_limit")"
row "errata check" "$(rate "$huge_bytes" "$thc")" "MB/s" "" ""
row "  peak memory" "$((mhc / 1024))" "MB" "< $huge_limit" "$(verdict "$((mhc / 1024)) < $huge_limit")"

echo "Both:"
read -r startup startup_median floor floor_median < <(startup_ms)
peak=$((peak_kib / 1024))
row "start-up (load + fix 1 KB)" "$startup" "ms" "< 30" "$(verdict "$startup < 30")"
row "  median" "$startup_median" "ms" "" ""
row "  machine floor: an empty C program, mean / median" "$floor / $floor_median" "ms" "" \
    "(the same minutes)"
row "peak memory (largest of the 1-worker and -j 2 runs)" "$peak" "MB" "< 150" "$(verdict "$peak < 150")"
