#!/usr/bin/env python3
"""Simulate the damage of Chinese documents re-uploaded to 文库 sites.

The synonym swap (shared/knowledge/damage.md section 1) is reproduced the way the
real tool worked: raw string replacement, rule after rule in table order, with no
word segmentation, so a rule can hit across a word boundary (分部分项 -> 分局部项) and a
later rule can rewrite the output of an earlier one (自主意识 -> 自办法识 -> 自方法识).
Each document gets a random subset of its family's rules, and each occurrence is
replaced only with some probability.  With --layout, the site's layout damage
(chunk markers, page footers, ASCII punctuation, dropped closing quotes, 20 -> 2023
inside numbers, flattened paragraphs) is added on top.

The text is kept as a list of segments, each remembering the clean text it came
from, so the gold annotation is exact however rules chain or overlap: an edit is a
segment whose text differs from its clean origin.

    corrupt.py [--seed N] [--family A|B|none] [--layout] CLEAN.txt OUT.txt

writes OUT.txt and OUT.gold.json (and, with --layout, OUT.clean.txt).
    corrupt.py --corpus DOCS_DIR OUT_DIR [--seed N]
generates the committed corpus: families A and B of every document, plus a
layout-damaged variant under OUT_DIR/layout/.
"""

import argparse
import json
import random
import re
import sys
import zlib
from pathlib import Path

# (original, corrupted, families) in the order the swap tool applies them.
# Families: A = 发展->开展 table, B = 发展->进展 table with its extra pairs,
# L = look-alike (OCR) pairs, used only by the blind baseline of eval.py.
PAIRS = [
    ("发展", "开展", "A"),
    ("发展", "进展", "B"),
    ("进行", "进展", "AB"),
    ("基础", "根底", "AB"),
    ("基本", "根本", "AB"),
    ("规范", "标准", "AB"),
    ("项目", "工程", "AB"),
    ("安全", "平安", "AB"),
    ("生产", "消费", "AB"),
    ("经营", "运营", "AB"),
    ("服务", "效劳", "AB"),
    ("则", "那么", "AB"),
    ("达到", "到达", "AB"),
    ("提高", "进步", "AB"),
    ("能力", "才能", "AB"),
    ("具体", "详细", "AB"),
    ("建设", "建立", "AB"),
    ("创建", "创立", "AB"),
    ("管理", "治理", "AB"),
    ("实施", "施行", "AB"),
    ("深入", "深化", "AB"),
    ("牢固", "结实", "AB"),
    ("切实", "实在", "AB"),
    ("取得", "获得", "AB"),
    ("目标", "目的", "AB"),
    ("形成", "构成", "AB"),
    ("配备", "装备", "AB"),
    ("重大", "严重", "AB"),
    ("设施", "设备", "AB"),
    ("轮流", "轮番", "AB"),
    ("反应", "反响", "AB"),
    ("按照", "依照", "AB"),
    ("根据", "依照", "AB"),
    ("理解", "明白得", "AB"),
    ("明确", "明晰", "AB"),
    ("自己", "本人", "AB"),
    ("警戒", "戒备", "AB"),
    ("周边", "四周", "AB"),
    ("发现", "觉察", "AB"),
    ("因素", "要素", "AB"),
    ("监督", "监视", "AB"),
    ("部分", "局部", "AB"),
    ("后方", "前方", "AB"),
    ("广大", "广阔", "AB"),
    ("贡献", "奉献", "AB"),
    ("满足", "满意", "AB"),
    ("主意", "办法", "AB"),
    ("办法", "方法", "AB"),
    ("增强", "增加", "AB"),
    ("参与", "参加", "AB"),
    ("健康", "安康", "AB"),
    ("体现", "表达", "AB"),
    ("必然", "必定", "AB"),
    ("帮助", "帮忙", "AB"),
    ("出发点", "动身点", "AB"),
    ("情况", "状况", "AB"),
    ("回顾", "回忆", "AB"),
    ("带领", "带着", "AB"),
    ("计划", "方案", "AB"),
    ("荣誉", "荣耀", "AB"),
    ("光荣", "荣耀", "AB"),
    ("缩影", "掠影", "AB"),
    ("操作", "作业", "AB"),
    ("激励", "鼓励", "AB"),
    ("版图", "版土", "AB"),
    ("动工", "开工", "AB"),
    ("研究", "讨论", "AB"),
    ("宣传", "宣扬", "B"),
    ("积极", "乐观", "B"),
    ("认识", "生疏", "B"),
    ("特别", "特殊", "B"),
    ("精心", "细心", "B"),
    ("安排", "支配", "B"),
    ("动员", "发动", "B"),
    ("认真", "仔细", "B"),
    ("采取", "实行", "B"),
    ("末位", "未位", "L"),
]

