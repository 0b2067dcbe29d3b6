#!/usr/bin/python3
"""make bench's Python rows: Engine.fix over the texts of a folder, held in
memory, on one thread and then on a pool of WORKERS threads sharing one
engine (the library runs without the GIL held), best of RUNS each.  Also
the cost of a call on a short text, against the same texts joined into one.

Prints one line: the best seconds on 1 thread, on WORKERS threads, the
microseconds a call takes on a 100-character text, and the microseconds
per 100 characters of the joined text.

    PYTHONPATH=python /usr/bin/python3 scripts/bench_python.py DIR WORKERS RUNS
"""
import concurrent.futures
import os
import sys
import time

import errata

SHORT_CHARS = 100
SHORT_CALLS = 2000


def best_seconds(runs: int, job) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        job()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    folder, workers, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    names = sorted(n for n in os.listdir(folder) if n.endswith(".txt"))
    texts = [open(os.path.join(folder, n), encoding="utf-8").read() for n in names]
    engine = errata.Engine()
    one = best_seconds(runs, lambda: [engine.fix(t) for t in texts])
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        pool_seconds = best_seconds(runs, lambda: list(pool.map(engine.fix, texts)))
    # Short texts: the first 100 characters of the texts, one call each,
    # against the same characters checked as one text.
    shorts = [t[:SHORT_CHARS] for t in texts if len(t) >= SHORT_CHARS][:SHORT_CALLS]
    joined = "".join(shorts)
    per_call = best_seconds(runs, lambda: [engine.fix(t) for t in shorts]) / len(shorts)
    per_joined = best_seconds(runs, lambda: engine.fix(joined)) / len(shorts)
    print("%.6f %.6f %.1f %.1f" % (one, pool_seconds, per_call * 1e6, per_joined * 1e6))


if __name__ == "__main__":
    main()
