"""Engine, Edit and the encodings: the Python face of lib/errata.h."""
from __future__ import annotations

import ctypes
import dataclasses
import functools
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


@dataclasses.dataclass(frozen=True)
class FileOutcome:
    """What Engine.fix_files() did with one file."""

    input: str
    output: str
    status: str    # "written" (repaired or unchanged), "skipped" (not a document), "failed"
    changed: bool  # its text was repaired
    bytes: int     # bytes read
    rules: dict    # the edits applied, counted by rule (empty unless written)
    note: str      # why it was skipped or failed ("" when written), without the file's name


def _utf8(text: str) -> bytes:
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__} (bytes: errata.decode)")
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise EncodingError(f"not valid Unicode: a lone surrogate at index {e.start}") from None


@functools.lru_cache(maxsize=None)
def _encoding_code(name: str) -> int:
    code = ctypes.c_int()
    rc = lib.errata_encoding_from_name(name.encode(), ctypes.byref(code))
    if rc:
        raise _native.fail(rc)
    return code.value


def decode_utf8(data: bytes, encoding: str = "auto") -> tuple[bytes, str]:
    """decode_detected(), the text left in UTF-8 bytes."""
    data, code = bytes(data), _encoding_code(encoding)
    if lib.errata_decode_unchanged(data, len(data), code):  # UTF-8 already: no copy
        return data, "UTF-8"
    out, out_len, detected = ctypes.c_void_p(), ctypes.c_size_t(), ctypes.c_int()
    rc = lib.errata_decode(data, len(data), code, ctypes.byref(out), ctypes.byref(out_len),
                           ctypes.byref(detected))
    if rc:
        raise _native.fail(rc)
    return _native.take_buffer(out, out_len), lib.errata_encoding_name(detected.value).decode()


def is_data_file_name(name: str) -> bool:
    """Whether a walk of a folder leaves this file alone by its name, as
    errata fix -r does: the extension of a data, markup or code format
    (.json, .csv, .html, .py ...)."""
    return bool(lib.errata_is_data_file_name(os.fsencode(name)))


def data_format(raw: bytes) -> Optional[str]:
    """The data format decoded text (UTF-8 bytes) starts as ("JSON", "XML",
    "HTML", "a script"), or None for text that may be a document."""
    found = lib.errata_data_format(raw, len(raw))
    return found.decode() if found else None


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

    def rule_counts(self, include_proposed: bool) -> dict:
        """The edits a repair applies (with include_proposed, the proposed
        ones too), counted by rule, in one call: no object per edit."""
        out, count = ctypes.c_void_p(), ctypes.c_size_t()
        rc = lib.errata_result_rule_counts(self.pointer, int(include_proposed), ctypes.byref(out),
                                           ctypes.byref(count))
        if rc:
            raise _native.fail(rc)
        if not count.value:
            return {}
        try:
            records = ctypes.string_at(out, count.value * _native.RULE_COUNT_RECORD.size)
            return {_string(rule): n for rule, n in _native.RULE_COUNT_RECORD.iter_unpack(records)}
        finally:
            lib.errata_free(out)

    def edits(self) -> list:
        """The edits as EDIT_RECORD tuples, strings as addresses (read them
        with ctypes.string_at while the result lives)."""
        count = lib.errata_result_count(self.pointer)
        if count == 0:
            return []
        size = _native.EDIT_RECORD.size
        first = ctypes.addressof(lib.errata_result_edit(self.pointer, 0).contents)
        last = ctypes.addressof(lib.errata_result_edit(self.pointer, count - 1).contents)
        if last == first + (count - 1) * size:  # an array: read it in one go
            return list(_native.EDIT_RECORD.iter_unpack(ctypes.string_at(first, count * size)))
        return [_native.EDIT_RECORD.unpack(ctypes.string_at(
            ctypes.addressof(lib.errata_result_edit(self.pointer, i).contents), size))
            for i in range(count)]


# Fields of an edit record.
_BYTE_START, _BYTE_END, _CP_START, _CP_END, _LINE, _COLUMN, _OLD, _NEW, _RULE, _KIND, \
    _ACTION, _CONFIDENCE, _REASON = range(13)