# The rule that identifies a family; it is always active in that family.
FAMILY_MARKER = {"A": ("发展", "开展"), "B": ("发展", "进展")}

RULE_ACTIVE_PROBABILITY = 0.75
OCCURRENCE_PROBABILITY = (0.55, 0.95)
CHUNK_LENGTH = (450, 550)
PAGE_LENGTH = (700, 1000)
ASCII_PUNCTUATION = {"，": ",", "；": ";", "：": ":", "？": "?", "（": "(", "）": ")"}


def family_rules(family):
    """The (original, corrupted) rules of a family, in table order."""
    return [(o, c) for o, c, f in PAIRS if family in f]


def corrupted_forms():
    """Every corrupted form of the swap families (not look-alikes)."""
    return sorted({c for _, c, f in PAIRS if "A" in f or "B" in f})


class Segment:
    """A piece of the damaged text and the clean text it replaced."""

    __slots__ = ("clean", "text", "kind")

    def __init__(self, clean, text, kind=None):
        self.clean, self.text, self.kind = clean, text, kind

    @property
    def untouched(self):
        return self.kind is None


def joined(segments):
    return "".join(s.text for s in segments)


def find_all(text, needle):
    """Non-overlapping occurrences, left to right, as str.replace sees them."""
    found, start = [], text.find(needle)
    while start >= 0:
        found.append(start)
        start = text.find(needle, start + len(needle))
    return found


def split_untouched(segments, cuts):
    """Split untouched segments at the given text positions."""
    result, pos = [], 0
    for seg in segments:
        end = pos + len(seg.text)
        inner = sorted(c - pos for c in cuts if pos < c < end)
        if seg.untouched and inner:
            for a, b in zip([0] + inner, inner + [len(seg.text)]):
                result.append(Segment(seg.clean[a:b], seg.text[a:b]))
        else:
            result.append(seg)
        pos = end
    return result


def segment_bounds(segments):
    bounds, pos = [], 0
    for seg in segments:
        bounds.append((pos, pos + len(seg.text)))
        pos += len(seg.text)
    return bounds


def group_hits(bounds, hits, width):
    """Group the hits by the run of segments they touch, merging groups that share one."""
    groups = []
    for hit in hits:
        first = next(i for i, (a, b) in enumerate(bounds) if b > hit)
        last = max(i for i, (a, b) in enumerate(bounds) if a < hit + width)
        if groups and first <= groups[-1][1]:
            groups[-1][1] = max(groups[-1][1], last)
            groups[-1][2].append(hit)
        else:
            groups.append([first, last, [hit]])
    return groups


def replace_in(text, base, hits, width, new):
    """text starts at position base; replace the width-long hits by new."""
    out, pos = [], 0
    for hit in hits:
        out.append(text[pos:hit - base])
        out.append(new)
        pos = hit - base + width
    out.append(text[pos:])
    return "".join(out)


def apply_rule(segments, old, new, probability, rng, kind="swap"):
    """Replace occurrences of old by new, each with the given probability."""
    hits = [h for h in find_all(joined(segments), old) if rng.random() < probability]
    if not hits:
        return segments
    segments = split_untouched(segments, {p for h in hits for p in (h, h + len(old))})
    bounds = segment_bounds(segments)
    result, next_index = [], 0
    for first, last, group in group_hits(bounds, hits, len(old)):
        result.extend(segments[next_index:first])
        covered = segments[first:last + 1]
        text = replace_in(joined(covered), bounds[first][0], group, len(old), new)
        result.append(Segment("".join(s.clean for s in covered), text, kind))
        next_index = last + 1
    result.extend(segments[next_index:])
    return result


