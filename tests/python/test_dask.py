"""errata.dask on a real cluster on loopback: a dask scheduler and two dask
workers started here, a job over JSON Lines shards and a folder of text
files compared byte for byte with the command's outputs, a rerun that skips
what is done, and a job that loses a worker (kill -9) midway.  Every
process started here is stopped at the end (and the scheduler and workers
end themselves if this process dies: --idle-timeout, --death-timeout)."""
import json
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT
from jsonl_data import ODD_LINES, damaged_texts, jsonl_bytes, styled_lines

SHARDS = 6
SHARD_COPIES = 9  # about 1 MB a shard: long enough for a worker to die in the middle
DEADLINE = 120    # seconds for any one wait


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "python"), env.get("PYTHONPATH")]))
    return env


def _wait_for(condition, what: str):
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting for {what}")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """(scheduler address, worker processes) of a cluster on 127.0.0.1."""
    home = tmp_path_factory.mktemp("cluster")
    dask = shutil.which("dask") or "/usr/bin/dask"
    started = []

    def start(*args: str) -> subprocess.Popen:
        log = open(home / f"{len(started)}.log", "wb")
        process = subprocess.Popen([dask, *args], stdout=log, stderr=log, env=_env(),
                                   start_new_session=True)
        started.append(process)
        return process

    try:
        scheduler_file = home / "scheduler.json"
        start("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
              "--idle-timeout", "300", "--scheduler-file", str(scheduler_file))
        _wait_for(lambda: _scheduler_address(scheduler_file), "the scheduler")
        address = _scheduler_address(scheduler_file)
        workers = [start("worker", address, "--no-nanny", "--nthreads", "1", "--host",
                         "127.0.0.1", "--no-dashboard", "--death-timeout", "60",
                         "--local-directory", str(home / f"worker{i}")) for i in range(2)]
        _wait_for(lambda: _worker_count(address) == 2, "two workers")
        yield address, workers
    finally:
        for process in started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _scheduler_address(scheduler_file: pathlib.Path) -> str | None:
    """The address the scheduler wrote, or None while the file is missing or
    not yet whole (it is written in place, so it can be read half done)."""
    try:
        return json.loads(scheduler_file.read_text())["address"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _worker_count(address: str) -> int:
    from distributed import Client
    with Client(address, timeout=DEADLINE) as client:
        return len(client.scheduler_info()["workers"])


@pytest.fixture(scope="module")
def shards(tmp_path_factory, run_cli):
    """Input shards and, for each, what errata fix --jsonl makes of it."""
    directory = tmp_path_factory.mktemp("shards")
    texts = damaged_texts()
    expected = {}
    for k in range(SHARDS):
        rotated = texts[k:] + texts[:k]
        lines = []
        for copy in range(SHARD_COPIES):
            lines += styled_lines(rotated, id_base=copy * 10**6)
        path = directory / f"part-{k:03d}.jsonl"
        path.write_bytes(jsonl_bytes(lines + ODD_LINES))
        expected[path.name] = run_cli("fix", "--jsonl", str(path))
    return directory, expected


def _busy_worker(address: str, workers: list) -> subprocess.Popen:
    """The worker process that has a shard in hand now."""
    from distributed import Client
    with Client(address, timeout=DEADLINE) as client:
        pids = client.run(os.getpid)
        busy = [pids[worker] for worker, tasks in client.processing().items() if tasks]
    return next(p for p in workers if p.pid in busy)


def _job(address: str, inputs: str, out: pathlib.Path, *options: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "errata.dask", "--scheduler", address,
                             *options, inputs, str(out)], env=_env(), cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _finish(job: subprocess.Popen) -> tuple:
    out, err = job.communicate(timeout=DEADLINE)
    return job.returncode, err.decode()


def _outputs(out: pathlib.Path) -> dict:
    return {p.name: p.read_bytes() for p in out.iterdir()}


def _manifest_outputs(out: pathlib.Path) -> list:
    lines = (out / ".errata-manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return sorted(json.loads(line)["output"] for line in lines)


def test_job_writes_what_the_command_writes_and_a_rerun_skips_it(cluster, shards, tmp_path):
    address, _ = cluster
    directory, expected = shards
    out = tmp_path / "out"
    rc, err = _finish(_job(address, f"{directory}/*.jsonl", out))
    assert rc == 0, err
    written = _outputs(out)
    assert _manifest_outputs(out) == sorted(expected)
    del written[".errata-manifest.jsonl"]
    assert written == expected
    summary = [line for line in err.splitlines() if line.startswith("errata: 6 shards")]
    assert summary and summary[0].startswith("errata: 6 shards (0 done before), ")
    times = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    rc, err = _finish(_job(address, f"{directory}/*.jsonl", out))
    assert rc == 0 and "errata: 6 shards (6 done before), " in err
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.name[0] != "."} == {
        name: t for name, t in times.items() if name[0] != "."}


def test_job_survives_a_worker_killed_midway(cluster, shards, tmp_path):
    address, workers = cluster
    directory, expected = shards
    out = tmp_path / "out"
    job = _job(address, f"{directory}/*.jsonl", out)
    manifest = out / ".errata-manifest.jsonl"
    _wait_for(lambda: manifest.exists() and manifest.stat().st_size > 0, "the first shard")
    victim = _busy_worker(address, workers)
    victim.send_signal(signal.SIGKILL)
    assert victim.wait(timeout=DEADLINE) == -signal.SIGKILL
    rc, err = _finish(job)
    assert rc == 0, err
    assert _manifest_outputs(out) == sorted(expected)
    written = _outputs(out)
    del written[".errata-manifest.jsonl"]
    assert written == expected  # nothing else: no temporary file left behind


def test_text_files_as_errata_fix_r_writes_them(cluster, tmp_path, cli):
    address, _ = cluster
    tree = tmp_path / "in"
    (tree / "sub").mkdir(parents=True)
    sample = (ROOT / "corpus" / "wenku-sample.txt").read_text(encoding="utf-8")
    (tree / "a.txt").write_text(sample, encoding="utf-8")
    (tree / "sub" / "b.txt").write_bytes(sample.encode("gb18030"))
    (tree / "sub" / "c.txt").write_bytes(sample.encode("utf-16"))
    (tree / "clean.txt").write_text("今天天气很好。\n", encoding="utf-8")
    (tree / "binary.dat").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x03\x00\x3e\x00")
    (tree / ".hidden.txt").write_text("坚持原那么", encoding="utf-8")
    (tree / "undecodable.txt").write_bytes(b"abc\xff\xfe\x80\x81")
    # Data, not documents: left out by name, or skipped by what they hold.
    (tree / "gold.json").write_text('{"edits": ["原那么"]}', encoding="utf-8")
    (tree / "sub" / "convert.py").write_text("# 坚持原那么\n", encoding="utf-8")
    (tree / "sub" / "records.txt").write_text('[{"text": "坚持原那么"}]', encoding="utf-8")
    reference = tmp_path / "reference"
    done = subprocess.run([cli, "fix", "-q", "-r", "--output-dir", str(reference), str(tree)])
    assert done.returncode == 2
    out = tmp_path / "out"
    rc, err = _finish(_job(address, str(tree), out))
    assert rc == 2, err
    assert f"errata: {tree}/undecodable.txt: cannot decode, left alone: " in err
    got = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert got.pop(".errata-manifest.jsonl")
    want = {str(p.relative_to(reference)): p.read_bytes() for p in reference.rglob("*")
            if p.is_file()}
    assert sorted(want) == ["a.txt", "clean.txt", "sub/b.txt", "sub/c.txt"]
    assert got == want
    assert f"errata: {tree}/binary.dat: skipped: not a text file (byte 0x02 at offset 4)" in err
    assert f"errata: {tree}/sub/records.txt: skipped: JSON, not a document" in err
    assert "documents read, 3 changed, 4 skipped, 1 failed" in err


@pytest.mark.parametrize("inputs, message", [
    (["/nonexistent/*.jsonl"], "errata.dask: /nonexistent/*.jsonl: no such file\n"),
    (["/nonexistent.jsonl"], "errata.dask: /nonexistent.jsonl: no such file\n"),
])
def test_bad_operands_are_refused_before_any_cluster(inputs, message, tmp_path):
    done = subprocess.run([sys.executable, "-m", "errata.dask", *inputs, str(tmp_path / "out")],
                          env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          timeout=DEADLINE)
    assert (done.returncode, done.stderr) == (1, message)
    assert not (tmp_path / "out").exists()


def test_two_inputs_for_one_output_are_refused(tmp_path):
    for d in ("a", "b"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "x.jsonl").write_text("{}\n")
    done = subprocess.run([sys.executable, "-m", "errata.dask", str(tmp_path / "a" / "x.jsonl"),
                           str(tmp_path / "b" / "x.jsonl"), str(tmp_path / "out")],
                          env=_env(), stderr=subprocess.PIPE, text=True, timeout=DEADLINE)
    assert (done.returncode, done.stderr) == (1, f"errata.dask: {tmp_path}/a/x.jsonl and "
                                                 f"{tmp_path}/b/x.jsonl would both be written to x.jsonl\n")


def test_strict_fails_a_shard_with_a_malformed_line_and_writes_no_output_for_it(cluster, tmp_path):
    address, _ = cluster
    shards = tmp_path / "in"
    shards.mkdir()
    (shards / "good.jsonl").write_text('{"text": "坚持原那么"}\n', encoding="utf-8")
    (shards / "bad.jsonl").write_text('{"text": "根底"}\nnot json\n', encoding="utf-8")
    out = tmp_path / "out"
    rc, err = _finish(_job(address, str(shards / "*.jsonl"), out, "--strict"))
    assert rc == 2, err
    assert f"errata: {shards}/bad.jsonl: line 2: malformed JSON\n" in err
    assert _manifest_outputs(out) == ["good.jsonl"]
    assert sorted(_outputs(out)) == [".errata-manifest.jsonl", "good.jsonl"]
    assert (out / "good.jsonl").read_text(encoding="utf-8") == '{"text": "坚持原则"}\n'


def test_temporaries_a_lost_worker_left_are_removed_and_nothing_else(tmp_path):
    import errata.dask
    names = [".a.txt.errata-4242-0", ".b.jsonl.errata-4242-t139872", "sub/.c.txt.errata-7-12",
             ".errata-manifest.jsonl", ".hidden", "d.errata-1-2", ".e.txt.errata-x-1"]
    for name in names:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x")
    errata.dask._remove_stale_temporaries(str(tmp_path))
    left = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert left == [".e.txt.errata-x-1", ".errata-manifest.jsonl", ".hidden", "d.errata-1-2"]
