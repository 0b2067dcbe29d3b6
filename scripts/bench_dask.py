#!/usr/bin/python3
"""make bench's Dask row: the seconds errata.dask takes to repair a folder
with a local cluster of N worker processes (one thread each), the best of
RUNS jobs, each into an empty output directory.  The cluster is started and
its engines loaded by a first, untimed job on a few files: what is timed is
a job on a running cluster.

    PYTHONPATH=python /usr/bin/python3 scripts/bench_dask.py DIR WORKERS RUNS
"""
import logging
import os
import shutil
import sys
import tempfile
import time

from distributed import Client, LocalCluster

import errata.dask


def main() -> None:
    folder, workers, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    # Not the nanny's warnings about workers slow to stop at the end.
    logging.getLogger("distributed").setLevel(logging.ERROR)
    scratch = tempfile.mkdtemp(prefix="errata-bench-dask.")
    try:
        with LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            warm = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".txt"))
            errata.dask.run(client, warm[:4 * workers], os.path.join(scratch, "warm"))
            best = float("inf")
            for run in range(runs):
                out = os.path.join(scratch, f"out{run}")
                started = time.perf_counter()
                summary = errata.dask.run(client, [folder], out, notes=open(os.devnull, "w"))
                best = min(best, time.perf_counter() - started)
                if summary.failed:
                    raise SystemExit("bench_dask: shards failed")
                shutil.rmtree(out)
        print("%.6f" % best)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
