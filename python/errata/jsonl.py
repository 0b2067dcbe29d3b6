"""errata fix --jsonl, line by line, in Python: the same output byte for byte.

The semantics are those of cli/stream.c: a line is one JSON object; its
field's string is unescaped, repaired, and only the spans the applied edits
cover are replaced, escaped in the style the string already used (\\uXXXX
for non-ASCII when it was written that way); every other byte of the line
stays.  Blank lines, lines without the field or where it is not a string
pass through; so do malformed lines (noted; a line that is not UTF-8 is
malformed, RFC 8259 wanting JSON in UTF-8) and fields that cannot be
checked (a lone surrogate escape), unless strict: then the
first of them ends the stream with Stopped, as --strict ends the command.
"""
from __future__ import annotations

import bisect
import dataclasses
import json
import re
from typing import Optional

from . import core

# Arrays and objects nested this deep or deeper make a line malformed, as in
# cli/json.c (the line's object at depth 0, its members' values at 1).
MAX_JSON_DEPTH = 512

_SPACE = re.compile(r"[ \t\r\n]*")
_BLANK = re.compile(rb"[ \t\r]*")
# An escape in a string token: a surrogate pair, another \u escape, or a
# one-character escape.
_ESCAPE = re.compile(r"\\(?:u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}"
                     r"|u[0-9a-fA-F]{4}|.)", re.S)
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
_NEEDS_ESCAPE_ASCII = re.compile(r'["\\\x00-\x1f\x7f-\U0010ffff]')
_NAMED = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
          "\t": "\\t"}


class Malformed(Exception):
    """A line that is not one JSON object."""


class Stopped(Exception):
    """A strict stream's end at a line that cannot be repaired; the note says which."""


def _reject_constant(name: str):
    raise Malformed(f"{name} is not JSON")


_decoder = json.JSONDecoder(parse_constant=_reject_constant, parse_int=len, parse_float=len)
_scan_value = _decoder.scan_once
_scan_string = json.decoder.scanstring


@dataclasses.dataclass
class Options:
    """The options of errata fix --jsonl."""

    field: str = "text"
    attach_edits: bool = False
    threshold: float = 0.80
    disable: tuple = ()
    all: bool = False
    strict: bool = False  # stop at the first line that cannot be repaired


@dataclasses.dataclass
class Counts:
    """What a run did, as the command's summary counts it."""

    read: int = 0
    changed: int = 0
    skipped: int = 0       # malformed lines, fields that could not be checked
    bytes: int = 0
    rules: dict = dataclasses.field(default_factory=dict)
    notes: list = dataclasses.field(default_factory=list)

    def add(self, other: "Counts") -> None:
        self.read += other.read
        self.changed += other.changed
        self.skipped += other.skipped
        self.bytes += other.bytes
        for rule, n in other.rules.items():
            self.rules[rule] = self.rules.get(rule, 0) + n
        self.notes.extend(other.notes)


def _too_deep(s: str) -> bool:
    """Whether a container lies MAX_JSON_DEPTH deep or deeper below the
    line's object (strings skipped)."""
    depth, in_string, i, n = 0, False, 0, len(s)
    while i < n:
        c = s[i]
        if in_string:
            if c == "\\":
                i += 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:  # the line's object is 1 here
                return True
        elif c in "]}":
            depth -= 1
        i += 1
    return False


def _skip(s: str, i: int) -> int:
    return _SPACE.match(s, i).end()


def _shape(s: str, field: str) -> tuple:
    """Check s against the JSON grammar (one object and nothing else) and
    find the field's value, the "edits" member's value (as (start, end),
    or None) and where a new member goes."""
    n = len(s)
    i = _skip(s, 0)
    if i >= n or s[i] != "{":
        raise Malformed("expected '{'")
    open_brace, i = i, _skip(s, i + 1)
    field_span = edits_span = None
    after_last = open_brace + 1
    if i < n and s[i] == "}":
        i += 1
    else:
        while True:
            if i >= n or s[i] != '"':
                raise Malformed("expected a member name")
            key, i = _scan_string(s, i + 1, True)
            i = _skip(s, i)
            if i >= n or s[i] != ":":
                raise Malformed("expected ':'")
            start = _skip(s, i + 1)
            try:
                _, i = _scan_value(s, start)
            except StopIteration:
                raise Malformed("expected a value") from None
            if key == field:
                field_span = (start, i)
            if key == "edits":
                edits_span = (start, i)
            after_last = i
            i = _skip(s, i)
            if i < n and s[i] == ",":
                i = _skip(s, i + 1)
            elif i < n and s[i] == "}":
                i += 1
                break
            else:
                raise Malformed("expected ',' or '}'")
    if _skip(s, i) != n:
        raise Malformed("expected the end of the line after the object")
    return field_span, edits_span, after_last


def _escape(text: str, ascii_only: bool) -> str:
    """text as the inside of a JSON string, as cli/json.c escapes it: the
    short escapes, \\u00XX for the other controls and DEL, with ascii_only
    \\uXXXX for every non-ASCII character."""
    pattern = _NEEDS_ESCAPE_ASCII if ascii_only else _NEEDS_ESCAPE
    return pattern.sub(_escape_char, text) if pattern.search(text) else text


