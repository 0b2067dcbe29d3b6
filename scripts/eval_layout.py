#!/usr/bin/env python3
"""Layout repair figures: character error rate before and after `errata fix`.

For each clean document in corpus/docs/, scripts/damage_layout.py makes a
damaged copy; errata fixes it with the word passes switched off (so only the
layout, punctuation, quote and number passes count), and the edit distance to
the clean original, per character of the original, is taken before and after.
"Repaired" is the share of the damage (the distance before) that the fix
removed.  Three sets:

  layout+punct  damage_layout.py's layout and punctuation kinds only
  full          all its kinds, with 2023-for-20 and deleted years, which errata
                only proposes or flags (so they stay in the figures)
  clean         the originals themselves: any distance after is new damage

and, when corpus/damaged/layout/ exists (scripts/corrupt.py --layout), its
documents measured against their gold with the word damage left in.  All of
that is tuning data; the same figures follow for the held-out documents
(corpus/heldout/docs/ damaged by damage_layout.py, and
corpus/heldout/damaged/layout/), never with --details.

    eval_layout.py [--errata build/errata] [--details]
"""

import argparse
import difflib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import damage_layout  # noqa: E402
import no_user_config  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIX_ARGS = ["fix", "--quiet", "--disable=swap,lookalike"]


def levenshtein(a, b):
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            current[j] = min(previous[j - 1] + (ca != cb), previous[j] + 1, current[j - 1] + 1)
        previous = current
    return previous[-1]


def edit_distance(reference, text):
    """Levenshtein distance, computed exactly inside each stretch where
    difflib's alignment finds the texts differ (an upper bound that is exact
    for scattered damage, and fast on whole documents)."""
    matcher = difflib.SequenceMatcher(None, reference, text, autojunk=False)
    return sum(levenshtein(reference[i1:i2], text[j1:j2])
               for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal")


def errata_fix(errata, text):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as f:
        f.write(text)
        path = f.name
    try:
        proc = subprocess.run([errata, *FIX_ARGS, path], capture_output=True, timeout=120)
    finally:
        Path(path).unlink()
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"errata fix: exit status {proc.returncode}: "
                           + proc.stderr.decode(errors="replace")[-500:])
    return proc.stdout.decode("utf-8")


class Tally:
    def __init__(self, name):
        self.name, self.chars, self.before, self.after = name, 0, 0, 0

    def add(self, reference, damaged, fixed):
        reference, damaged, fixed = (t.rstrip("\n") for t in (reference, damaged, fixed))
        before, after = edit_distance(reference, damaged), edit_distance(reference, fixed)
        self.chars += len(reference)
        self.before += before
        self.after += after
        return before, after

    def line(self):
        repaired = 100 * (self.before - self.after) / self.before if self.before else 0.0
        per = 100 / max(self.chars, 1)
        return (f"  {self.name:<14} CER before {self.before * per:6.2f}%  after {self.after * per:6.2f}%"
                f"  repaired {repaired:5.1f}%  ({self.before} -> {self.after} edits, {self.chars} chars)")


def document_line(name, length, before, after):
    repaired = 100 * (before - after) / before if before else 0.0
    return (f"    {name:<34} CER {100 * before / length:6.2f}% -> {100 * after / length:6.2f}%"
            f"  repaired {repaired:5.1f}%")


def gold_target(damaged, gold):
    """The damaged text with only its layout damage undone."""
    text = damaged
    for _, e in sorted(enumerate(gold["layout"]), key=lambda p: (-p[1]["offset"], -p[0])):
        text = text[:e["offset"]] + e["right"] + text[e["offset"] + len(e["wrong"]):]
    return text


def own_sets(errata, docs, details):
    sets = [("layout+punct", damage_layout.LAYOUT_KINDS), ("full", damage_layout.KINDS)]
    tallies = []
    for name, kinds in sets:
        tally = Tally(name)
        lines = []
        for doc in docs:
            clean = doc.read_text(encoding="utf-8")
            damaged = damage_layout.damage(clean, damage_layout.document_seed(doc.name, 1), kinds)
            before, after = tally.add(clean, damaged, errata_fix(errata, damaged))
            lines.append(document_line(doc.name, len(clean), before, after))
        tallies.append((tally, lines))
    clean_tally = Tally("clean")
    for doc in docs:
        clean = doc.read_text(encoding="utf-8")
        clean_tally.add(clean, clean, errata_fix(errata, clean))
    tallies.append((clean_tally, []))
    for tally, lines in tallies:
        print(tally.line())
        if details:
            print("\n".join(lines))


def corrupt_set(errata, directory, details):
    tally = Tally("corrupt.py")
    lines = []
    for path in sorted(directory.glob("*.txt")):
        if path.name.endswith(".clean.txt"):
            continue
        gold = json.loads(path.with_suffix(".gold.json").read_text(encoding="utf-8"))
        damaged = path.read_text(encoding="utf-8")
        target = gold_target(damaged, gold)
        before, after = tally.add(target, damaged, errata_fix(errata, damaged))
        lines.append(document_line(path.name, len(target), before, after))
    if tally.chars:
        print(tally.line())
        if details:
            print("\n".join(lines))


def run(errata_path, details=False):
    """Print the layout section of the evaluation."""
    print("Layout repair (errata fix --disable=swap,lookalike):")
    corpus = ROOT / "corpus"
    for name, docs_dir, layout_dir, shown in (
            ("tuning", corpus / "docs", corpus / "damaged" / "layout", details),
            ("held out, never tuned on", corpus / "heldout" / "docs",
             corpus / "heldout" / "damaged" / "layout", False)):
        docs = sorted(docs_dir.glob("*.txt"))
        print(f" {name}: the {len(docs)} documents of {docs_dir.relative_to(ROOT)}/ damaged by "
              f"scripts/damage_layout.py; corrupt.py: {layout_dir.relative_to(ROOT)}/")
        own_sets(errata_path, docs, shown)
        corrupt_set(errata_path, layout_dir, shown)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--errata", default=str(ROOT / "build" / "errata"))
    parser.add_argument("--details", action="store_true", help="a line per document")
    args = parser.parse_args()
    print(no_user_config.isolate())
    run(args.errata, args.details)


if __name__ == "__main__":
    main()
