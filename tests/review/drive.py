#!/usr/bin/env python3
"""Drive an interactive program through a pseudo-terminal of its own, as a
user at a terminal would: wait for what it shows, type keys, send signals.

    python3 tests/review/drive.py [OPTIONS] -- PROGRAM [ARG...] < SCRIPT

The program runs in a new session whose controlling terminal is the pty (so
/dev/tty works even when the caller has no terminal, as in CI).  SCRIPT has
one command a line (blank lines and lines starting with # are skipped):

    expect TEXT     wait (bounded) until TEXT appears in the output after the
                    previous match; escape sequences are removed and CR LF
                    read as LF before matching
    send TEXT       type TEXT; escapes: \\r \\n \\t \\e (ESC) \\b (DEL, the
                    backspace key) \\xHH \\\\
    signal NAME     send signal NAME (INT, TERM, HUP…) to the program
    stopped         wait (bounded) until the program is stopped (Ctrl-Z)
    exit N          wait (bounded) for the program to end with status N
                    (128+S if a signal S killed it)
    no-wider N      no output line takes more than N terminal columns
                    (East Asian wide and full-width characters count two)
    restored        the terminal's modes are what they were before the run
    raw-contains T  the output bytes, escapes included, contain T
    raw-lacks T     the output bytes contain no T

The whole output is written to --transcript if given.  Exits 0 when every
command held, 1 (after showing the end of the output) when one did not.
"""
import argparse
import errno
import fcntl
import os
import re
import select
import signal
import struct
import sys
import termios
import time
import unicodedata

ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])")


def decode_escapes(text):
    out, i = [], 0
    simple = {"r": "\r", "n": "\n", "t": "\t", "e": "\x1b", "b": "\x7f", "\\": "\\"}
    while i < len(text):
        c = text[i]
        if c != "\\" or i + 1 == len(text):
            out.append(c)
            i += 1
        elif text[i + 1] in simple:
            out.append(simple[text[i + 1]])
            i += 2
        elif text[i + 1] == "x":
            out.append(chr(int(text[i + 2:i + 4], 16)))
            i += 4
        else:
            raise ValueError("unknown escape in %r" % text)
    return "".join(out)


def columns(line):
    width = 0
    for ch in line:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


