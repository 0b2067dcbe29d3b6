#!/usr/bin/env bash
# Teach the look-alike table what tesseract confuses, from far more text than
# corpus/ocr-train holds: take PAGES pages of the clean formal training text
# (../shared/data/formal-zh; scripts/ocr-formal-pages.py), read them back
# through the OCR round trip of scripts/ocr-roundtrip.sh, the first
# HEAVY_PAGES at moderate and heavy degradation, the rest at moderate only
# (the level `make eval` sets its target on; heavy readings give five times
# the substitutions, mostly glyphs too blurred to be look-alikes), and count
# the substitutions into corpus/ocr-train/formal-substitutions.tsv, which
# scripts/build-lookalike.py reads.  Only the counts are committed: the pages
# come back from ../shared byte for byte, and the readings would be megabytes.
#
# tesseract is slow (about 2 CPU-seconds a page and level): the readings are
# kept in build/ocr-formal/ and a rerun goes on where the last one stopped.
#
# Needs what scripts/ocr-roundtrip.sh needs.
# Usage: scripts/ocr-formal.sh [PAGES [HEAVY_PAGES]]
set -euo pipefail

pages=${1:-188}
heavy_pages=${2:-80}
set_dir=build/ocr-formal

read_pages() { # count, levels...
    local count=$1
    shift
    rm -rf "$set_dir/clean"
    python3 scripts/ocr-formal-pages.py "$set_dir/clean" --pages "$count"
    OCR_RESUME=1 nice -n 10 scripts/ocr-roundtrip.sh "$set_dir" "$@" >/dev/null
}

read_pages "$heavy_pages" moderate heavy
read_pages "$pages" moderate
python3 scripts/count-ocr-substitutions.py "$set_dir" --out corpus/ocr-train/formal-substitutions.tsv
