"""The C library, loaded with ctypes: its structs, its prototypes, its errors.

ctypes releases the GIL for the length of every call into a CDLL, so
threads sharing one engine check their texts in parallel.
"""
from __future__ import annotations

import ctypes
import os
import pathlib
import struct

ENGINE_OPTIONS_VERSION = 1
CHECK_OPTIONS_VERSION = 2
DEFAULT_APPLY_THRESHOLD = 0.80
DEFAULT_PROPOSE_THRESHOLD = 0.50

OK, ENOMEM, EINVAL, EIO, EFORMAT, EENCODING = 0, -1, -2, -3, -4, -5


class Error(Exception):
    """A failed library call; the message is the library's."""

    code = 0

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class OutOfMemoryError(Error, MemoryError):
    """ERRATA_ENOMEM: the library ran out of memory."""

    code = ENOMEM


class InvalidArgumentError(Error, ValueError):
    """ERRATA_EINVAL: an argument the library refuses (a bad encoding name...)."""

    code = EINVAL


class FileError(Error):
    """ERRATA_EIO: a dictionary or model file could not be opened or read."""

    code = EIO


class FormatError(Error, ValueError):
    """ERRATA_EFORMAT: a dictionary or model file is malformed."""

    code = EFORMAT


class EncodingError(Error, ValueError):
    """ERRATA_EENCODING: text that is not valid Unicode, or bytes that cannot be decoded."""

    code = EENCODING


_ERRORS = {cls.code: cls for cls in
           (OutOfMemoryError, InvalidArgumentError, FileError, FormatError, EncodingError)}


class EditStruct(ctypes.Structure):
    _fields_ = [("byte_start", ctypes.c_size_t), ("byte_end", ctypes.c_size_t),
                ("cp_start", ctypes.c_size_t), ("cp_end", ctypes.c_size_t),
                ("line", ctypes.c_size_t), ("column", ctypes.c_size_t),
                ("old_text", ctypes.c_char_p), ("new_text", ctypes.c_char_p),
                ("rule", ctypes.c_char_p), ("kind", ctypes.c_int), ("action", ctypes.c_int),
                ("confidence", ctypes.c_double), ("reason", ctypes.c_char_p)]


# errata_edit as struct packs it, to read many at once: byte_start, byte_end,
# cp_start, cp_end, line, column, old_text, new_text, rule, kind, action,
# confidence, reason (the strings as addresses).
EDIT_RECORD = struct.Struct("@6N3P2idP")
assert EDIT_RECORD.size == ctypes.sizeof(EditStruct)


# errata_rule_count as struct packs it: the rule (its address), its count.
RULE_COUNT_RECORD = struct.Struct("@PN")


class RuleCountStruct(ctypes.Structure):
    _fields_ = [("rule", ctypes.c_char_p), ("count", ctypes.c_size_t)]


class FileStruct(ctypes.Structure):
    """errata_file: one file of errata_fix_files(), its outcome set there."""

    _fields_ = [("input", ctypes.c_char_p), ("output", ctypes.c_char_p),
                ("any_text", ctypes.c_int), ("status", ctypes.c_int), ("changed", ctypes.c_int),
                ("bytes", ctypes.c_size_t), ("rules", ctypes.POINTER(RuleCountStruct)),
                ("rule_count", ctypes.c_size_t), ("note", ctypes.c_void_p)]


FIX_FILES_OPTIONS_VERSION = 1
FILE_STATUS_NAMES = ("written", "skipped", "failed")


class FixFilesOptions(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint), ("apply_proposed", ctypes.c_int),
                ("input_encoding", ctypes.c_int), ("output_encoding", ctypes.c_int)]


class ExampleStruct(ctypes.Structure):
    _fields_ = [("text", ctypes.c_char_p), ("expected", ctypes.c_char_p),
                ("source", ctypes.c_char_p), ("line", ctypes.c_size_t)]


class EngineOptions(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint), ("no_default_dictionaries", ctypes.c_int),
                ("dictionary_paths", ctypes.POINTER(ctypes.c_char_p)),
                ("dictionary_count", ctypes.c_size_t), ("model_path", ctypes.c_char_p),
                ("no_model", ctypes.c_int)]


class CheckOptions(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint), ("apply_threshold", ctypes.c_double),
                ("propose_threshold", ctypes.c_double), ("disabled_rules", ctypes.c_char_p),
                ("assume_damaged", ctypes.c_int), ("no_reasons", ctypes.c_int),
                ("no_positions", ctypes.c_int)]


