#!/usr/bin/env python3
"""Deterministic layout damage, as document-sharing sites do it, on clean text.

    damage_layout.py [--seed N] [--kinds KIND,...] CLEAN.txt [OUT.txt]

writes the damaged text to OUT.txt (or standard output).  The damage, in the
order it is done (each kind can be chosen with --kinds; default: all):

  number     20 rewritten as 2023 inside numbers (200名 -> 20230名)
  year       years deleted (2023年 -> 年)
  quote      closing quotation marks dropped
  punct      full-width punctuation turned into ASCII (，；：！？（） -> , ; : ! ? ( ))
  heading    the title and the headings run into the text around them
  wrap       some paragraphs broken into lines of a fixed width
  page       page footers with Word's field codes (第 PAGE3 页 共 NUMPAGES6 页), a filler
             line under some, and a page number inside a word on one page
  chunk      the site's chunk numbers: 1、 at the top and \\nN、 every 300 characters,
             even mid-word

The same file and seed always give the same damage.
"""

import argparse
import random
import re
import sys
import zlib

KINDS = ("number", "year", "quote", "punct", "heading", "wrap", "page", "chunk")
LAYOUT_KINDS = ("quote", "punct", "heading", "wrap", "page", "chunk")
ASCII_PUNCTUATION = {"，": ",", "；": ";", "：": ":", "！": "!", "？": "?", "（": "(", "）": ")"}
HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十百]+[章条])")
CHUNK_LENGTH = 300
PAGE_LENGTH = (550, 750)
FILLER = "精品文档 欢迎下载"


def each_char(text, table, probability, rng):
    return "".join(table[ch] if ch in table and rng.random() < probability else ch for ch in text)


def twenty_as_2023(text, rng):
    def run(match):
        digits = match.group()
        if match.string[match.end():match.end() + 1] == "年":
            return digits
        return re.sub("20", lambda m: "2023" if rng.random() < 0.7 else "20", digits)
    return re.sub(r"[0-9]+", run, text)


def delete_years(text, rng):
    return re.sub(r"(?:19|20)[0-9]{2}年", lambda m: "年" if rng.random() < 0.6 else m.group(), text)


def flatten_headings(text):
    """Run the title and every heading into the text before and after it."""
    lines = [line for line in text.split("\n")]
    out = []
    glue_next = False
    for index, line in enumerate(lines):
        heading = index == 0 or bool(HEADING.match(line))
        if not line.strip():
            if glue_next or (index + 1 < len(lines) and HEADING.match(lines[index + 1])):
                continue
            out.append(line)
            continue
        if (heading or glue_next) and out:
            while out and not out[-1].strip():
                out.pop()
            out[-1] += line
        else:
            out.append(line)
        glue_next = heading
    return "\n".join(out)


def wrap_lines(text, rng):
    """Break about a third of the long paragraphs at one fixed width."""
    width = rng.randint(28, 40)
    lines = []
    for line in text.split("\n"):
        if len(line) > 2 * width and rng.random() < 0.35:
            lines.extend(line[i:i + width] for i in range(0, len(line), width))
        else:
            lines.append(line)
    return "\n".join(lines)


def footer(number, pages, fields):
    if fields:
        return f"第 PAGE{number} 页 共 NUMPAGES{pages} 页"
    return f"第{number}页 共{pages}页"


def inside_word(text, start, end):
    """A position between two Han characters in text[start:end], or None."""
    for pos in range(start, end):
        if "\u4e00" <= text[pos - 1] <= "\u9fff" and "\u4e00" <= text[pos] <= "\u9fff":
            return pos
    return None


def page_furniture(text, rng):
    cuts, pos = [], rng.randint(*PAGE_LENGTH)
    while pos < len(text) - PAGE_LENGTH[0] // 2:
        cuts.append(pos)
        pos += rng.randint(*PAGE_LENGTH)
    pages = len(cuts) + 1
    fields, filler = rng.random() < 0.7, rng.random() < 0.5
    bare_page = 2 if pages >= 3 else None
    for number, cut in reversed(list(enumerate(cuts, start=1))):
        if number == bare_page:
            spot = inside_word(text, cut, min(len(text), cut + 200))
            if spot is not None:
                text = text[:spot] + str(number) + text[spot:]
                continue
        piece = footer(number, pages, fields) + ("\n" + FILLER if filler else "") + "\n"
        at_line_start = cut == 0 or text[cut - 1] == "\n"
        text = text[:cut] + ("" if at_line_start else "\n") + piece + text[cut:]
    return text + footer(pages, pages, fields) + ("\n" + FILLER if filler else "")


def chunk_markers(text):
    pieces = []
    for number, start in enumerate(range(0, len(text), CHUNK_LENGTH), start=1):
        pieces.append(("" if number == 1 else "\n") + f"{number}、" + text[start:start + CHUNK_LENGTH])
    return "".join(pieces)


def damage(clean, seed, kinds=KINDS):
    rng = random.Random(seed)
    text = clean.rstrip("\n")
    steps = {
        "number": lambda t: twenty_as_2023(t, rng),
        "year": lambda t: delete_years(t, rng),
        "quote": lambda t: each_char(t, {"”": ""}, 0.6, rng),
        "punct": lambda t: each_char(t, ASCII_PUNCTUATION, rng.uniform(0.85, 1.0), rng),
        "heading": flatten_headings,
        "wrap": lambda t: wrap_lines(t, rng),
        "page": lambda t: page_furniture(t, rng),
        "chunk": chunk_markers,
    }
    for kind in KINDS:
        if kind in kinds:
            text = steps[kind](text)
    return text


def document_seed(name, base_seed):
    return zlib.crc32(f"{base_seed}/{name}".encode())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated: " + ",".join(KINDS))
    parser.add_argument("clean")
    parser.add_argument("out", nargs="?")
    args = parser.parse_args()
    kinds = args.kinds.split(",")
    unknown = set(kinds) - set(KINDS)
    if unknown:
        parser.error("unknown kinds: " + ",".join(sorted(unknown)))
    with open(args.clean, encoding="utf-8") as f:
        clean = f.read()
    damaged = damage(clean, document_seed(args.clean.rsplit("/", 1)[-1], args.seed), kinds)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(damaged)
    else:
        sys.stdout.write(damaged)


if __name__ == "__main__":
    main()