def swap_damage(segments, family, rng, whole=False):
    """Apply a random subset of the family's rules; return segments and rules used.
    whole: every rule of the family at every place, as a spinner that
    leaves no original behind does (damage.md documents partial damage;
    learn's figures are measured both ways)."""
    probability = 1.0 if whole else rng.uniform(*OCCURRENCE_PROBABILITY)
    used = []
    for original, corrupted in family_rules(family):
        marker = FAMILY_MARKER[family] == (original, corrupted)
        if marker or whole or rng.random() < RULE_ACTIVE_PROBABILITY:
            segments = apply_rule(segments, original, corrupted, probability, rng)
            used.append(f"{original}>{corrupted}")
    return segments, used


# ------------------------------------------------------------------ layout damage

def map_untouched(segments, transform):
    """Replace each untouched segment by the segments transform(text) returns."""
    result = []
    for seg in segments:
        result.extend(transform(seg.text) if seg.untouched else [seg])
    return result


def char_damage(mapping, kind, probability, rng):
    """A transform that changes single characters found in mapping."""
    def transform(text):
        pieces, plain = [], []
        for ch in text:
            if ch in mapping and rng.random() < probability:
                pieces.append(Segment("".join(plain), "".join(plain)))
                pieces.append(Segment(ch, mapping[ch], kind))
                plain = []
            else:
                plain.append(ch)
        pieces.append(Segment("".join(plain), "".join(plain)))
        return [p for p in pieces if p.clean or p.text]
    return transform


def number_damage(probability, rng):
    """A transform that rewrites 20 as 2023 inside runs of digits."""
    def transform(text):
        pieces, pos = [], 0
        for run in re.finditer(r"[0-9]+", text):
            for hit in find_all(run.group(), "20"):
                if rng.random() < probability:
                    start = run.start() + hit
                    pieces.append(Segment(text[pos:start], text[pos:start]))
                    pieces.append(Segment("20", "2023", "number"))
                    pos = start + 2
        pieces.append(Segment(text[pos:], text[pos:]))
        return [p for p in pieces if p.text]
    return transform


def insert_at(segments, position, inserted, kind):
    """Insert text at a position, moved to the end of a damaged segment it would split."""
    segments = split_untouched(segments, {position})
    pos = 0
    for index, seg in enumerate(segments):
        if pos >= position:
            segments.insert(index, Segment("", inserted, kind))
            return segments
        pos += len(seg.text)
    segments.append(Segment("", inserted, kind))
    return segments


def positions_every(total, span, rng):
    positions, pos = [], rng.randint(*span)
    while pos < total - span[0] // 2:
        positions.append(pos)
        pos += rng.randint(*span)
    return positions


def chunk_markers(segments, rng):
    """Number the text in chunks of about 500 characters: 1、… \\n2、… (even mid-word)."""
    cuts = positions_every(len(joined(segments)), CHUNK_LENGTH, rng)
    for number, cut in reversed(list(enumerate(cuts, start=2))):
        segments = insert_at(segments, cut, f"\n{number}、", "layout")
    return [Segment("", "1、", "layout")] + segments


def page_footers(segments, rng):
    """Footers 第N页 共M页 at page breaks and at the end."""
    cuts = positions_every(len(joined(segments)), PAGE_LENGTH, rng)
    pages = len(cuts) + 1
    for number, cut in reversed(list(enumerate(cuts, start=1))):
        segments = insert_at(segments, cut, f"第{number}页 共{pages}页", "layout")
    return segments + [Segment("", f"第{pages}页 共{pages}页", "layout")]


def layout_damage(segments, rng):
    segments = map_untouched(segments, number_damage(rng.uniform(0.5, 1.0), rng))
    segments = map_untouched(segments, char_damage(ASCII_PUNCTUATION, "punctuation",
                                                   rng.uniform(0.7, 1.0), rng))
    segments = map_untouched(segments, char_damage({"”": ""}, "quote", rng.uniform(0.3, 0.8), rng))
    segments = map_untouched(segments, char_damage({"\n": ""}, "layout", 1.0, rng))
    segments = page_footers(segments, rng)
    return chunk_markers(segments, rng)


# ------------------------------------------------------------------ gold