class Session:
    def __init__(self, argv, opts):
        self.timeout = opts.timeout
        self.output = b""
        self.matched = 0  # characters of the cleaned output already matched
        self.status = None
        self.master, self.slave = os.openpty()
        winsize = struct.pack("HHHH", opts.rows, opts.cols, 0, 0)
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, winsize)
        self.modes_before = termios.tcgetattr(self.slave)
        self.pid = os.fork()
        if self.pid == 0:
            self._child(argv, opts)
        os.set_blocking(self.master, False)

    def _child(self, argv, opts):
        try:
            os.setsid()
            fcntl.ioctl(self.slave, termios.TIOCSCTTY, 0)
            for fd in (0, 1, 2):
                os.dup2(self.slave, fd)
            redirect = [(opts.stdin, 0, os.O_RDONLY),
                        (opts.stdout, 1, os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
                        (opts.stderr, 2, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)]
            for path, fd, flags in redirect:
                if path:
                    os.dup2(os.open(path, flags, 0o666), fd)
            os.closerange(3, 256)
            os.execvp(argv[0], argv)
        except Exception as e:  # noqa: BLE001 - report anything, then leave
            os.write(2, ("drive.py: cannot start %s: %s\n" % (argv[0], e)).encode())
        os._exit(127)

    def pump(self, wait):
        """Read what is there (waiting up to `wait` seconds for something)."""
        ready, _, _ = select.select([self.master], [], [], wait)
        if not ready:
            return
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError as e:
                if e.errno in (errno.EAGAIN, errno.EIO):
                    return
                raise
            if not chunk:
                return
            self.output += chunk

    def reap(self):
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = (128 + os.WTERMSIG(status) if os.WIFSIGNALED(status)
                               else os.WEXITSTATUS(status))
        return self.status

    def cleaned(self):
        text = self.output.decode("utf-8", "replace")
        return ESCAPES.sub("", text).replace("\r\n", "\n")

    def expect(self, needle):
        deadline = time.monotonic() + self.timeout
        while True:
            found = self.cleaned().find(needle, self.matched)
            if found >= 0:
                self.matched = found + len(needle)
                return True
            if self.reap() is not None:
                self.pump(0)
                found = self.cleaned().find(needle, self.matched)
                if found >= 0:
                    self.matched = found + len(needle)
                    return True
                return self.fail("the program ended (status %s) before showing %r"
                                 % (self.status, needle))
            left = deadline - time.monotonic()
            if left <= 0:
                return self.fail("timed out waiting for %r" % needle)
            self.pump(min(left, 0.1))

    def send(self, text):
        data = text.encode("utf-8")
        while data:
            try:
                data = data[os.write(self.master, data):]
            except BlockingIOError:
                time.sleep(0.01)

    def wait_exit(self, expected):
        deadline = time.monotonic() + self.timeout
        while self.reap() is None:
            if time.monotonic() > deadline:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
                self.status = -1
                return self.fail("the program did not end in time")
            self.pump(0.05)
        self.pump(0)
        if self.status != expected:
            return self.fail("exit status %s, expected %s" % (self.status, expected))
        return True

    def wait_stopped(self):
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WUNTRACED | os.WNOHANG)
            if pid and os.WIFSTOPPED(status):
                return True
            if pid:
                self.status = os.WEXITSTATUS(status) if os.WIFEXITED(status) else -1
                return self.fail("the program ended instead of stopping")
            self.pump(0.05)
        return self.fail("the program did not stop in time")

    def no_wider(self, limit):
        for n, line in enumerate(self.cleaned().split("\n"), 1):
            line = line.split("\r")[-1]  # a redrawn line shows what follows its last CR
            if columns(line) > limit:
                return self.fail("output line %d takes %d columns (more than %d): %r"
                                 % (n, columns(line), limit, line))
        return True

    def restored(self):
        if termios.tcgetattr(self.slave) != self.modes_before:
            return self.fail("the terminal modes were not restored")
        return True

    def raw_contains(self, text, wanted):
        present = decode_escapes(text).encode("utf-8") in self.output
        if present != wanted:
            return self.fail("the raw output %s %r" % ("lacks" if wanted else "contains", text))
        return True

    def fail(self, why):
        tail = self.cleaned()[-1500:]
        sys.stderr.write("drive.py: %s\n--- the end of the output:\n%s\n---\n" % (why, tail))
        return False

    def close(self):
        if self.reap() is None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.master)
        os.close(self.slave)


def run_command(session, line):
    verb, _, arg = line.partition(" ")
    if verb == "expect":
        return session.expect(arg)
    if verb == "send":
        session.send(decode_escapes(arg))
        return True
    if verb == "signal":
        os.kill(session.pid, getattr(signal, "SIG" + arg))
        return True
    if verb == "stopped":
        return session.wait_stopped()
    if verb == "exit":
        return session.wait_exit(int(arg))
    if verb == "no-wider":
        return session.no_wider(int(arg))
    if verb == "restored":
        return session.restored()
    if verb in ("raw-contains", "raw-lacks"):
        return session.raw_contains(arg, verb == "raw-contains")
    raise ValueError("unknown command: %s" % line)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cols", type=int, default=80)
    parser.add_argument("--rows", type=int, default=24)
    parser.add_argument("--timeout", type=float, default=10.0,
                        help="seconds to wait for each expect and exit")
    parser.add_argument("--stdin", help="the program's standard input (default: the pty)")
    parser.add_argument("--stdout", help="the program's standard output (default: the pty)")
    parser.add_argument("--stderr", help="the program's standard error (default: the pty)")
    parser.add_argument("--transcript", help="write everything the program showed here")
    parser.add_argument("argv", nargs="+")
    opts = parser.parse_args()
    script = [line.rstrip("\n") for line in sys.stdin]
    session = Session(opts.argv, opts)
    ok = True
    try:
        for n, line in enumerate(script, 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if not run_command(session, line):
                sys.stderr.write("drive.py: script line %d: %s\n" % (n, line))
                ok = False
                break
    finally:
        if ok and session.reap() is None:
            session.pump(0.2)
        if opts.transcript:
            with open(opts.transcript, "wb") as f:
                f.write(session.output)
        session.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
