"""Repair a sharded corpus on a Dask cluster.

    python3 -m errata.dask [--scheduler tcp://HOST:PORT] [-n N] 'in/*.jsonl' out/

Each input is a shard: a JSON Lines file (.jsonl, .ndjson: its text field
repaired exactly as `errata fix --jsonl` does) or a text file (repaired in
its own encoding, as `errata fix -r --output-dir` does); a directory is
walked as `errata fix -r` walks it.  Shards go to the workers in batches
(one task a batch, smaller batches as the job nears its end); a worker
process loads its engine once and keeps it, and repairs a batch's text
files in one call into the library (errata_fix_files), without the GIL.  A shard's output is written to
a temporary file and renamed into OUT, then recorded in OUT/.errata-manifest.jsonl,
so a rerun skips the shards that are done (same input size and time, same
options) and a shard repeated after a lost worker is written whole once.
The edit counts by rule of all shards are gathered into one summary.

Without --scheduler, a local cluster of N worker processes (default: one per
core) is started for the run.  On a real cluster the workers need errata
installed and OUT on a file system they share with the inputs.
"""
from __future__ import annotations

import argparse
import ctypes
import dataclasses
import glob
import hashlib
import json
import os
import re
import sys
import threading
import time
from typing import Iterable, Optional

from . import core, jsonl
from ._native import Error

MANIFEST = ".errata-manifest.jsonl"
# A temporary output being written: .NAME.errata-PID-N, as the library
# names it (errata_fix_files), or .NAME.errata-PID-tTHREAD for a JSON Lines
# shard written here.
TEMPORARY_NAME = re.compile(r"\..*\.errata-[0-9]+-t?[0-9]+")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
# Small shards go to the workers in batches, so that a corpus of many small
# files does not pay the scheduler's cost per task for each.  A batch holds
# about the work left / (BATCHES_PER_THREAD x worker threads), within these
# bounds: large batches first, smaller ones as the job nears its end, so
# that no worker waits long for another to finish a large last batch.  Two
# a thread: the 3,374 law texts of make bench (59 MB) go in 22 tasks, the
# last ones of 70-150 KB; four a thread made 40 tasks and cost the client
# and scheduler a quarter more processor time (0.50 s against 0.40 s a job,
# medians of four at a load of 5).
MAX_BATCH_BYTES = 8 << 20
MIN_BATCH_BYTES = 64 << 10
BATCHES_PER_THREAD = 2


@dataclasses.dataclass(frozen=True)
class Settings:
    """What decides a shard's output: the engine's and the repair's options."""

    dictionaries: tuple = ()
    model: Optional[str] = None
    no_default_dictionaries: bool = False
    no_model: bool = False
    threshold: float = 0.80
    disable: tuple = ()
    all: bool = False
    field: str = "text"
    attach_edits: bool = False
    strict: bool = False

    def engine_key(self) -> tuple:
        return (self.dictionaries, self.model, self.no_default_dictionaries, self.no_model)

    def digest(self) -> str:
        return hashlib.sha256(repr(dataclasses.astuple(self)).encode()).hexdigest()[:16]


@dataclasses.dataclass(frozen=True)
class Shard:
    path: str    # the input
    output: str  # relative to the output directory
    kind: str    # "jsonl" or "text"
    named: bool = True  # named as an operand: repaired whatever its text looks like


# ------------------------------------------------------------ on the workers

_engines: dict = {}
_engines_lock = threading.Lock()

# glibc's mallopt parameters, and the values errata fix -r sets (cli/batch.c).
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
KEEP_FREE_MEMORY_BELOW, KEEP_BLOCKS_BELOW = 256 << 20, 32 << 20


def _keep_freed_memory() -> None:
    """Let glibc keep the megabytes a document's check needs from one shard
    to the next.  Dask starts its workers with MALLOC_TRIM_THRESHOLD_=65536,
    which gives them back after every document: each then pays for its pages
    again, and the checks took four times the processor time."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return  # not glibc
    mallopt(M_TRIM_THRESHOLD, KEEP_FREE_MEMORY_BELOW)
    mallopt(M_MMAP_THRESHOLD, KEEP_BLOCKS_BELOW)


def _engine(settings: Settings) -> core.Engine:
    """This process's engine for these settings, loaded on first use."""
    key = settings.engine_key()
    with _engines_lock:
        if not _engines:
            _keep_freed_memory()
        if key not in _engines:
            _engines[key] = core.Engine(dictionaries=settings.dictionaries, model=settings.model,
                                        no_default_dictionaries=settings.no_default_dictionaries,
                                        no_model=settings.no_model)
        return _engines[key]


