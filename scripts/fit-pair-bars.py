#!/usr/bin/env python3
"""Learn the per-pair bars of the judge (PAIR_BARS in lib/judge.c) from
simulated damage: `make pair-bars`.

usage: fit-pair-bars.py ERRATA REPORTS DOCS_DIR

REPORTS is clean text, documents separated by a blank line (the State
Council's work reports: scripts/extract-formal-sources.py
state-council-reports); DOCS_DIR holds clean documents (corpus/docs).  Each
report is cut into documents of about CHUNK_CHARS characters, each document
of DOCS_DIR is taken DOC_SEEDS times, and every one is damaged as
scripts/corrupt.py damages the evaluation corpus (families A and B in turn, a
third with layout damage too; the seeds differ from the committed corpus's).

errata checks them with every threshold at 0, so that each contextual
candidate the judge chooses to repair is listed with its margin and the
margin it needed.  A choice is right when the gold annotation makes the same
repair.  A logistic of (margin - needed margin, with PAIR_BARS taken out)
with one intercept per pair (L2-penalised, so that a rare pair stays near
the average) says how reliable each pair's choices are; the script prints
the C table: the bar of a pair rises by how much less reliable than
TARGET_LOGIT its choices are, and falls, by at most MAX_LOWERING, only for a
pair whose intercept is at least LOWER_MIN_INTERCEPT.  The output depends
only on the inputs and the errata given (no randomness outside fixed seeds).
"""
import json
import math
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corrupt  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CHUNK_CHARS = 2000
DOC_SEEDS = range(10, 30)
FILES_A_RUN = 200
L2 = 10.0
TARGET_LOGIT = 0.5        # where the table puts the default apply threshold
LOWER_MIN_INTERCEPT = 0.3
MAX_LOWERING = 1.5
# A choice that fell shorter of the bar between two originals (its reason reads
# 'prefers "按照" to "根据" by ... needed between two originals') does not match:
# that bar is not the pair's.
REASON = re.compile(r'prefers "[^"]+" by (-?[0-9.]+) \(log10; (-?[0-9.]+) needed\): '
                    r'([0-9]+) swap markers')
TABLE_ROW = re.compile(r'\{"([^"]+)", "([^"]+)", (-?[0-9.]+)\},')


def report_documents(path):
    """The reports cut into documents at paragraph ends."""
    for report in path.read_text(encoding="utf-8").split("\n\n"):
        chunk, size = [], 0
        for paragraph in report.split("\n"):
            if paragraph.strip():
                chunk.append(paragraph)
                size += len(paragraph)
            if size >= CHUNK_CHARS:
                yield "\n".join(chunk) + "\n"
                chunk, size = [], 0
        if size > 300:
            yield "\n".join(chunk) + "\n"


def damaged_documents(reports, docs_dir):
    """(name, damaged text, gold) for every simulated document."""
    for n, clean in enumerate(report_documents(reports)):
        family, layout = "AB"[n % 2], n % 3 == 2
        yield (f"report{n:04d}", *corrupt.damage(clean, family, layout, 1000 + n))
    for doc in sorted(docs_dir.glob("*.txt")):
        clean = doc.read_text(encoding="utf-8")
        for seed in DOC_SEEDS:
            for family in "AB":
                layout = seed % 3 == 0
                yield (f"{doc.stem}.{family}{seed}",
                       *corrupt.damage(clean, family, layout,
                                       corrupt.document_seed(doc.stem, family, layout, seed)))


def current_bars():
    """PAIR_BARS as lib/judge.c has it now: (corrupted, original) -> offset."""
    source = (ROOT / "lib" / "judge.c").read_text(encoding="utf-8")
    table = source[source.index("PAIR_BARS[] = {"):]
    table = table[:table.index("};")]
    return {(m[1], m[2]): float(m[3]) for m in TABLE_ROW.finditer(table)}


