"""errata from Python: find and repair the damage in Chinese documents.

A binding (ctypes) over liberrata, the library behind the errata command:

    import errata
    engine = errata.Engine()                  # load once, share between threads
    engine.fix("坚持原那么")                   # -> "坚持原则"
    for e in engine.check(text):              # text[e.start:e.end] == e.old
        print(e.line, e.column, e.old, e.new, e.rule, e.action, e.confidence)
    errata.decode(open("a.txt", "rb").read()) # GBK, UTF-16... as the command reads them
    engine.fix_files([("in/a.txt", "out/a.txt")]) # whole files, as errata fix -r --output-dir

Failures raise errata.Error (FileError, FormatError, EncodingError,
InvalidArgumentError, OutOfMemoryError) with the library's message.
errata.dask repairs a sharded corpus on a Dask cluster.
"""
from ._native import (EncodingError, Error, FileError, FormatError, InvalidArgumentError,
                      OutOfMemoryError, lib as _lib)
from .core import Edit, Engine, Example, FileOutcome, decode, decode_detected, encode

__version__ = _lib.errata_version().decode()

__all__ = ["Engine", "Edit", "Example", "FileOutcome", "decode", "decode_detected", "encode", "Error",
           "FileError", "FormatError", "EncodingError", "InvalidArgumentError",
           "OutOfMemoryError"]
