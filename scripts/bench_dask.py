#!/usr/bin/python3
"""make bench's Dask row: errata.dask on a local cluster of N worker
processes (one thread each, its client fetching results from the workers
directly, as python3 -m errata.dask starts it) against
errata fix -r -j N --output-dir on the same folder, RUNS times each,
interleaved (command, job, command, job, ...) so that both see the same
load on a shared machine.  Every run writes into
an empty output directory, removed after it (untimed).

What is timed is the same work on both sides: a job, from reading the
folder to the last file written and (for Dask) its manifest.  The cluster
is started, and its workers load their engines, before the first run, in a
first untimed job on a few files; the command's time includes its own start
and engine load (about 15 ms).

Prints one line: the best (shortest) seconds of the command and of the
job, then the median seconds of each, then the median over the runs of the
command's seconds over the job's in the same run (each run's pair saw the
same load, so one lucky run on either side does not decide it).

    PYTHONPATH=python /usr/bin/python3 scripts/bench_dask.py ERRATA DIR WORKERS RUNS
"""
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from distributed import Client

import errata.dask


def time_command(errata: str, folder: str, workers: int, out: str) -> float:
    started = time.perf_counter()
    subprocess.run([errata, "fix", "-r", "-j", str(workers), "-q", "--output-dir", out, folder],
                   check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def time_job(client: Client, folder: str, out: str) -> float:
    started = time.perf_counter()
    summary = errata.dask.run(client, [folder], out, notes=open(os.devnull, "w"))
    seconds = time.perf_counter() - started
    if summary.failed:
        raise SystemExit("bench_dask: shards failed")
    return seconds


def main() -> None:
    errata_path, folder = sys.argv[1], sys.argv[2]
    workers, runs = int(sys.argv[3]), int(sys.argv[4])
    # Not the nanny's warnings about workers slow to stop at the end.
    logging.getLogger("distributed").setLevel(logging.ERROR)
    scratch = tempfile.mkdtemp(prefix="errata-bench-dask.")
    command, job = [], []
    try:
        with errata.dask.local_cluster(workers) as cluster, Client(cluster, direct_to_workers=True) as client:
            warm = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".txt"))
            errata.dask.run(client, warm[:4 * workers], os.path.join(scratch, "warm"))
            for run in range(runs):
                out = os.path.join(scratch, f"command{run}")
                command.append(time_command(errata_path, folder, workers, out))
                shutil.rmtree(out)
                out = os.path.join(scratch, f"job{run}")
                job.append(time_job(client, folder, out))
                shutil.rmtree(out)
        pairs = [c / j for c, j in zip(command, job)]
        print("%.6f %.6f %.6f %.6f %.2f" % (min(command), min(job), statistics.median(command),
                                            statistics.median(job), statistics.median(pairs)))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
