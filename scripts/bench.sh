#!/usr/bin/env bash
# make bench: speed figures for errata, measured in one run on one input.
#
#   bash scripts/bench.sh path/to/errata
#
# The input is damaged Chinese text made by scripts/corrupt.py from the
# documents in corpus/docs/ (several seeds, both swap families, layout
# damage), repeated up to BENCH_MB megabytes (default 20) and cut into
# files of about half a megabyte, in build/bench/ (not committed).
# Printed: errata fix throughput with one worker and with -j 2 (and with
# one worker, the look-alike pass off, then also the OCR and Latin passes:
# what the swap, layout and judging work costs alone), the same
# input through OpenCC (s2t) and through a plain sed replacement list made
# from dictionaries/swaps.dict, start-up time (load + fix 1 KB; hyperfine
# when installed) and peak memory (GNU time), each against its target.
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

# A sed script replacing every corrupted form by its original, blindly.
make_sed_script() {
    awk -F'\t' '!/^#/ && NF >= 4 && $1 != "!keep" {
        gsub(/[\/&\\]/, "\\\\&", $1); gsub(/[\/&\\]/, "\\\\&", $2)
        print "s/" $1 "/" $2 "/g" }' dictionaries/swaps.dict >"$bench/swaps.sed"
}

# ------------------------------------------------------------------ measuring

input_bytes() { cat "$bench/input"/*.txt | wc -c; }

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

startup_ms() {
    if command -v hyperfine >/dev/null; then
        hyperfine -N --warmup 5 --runs 50 --export-json "$bench/startup.json" \
            "$errata fix -q $bench/1k.txt" >/dev/null 2>&1
        python3 -c 'import json,sys; print("%.1f" % (json.load(open(sys.argv[1]))["results"][0]["mean"]*1000))' \
            "$bench/startup.json"
        return
    fi
    local start=$EPOCHREALTIME i
    for i in $(seq 1 50); do "$errata" fix -q "$bench/1k.txt" >/dev/null; done
    python3 -c 'import sys; print("%.1f" % ((float(sys.argv[2]) - float(sys.argv[1])) * 1000 / 50))' \
        "$start" "$EPOCHREALTIME"
}

verdict() { python3 -c 'import sys; print("ok" if eval(sys.argv[1]) else "MISSED")' "$1"; }

# ------------------------------------------------------------------ run

echo "bench: preparing $megabytes MB of damaged text in $bench/ ..."
mkdir -p "$bench"
make_variants
make_input
make_documents
make_sed_script
bytes=$(input_bytes)
files=$(ls "$bench/input"/*.txt | wc -l)
echo "bench: input $bytes bytes in $files files ($(ls "$bench/variants"/*.txt | wc -l) damaged variants repeated)"

read -r t1 m1 < <(measure "$errata" fix -r -j 1 -q "$bench/input")
read -r t2 m2 < <(measure "$errata" fix -r -j 2 -q "$bench/input")
read -r tn mn < <(measure "$errata" fix -r -j 1 -q --disable=lookalike "$bench/input")
read -r tc mc < <(measure "$errata" fix -r -j 1 -q --disable=lookalike,ocr,latin "$bench/input")
read -r td md < <(measure "$errata" fix -r -j 1 -q "$bench/documents")
read -r to mo < <(if command -v opencc >/dev/null; then
    measure opencc -c s2t.json -i "$bench/all.txt" -o /dev/null
else echo "nan 0"; fi)
read -r ts ms < <(measure sed -f "$bench/swaps.sed" "$bench/all.txt")
r1=$(rate "$bytes" "$t1")
r2=$(rate "$bytes" "$t2")
rn=$(rate "$bytes" "$tn")
rc=$(rate "$bytes" "$tc")
document_bytes=$(cat "$bench/documents"/*.txt | wc -c)
document_files=$(ls "$bench/documents"/*.txt | wc -l)
rd=$(rate "$document_bytes" "$td")
ro=$([[ $to == nan ]] && echo nan || rate "$bytes" "$to")
rs=$(rate "$bytes" "$ts")
startup=$(startup_ms)
speedup=$(python3 -c 'import sys; print("%.2f" % (float(sys.argv[1]) / float(sys.argv[2])))' "$r2" "$r1")
vs_opencc=$(python3 -c 'import sys; print("nan" if sys.argv[2] == "nan" else "%.2f" % (float(sys.argv[1]) / float(sys.argv[2])))' "$r1" "$ro")
peak=$(( (m1 > m2 ? m1 : m2) / 1024 ))

printf '\n%-44s %12s %10s  %s\n' "measure" "value" "target" ""
printf '%-44s %9s MB/s %10s  %s\n' "errata fix, 1 worker" "$r1" ">= 30" "$(verdict "$r1 >= 30")"
printf '%-44s %9s MB/s %10s  %s\n' "errata fix, -j 2" "$r2" "" ""
printf '%-44s %11sx %10s  %s\n' "  -j 2 over 1 worker" "$speedup" ">= 1.8x" "$(verdict "$speedup >= 1.8")"
printf '%-44s %9s MB/s %10s  %s\n' "errata fix, 1 worker, look-alike pass off" "$rn" "" "(for reference)"
printf '%-44s %9s MB/s %10s  %s\n' "  also the OCR and Latin passes off" "$rc" "" "(for reference)"
printf '%-44s %9s MB/s %10s  %s\n' "  one document a file ($document_files files)" "$rd" "" "(for reference)"
printf '%-44s %9s MB/s %10s  %s\n' "opencc -c s2t.json" "$ro" "" ""
printf '%-44s %11sx %10s  %s\n' "  errata (1 worker) over OpenCC" "$vs_opencc" ">= 10x" \
    "$([[ $vs_opencc == nan ]] && echo "no opencc" || verdict "$vs_opencc >= 10")"
printf '%-44s %9s MB/s %10s  %s\n' "sed, $(wc -l <"$bench/swaps.sed") blind replacements" "$rs" "" ""
printf '%-44s %10s ms %10s  %s\n' "start-up (load + fix 1 KB)" "$startup" "< 30" "$(verdict "$startup < 30")"
printf '%-44s %10s MB %10s  %s\n' "peak memory (largest of the two runs)" "$peak" "< 150" "$(verdict "$peak < 150")"
printf '\n(best of %s runs: %.3f s with 1 worker, %.3f s with -j 2; %s MB and %s MB peak)\n' \
    "$runs" "$t1" "$t2" "$((m1 / 1024))" "$((m2 / 1024))"
