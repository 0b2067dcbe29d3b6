#!/usr/bin/env python3
"""Write pages of clean formal text for the OCR round trip that teaches the
look-alike table which characters tesseract confuses (scripts/ocr-formal.sh).

The pages are taken deterministically from the training text in
../shared/data/formal-zh/ (government work reports and laws): the text is cut
into pages of about PAGE_CHARS characters made of whole lines (a line is a
paragraph; a longer one is cut at a sentence end), and of each source's pages
evenly spaced ones are kept (POOL pages in all), so that the pages are spread
over the whole text.  They are numbered with the sources interleaved, and
--pages N writes the first N: a longer run reads the same pages and more.  Lines of web-page
furniture (short, or mostly not Han) are skipped, and so is every line that
shares a run of 12 Han characters with an evaluation text (the same check as
scripts/build-charmodel.py): no page holds a passage that `make eval` measures.

Usage: scripts/ocr-formal-pages.py OUTDIR [--pages N]
writes OUTDIR/<nnnn>-<source>.txt, nnnn = 0000..N-1 (default N: 400).
"""
import argparse
import importlib.util
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data" / "formal-zh"
# (file, short name, share of the pages): the reports are closest to the
# genres errata repairs, the laws add the vocabulary of rules and notices.
SOURCES = (("gov-reports-2026.txt.xz", "report", 0.6),
           ("laws-lawrefbook-2f4c5c2.txt.xz", "law", 0.4))
PAGE_CHARS = 600        # about one rendered page (the evaluation documents hold 530-740)
MIN_LINE_CHARS = 20     # shorter lines are headings and page furniture
MIN_HAN_SHARE = 0.6
POOL = 1000             # pages chosen in all; --pages takes a prefix of them


def charmodel_builder():
    """scripts/build-charmodel.py as a module, for its quotation check."""
    spec = importlib.util.spec_from_file_location("build_charmodel",
                                                  ROOT / "scripts" / "build-charmodel.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def page_lines(text, builder, eval_shingles):
    """The lines of the text fit for a page, long ones cut at sentence ends."""
    for line in text.split("\n"):
        line = line.strip()
        han = sum(1 for ch in line if builder.is_han(ch))
        if len(line) < MIN_LINE_CHARS or han < MIN_HAN_SHARE * len(line):
            continue
        if builder.shingles(line) & eval_shingles:
            continue
        yield from cut_long(line)


def cut_long(line):
    while len(line) > PAGE_CHARS:
        cut = line.rfind("。", 0, PAGE_CHARS)
        cut = cut + 1 if cut > 0 else PAGE_CHARS
        yield line[:cut]
        line = line[cut:]
    if line:
        yield line


def pages(lines):
    page, size = [], 0
    for line in lines:
        page.append(line)
        size += len(line)
        if size >= PAGE_CHARS:
            yield "\n".join(page) + "\n"
            page, size = [], 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--pages", type=int, default=400)
    args = parser.parse_args()
    builder = charmodel_builder()
    eval_shingles = set()
    for _, text in builder.evaluation_texts(str(ROOT / "corpus")):
        eval_shingles |= builder.shingles(text)
    chosen = []  # (place in the interleaved order, source name, page)
    for file, name, share in SOURCES:
        text = builder.read_text(str(SHARED / file))
        all_pages = list(pages(page_lines(text, builder, eval_shingles)))
        wanted = min(round(POOL * share), len(all_pages))
        kept = [all_pages[i * len(all_pages) // wanted] for i in range(wanted)]
        chosen += [((i + 0.5) / wanted, name, page) for i, page in enumerate(kept)]
        print(f"{file}: {len(all_pages)} pages of about {PAGE_CHARS} characters, {wanted} chosen",
              file=sys.stderr)
    chosen.sort(key=lambda c: (c[0], c[1]))
    args.outdir.mkdir(parents=True, exist_ok=True)
    for n, (_, name, page) in enumerate(chosen[:args.pages]):
        (args.outdir / f"{n:04d}-{name}.txt").write_text(page, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
