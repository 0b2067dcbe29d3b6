#!/usr/bin/env python3
"""Compile a word trigram language model from ARPA text into errata's binary
model format (dictionaries/zh-lm.bin).

Usage: scripts/build-lm.py [MODEL] [-o OUTPUT]

MODEL is an ARPA file (plain, .xz, or a .tar.xz holding one *.arpa member);
default ../shared/data/lm_sc.arpa-20220810.tar.xz relative to the repository
root.  OUTPUT defaults to dictionaries/zh-lm.bin.

The format ("ERRATALM", version 1); all integers little-endian, all offsets
relative to the start of the file, every section starting on a 64-byte
boundary:

  header (HEADER_SIZE bytes)
     0  char[8]  magic "ERRATALM"
     8  u32      format version (1)
    12  u32      header size in bytes
    16  u64      total file size in bytes
    24  u32 x 10 counts: words (unigrams, <unk> included), entries (words
                 followed by prefix-only entries), bigrams, trigrams,
                 contexts, hash slots (a power of two), id of <unk>, bits of
                 a word id, longest entry in bytes, number of sections
    64  section table, SECTION_COUNT records of {u32 id, u32 0, u64 offset,
                 u64 size}, in the order of the ids below
   end  u32      FNV-1a of all header bytes before it

  sections (id: content)
     0 STRINGS   the UTF-8 bytes of every entry, concatenated
     1 STROFF    u32 x (entries + 1): where entry i starts in STRINGS
     2 HASH      u32 x slots: open addressing (linear probing) over
                 FNV-1a-32 of the entry's bytes; a slot holds
                 id | (hash >> 20) << 20, or 0xffffffff when empty
     3 UNIGRAM   {f32 log10 prob, f32 log10 backoff} x words
     4 BISTART   u32 x (words + 1): the bigrams whose history is word w are
                 BIGRAM[BISTART[w] .. BISTART[w+1]), sorted by word id
     5 BIGRAM    bit-packed entries of (word bits + 8) bits: the next
                 word's id, then an 8-bit code into the bigram probability
                 codebook; entry i starts at bit i * width; 8 zero bytes
                 of padding follow
     6 CTXBITS   u64 x ceil(bigrams / 64): bit i of word i/64 is set when
                 bigram i is a context (it has trigram successors or a
                 non-zero backoff)
     7 CTXRANK   u32 x (ceil(bigrams / 64) + 1): set bits before word k
     8 TRISTART  u32 x (contexts + 1): trigrams of context c are
                 TRIGRAM[TRISTART[c] .. TRISTART[c+1]), sorted by word id
     9 CTXBO     u8 x contexts: code into the bigram backoff codebook
    10 TRIGRAM   bit-packed like BIGRAM, codes into the trigram codebook
    11 CODEBOOK  f32 x 256 x 3: bigram probabilities, bigram backoffs,
                 trigram probabilities

Unigram values are kept as floats; bigram and trigram probabilities and
bigram backoffs are quantised to 256 levels each, spread evenly over the
range of the values (so the error is at most half a step: 0.013 for bigram
probabilities, 0.009 for trigram probabilities, 0.007 for backoffs on the
libime model).  Backoff code 0 is exactly 0.  Nothing is pruned.  Word ids
are given in order of falling unigram probability.  Prefix-only entries
(proper prefixes of words that are not words themselves) let a segmenter
stop extending a candidate word as soon as the hash table has no entry for
it.  The output depends only on the input: the same model gives the same
bytes.
"""

import argparse
import bisect
import io
import lzma
import os
import struct
import sys
import tarfile

MAGIC = b"ERRATALM"
VERSION = 1
SECTION_NAMES = ["STRINGS", "STROFF", "HASH", "UNIGRAM", "BISTART", "BIGRAM",
                 "CTXBITS", "CTXRANK", "TRISTART", "CTXBO", "TRIGRAM", "CODEBOOK"]
COUNT_FIELDS = 10
HEADER_SIZE = 64 + 24 * len(SECTION_NAMES) + 4
ALIGN = 64
LEVELS = 256
FNV_BASIS = 0x811C9DC5
FNV_PRIME = 0x01000193
EMPTY_SLOT = 0xFFFFFFFF
ID_BITS_IN_SLOT = 20

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_MODEL = os.path.join(REPO, "..", "shared", "data", "lm_sc.arpa-20220810.tar.xz")
DEFAULT_OUTPUT = os.path.join(REPO, "dictionaries", "zh-lm.bin")


def fnv1a(data):
    h = FNV_BASIS
    for byte in data:
        h = ((h ^ byte) * FNV_PRIME) & 0xFFFFFFFF
    return h


def open_arpa(path):
    """A text stream over the ARPA model at path, whatever its packing."""
    if ".tar" in os.path.basename(path):
        archive = tarfile.open(path)
        members = [m for m in archive.getmembers() if m.isfile() and m.name.endswith(".arpa")]
        if len(members) != 1:
            sys.exit(f"{path}: expected one .arpa member, found {len(members)}")
        return _text(archive.extractfile(members[0]))
    if path.endswith(".xz"):
        return _text(lzma.open(path))
    return open(path, encoding="utf-8")


