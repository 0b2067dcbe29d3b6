#!/usr/bin/python3
"""List the edits errata finds in documents, from Python: one engine, loaded
once and shared by a pool of threads (the library runs without the GIL).

    PYTHONPATH=python /usr/bin/python3 examples/repair.py FILE...
    (after make install: python3 examples/repair.py FILE...)

Files are read in their own encoding (GBK, UTF-16... as errata reads them);
each edit is printed with its place, and FILE.repaired.txt gets the repaired
text in UTF-8.
"""
import concurrent.futures
import sys

import errata


def main(paths: list) -> int:
    engine = errata.Engine()

    def repair(path: str) -> tuple:
        with open(path, "rb") as f:
            text = errata.decode(f.read())
        return path, engine.check(text), engine.fix(text)

    status = 0
    with concurrent.futures.ThreadPoolExecutor() as pool:
        for path, edits, repaired in pool.map(repair, paths):
            for e in edits:
                print(f"{path}:{e.line}:{e.column}: {e.old!r} -> {e.new!r} "
                      f"({e.action} {e.confidence:.2f}, {e.rule})")
            with open(path + ".repaired.txt", "w", encoding="utf-8") as out:
                out.write(repaired)
            status = status or bool(edits)
    return int(status)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except (OSError, errata.Error) as e:
        sys.exit(f"repair: {e}")