# Written in pieces of about this size (a JSON Lines shard comes line by line).
WRITE_BYTES = 1 << 20
NEW_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC


def _create(path: str) -> int:
    """path opened for writing (a file descriptor), its directory made when missing."""
    try:
        return os.open(path, NEW_FILE_FLAGS, 0o666)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        return os.open(path, NEW_FILE_FLAGS, 0o666)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _write_chunks(fd: int, chunks: Iterable[bytes]) -> None:
    pending, size = [], 0
    for chunk in chunks:
        pending.append(chunk)
        size += len(chunk)
        if size >= WRITE_BYTES:
            _write_all(fd, b"".join(pending))
            pending, size = [], 0
    _write_all(fd, b"".join(pending))


def _write_atomic(path: str, chunks: Iterable[bytes]) -> None:
    """Write to a temporary file beside path, then rename it over path.
    Through the file descriptor: a Python file object would cost three
    more system calls a file (ioctl, lseek, fstat) and a buffer."""
    directory, name = os.path.split(path)
    temp = os.path.join(directory, f".{name}.errata-{os.getpid()}-t{threading.get_ident()}")
    try:
        fd = _create(temp)
        try:
            _write_chunks(fd, chunks)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def _fix_jsonl(engine: core.Engine, shard: Shard, settings: Settings,
               out: str) -> tuple[jsonl.Counts, bool]:
    options = jsonl.Options(field=settings.field, attach_edits=settings.attach_edits,
                            threshold=settings.threshold, disable=settings.disable,
                            all=settings.all, strict=settings.strict)
    fixer = jsonl.LineFixer(engine, options)
    with open(shard.path, "rb") as lines:
        try:
            _write_atomic(out, fixer.fix_stream(lines, shard.path))
        except jsonl.Stopped as e:  # no output: the shard is done again on a rerun
            raise ShardFailed(str(e)) from None
    return fixer.counts, True


class ShardFailed(Exception):
    """A shard that cannot be repaired, with the note that says why."""


def fix_jsonl_shard(shard: Shard, settings: Settings, out_dir: str) -> dict:
    """Repair one JSON Lines shard into out_dir; its counts as a dict."""
    try:
        counts, written = _fix_jsonl(_engine(settings), shard, settings,
                                     os.path.join(out_dir, shard.output))
        failed = 0
    except ShardFailed as e:
        counts, failed, written = jsonl.Counts(), 1, False
        counts.notes.append(str(e))
    except (OSError, Error) as e:
        counts, failed, written = jsonl.Counts(), 1, False
        counts.notes.append(f"{shard.path}: {e}")
    result = dict(vars(counts))  # its fields (dataclasses.asdict would deep-copy them)
    result.update(failed=failed, written=written)
    return result


def fix_text_shards(shards: list, settings: Settings, out_dir: str) -> list:
    """Repair text shards into out_dir in one call into the library (read,
    decoded, repaired and written as errata fix -r --output-dir does, without
    the GIL); their counts as dicts."""
    outcomes = _engine(settings).fix_files(
        [(s.path, os.path.join(out_dir, s.output), s.named) for s in shards],
        settings.threshold, settings.disable, all=settings.all)
    return [_text_result(shard, outcome) for shard, outcome in zip(shards, outcomes)]


def _text_result(shard: Shard, outcome: core.FileOutcome) -> dict:
    written, skipped, failed = (outcome.status == s for s in ("written", "skipped", "failed"))
    return {"read": int(written), "changed": int(outcome.changed), "skipped": int(skipped),
            "bytes": 0 if failed else outcome.bytes, "rules": outcome.rules,
            "notes": [f"{shard.path}: {outcome.note}"] if outcome.note else [],
            "failed": int(failed), "written": written}


def fix_batch(shards: list, settings: Settings, out_dir: str) -> str:
    """The task: repair a batch of shards into out_dir, their results (in
    the batch's order) as one JSON array.  One string goes back in one
    piece; a list of dicts would be serialized dict by dict."""
    texts = [i for i, shard in enumerate(shards) if shard.kind == "text"]
    results = [None] * len(shards)
    for i, result in zip(texts, fix_text_shards([shards[i] for i in texts], settings, out_dir)):
        results[i] = result
    for i, shard in enumerate(shards):
        if results[i] is None:
            results[i] = fix_jsonl_shard(shard, settings, out_dir)
    return json.dumps(results, ensure_ascii=False)


