#!/usr/bin/env python3
"""make lsp-bench: how quickly `errata lsp` answers, and its memory.

    python3 tests/bench/lsp-bench.py path/to/errata

Printed: the time from sending didOpen to receiving the diagnostics, for
corpus/wenku-sample.txt (the first open, then the median of twenty more
opens under new names: the model's caches are warm by then) and for a
1 MB document (the damaged documents of corpus/damaged, repeated, each
time with the sample's damage shifted so that no two copies read alike);
the time from a one-character change in the 1 MB document to its new
diagnostics, less the server's pause before re-checking; and the resident
memory (VmRSS) of the server after initialize and when it holds ten open
documents (the first ten of corpus/damaged), then ten 1 MB documents.
The server's CPU time is given beside each wall-clock time: on a busy
machine the latter mostly measures the waiting.  A benchmark, not a test:
it reports, it asserts nothing about speed."""
import glob
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lsp"))
from lspclient import Server  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
DEBOUNCE_MS = 200  # the server's pause after a change (cli/lsp.c)


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def cpu_seconds(pid):
    """The server's CPU time so far (user + system)."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def open_and_wait(s, uri, text, version=1):
    """Seconds from didOpen to the diagnostics, the server's CPU seconds in
    between, the number of diagnostics."""
    start, cpu = time.perf_counter(), cpu_seconds(s.proc.pid)
    s.send(s.notification("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "plaintext", "version": version, "text": text}}))
    got = s.diagnostics(uri)
    return (time.perf_counter() - start, cpu_seconds(s.proc.pid) - cpu,
            len(got["diagnostics"]))


def one_megabyte():
    docs = [open(p, encoding="utf-8").read()
            for p in sorted(glob.glob(os.path.join(ROOT, "corpus", "damaged", "*.txt")))]
    parts, size, k = [], 0, 0
    while size < 1_000_000:
        text = docs[k % len(docs)]
        # Rotate each copy by a few lines so that the repeats differ.
        lines = text.split("\n")
        shift = (k // len(docs)) % max(len(lines), 1)
        text = "\n".join(lines[shift:] + lines[:shift]) + "\n"
        parts.append(text)
        size += len(text.encode())
        k += 1
    return "".join(parts)


def main():
    errata = sys.argv[1]
    sample = open(os.path.join(ROOT, "corpus", "wenku-sample.txt"), encoding="utf-8").read()
    big = one_megabyte()

    s = Server(errata)
    s.initialize()
    base_rss = rss_kib(s.proc.pid)
    first, first_cpu, n_sample = open_and_wait(s, "file:///sample0.txt", sample)
    warm_runs = [open_and_wait(s, "file:///sample%d.txt" % i, sample) for i in range(1, 21)]
    warm = statistics.median(run[0] for run in warm_runs)
    warm_cpu = sum(run[1] for run in warm_runs) / len(warm_runs)
    big_time, big_cpu, n_big = open_and_wait(s, "file:///big.txt", big)
    # One character typed at the start of the big document.
    start, cpu = time.perf_counter(), cpu_seconds(s.proc.pid)
    s.send(s.notification("textDocument/didChange", {
        "textDocument": {"uri": "file:///big.txt", "version": 2},
        "contentChanges": [{"range": {"start": {"line": 0, "character": 0},
                                      "end": {"line": 0, "character": 0}}, "text": "的"}]}))
    s.diagnostics("file:///big.txt")
    keystroke = time.perf_counter() - start - DEBOUNCE_MS / 1000
    keystroke_cpu = cpu_seconds(s.proc.pid) - cpu
    s.shutdown_and_exit()

    s = Server(errata)
    s.initialize()
    for i, path in enumerate(sorted(glob.glob(os.path.join(ROOT, "corpus", "damaged",
                                                           "*.txt")))[:10]):
        open_and_wait(s, "file:///doc%d.txt" % i, open(path, encoding="utf-8").read())
    ten_rss = rss_kib(s.proc.pid)
    s.shutdown_and_exit()

    s = Server(errata)
    s.initialize()
    for i in range(10):
        open_and_wait(s, "file:///big%d.txt" % i, big)
    ten_big_rss = rss_kib(s.proc.pid)
    s.shutdown_and_exit()

    print("didOpen to diagnostics, wenku-sample.txt (%d bytes, %d diagnostics):"
          % (len(sample.encode()), n_sample))
    print("  first open %.1f ms (server CPU %.0f ms)" % (first * 1000, first_cpu * 1000))
    print("  median of 20 more %.1f ms (server CPU %.1f ms on average)"
          % (warm * 1000, warm_cpu * 1000))
    print("didOpen to diagnostics, %d-byte document (%d diagnostics): %.1f ms (server CPU %.0f ms)"
          % (len(big.encode()), n_big, big_time * 1000, big_cpu * 1000))
    print("one character typed in it to new diagnostics, less the %d ms pause: %.1f ms"
          " (server CPU %.0f ms)" % (DEBOUNCE_MS, keystroke * 1000, keystroke_cpu * 1000))
    print("(wall-clock times include the client's own work; load average %.1f while measuring)"
          % os.getloadavg()[0])
    print("server memory (VmRSS): after initialize %d KiB; ten corpus documents open %d KiB;"
          " ten 1 MB documents open %d KiB" % (base_rss, ten_rss, ten_big_rss))


if __name__ == "__main__":
    main()
