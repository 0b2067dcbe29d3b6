#!/usr/bin/env python3
"""OCR round-trip figures for `make eval`: the character error rate (edit
distance / length of the clean text, whitespace ignored) of the tesseract
output in <set>/<level>/ against <set>/clean/, before and after `errata fix`,
for two sets:

  corpus/ocr-tuning   tuning: the look-alike margins were swept on it, the
                      first look-alike table was learnt from it, unit tests
                      use its sentences
  corpus/heldout/ocr  held out: documents no rule or parameter has seen;
                      only its figures are printed, never errata's edits

Also the alignment helpers that scripts/build-lookalike.py uses.

Usage alone: scripts/eval_ocr.py [--errata build/errata] [--corpus corpus]
"""
import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import no_user_config  # noqa: E402

LEVELS = ("clean-scan", "light", "moderate", "heavy")


def strip_space(text):
    return "".join(text.split())


def alignment(ref, hyp):
    """Levenshtein alignment of two strings: (distance, [(ref_piece, hyp_piece)])
    where each pair is a match, a substitution, an insertion or a deletion."""
    n, m = len(ref), len(hyp)
    prev = list(range(m + 1))
    rows = [prev]
    for i in range(1, n + 1):
        cur = [i] + [0] * m
        r = ref[i - 1]
        for j in range(1, m + 1):
            cost = prev[j - 1] + (r != hyp[j - 1])
            cur[j] = min(cost, prev[j] + 1, cur[j - 1] + 1)
        rows.append(cur)
        prev = cur
    pairs = []
    i, j = n, m
    while i or j:
        if i and j and rows[i][j] == rows[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]):
            pairs.append((ref[i - 1], hyp[j - 1]))
            i, j = i - 1, j - 1
        elif i and rows[i][j] == rows[i - 1][j] + 1:
            pairs.append((ref[i - 1], ""))
            i -= 1
        else:
            pairs.append(("", hyp[j - 1]))
            j -= 1
    pairs.reverse()
    return rows[n][m], pairs


def aligned_readings(root):
    """(level, clean text, alignment pieces) for each reading root/<level>/NAME
    of a page root/clean/NAME, spaces stripped from both."""
    for clean in sorted((root / "clean").glob("*.txt")):
        reference = strip_space(clean.read_text(encoding="utf-8"))
        for level in LEVELS:
            path = root / level / clean.name
            if path.exists():
                _, pieces = alignment(reference, strip_space(path.read_text(encoding="utf-8")))
                yield level, reference, pieces


def edit_distance(ref, hyp):
    """Levenshtein distance, the common ends skipped first."""
    while ref and hyp and ref[0] == hyp[0]:
        ref, hyp = ref[1:], hyp[1:]
    while ref and hyp and ref[-1] == hyp[-1]:
        ref, hyp = ref[:-1], hyp[:-1]
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i]
        for j, h in enumerate(hyp, 1):
            cur.append(min(prev[j - 1] + (r != h), prev[j] + 1, cur[j - 1] + 1))
        prev = cur
    return prev[-1]


# (directory under the corpus, what it is) of each set, in report order.
OCR_SETS = (
    ("ocr-tuning", "tuning: the look-alike margins were swept on it, unit tests use its sentences"),
    ("heldout/ocr", "held out: no rule or parameter has seen it"),
)


def level_errors(root, level, fix):
    """(clean characters, errors before, errors after fix or None) of a level
    of the set in directory root; level "clean" reads the clean documents
    themselves."""
    chars = before = after = 0
    for clean in sorted((root / "clean").glob("*.txt")):
        reference = strip_space(clean.read_text(encoding="utf-8"))
        read = clean if level == "clean" else root / level / clean.name
        chars += len(reference)
        before += edit_distance(reference, strip_space(read.read_text(encoding="utf-8")))
        if fix:
            after += edit_distance(reference, strip_space(fix(read).decode("utf-8")))
    return chars, before, after if fix else None


def ocr_round_trip_report(corpus, fix):
    """Print the section; fix(path) gives `errata fix` output (None: no errata)."""
    print("OCR round trip (documents of our own read back by tesseract chi_sim; the look-alike "
          "table learns only from corpus/ocr-train), character error rate, whitespace ignored:")
    for directory, what in OCR_SETS:
        root = corpus / directory
        documents = len(list((root / "clean").glob("*.txt")))
        print(f" corpus/{directory} ({documents} documents; {what}):")
        set_report(root, fix)


def set_report(root, fix):
    for level in ("clean",) + LEVELS:
        if not (root / level).is_dir() and level != "clean":
            continue
        chars, before, after = level_errors(root, level, fix)
        line = f"  {level:<10}  before {before / chars:6.2%} ({before})"
        if after is not None:
            line += f"   after errata fix {after / chars:6.2%} ({after})"
            if before:
                line += f"   errors removed {1 - after / before:6.1%}"
        print(line)


def run_fix(errata, path):
    proc = subprocess.run([errata, "fix", str(path)], capture_output=True, timeout=300)
    if proc.returncode not in (0, 1):
        sys.exit(f"errata fix {path}: exit status {proc.returncode}\n"
                 + proc.stderr.decode(errors="replace")[-2000:])
    return proc.stdout


def main():
    root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description="OCR round-trip figures of errata.")
    parser.add_argument("--errata", help="errata executable (omit: OCR figures only)")
    parser.add_argument("--corpus", type=Path, default=root / "corpus")
    args = parser.parse_args()
    errata = str(Path(args.errata).resolve()) if args.errata else None
    if errata:
        print(no_user_config.isolate())
    ocr_round_trip_report(args.corpus.resolve(), errata and (lambda p: run_fix(errata, p)))


if __name__ == "__main__":
    main()