def _text(binary):
    return io.TextIOWrapper(binary, encoding="utf-8")


def read_arpa(path):
    """(unigrams, bigrams, trigrams) as lists of tuples of words and values."""
    grams = {1: [], 2: [], 3: []}
    declared = {}
    order = 0
    with open_arpa(path) as stream:
        for line in stream:
            line = line.rstrip("\n")
            if not line:
                continue
            if line.startswith("\\"):
                order = int(line[1]) if line[1:2].isdigit() else 0
                continue
            if order == 0:
                if line.startswith("ngram "):
                    n, count = line[6:].split("=")
                    declared[int(n)] = int(count)
                continue
            fields = line.split("\t")
            words = tuple(fields[1].split(" "))
            backoff = float(fields[2]) if len(fields) > 2 else 0.0
            grams[order].append((words, float(fields[0]), backoff))
    for n, count in declared.items():
        if n in grams and len(grams[n]) != count:
            sys.exit(f"{path}: header announces {count} {n}-grams, found {len(grams[n])}")
    if set(declared) != {1, 2, 3}:
        sys.exit(f"{path}: not a trigram model (orders {sorted(declared)})")
    return grams[1], grams[2], grams[3]


# ------------------------------------------------------------ quantisation

def uniform_codebook(values, levels):
    """levels centres evenly spread over the range of values: every value is
    within half a step of its centre, the rare extremes included."""
    low, high = min(values), max(values)
    step = (high - low) / levels
    return [low + (k + 0.5) * step for k in range(levels)]


class Quantiser:
    def __init__(self, values, levels=LEVELS, exact_zero=False):
        if exact_zero:
            centres = [0.0] + uniform_codebook([v for v in values if v != 0.0], levels - 1)
        else:
            centres = uniform_codebook(values, levels)
        # Round through f32 so that the encoder sees what the reader will.
        self.centres = sorted(struct.unpack("<f", struct.pack("<f", c))[0] for c in centres)
        self.bounds = [(a + b) / 2 for a, b in zip(self.centres, self.centres[1:])]

    def code(self, value):
        return bisect.bisect_left(self.bounds, value)

    def table(self):
        padded = self.centres + [self.centres[-1]] * (LEVELS - len(self.centres))
        return struct.pack(f"<{LEVELS}f", *padded)

    def error(self, values):
        return max(abs(self.centres[self.code(v)] - v) for v in values)


# ------------------------------------------------------------ packing

def pack_bits(values, width):
    """values as a little-endian bit stream of width bits each, plus padding."""
    out = bytearray()
    group = 8  # eight values fill exactly width bytes
    for start in range(0, len(values), group):
        chunk = values[start:start + group]
        acc = 0
        for k, v in enumerate(chunk):
            acc |= v << (k * width)
        out += acc.to_bytes(width, "little")
    used = (len(values) * width + 7) // 8
    del out[used:]
    return bytes(out) + bytes(8)


def build_vocabulary(unigrams):
    """Word list in id order, and the prefix-only entries after it."""
    ordered = sorted(unigrams, key=lambda g: (-g[1], g[0][0]))
    words = [g[0][0] for g in ordered]
    known = set(words)
    prefixes = set()
    for w in words:
        for k in range(1, len(w)):
            if w[:k] not in known:
                prefixes.add(w[:k])
    return ordered, words, sorted(prefixes)


def build_hash(entries):
    slots = 1
    while slots < 2 * len(entries):  # at most half full: short probe chains
        slots *= 2
    table = [EMPTY_SLOT] * slots
    for ident, text in enumerate(entries):
        h = fnv1a(text)
        i = h & (slots - 1)
        while table[i] != EMPTY_SLOT:
            i = (i + 1) & (slots - 1)
        table[i] = ident | ((h >> ID_BITS_IN_SLOT) << ID_BITS_IN_SLOT)
    return slots, struct.pack(f"<{slots}I", *table)


def offsets_of(lengths):
    """Running totals: where each of consecutive items of these lengths starts,
    then the total."""
    out = [0]
    for n in lengths:
        out.append(out[-1] + n)
    return out


def pack_u32(values):
    return struct.pack(f"<{len(values)}I", *values)


def index_ngrams(path, words, bigrams, trigrams):
    """Bigrams (v, w, prob, backoff) and trigrams (u, v, w, prob) as sorted id
    tuples, and the number of trigrams of each bigram index."""
    ids = {w: i for i, w in enumerate(words)}
    bi = sorted((ids[g[0][0]], ids[g[0][1]], g[1], g[2]) for g in bigrams)
    tri = sorted((ids[g[0][0]], ids[g[0][1]], ids[g[0][2]], g[1]) for g in trigrams)
    bigram_index = {(b[0], b[1]): i for i, b in enumerate(bi)}
    tri_count = {}
    for t in tri:
        key = bigram_index.get((t[0], t[1]))
        if key is None:
            sys.exit(f"{path}: trigram {' '.join(words[k] for k in t[:3])} without its bigram")
        tri_count[key] = tri_count.get(key, 0) + 1
    return bi, tri, tri_count


