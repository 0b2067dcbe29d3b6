#!/usr/bin/env bash
# Render each clean document of SET/clean/ to a page image, degrade the image
# at several levels, and read it back with tesseract (chi_sim), writing
# SET/<level>/<doc>.txt.  The sets are corpus/ocr-tuning (the default),
# corpus/heldout/ocr and corpus/ocr-train.  The output is committed, so tests
# and eval need no OCR engine; run this again only to regenerate it.
# With LEVEL names, only those levels are read.  With OCR_RESUME=1 a reading
# that exists is kept (scripts/ocr-formal.sh reads hundreds of pages in
# several sittings).
#
# Needs: tesseract-ocr tesseract-ocr-chi-sim fonts-noto-cjk pango1.0-tools imagemagick
# Usage: scripts/ocr-roundtrip.sh [SET [LEVEL...]]
set -euo pipefail

root=${1:-corpus/ocr-tuning}
shift || true
wanted=("$@")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# level name, then the ImageMagick operators applied to the 300 dpi page.
# The noise seed is fixed so that a rerun gives the same images.
levels=(
    "clean-scan|"
    "light|-resize 40% -blur 0x0.5 -attenuate 0.5 +noise Gaussian -quality 35"
    "moderate|-resize 31% -blur 0x0.7 -quality 30"
    "heavy|-resize 27% -blur 0x0.7 -attenuate 0.4 +noise Gaussian -quality 30"
)

render() { # text file, png
    pango-view --font="Noto Sans CJK SC 12" --dpi=300 -q --width=450 --wrap=word-char \
        --margin=60 --background=white -o "$2" "$1"
}

degrade() { # png, operators, jpg
    # shellcheck disable=SC2086  # the operators are meant to split into words
    convert "$1" -colorspace Gray -seed 7 $2 "$3"
}

recognise() { # image, output base
    OMP_THREAD_LIMIT=1 tesseract "$1" "$2" -l chi_sim --psm 6 -c page_separator= 2>/dev/null
}

is_wanted() { # level
    [ ${#wanted[@]} -eq 0 ] && return 0
    local w
    for w in "${wanted[@]}"; do [ "$w" = "$1" ] && return 0; done
    return 1
}

for doc in "$root"/clean/*.txt; do
    name=$(basename "$doc" .txt)
    rendered=
    for spec in "${levels[@]}"; do
        level=${spec%%|*}
        is_wanted "$level" || continue
        [ "${OCR_RESUME:-0}" = 1 ] && [ -e "$root/$level/$name.txt" ] && continue
        [ -n "$rendered" ] || { render "$doc" "$work/$name.png"; rendered=1; }
        mkdir -p "$root/$level"
        degrade "$work/$name.png" "${spec#*|}" "$work/$name-$level.jpg"
        recognise "$work/$name-$level.jpg" "$root/$level/$name"
        echo "$level/$name.txt"
    done
done
