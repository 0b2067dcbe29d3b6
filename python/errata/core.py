"""Engine, Edit and the encodings: the Python face of lib/errata.h."""
from __future__ import annotations

import ctypes
import dataclasses
import os
import threading
from typing import Iterable, Optional, Sequence

from . import _native
from ._native import EncodingError, lib


@dataclasses.dataclass(frozen=True)
class Edit:
    """One repair found in a text.

    start and end index the checked str (text[start:end] == old); line and
    column are 1-based, the column counted in characters.
    """

    start: int
    end: int
    line: int
    column: int
    old: str
    new: str
    rule: str        # e.g. "swap/开展>发展", "layout/chunk-marker"
    kind: str        # swap, lookalike, layout, punctuation, quote, number, latin, flag
    action: str      # apply, propose or flag
    confidence: float
    reason: str      # which evidence decided it ("" when reasons were not asked for)


@dataclasses.dataclass(frozen=True)
class Example:
    """An example written in a loaded dictionary: text, fixed with
    assume_damaged=True, must come out as expected."""

    text: str
    expected: str
    source: str
    line: int


def _utf8(text: str) -> bytes:
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__} (bytes: errata.decode)")
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise EncodingError(f"not valid Unicode: a lone surrogate at index {e.start}") from None


def _encoding_code(name: str) -> int:
    code = ctypes.c_int()
    rc = lib.errata_encoding_from_name(name.encode(), ctypes.byref(code))
    if rc:
        raise _native.fail(rc)
    return code.value


def decode_utf8(data: bytes, encoding: str = "auto") -> tuple[bytes, str]:
    """decode_detected(), the text left in UTF-8 bytes."""
    out, out_len, detected = ctypes.c_void_p(), ctypes.c_size_t(), ctypes.c_int()
    rc = lib.errata_decode(bytes(data), len(data), _encoding_code(encoding), ctypes.byref(out),
                           ctypes.byref(out_len), ctypes.byref(detected))
    if rc:
        raise _native.fail(rc)
    return _native.take_buffer(out, out_len), lib.errata_encoding_name(detected.value).decode()


def decode_detected(data: bytes, encoding: str = "auto") -> tuple[str, str]:
    """decode(), also returning the encoding read ("UTF-8", "GB18030", ...)."""
    text, detected = decode_utf8(data, encoding)
    return text.decode("utf-8"), detected


def decode(data: bytes, encoding: str = "auto") -> str:
    """Bytes to text as the command line reads a file: the encoding detected
    (a BOM; UTF-16 by its NUL pattern; UTF-8; GB18030, so GBK and GB2312 too)
    unless named, a BOM dropped.  Bytes that cannot be decoded, or that hold
    control characters (binary data), raise EncodingError naming the byte
    offset."""
    return decode_detected(data, encoding)[0]


def encode(text: str, encoding: str) -> bytes:
    """Text to bytes in one of the encodings decode() reads ("UTF-8-BOM",
    "GB18030", "UTF-16LE", ...), as the command line writes them back."""
    return encode_utf8(_utf8(text), encoding)


def encode_utf8(raw: bytes, encoding: str) -> bytes:
    """encode() for text in UTF-8 bytes."""
    out, out_len = ctypes.c_void_p(), ctypes.c_size_t()
    rc = lib.errata_encode(raw, len(raw), _encoding_code(encoding), ctypes.byref(out),
                           ctypes.byref(out_len))
    if rc:
        raise _native.fail(rc)
    return _native.take_buffer(out, out_len)


class _Handle:
    """Owns the C engine; freed when the last user (engine, scratch) goes."""

    def __init__(self, pointer: ctypes.c_void_p):
        self.pointer = pointer

    def __del__(self):
        lib.errata_engine_free(self.pointer)