def vocabulary_sections(ordered, entries):
    slots, table = build_hash(entries)
    return slots, {
        "STRINGS": b"".join(entries),
        "STROFF": pack_u32(offsets_of(len(e) for e in entries)),
        "HASH": table,
        "UNIGRAM": b"".join(struct.pack("<ff", g[1], g[2]) for g in ordered),
    }


def bigram_sections(bi, word_count, q_bi, word_bits):
    successors = [0] * word_count
    for b in bi:
        successors[b[0]] += 1
    return {
        "BISTART": pack_u32(offsets_of(successors)),
        "BIGRAM": pack_bits([b[1] | q_bi.code(b[2]) << word_bits for b in bi], word_bits + 8),
    }


def context_sections(bi, tri, contexts, tri_count, q_bo, q_tri, word_bits):
    blocks = (len(bi) + 63) // 64
    bitmap = [0] * blocks
    for i in contexts:
        bitmap[i >> 6] |= 1 << (i & 63)
    return {
        "CTXBITS": struct.pack(f"<{blocks}Q", *bitmap),
        "CTXRANK": pack_u32(offsets_of(bin(word).count("1") for word in bitmap)),
        "TRISTART": pack_u32(offsets_of(tri_count.get(i, 0) for i in contexts)),
        "CTXBO": bytes(q_bo.code(bi[i][3]) for i in contexts),
        "TRIGRAM": pack_bits([t[2] | q_tri.code(t[3]) << word_bits for t in tri], word_bits + 8),
    }


def quantisers(bi, tri, contexts):
    values = {"bigram prob": [b[2] for b in bi],
              "bigram backoff": [bi[i][3] for i in contexts],
              "trigram prob": [t[3] for t in tri]}
    q = {"bigram prob": Quantiser(values["bigram prob"]),
         "bigram backoff": Quantiser(values["bigram backoff"], exact_zero=True),
         "trigram prob": Quantiser(values["trigram prob"])}
    for name, quantiser in q.items():
        print(f"  {name}: {len(quantiser.centres)} levels, "
              f"max error {quantiser.error(values[name]):.4f}", file=sys.stderr)
    return q["bigram prob"], q["bigram backoff"], q["trigram prob"]


def build(path):
    unigrams, bigrams, trigrams = read_arpa(path)
    ordered, words, prefixes = build_vocabulary(unigrams)
    if "<unk>" not in words:
        sys.exit(f"{path}: no <unk> unigram")
    entries = [w.encode("utf-8") for w in words + prefixes]
    if len(entries) >= (1 << ID_BITS_IN_SLOT) - 1:
        sys.exit("too many vocabulary entries for the hash slot layout")
    word_bits = max(1, (len(words) - 1).bit_length())
    bi, tri, tri_count = index_ngrams(path, words, bigrams, trigrams)
    contexts = [i for i, b in enumerate(bi) if b[3] != 0.0 or i in tri_count]
    q_bi, q_bo, q_tri = quantisers(bi, tri, contexts)

    slots, sections = vocabulary_sections(ordered, entries)
    sections.update(bigram_sections(bi, len(words), q_bi, word_bits))
    sections.update(context_sections(bi, tri, contexts, tri_count, q_bo, q_tri, word_bits))
    sections["CODEBOOK"] = q_bi.table() + q_bo.table() + q_tri.table()
    counts = [len(words), len(entries), len(bi), len(tri), len(contexts), slots,
              words.index("<unk>"), word_bits, max(len(e) for e in entries), len(SECTION_NAMES)]
    return assemble(sections, counts)


def assemble(sections, counts):
    layout = []
    offset = HEADER_SIZE
    for name in SECTION_NAMES:
        offset = (offset + ALIGN - 1) // ALIGN * ALIGN
        layout.append((offset, len(sections[name])))
        offset += len(sections[name])
    total = offset
    header = MAGIC + struct.pack("<IIQ", VERSION, HEADER_SIZE, total)
    header += struct.pack(f"<{COUNT_FIELDS}I", *counts)
    header += bytes(64 - len(header))
    for ident, (off, size) in enumerate(layout):
        header += struct.pack("<IIQQ", ident, 0, off, size)
    header += struct.pack("<I", fnv1a(header))
    assert len(header) == HEADER_SIZE
    out = bytearray(total)
    out[:HEADER_SIZE] = header
    for name, (off, size) in zip(SECTION_NAMES, layout):
        out[off:off + size] = sections[name]
    return bytes(out), layout


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", nargs="?", default=DEFAULT_MODEL)
    parser.add_argument("-o", "--output", default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    data, layout = build(args.model)
    tmp = args.output + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, args.output)
    for name, (off, size) in zip(SECTION_NAMES, layout):
        print(f"  {name:9} {size:10d} bytes at {off}", file=sys.stderr)
    print(f"{args.output}: {len(data)} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