# ------------------------------------------------------------ on the client

def find_shards(operands: Iterable[str], out_dir: Optional[str] = None) -> tuple[list, int]:
    """The shards of the operands (globs, files, directories walked as
    errata fix -r walks them), each with its place under the output
    directory, and how many files the walks left out.  A walk leaves out
    hidden names, symbolic links, out_dir and, by their names, data, markup
    and code files (as errata fix -r does), but takes JSON Lines shards."""
    shards, left_out = [], 0
    skip = os.path.abspath(out_dir) if out_dir else None
    for operand in operands:
        paths = sorted(glob.glob(operand)) if glob.has_magic(operand) else [operand]
        if not paths:
            raise FileNotFoundError(f"{operand}: no such file")
        for path in paths:
            if os.path.isdir(path):
                found, left = _walk(os.path.abspath(path), "", skip)
                shards += [_shard(p, output, named=False) for p, output in found]
                left_out += left
            elif os.path.isfile(path):
                shards.append(_shard(path, os.path.basename(path)))
            else:
                raise FileNotFoundError(f"{path}: no such file")
    outputs = {}
    for shard in shards:
        if shard.output in outputs:
            raise ValueError(f"{outputs[shard.output]} and {shard.path} would both be written "
                             f"to {shard.output}")
        outputs[shard.output] = shard.path
    return shards, left_out


def _walk(directory: str, relative: str, skip: Optional[str]) -> tuple[list, int]:
    """(path, path relative to the walk's root) of each file taken under
    directory, an absolute path, whose path relative to the root is
    relative; and how many files were left out (skip, a directory, is not
    walked)."""
    found, left_out = [], 0
    for entry in sorted(os.scandir(directory), key=lambda e: e.name.encode()):
        if entry.name.startswith(".") or entry.is_symlink():
            continue
        if entry.is_dir():
            if entry.path != skip:
                files, left = _walk(entry.path, relative + entry.name + os.sep, skip)
                found += files
                left_out += left
        elif not entry.is_file():
            continue
        elif entry.name.endswith(JSONL_SUFFIXES) or not core.is_data_file_name(entry.name):
            found.append((entry.path, relative + entry.name))
        else:
            left_out += 1
    return found, left_out


def _shard(path: str, output: str, named: bool = True) -> Shard:
    kind = "jsonl" if path.endswith(JSONL_SUFFIXES) else "text"
    return Shard(path if os.path.isabs(path) else os.path.abspath(path), output, kind, named)


def _stamp(shard: Shard, settings_digest: str) -> dict:
    st = os.stat(shard.path)
    return {"input": shard.path, "output": shard.output, "size": st.st_size,
            "mtime_ns": st.st_mtime_ns, "settings": settings_digest}


def read_manifest(out_dir: str) -> dict:
    """The shards done, by output name (the latest record of each); a line
    cut short by an interrupted run is ignored."""
    done = {}
    try:
        with open(os.path.join(out_dir, MANIFEST), encoding="utf-8") as f:
            for line in f:
                try:
                    record = json.loads(line)
                    done[record["output"]] = record
                except (ValueError, KeyError, TypeError):
                    continue
    except FileNotFoundError:
        pass
    return done


def _is_done(record: Optional[dict], stamp: dict, out_dir: str) -> bool:
    if not record or any(record.get(k) != v for k, v in stamp.items()):
        return False
    return not record.get("written") or os.path.isfile(os.path.join(out_dir, stamp["output"]))


def _remove_stale_temporaries(out_dir: str) -> None:
    """Temporary files a lost worker left behind."""
    for directory, _, names in os.walk(out_dir):
        for name in names:
            if TEMPORARY_NAME.fullmatch(name):
                os.unlink(os.path.join(directory, name))