def _string(address: int) -> str:
    return ctypes.string_at(address).decode("utf-8") if address else ""


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
            found.append(Example(ex.text.decode(), ex.expected.decode(), ex.source.decode(),
                                 ex.line))
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
            return [(e[_BYTE_START], e[_BYTE_END], e[_CP_START], e[_CP_END],
                     ctypes.string_at(e[_OLD]), ctypes.string_at(e[_NEW]),
                     ctypes.string_at(e[_RULE]), _native.KIND_NAMES[e[_KIND]], e[_CONFIDENCE])
                    for e in result.edits() if _applies(e, apply_all)]

    def fix_utf8(self, raw: bytes, opts: _native.CheckOptions,
                 apply_all: bool = False) -> tuple[bytes, dict]:
        """The repaired UTF-8 bytes and the count of the edits applied by rule."""
        opts.no_reasons = opts.no_positions = 1
        with self._check_utf8(raw, opts) as result:
            by_rule = result.rule_counts(apply_all)
            if not by_rule:
                return raw, {}
            selected = bytes(_applies(e, True) for e in result.edits()) if apply_all else None
            return result.apply(raw, selected), by_rule

    def fix_files(self, files: Iterable[tuple], threshold: float =
                  _native.DEFAULT_APPLY_THRESHOLD, disable: Sequence[str] = (), *,
                  all: bool = False, input_encoding: str = "auto",
                  output_encoding: str = "auto") -> list[FileOutcome]:
        """Repair whole files as errata fix -r --output-dir does, in one call
        into the library (which runs the batch without the GIL): files are
        (input, output) pairs, or (input, output, any_text) to repair a file
        whatever its text starts as (else a file starting as JSON, XML,
        HTML or a #! script is skipped, as errata fix -r skips it).  Each
        input is read and decoded (its encoding detected, or
        input_encoding), repaired, and written in its own encoding (or
        output_encoding) through a temporary file renamed over its output,
        directories made; a file that did not change is copied as it was.
        A file that cannot be read, decoded or written fails alone; its
        outcome says why."""
        items = [tuple(f) for f in files]
        array = (_native.FileStruct * len(items))()
        for slot, item in zip(array, items):
            slot.input, slot.output = os.fsencode(item[0]), os.fsencode(item[1])
            slot.any_text = int(len(item) > 2 and bool(item[2]))
        opts = check_options(threshold, disable)
        file_opts = _native.FixFilesOptions(
            version=_native.FIX_FILES_OPTIONS_VERSION, apply_proposed=int(all),
            input_encoding=_encoding_code(input_encoding),
            output_encoding=_encoding_code(output_encoding))
        rc = lib.errata_fix_files(self._handle.pointer, self._scratch(), ctypes.byref(opts),
                                  ctypes.byref(file_opts), array, len(items))
        if rc:
            raise _native.fail(rc)
        return [_file_outcome(item, slot) for item, slot in zip(items, array)]


def _file_outcome(item: tuple, slot: _native.FileStruct) -> FileOutcome:
    """The outcome of a file of errata_fix_files(), its rules and note freed."""
    try:
        rules = {slot.rules[i].rule.decode("utf-8"): slot.rules[i].count
                 for i in range(slot.rule_count)}
        note = ctypes.string_at(slot.note).decode("utf-8", "replace") if slot.note else ""
    finally:
        lib.errata_free(ctypes.cast(slot.rules, ctypes.c_void_p))
        lib.errata_free(slot.note)
    return FileOutcome(input=os.fspath(item[0]), output=os.fspath(item[1]),
                       status=_native.FILE_STATUS_NAMES[slot.status], changed=bool(slot.changed),
                       bytes=slot.bytes, rules=rules, note=note)


def _applies(e: tuple, apply_all: bool) -> bool:
    action = e[_ACTION]
    return action == _native.ACTION_APPLY or (apply_all and action == _native.ACTION_PROPOSE)


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


def _edit(e: tuple) -> Edit:
    return Edit(start=e[_CP_START], end=e[_CP_END], line=e[_LINE], column=e[_COLUMN],
                old=_string(e[_OLD]), new=_string(e[_NEW]), rule=_string(e[_RULE]),
                kind=_native.KIND_NAMES[e[_KIND]], action=_native.ACTION_NAMES[e[_ACTION]],
                confidence=e[_CONFIDENCE], reason=_string(e[_REASON]))