def gold_annotation(segments):
    """Word edits, layout edits and legitimate corrupted forms, by code-point offset."""
    edits, layout, untouched_ranges, pos = [], [], [], 0
    for seg in segments:
        end = pos + len(seg.text)
        if seg.untouched:
            untouched_ranges.append((pos, end))
        elif seg.kind == "swap" and seg.text != seg.clean:
            edits.append({"offset": pos, "wrong": seg.text, "right": seg.clean, "tier": "sure"})
        elif seg.text != seg.clean:
            layout.append({"offset": pos, "wrong": seg.text, "right": seg.clean, "kind": seg.kind})
        pos = end
    return edits, layout, legitimate_forms(joined(segments), merge_ranges(untouched_ranges))


def merge_ranges(ranges):
    merged = []
    for a, b in ranges:
        if merged and merged[-1][1] == a:
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def legitimate_forms(text, untouched):
    """Corrupted forms lying wholly in text the damage did not touch."""
    keep = []
    for form in corrupted_forms():
        for hit in find_all(text, form):
            if any(a <= hit and hit + len(form) <= b for a, b in untouched):
                keep.append({"offset": hit, "word": form})
    return sorted(keep, key=lambda k: k["offset"])


def undo(text, changes):
    """Apply gold changes (wrong -> right) back to text, from the end."""
    # At one offset an insertion (empty wrong) precedes the change that starts there.
    in_text_order = sorted(changes, key=lambda c: (c["offset"], c["wrong"] != ""))
    for change in reversed(in_text_order):
        start = change["offset"]
        assert text[start:start + len(change["wrong"])] == change["wrong"], change
        text = text[:start] + change["right"] + text[start + len(change["wrong"]):]
    return text


# ------------------------------------------------------------------ driver

def document_seed(name, family, layout, base_seed):
    return zlib.crc32(f"{base_seed}/{name}/{family}/{int(layout)}".encode())


def damage(clean, family, layout, seed, whole=False):
    """Damage clean text; return the damaged text and its gold annotation
    (whole: as swap_damage's)."""
    rng = random.Random(seed)
    segments, rules = [Segment(clean, clean)], []
    if family != "none":
        segments, rules = swap_damage(segments, family, rng, whole)
    if layout:
        segments = layout_damage(segments, rng)
    damaged = joined(segments)
    edits, layout_edits, keep = gold_annotation(segments)
    assert undo(damaged, edits + layout_edits) == clean, "gold does not restore the clean text"
    gold = {"family": family, "seed": seed, "rules": rules, "edits": edits, "keep": keep}
    if layout:
        gold["layout"] = layout_edits
    return damaged, gold


def write_damaged(clean_path, out_path, family, layout, base_seed):
    clean = clean_path.read_text(encoding="utf-8")
    seed = document_seed(clean_path.stem, family, layout, base_seed)
    damaged, gold = damage(clean, family, layout, seed)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(damaged, encoding="utf-8")
    gold = {"doc": out_path.name, "source": clean_path.name, **gold,
            "note": "offsets are code-point indices into doc; generated by scripts/corrupt.py"}
    gold_path = out_path.with_name(out_path.stem + ".gold.json")
    gold_path.write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if layout:
        out_path.with_name(out_path.stem + ".clean.txt").write_text(clean, encoding="utf-8")
    return len(gold["edits"])


def write_corpus(docs_dir, out_dir, base_seed):
    for index, doc in enumerate(sorted(docs_dir.glob("*.txt"))):
        for family in ("A", "B"):
            count = write_damaged(doc, out_dir / f"{doc.stem}.{family}.txt", family, False, base_seed)
            print(f"{doc.stem}.{family}: {count} edits")
        family = "AB"[index % 2]
        write_damaged(doc, out_dir / "layout" / f"{doc.stem}.{family}L.txt", family, True, base_seed)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--family", choices=["A", "B", "none"], default="A")
    parser.add_argument("--layout", action="store_true", help="add layout damage too")
    parser.add_argument("--corpus", action="store_true",
                        help="paths are DOCS_DIR OUT_DIR: generate the whole corpus")
    parser.add_argument("source", type=Path)
    parser.add_argument("output", type=Path)
    args = parser.parse_args()
    if args.corpus:
        write_corpus(args.source, args.output, args.seed)
    else:
        write_damaged(args.source, args.output, args.family, args.layout, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
