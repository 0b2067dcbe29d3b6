#!/usr/bin/env python3
"""Count the Han-for-Han substitutions tesseract made in an OCR round trip:
SET/<level>/<page>.txt aligned with SET/clean/<page>.txt (whitespace
ignored, as scripts/eval_ocr.py aligns), for scripts/build-lookalike.py.

Usage: scripts/count-ocr-substitutions.py SET [--out FILE]
writes (default: standard output) a header of comment lines saying what was
read, then `seen<TAB>original<TAB>level<TAB>count<TAB>pages` lines, most
frequent first: at that level tesseract wrote `seen` for `original` count
times, where the clean pages held `original` this many times (so that a
reader can tell a frequent confusion from a frequent character).
"""
import argparse
import collections
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import eval_ocr  # noqa: E402

HEADER = "errata-ocr-substitutions 1"


def is_han(ch):
    return len(ch) == 1 and ("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")


def count(root):
    """Counter of (seen, original, level); Counter of (level, character) in
    the clean pages; Counter of (level, "pages" or "characters")."""
    counts, held, read = collections.Counter(), collections.Counter(), collections.Counter()
    for level, reference, pieces in eval_ocr.aligned_readings(root):
        counts.update((seen, original, level) for original, seen in pieces
                      if original != seen and is_han(original) and is_han(seen))
        held.update((level, ch) for ch in reference)
        read[(level, "pages")] += 1
        read[(level, "characters")] += len(reference)
    return counts, held, read


def tesseract_version():
    try:
        out = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout
        return out.splitlines()[0] if out else "unknown"
    except OSError:
        return "unknown"


def write(out, root, counts, held, read):
    out.write(f"# Han-for-Han substitutions of {tesseract_version()} (chi_sim, --psm 6) in the\n"
              f"# OCR round trip of {root.name}/ (scripts/count-ocr-substitutions.py).\n")
    for level in eval_ocr.LEVELS:
        if read[(level, "pages")]:
            out.write(f"# {level}: {read[(level, 'pages')]} pages, "
                      f"{read[(level, 'characters')]} characters\n")
    out.write("# seen <TAB> original <TAB> level <TAB> count <TAB> original in the clean pages\n")
    out.write(HEADER + "\n")
    for (seen, original, level), n in sorted(counts.items(), key=lambda c: (-c[1], c[0])):
        out.write(f"{seen}\t{original}\t{level}\t{n}\t{held[(level, original)]}\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    counts, held, read = count(args.set)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as out:
            write(out, args.set, counts, held, read)
    else:
        write(sys.stdout, args.set, counts, held, read)


if __name__ == "__main__":
    main()