class _Scratch:
    """One thread's errata_scratch (the model's caches, kept from text to text)."""

    def __init__(self, handle: _Handle):
        self.handle = handle  # keeps the engine alive while the scratch is
        self.pointer = ctypes.c_void_p()
        if lib.errata_scratch_new(handle.pointer, ctypes.byref(self.pointer)):
            self.pointer = ctypes.c_void_p()  # none: every text starts with empty caches

    def __del__(self):
        lib.errata_scratch_free(self.pointer)


class _Result:
    """An errata_result, freed when done with."""

    def __init__(self, pointer: ctypes.c_void_p):
        self.pointer = pointer

    def __enter__(self) -> "_Result":
        return self

    def __exit__(self, *exc) -> None:
        lib.errata_result_free(self.pointer)

    def apply(self, raw: bytes, selected: Optional[bytes]) -> bytes:
        """raw with the edits applied: those marked "apply", or the selected ones."""
        out, out_len = ctypes.c_void_p(), ctypes.c_size_t()
        rc = lib.errata_result_apply(self.pointer, raw, len(raw), selected, ctypes.byref(out),
                                     ctypes.byref(out_len))
        if rc:
            raise _native.fail(rc)
        return _native.take_buffer(out, out_len)

    def edits(self) -> list:
        count = lib.errata_result_count(self.pointer)
        return [lib.errata_result_edit(self.pointer, i).contents for i in range(count)]


def _str(value: Optional[bytes]) -> str:
    return value.decode("utf-8") if value else ""


class Engine:
    """The dictionaries and the language model, loaded once.

    An engine is immutable: share one between any number of threads (the
    library runs without the GIL).

        engine = errata.Engine()
        for edit in engine.check(text):
            print(edit.line, edit.column, edit.old, "->", edit.new, edit.rule)
        repaired = engine.fix(text)

    dictionaries: paths of errata-dict files loaded after the built-in ones
    (or instead, with no_default_dictionaries); model: a language model file
    instead of the embedded one; no_model: decide from rules and evidence
    only.  A missing file raises FileError, a malformed one FormatError.
    """

    def __init__(self, dictionaries: Iterable[str | os.PathLike] = (),
                 model: Optional[str | os.PathLike] = None,
                 no_default_dictionaries: bool = False, no_model: bool = False):
        paths = [os.fsencode(p) for p in dictionaries]
        opts = _native.EngineOptions(version=_native.ENGINE_OPTIONS_VERSION,
                                     no_default_dictionaries=int(no_default_dictionaries),
                                     dictionary_paths=(ctypes.c_char_p * len(paths))(*paths),
                                     dictionary_count=len(paths),
                                     model_path=os.fsencode(model) if model is not None else None,
                                     no_model=int(no_model))
        pointer = ctypes.c_void_p()
        rc = lib.errata_engine_new(ctypes.byref(pointer), ctypes.byref(opts))
        if rc:
            raise _native.fail(rc)
        self._handle = _Handle(pointer)
        self._local = threading.local()

    @property
    def entry_count(self) -> int:
        """Substitution entries loaded, all dictionaries together."""
        return lib.errata_engine_entry_count(self._handle.pointer)

    @property
    def examples(self) -> list[Example]:
        """The examples written in the loaded dictionaries."""
        pointer = self._handle.pointer
        found = []
        for i in range(lib.errata_engine_example_count(pointer)):
            ex = lib.errata_engine_example(pointer, i).contents
            found.append(Example(_str(ex.text), _str(ex.expected), _str(ex.source), ex.line))
        return found

    def _scratch(self) -> ctypes.c_void_p:
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = _Scratch(self._handle)
        return scratch.pointer

    def _check_utf8(self, raw: bytes, opts: _native.CheckOptions) -> _Result:
        out = ctypes.c_void_p()
        rc = lib.errata_check_scratch(self._handle.pointer, self._scratch(), raw, len(raw),
                                      ctypes.byref(opts), ctypes.byref(out))
        if rc:
            raise _native.fail(rc)
        return _Result(out)

    def check(self, text: str, threshold: float = _native.DEFAULT_APPLY_THRESHOLD,
              disable: Sequence[str] = (), *, assume_damaged: bool = False,
              reasons: bool = True) -> list[Edit]:
        """Every edit found in text, in text order, none overlapping.

        Edits at or above threshold are to be applied (action "apply"), those
        below it from 0.50 (or from threshold when lower) are proposed, flags
        report what cannot be repaired.  disable switches rules off by name
        ("swap/开展>发展") or prefix ("layout").  reasons=False leaves the
        reasons empty, which is faster.
        """
        opts = check_options(threshold, disable, assume_damaged)
        opts.no_reasons = int(not reasons)
        with self._check_utf8(_utf8(text), opts) as result:
            return [_edit(e) for e in result.edits()]

    def fix(self, text: str, threshold: float = _native.DEFAULT_APPLY_THRESHOLD,
            disable: Sequence[str] = (), *, all: bool = False,
            assume_damaged: bool = False) -> str:
        """text with the edits check() marks "apply" applied (all=True: the
        proposed ones too), as errata fix writes it."""
        raw = _utf8(text)
        opts = check_options(threshold, disable, assume_damaged)
        opts.no_reasons = opts.no_positions = 1
        with self._check_utf8(raw, opts) as result:
            if lib.errata_result_count(result.pointer) == 0:
                return text
            selected = bytes(_applies(e, all) for e in result.edits()) if all else None
            return result.apply(raw, selected).decode("utf-8")

    def applied_edits(self, raw: bytes, opts: _native.CheckOptions,
                      apply_all: bool = False) -> list[tuple]:
        """For the pipelines, which work on UTF-8 bytes: the edits that errata
        fix applies to raw, as tuples (byte_start, byte_end, cp_start, cp_end,
        old, new, rule, kind, confidence), old, new and rule in UTF-8."""
        with self._check_utf8(raw, opts) as result:
            return [(e.byte_start, e.byte_end, e.cp_start, e.cp_end, e.old_text, e.new_text,
                     e.rule, _native.KIND_NAMES[e.kind], e.confidence)
                    for e in result.edits() if _applies(e, apply_all)]

    def fix_utf8(self, raw: bytes, opts: _native.CheckOptions,
                 apply_all: bool = False) -> tuple[bytes, list[str]]:
        """The repaired UTF-8 bytes and the rules of the edits applied."""
        opts.no_reasons = opts.no_positions = 1
        with self._check_utf8(raw, opts) as result:
            edits = result.edits()
            rules = [e.rule for e in edits if _applies(e, apply_all)]
            if not rules:
                return raw, []
            selected = bytes(_applies(e, apply_all) for e in edits) if apply_all else None
            return result.apply(raw, selected), [r.decode("utf-8") for r in rules]