def _escape_char(match: re.Match) -> str:
    c = match.group()
    if c in _NAMED:
        return _NAMED[c]
    cp = ord(c)
    if cp >= 0x10000:
        cp -= 0x10000
        return "\\u%04x\\u%04x" % (0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF))
    return "\\u%04x" % cp


class _RawPositions:
    """Maps code-point offsets in an unescaped string to offsets in its
    token (each escape, a surrogate pair included, is one code point)."""

    def __init__(self, raw: str):
        self.text_at, self.raw_at, self.raw_len = [], [], []
        shrink = 0  # code points the escapes so far saved
        self.escaped_non_ascii = False
        for m in _ESCAPE.finditer(raw):
            self.text_at.append(m.start() - shrink)
            self.raw_at.append(m.start())
            self.raw_len.append(m.end() - m.start())
            shrink += m.end() - m.start() - 1
            if m.group()[1] == "u" and int(m.group()[2:6], 16) >= 0x80:
                self.escaped_non_ascii = True

    def raw(self, cp: int) -> int:
        k = bisect.bisect_right(self.text_at, cp) - 1
        if k < 0:
            return cp
        if self.text_at[k] == cp:
            return self.raw_at[k]
        return self.raw_at[k] + self.raw_len[k] + (cp - self.text_at[k] - 1)


class LineFixer:
    """Repairs JSON lines with one engine, keeping the counts."""

    def __init__(self, engine: core.Engine, options: Optional[Options] = None):
        self.engine = engine
        self.options = options or Options()
        self.check_options = core.check_options(self.options.threshold, self.options.disable)
        self.check_options.no_reasons = 1
        self.counts = Counts()

    def fix_line(self, line: bytes, number: int = 0, name: str = "") -> bytes:
        """One line, without its line feed, repaired."""
        if _BLANK.fullmatch(line):
            return line
        self.counts.read += 1
        try:
            s = line.decode("utf-8")
            if s.count("[") + s.count("{") > MAX_JSON_DEPTH and _too_deep(s):
                raise Malformed("too deep")
            field, edits, after_last = _shape(s, self.options.field)
        except (Malformed, ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
            return self._pass(line, f"{name}: line {number}: malformed JSON; passed through")
        if field is None or s[field[0]] != '"':
            return line
        raw = s[field[0] + 1:field[1] - 1]
        text = _scan_string(s, field[0] + 1, True)[0] if "\\" in raw else raw
        try:
            utf8 = text.encode("utf-8")
        except UnicodeEncodeError:
            return self._pass(line, f'{name}: line {number}: field "{self.options.field}": '
                                    "a lone surrogate escape; passed through")
        applied = self.engine.applied_edits(utf8, self.check_options, self.options.all)
        for e in applied:
            rule = e[6].decode("utf-8")
            self.counts.rules[rule] = self.counts.rules.get(rule, 0) + 1
        if not applied and not self.options.attach_edits:
            return line
        positions = _RawPositions(raw) if "\\" in raw else None
        ascii_only = bool(positions and positions.escaped_non_ascii and raw.isascii())
        new_raw = self._rewrite(raw, applied, positions, ascii_only)
        self.counts.changed += new_raw != raw
        splices = [(field[0] + 1, field[1] - 1, new_raw)]
        if self.options.attach_edits:
            splices.append(self._edits_splice(applied, edits, after_last, ascii_only))
        splices.sort(key=lambda sp: sp[0])
        out, at = [], 0
        for start, end, with_text in splices:
            out += [s[at:start], with_text]
            at = end
        out.append(s[at:])
        return "".join(out).encode("utf-8", "surrogateescape")

    def _pass(self, line: bytes, note: str) -> bytes:
        self.counts.skipped += 1
        if self.options.strict:
            raise Stopped(note.removesuffix("; passed through"))
        self.counts.notes.append(note)
        return line

    @staticmethod
    def _rewrite(raw: str, applied: list, positions: Optional[_RawPositions],
                 ascii_only: bool) -> str:
        out, copied = [], 0
        for e in applied:
            start, end = e[2], e[3]
            if positions:
                start, end = positions.raw(start), positions.raw(end)
            out += [raw[copied:start], _escape(e[5].decode("utf-8"), ascii_only)]
            copied = end
        out.append(raw[copied:])
        return "".join(out)

    @staticmethod
    def _edits_splice(applied: list, edits: Optional[tuple], after_last: int,
                      ascii_only: bool) -> tuple:
        items = []
        for (_, _, start, end, old, new, rule, kind, confidence) in applied:
            strings = [_escape(x.decode("utf-8"), ascii_only) for x in (old, new, rule)]
            items.append('{"start":%d,"end":%d,"old":"%s","new":"%s","rule":"%s","kind":"%s",'
                         '"confidence":%.3f}' % (start, end, *strings, kind, confidence))
        array = "[" + ",".join(items) + "]"
        if edits:
            return (edits[0], edits[1], array)
        return (after_last, after_last, ',"edits":' + array)

    def fix_stream(self, lines, name: str = ""):
        """Each line of an iterable of bytes lines (with their line feeds)
        repaired, line feeds kept."""
        for number, line in enumerate(lines, 1):
            self.counts.bytes += len(line)
            if line.endswith(b"\n"):
                yield self.fix_line(line[:-1], number, name) + b"\n"
            else:
                yield self.fix_line(line, number, name)