def _library_path() -> str:
    """ERRATA_LIBRARY, else build/liberrata.so of the checkout this package
    sits in, else the library make install put beside it, else the loader's
    search path."""
    explicit = os.environ.get("ERRATA_LIBRARY")
    if explicit:
        return explicit
    root = pathlib.Path(__file__).resolve().parents[2]
    if (root / "lib" / "errata.h").is_file() and (root / "build" / "liberrata.so").is_file():
        return str(root / "build" / "liberrata.so")
    try:
        from ._installed import LIBRARY  # written by make install
        if os.path.exists(LIBRARY):
            return LIBRARY
    except ImportError:
        pass
    return "liberrata.so.0"


def _load() -> ctypes.CDLL:
    path = _library_path()
    try:
        lib = ctypes.CDLL(path)
    except OSError as e:
        raise ImportError(f"errata: cannot load the library {path}: {e} "
                          "(build it with make, or set ERRATA_LIBRARY)") from None
    P, c = ctypes.POINTER, ctypes
    prototypes = {
        "errata_error_message": (c.c_char_p, []),
        "errata_version": (c.c_char_p, []),
        "errata_engine_new": (c.c_int, [P(c.c_void_p), P(EngineOptions)]),
        "errata_engine_free": (None, [c.c_void_p]),
        "errata_engine_entry_count": (c.c_size_t, [c.c_void_p]),
        "errata_engine_example_count": (c.c_size_t, [c.c_void_p]),
        "errata_engine_example": (P(ExampleStruct), [c.c_void_p, c.c_size_t]),
        "errata_kind_name": (c.c_char_p, [c.c_int]),
        "errata_action_name": (c.c_char_p, [c.c_int]),
        "errata_scratch_new": (c.c_int, [c.c_void_p, P(c.c_void_p)]),
        "errata_scratch_free": (None, [c.c_void_p]),
        "errata_check_scratch": (c.c_int, [c.c_void_p, c.c_void_p, c.c_char_p, c.c_size_t,
                                           P(CheckOptions), P(c.c_void_p)]),
        "errata_result_free": (None, [c.c_void_p]),
        "errata_result_count": (c.c_size_t, [c.c_void_p]),
        "errata_result_edit": (P(EditStruct), [c.c_void_p, c.c_size_t]),
        "errata_result_apply": (c.c_int, [c.c_void_p, c.c_char_p, c.c_size_t, c.c_char_p,
                                          P(c.c_void_p), P(c.c_size_t)]),
        "errata_result_rule_counts": (c.c_int, [c.c_void_p, c.c_int, P(c.c_void_p),
                                                P(c.c_size_t)]),
        "errata_free": (None, [c.c_void_p]),
        "errata_encoding_name": (c.c_char_p, [c.c_int]),
        "errata_encoding_from_name": (c.c_int, [c.c_char_p, P(c.c_int)]),
        "errata_decode": (c.c_int, [c.c_char_p, c.c_size_t, c.c_int, P(c.c_void_p),
                                    P(c.c_size_t), P(c.c_int)]),
        "errata_decode_unchanged": (c.c_int, [c.c_char_p, c.c_size_t, c.c_int]),
        "errata_encode": (c.c_int, [c.c_char_p, c.c_size_t, c.c_int, P(c.c_void_p),
                                    P(c.c_size_t)]),
        "errata_fix_files": (c.c_int, [c.c_void_p, c.c_void_p, P(CheckOptions),
                                       P(FixFilesOptions), P(FileStruct), c.c_size_t]),
        "errata_is_data_file_name": (c.c_int, [c.c_char_p]),
        "errata_data_format": (c.c_char_p, [c.c_char_p, c.c_size_t]),
    }
    for name, (restype, argtypes) in prototypes.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes
    return lib


lib = _load()

KIND_NAMES = tuple(lib.errata_kind_name(k).decode() for k in range(8))
ACTION_NAMES = tuple(lib.errata_action_name(a).decode() for a in range(3))
ACTION_APPLY, ACTION_PROPOSE = 0, 1


def fail(code: int) -> Error:
    """The exception for a failed call, with the calling thread's message
    (read at once: the message is per thread)."""
    message = lib.errata_error_message().decode("utf-8", "replace")
    if code == ENOMEM and not message:
        message = "out of memory"
    return _ERRORS.get(code, Error)(message or f"error {code}")


def take_buffer(pointer: ctypes.c_void_p, length: ctypes.c_size_t) -> bytes:
    """The bytes of a buffer the library allocated, which is then freed."""
    try:
        return ctypes.string_at(pointer, length.value)
    finally:
        lib.errata_free(pointer)