def choices(errata, directory, names, golds, bars):
    """(pair, margin over the bar without PAIR_BARS, right) of every contextual choice."""
    rows = []
    for start in range(0, len(names), FILES_A_RUN):
        paths = [str(directory / f"{name}.txt") for name in names[start:start + FILES_A_RUN]]
        out = subprocess.run([errata, "check", "--format=jsonl", "--threshold=0", *paths],
                             capture_output=True, check=False)
        if out.returncode not in (0, 1):
            sys.exit(f"errata check failed: {out.stderr.decode(errors='replace')}")
        for line in out.stdout.decode("utf-8").splitlines():
            edit = json.loads(line)
            reason = REASON.search(edit["reason"])
            if edit["kind"] != "swap" or not reason:
                continue
            pair = (edit["old"], edit["new"])
            # the needed margin is printed to 0.1; without PAIR_BARS it is a multiple of
            # 0.5 (a bar is not lowered in a document with a single certain repair)
            bar = bars.get(pair, 0.0)
            if bar > 0 and int(reason[3]) < 2:
                bar = 0.0
            needed = round(2 * (float(reason[2]) + bar)) / 2
            gold = golds[Path(edit["file"]).stem]
            right = gold.get(edit["cp_start"]) == (edit["old"], edit["new"])
            rows.append((pair, float(reason[1]) - needed, right))
    return rows


def solve(matrix, vector):
    """Gaussian elimination with partial pivoting."""
    n = len(vector)
    a = [row[:] + [v] for row, v in zip(matrix, vector)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(col + 1, n):
            factor = a[r][col] / a[col][col]
            if factor:
                for c in range(col, n + 1):
                    a[r][c] -= factor * a[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (a[r][n] - sum(a[r][c] * x[c] for c in range(r + 1, n))) / a[r][r]
    return x


def fit(rows, pairs):
    """Slope, intercept and per-pair intercepts of the logistic, by Newton's method."""
    index = {p: 2 + i for i, p in enumerate(pairs)}
    n = 2 + len(pairs)
    w = [0.0] * n
    for _ in range(30):
        grad = [0.0] * n
        hess = [[0.0] * n for _ in range(n)]
        for pair, x, right in rows:
            features = ((0, x), (1, 1.0), (index[pair], 1.0))
            z = sum(w[i] * v for i, v in features)
            p = 1 / (1 + math.exp(-z))
            for i, v in features:
                grad[i] += (p - right) * v
                for j, u in features:
                    hess[i][j] += p * (1 - p) * v * u
        for i in range(2, n):
            grad[i] += L2 * w[i]
            hess[i][i] += L2
        step = solve(hess, grad)
        w = [wi - si for wi, si in zip(w, step)]
        if max(abs(s) for s in step) < 1e-9:
            break
    return w[0], w[1], {p: w[index[p]] for p in pairs}


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.split("\n\n")[1])
    errata, reports, docs_dir = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    bars = current_bars()
    with tempfile.TemporaryDirectory() as tmp:
        directory, names, golds = Path(tmp), [], {}
        for name, text, gold in damaged_documents(reports, docs_dir):
            (directory / f"{name}.txt").write_text(text, encoding="utf-8")
            names.append(name)
            golds[name] = {e["offset"]: (e["wrong"], e["right"]) for e in gold["edits"]}
        rows = choices(errata, directory, names, golds, bars)
    pairs = sorted({pair for pair, _, _ in rows})
    slope, intercept, by_pair = fit(rows, pairs)
    right = sum(r for _, _, r in rows)
    print(f"    /* {len(names)} documents, {len(rows)} choices ({right} right); "
          f"slope {slope:.3f}, intercept {intercept:.3f} */")
    for pair in sorted(pairs, key=lambda p: (p[0].encode(), p[1].encode())):
        lowering = (intercept + by_pair[pair] - TARGET_LOGIT) / slope
        if lowering > 0 and by_pair[pair] < LOWER_MIN_INTERCEPT:
            lowering = 0.0
        lowering = round(min(lowering, MAX_LOWERING), 2)
        if lowering:
            print(f'    {{"{pair[0]}", "{pair[1]}", {lowering:.2f}}},')
    return 0


if __name__ == "__main__":
    sys.exit(main())
