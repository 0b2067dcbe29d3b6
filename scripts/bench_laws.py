#!/usr/bin/env python3
"""The distinct-text input of `make bench`: the law texts of
../shared/data/formal-zh/ damaged by scripts/corrupt.py, one document a file.

    bench_laws.py LAWS.txt.xz OUT_DIR

The source holds 3,401 texts separated by blank lines; the 27 that are only
a front-matter stub (---, bookCollapseSection: true, ---) are skipped.  Text
number i (from 0, in file order) is written to OUT_DIR/law-NNNN.txt (NNNN =
i + 1), damaged by swap family A when i is even and B when it is odd, always
with layout damage, with corrupt.py's seed for that name (base seed 1): the
same source gives the same files byte for byte.

These texts are training data of the project's formal-text model, so this
input measures speed only, never accuracy.
"""

import lzma
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corrupt  # noqa: E402

FRONT_MATTER = "---\nbookCollapseSection: true\n---"


def law_texts(source):
    with lzma.open(source, "rt", encoding="utf-8") as f:
        blocks = f.read().split("\n\n")
    return [b for b in blocks if b.strip() and b.strip() != FRONT_MATTER]


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: bench_laws.py LAWS.txt.xz OUT_DIR")
    source, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    texts = law_texts(source)
    for index, text in enumerate(texts):
        name = f"law-{index + 1:04d}"
        family = "AB"[index % 2]
        seed = corrupt.document_seed(name, family, True, 1)
        damaged, _ = corrupt.damage(text + "\n", family, True, seed)
        (out / f"{name}.txt").write_text(damaged, encoding="utf-8")
    print(f"{len(texts)} documents")
    return 0


if __name__ == "__main__":
    sys.exit(main())