@dataclasses.dataclass
class Summary:
    shards: int = 0
    already_done: int = 0
    failed: int = 0
    seconds: float = 0.0
    bytes_now: int = 0  # read by this run (not by the one that did the shards done before)
    counts: jsonl.Counts = dataclasses.field(default_factory=jsonl.Counts)

    def report(self, stream=sys.stderr) -> None:
        c = self.counts
        rate = self.bytes_now / 1e6 / self.seconds if self.seconds > 0 else 0.0
        print(f"errata: {self.shards} shards ({self.already_done} done before), {c.read} "
              f"documents read, {c.changed} changed, {c.skipped} skipped, {self.failed} failed "
              f"({self.bytes_now / 1e6:.1f} MB in {self.seconds:.2f} s, {rate:.1f} MB/s)", file=stream)
        if c.rules:
            print("errata: edits by rule:", file=stream)
            for rule, n in sorted(c.rules.items(), key=lambda item: (-item[1], item[0])):
                print(f"{n:8d}  {rule}", file=stream)


def run(client, operands: Iterable[str], out_dir: str, settings: Settings = Settings(),
        notes=sys.stderr) -> Summary:
    """Repair the shards of operands into out_dir on the cluster of client
    (a dask.distributed.Client); shards recorded as done are skipped."""
    started = time.monotonic()
    shards, left_out = find_shards(operands, out_dir)
    return run_shards(client, shards, left_out, out_dir, settings, notes, started)


def run_shards(client, shards: list, left_out: int, out_dir: str,
               settings: Settings = Settings(), notes=sys.stderr,
               started: Optional[float] = None) -> Summary:
    """run() on the shards find_shards() found (and the count of files it
    left out), for a caller that looked for them already."""
    from distributed import as_completed

    started = time.monotonic() if started is None else started
    os.makedirs(out_dir, exist_ok=True)
    out_dir = os.path.abspath(out_dir)
    done = read_manifest(out_dir)
    summary = Summary(shards=len(shards))
    summary.counts.skipped = left_out
    todo = []
    digest = settings.digest()
    for shard in shards:
        stamp = _stamp(shard, digest)
        record = done.get(shard.output)
        if _is_done(record, stamp, out_dir):
            summary.already_done += 1
            summary.counts.add(_counts_of(record))
        else:
            todo.append((shard, stamp))
    threads = sum(w["nthreads"] for w in client.scheduler_info()["workers"].values()) or 1
    batches = _batches(todo, threads)
    # All batches in one map, not a submit each: the client reads the source
    # of its caller's function for every graph it sends (25 ms each, 1 s of
    # processor time for the 40 batches of the law texts, taken from the
    # workers of a local cluster).  Every argument is positional: a task
    # with keyword arguments is serialized object by object (a pickle for
    # each shard) instead of in one pickle.
    submitted = client.map(fix_batch, [[shard for shard, _ in batch] for batch in batches],
                           [settings] * len(batches), [out_dir] * len(batches), pure=False)
    futures = {future: [stamp for _, stamp in batch]
               for future, batch in zip(submitted, batches)}
    with open(os.path.join(out_dir, MANIFEST), "a", encoding="utf-8") as manifest:
        for future in as_completed(futures):
            for stamp, result in zip(futures[future], json.loads(future.result())):
                _record(summary, manifest, stamp, result, notes)
            manifest.flush()
            os.fsync(manifest.fileno())
    _remove_stale_temporaries(out_dir)
    summary.seconds = time.monotonic() - started
    return summary


def _batches(todo: list, threads: int) -> list:
    """The shards to do, in order, cut into batches that shrink with the
    work left."""
    left = sum(stamp["size"] for _, stamp in todo)
    batches, size, limit = [], 0, 0
    for item in todo:
        if not batches or size >= limit:
            share = left // (BATCHES_PER_THREAD * threads)
            limit = min(MAX_BATCH_BYTES, max(MIN_BATCH_BYTES, share))
            batches.append([])
            size = 0
        batches[-1].append(item)
        size += item[1]["size"]
        left -= item[1]["size"]
    return batches


def _record(summary: Summary, manifest, stamp: dict, result: dict, notes) -> None:
    """Count a shard's result and, when it is done, record it in the manifest."""
    summary.failed += result["failed"]
    summary.bytes_now += result["bytes"]
    summary.counts.add(_counts_of(result))
    for note in result["notes"]:
        print(f"errata: {note}", file=notes)
    if not result["failed"]:
        record = {**stamp, **result}
        del record["notes"]
        manifest.write(json.dumps(record, ensure_ascii=False) + "\n")


def _counts_of(record: dict) -> jsonl.Counts:
    return jsonl.Counts(read=record.get("read", 0), changed=record.get("changed", 0),
                        skipped=record.get("skipped", 0), bytes=record.get("bytes", 0),
                        rules=dict(record.get("rules", {})))


