#!/usr/bin/env python3
"""Build dictionaries/zh-formal-chars.bin, the character n-gram model that
errata learns from clean formal Chinese (dictionaries/CHARMODEL.md).

usage: build-charmodel.py [--output FILE] [--eval-dir DIR] [--check] SOURCE...

A SOURCE is a UTF-8 text file, plain or .xz, FILE:N to count it N times over
as if its text were repeated (`make charmodel` passes those of
the committed model: ../shared/data/formal-zh/*.txt.xz and the texts that
scripts/extract-formal-sources.py extracts).  Before counting, every
line of a source that shares a run of QUOTE_CHARS Han characters with an
evaluation text (every *.txt under --eval-dir, default corpus/, except the
generated corpus/clean/) is dropped, and the overlap is reported: no
evaluation text may be trained on.  With --check the overlap is reported and
nothing is counted or written: when a new evaluation text is not listed, the
model built without it is still right (the same sources give the same bytes).

Each run of Han characters is framed by the boundary symbol (which stands
for any run of other code points), and every n-gram of 1..ORDER symbols is
counted; n-grams of two or more symbols seen fewer than MIN_COUNT times are
left out.  The output is deterministic: the same sources give the same bytes.

Layout (little-endian, sections 8-byte aligned, offsets from the file start),
a trie: the n-grams of each order sorted, each n-gram of order 2 or 3 with
the range of its extensions in the next order's table, so that a lookup
from a known history is one search among its few continuations:

  header, HEADER_SIZE bytes:
    0   magic "ERRATACM"
    8   u32 format version (3)
    12  u32 header size
    16  u64 file size
    24  u32 order (4)            28  u32 bits of a symbol (13)
    32  u32 symbols (V: boundary, unknown, then the vocabulary)
    36  u32 entries of order 2   40  order 3   44  order 4
    48  u64 symbols in the training text (the unigram total)
    56  7 sections of {u64 offset, u64 size}: VOCAB, UNIGRAM, INDEX2,
        BIGRAMS, TABLE2, TABLE3, TABLE4
    168 u32 FNV-1a of bytes 0..168
  VOCAB    u32 code point per symbol, increasing from symbol 2 on (0 for
           the boundary and the unknown symbol)
  UNIGRAM  u32 count per symbol
  INDEX2   u32 per symbol + 1: where the bigrams starting with it begin in
           TABLE2
  BIGRAMS  a hash table of the bigrams, so that the most frequent lookup
           needs no search among a character's many continuations: a power
           of two of u32 slots, at least twice as many as bigrams, each 0
           (empty) or 1 + a bigram's place in TABLE2; bigram (a, b) is
           placed, in TABLE2 order, in the first empty slot from
           bigram_slot(a, b) on (linear probing, wrapping around)
  TABLE2, TABLE3
           u64 per n-gram, sorted by its symbols: its last symbol in the
           top 13 bits, then 26 bits for where its extensions begin in the
           next order's table, 13 bits for how many there are (the
           Witten-Bell weight of it as a history) and in the lowest 12 bits
           its count code (a count below 2048 as it is, a larger one c as
           2048 + round(256 * log2(c / 2048)), at most 4095)
  TABLE4   u32 per 4-gram, sorted by its symbols: its last symbol in the
           top 13 bits, its count code in the lowest 12
The extensions of one n-gram follow those of the n-gram before it: each
n-gram's range begins where the previous one's ends.
"""
import argparse
import lzma
import math
import os
import struct
import sys
from collections import Counter

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUTPUT = os.path.join(REPO, "dictionaries", "zh-formal-chars.bin")

MAGIC = b"ERRATACM"
VERSION = 3
ORDER = 4
SYMBOL_BITS = 13
COUNT_BITS = 12
TYPES_BITS = 13
MIN_COUNT = 2
QUOTE_CHARS = 12
BOUNDARY, UNKNOWN = 0, 1
SECTIONS = ["VOCAB", "UNIGRAM", "INDEX2", "BIGRAMS", "TABLE2", "TABLE3", "TABLE4"]
CHILD_BITS = 26  # where an n-gram's extensions begin in the next table
HEADER_SIZE = 56 + 16 * len(SECTIONS) + 4


def is_han(ch):
    cp = ord(ch)
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2FA1F
            or 0xF900 <= cp <= 0xFAFF)


def han_runs(line):
    """The runs of Han characters of a line, in order."""
    runs, current = [], []
    for ch in line:
        if is_han(ch):
            current.append(ch)
        elif current:
            runs.append("".join(current))
            current = []
    if current:
        runs.append("".join(current))
    return runs