def _applies(e: _native.EditStruct, apply_all: bool) -> bool:
    return e.action == _native.ACTION_APPLY or (apply_all and e.action == _native.ACTION_PROPOSE)


def check_options(threshold: float = _native.DEFAULT_APPLY_THRESHOLD, disable: Sequence[str] = (),
                  assume_damaged: bool = False) -> _native.CheckOptions:
    """The library's check options, with the thresholds as the command line
    sets them (proposals from 0.50, or from threshold when lower)."""
    if isinstance(disable, str):
        disable = [disable]
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be from 0 to 1, not {threshold}")
    return _native.CheckOptions(
        version=_native.CHECK_OPTIONS_VERSION, apply_threshold=threshold,
        propose_threshold=min(_native.DEFAULT_PROPOSE_THRESHOLD, threshold),
        disabled_rules=",".join(disable).encode("utf-8") if disable else None,
        assume_damaged=int(assume_damaged))


def _edit(e: _native.EditStruct) -> Edit:
    return Edit(start=e.cp_start, end=e.cp_end, line=e.line, column=e.column,
                old=_str(e.old_text), new=_str(e.new_text), rule=_str(e.rule),
                kind=_native.KIND_NAMES[e.kind], action=_native.ACTION_NAMES[e.action],
                confidence=e.confidence, reason=_str(e.reason))