# ------------------------------------------------------------ command line

# The local cluster has no dashboard, so nothing would show what Dask's
# statistical profilers collect (a sample of every server's event loop and
# of the running task every 10 ms), its system monitor (every 500 ms) or its
# widget (every 500 ms); without them, with the event loops' health check
# every half second instead of every 20 ms, and the workers' memory checked
# and work stealing considered every second instead of every 100 ms (work
# is handed out as workers free up), an idle cluster of two workers takes
# 0.017 of a core instead of 0.16, left to the repairs.
LOCAL_CLUSTER_CONFIG = {"distributed.worker.profile.enabled": False,
                        "distributed.admin.tick.interval": "500ms",
                        "distributed.admin.system-monitor.interval": "2s",
                        "distributed.admin.system-monitor.disk": False,
                        "distributed.deploy.cluster-repr-interval": "10s",
                        "distributed.worker.memory.monitor-interval": "1s",
                        "distributed.scheduler.work-stealing-interval": "1s"}


def local_cluster(workers: int):
    """A dask.distributed LocalCluster of worker processes, one thread each,
    as the command line starts it without --scheduler."""
    import dask
    from distributed import LocalCluster

    with dask.config.set(LOCAL_CLUSTER_CONFIG):
        return LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None)


def _arguments(argv: Optional[list]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python3 -m errata.dask",
        description="Repair JSON Lines shards and text files on a Dask cluster, each output "
                    "as errata fix --jsonl (or errata fix -r --output-dir) writes it.")
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="shards: files, directories or quoted globs ('in/*.jsonl')")
    p.add_argument("out", metavar="OUT", help="output directory (its manifest makes reruns resume)")
    p.add_argument("--scheduler", metavar="ADDR", help="a running scheduler, tcp://HOST:PORT")
    p.add_argument("-n", "--workers", type=int, default=os.cpu_count() or 1,
                   help="without --scheduler: local worker processes (default: one per core)")
    p.add_argument("--field", default="text", help="the JSON field to repair (default: text)")
    p.add_argument("--attach-edits", action="store_true", help="add the applied edits to each line")
    p.add_argument("--strict", action="store_true",
                   help="a shard with a malformed line fails (no output) instead of passing it through")
    p.add_argument("--threshold", type=float, default=0.80, help="apply from this confidence")
    p.add_argument("--conservative", dest="threshold", action="store_const", const=0.95)
    p.add_argument("--aggressive", dest="threshold", action="store_const", const=0.50)
    p.add_argument("--all", action="store_true", help="apply the proposals too")
    p.add_argument("--disable", action="append", default=[], metavar="RULE,...")
    p.add_argument("--dict", action="append", default=[], metavar="FILE")
    p.add_argument("--model", metavar="FILE")
    p.add_argument("--no-default-dict", action="store_true")
    p.add_argument("--no-model", action="store_true")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary")
    return p.parse_args(argv)


def main(argv: Optional[list] = None) -> int:
    args = _arguments(argv)
    if not args.field:
        raise SystemExit("errata.dask: --field needs a name")
    settings = Settings(dictionaries=tuple(os.path.abspath(d) for d in args.dict),
                        model=os.path.abspath(args.model) if args.model else None,
                        no_default_dictionaries=args.no_default_dict, no_model=args.no_model,
                        threshold=args.threshold,
                        disable=tuple(r for d in args.disable for r in d.split(",") if r),
                        all=args.all, field=args.field, attach_edits=args.attach_edits,
                        strict=args.strict)
    try:  # before a cluster is started for nothing; the walk is not done again
        shards, left_out = find_shards(args.inputs, args.out)
    except (OSError, ValueError) as e:
        raise SystemExit(f"errata.dask: {e}") from None
    from distributed import Client

    if args.scheduler:
        client = Client(args.scheduler)
    else:  # results fetched from the workers, not relayed by the scheduler
        client = Client(local_cluster(args.workers), direct_to_workers=True)
    with client:
        try:
            summary = run_shards(client, shards, left_out, args.out, settings)
        except (OSError, ValueError) as e:
            raise SystemExit(f"errata.dask: {e}") from None
    if not args.quiet:
        summary.report()
    return 2 if summary.failed else 0


if __name__ == "__main__":
    # Run as errata.dask, not __main__, so that the tasks are sent to the
    # workers by name (they import errata), not pickled by value.
    from errata.dask import main as main_of_module
    sys.exit(main_of_module())