def read_text(path):
    opener = lzma.open if path.endswith(".xz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return f.read()


def source_weight(source):
    """A SOURCE argument's path and weight: FILE, or FILE:N to count its text
    N times over."""
    path, colon, weight = source.rpartition(":")
    if colon and weight.isdigit() and int(weight) > 0:
        return path, int(weight)
    return source, 1


def evaluation_texts(eval_dir):
    """(path, text) of every evaluation text, in a fixed order."""
    found = []
    for root, dirs, files in os.walk(eval_dir):
        dirs[:] = sorted(d for d in dirs if os.path.join(root, d) != os.path.join(eval_dir, "clean"))
        for name in sorted(files):
            if name.endswith(".txt"):
                path = os.path.join(root, name)
                with open(path, encoding="utf-8", errors="replace") as f:
                    found.append((os.path.relpath(path, REPO), f.read()))
    return found


def shingles(text):
    """Every run of QUOTE_CHARS Han characters in the text."""
    out = set()
    for run in han_runs(text):
        for i in range(len(run) - QUOTE_CHARS + 1):
            out.add(run[i:i + QUOTE_CHARS])
    return out


def drop_quoted_lines(lines, eval_shingles):
    """The lines sharing no shingle with an evaluation text, the dropped
    lines' character count, and the shingles that matched."""
    kept, dropped_chars, matched = [], 0, set()
    for line in lines:
        hits = shingles(line) & eval_shingles if len(line) >= QUOTE_CHARS else set()
        if hits:
            dropped_chars += len(line)
            matched |= hits
        else:
            kept.append(line)
    return kept, dropped_chars, matched


def count_ngrams(lines):
    """Counter of symbol strings (a str of Han characters, '\\0' for the
    boundary) of 1..ORDER symbols."""
    counts = Counter()
    for line in lines:
        for run in han_runs(line):
            framed = "\0" + run + "\0"
            for n in range(1, ORDER + 1):
                counts.update(framed[i:i + n] for i in range(len(framed) - n + 1))
    return counts


def count_code(c):
    if c < 2048:
        return c
    return min((1 << COUNT_BITS) - 1, 2048 + round(256 * math.log2(c / 2048)))


def build_tables(counts):
    vocab = sorted(ch for ch, c in counts.items() if len(ch) == 1 and ch != "\0" and c >= MIN_COUNT)
    if len(vocab) + 2 > (1 << SYMBOL_BITS):
        sys.exit("build-charmodel: %d characters do not fit %d-bit symbols" % (len(vocab), SYMBOL_BITS))
    symbol = {ch: i + 2 for i, ch in enumerate(vocab)}
    symbol["\0"] = BOUNDARY
    unigram = [0] * (len(vocab) + 2)
    for ch, c in counts.items():
        if len(ch) == 1:
            unigram[symbol.get(ch, UNKNOWN)] += c
    kept = {n: sorted(([symbol[ch] for ch in gram], gram) for gram, c in counts.items()
                      if len(gram) == n and c >= MIN_COUNT and all(ch in symbol for ch in gram))
            for n in range(2, ORDER + 1)}
    tables = {}
    for n in range(2, ORDER + 1):
        extensions = next_order_ranges(kept, n)
        entries = []
        for i, (key, gram) in enumerate(kept[n]):
            code = count_code(counts[gram])
            if n == ORDER:
                entries.append(key[-1] << (32 - SYMBOL_BITS) | code)
            else:
                first, number = extensions[i]
                entries.append(key[-1] << (64 - SYMBOL_BITS) | first << (64 - SYMBOL_BITS - CHILD_BITS)
                               | number << COUNT_BITS | code)
        tables[n] = entries
    index2 = first_symbol_index([key for key, _ in kept[2]], len(vocab) + 2)
    return vocab, unigram, index2, bigram_hash([key for key, _ in kept[2]]), tables


def bigram_slot(a, b, bits):
    """Where bigram (a, b) is first looked for in a table of 2^bits slots
    (lib/cm.c computes the same)."""
    return (((a << SYMBOL_BITS | b) * 0x9E3779B1) & 0xFFFFFFFF) >> (32 - bits)


def bigram_hash(keys):
    bits = 1
    while (1 << bits) < 2 * len(keys):
        bits += 1
    slots = [0] * (1 << bits)
    for i, (a, b) in enumerate(keys):
        at = bigram_slot(a, b, bits)
        while slots[at]:
            at = (at + 1) & ((1 << bits) - 1)
        slots[at] = i + 1
    return slots


def next_order_ranges(kept, n):
    """For each n-gram of kept[n] (order n < ORDER): (first, number), where
    its extensions lie in kept[n + 1]."""
    if n == ORDER:
        return None
    following = kept[n + 1]
    if len(following) >= 1 << CHILD_BITS:
        sys.exit("build-charmodel: %d n-grams of order %d do not fit %d bits"
                 % (len(following), n + 1, CHILD_BITS))
    ranges, pos = [], 0
    for key, _ in kept[n]:
        first = pos
        while pos < len(following) and following[pos][0][:n] == key:
            pos += 1
        if pos - first >= 1 << TYPES_BITS:
            sys.exit("build-charmodel: %d extensions do not fit %d bits" % (pos - first, TYPES_BITS))
        ranges.append((first, pos - first))
    assert pos == len(following)
    return ranges


def first_symbol_index(keys, symbols):
    index, pos = [], 0
    for s in range(symbols + 1):
        while pos < len(keys) and keys[pos][0] < s:
            pos += 1
        index.append(pos)
    return index


def fnv1a(data):
    h = 0x811C9DC5
    for b in data:
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


def write_model(path, vocab, unigram, index2, bigrams, tables, total):
    symbols = len(vocab) + 2
    bodies = {
        "VOCAB": struct.pack("<%dI" % symbols, 0, 0, *(ord(ch) for ch in vocab)),
        "UNIGRAM": struct.pack("<%dI" % symbols, *unigram),
        "INDEX2": struct.pack("<%dI" % (symbols + 1), *index2),
        "BIGRAMS": struct.pack("<%dI" % len(bigrams), *bigrams),
    }
    for n in range(2, ORDER + 1):
        bodies["TABLE%d" % n] = struct.pack("<%d%s" % (len(tables[n]), "I" if n == ORDER else "Q"),
                                            *tables[n])
    offset = (HEADER_SIZE + 7) & ~7
    layout, blob = [], bytearray()
    for name in SECTIONS:
        layout.append((offset, len(bodies[name])))
        blob += bodies[name]
        pad = (-len(blob)) % 8
        blob += b"\0" * pad
        offset += len(bodies[name]) + pad
    blob = bytes(blob)
    file_size = ((HEADER_SIZE + 7) & ~7) + len(blob)
    header = MAGIC + struct.pack("<IIQIIIIIIQ", VERSION, HEADER_SIZE, file_size, ORDER, SYMBOL_BITS,
                                 symbols, len(tables[2]), len(tables[3]), len(tables[4]), total)
    for off, size in layout:
        header += struct.pack("<QQ", off, size)
    header += struct.pack("<I", fnv1a(header))
    assert len(header) == HEADER_SIZE
    header += b"\0" * ((-len(header)) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(header + blob)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--output", default=DEFAULT_OUTPUT)
    ap.add_argument("--eval-dir", default=os.path.join(REPO, "corpus"))
    ap.add_argument("--check", action="store_true",
                    help="report the overlap with the evaluation texts only; write no model")
    ap.add_argument("sources", nargs="+")
    args = ap.parse_args()
    evaluation = evaluation_texts(args.eval_dir)
    eval_shingles = set()
    for _, text in evaluation:
        eval_shingles |= shingles(text)
    weighted_lines, all_matched = [], set()
    for source in args.sources:
        path, weight = source_weight(source)
        text = read_text(path)
        kept, dropped, matched = drop_quoted_lines(text.split("\n"), eval_shingles)
        all_matched |= matched
        print("%s: %d characters, %d in %d lines dropped as quoted by an evaluation text"
              % (os.path.basename(path), len(text), dropped, len(text.split("\n")) - len(kept)),
              file=sys.stderr)
        weighted_lines.append((weight, kept))
    quoting = [p for p, t in evaluation if shingles(t) & all_matched]
    print("evaluation texts sharing a %d-character passage with the sources: %d of %d%s"
          % (QUOTE_CHARS, len(quoting), len(evaluation), "".join("\n  " + p for p in quoting)),
          file=sys.stderr)
    if args.check:
        return
    # The text counted once is counted in one go: a second table as large as
    # the laws' would double the builder's memory.
    counts = count_ngrams(line for weight, lines in weighted_lines if weight == 1 for line in lines)
    for weight, lines in weighted_lines:
        if weight != 1:
            counts.update({key: n * weight for key, n in count_ngrams(lines).items()})
    vocab, unigram, index2, bigrams, tables = build_tables(counts)
    total = sum(unigram)
    write_model(args.output, vocab, unigram, index2, bigrams, tables, total)
    print("%s: %d symbols, n-grams of order 2..%d: %s, %d bytes"
          % (os.path.relpath(args.output), len(vocab) + 2, ORDER,
             " ".join(str(len(tables[n])) for n in range(2, ORDER + 1)),
             os.path.getsize(args.output)), file=sys.stderr)


if __name__ == "__main__":
    main()
