"""A small scripted LSP client for the tests: starts `errata lsp`, writes
framed JSON-RPC messages (or raw bytes), reads the server's messages with a
bounded wait."""
import json
import os
import select
import subprocess
import time

# How long to wait for a message before calling it lost.
TIMEOUT = 20.0


def frame(body):
    """A message with its Content-Length header (body: bytes or an object)."""
    if not isinstance(body, bytes):
        body = json.dumps(body, ensure_ascii=False).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class Server:
    def __init__(self, errata, *args, env=None):
        self.proc = subprocess.Popen([errata, "lsp", *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        self.buffer = bytearray()
        self.next_id = 1

    def write(self, data):
        """Write raw bytes in one write (so that they arrive together)."""
        os.write(self.proc.stdin.fileno(), data)

    def send(self, *messages):
        """Send messages (objects or raw bodies), all in one write."""
        self.write(b"".join(frame(m) for m in messages))

    def request(self, method, params=None):
        """A request message with a new id (not sent)."""
        msg = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
        if params is not None:
            msg["params"] = params
        self.next_id += 1
        return msg

    @staticmethod
    def notification(method, params=None):
        msg = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        return msg

    def _fill(self, deadline):
        left = deadline - time.monotonic()
        fd = self.proc.stdout.fileno()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise AssertionError("no message from the server within %gs" % TIMEOUT)
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            raise AssertionError("the server closed its output")
        self.buffer += chunk

    def receive(self):
        """The next message from the server, decoded."""
        deadline = time.monotonic() + TIMEOUT
        while b"\r\n\r\n" not in self.buffer:
            self._fill(deadline)
        end = self.buffer.index(b"\r\n\r\n")
        lines = bytes(self.buffer[:end]).split(b"\r\n")
        assert len(lines) == 1 and lines[0].startswith(b"Content-Length: "), lines
        length = int(lines[0][len(b"Content-Length: "):])
        while len(self.buffer) < end + 4 + length:
            self._fill(deadline)
        body = bytes(self.buffer[end + 4:end + 4 + length])
        del self.buffer[:end + 4 + length]
        return json.loads(body.decode())

    def receive_until(self, predicate):
        """Messages up to and including the first that predicate accepts."""
        seen = []
        while True:
            msg = self.receive()
            seen.append(msg)
            if predicate(msg):
                return seen

    def response(self, request_id):
        """The response to request_id (other messages before it are kept)."""
        seen = self.receive_until(lambda m: m.get("id") == request_id and "method" not in m)
        self.skipped = seen[:-1]
        return seen[-1]

    def diagnostics(self, uri=None):
        """The next publishDiagnostics (for uri)."""
        def wanted(m):
            return (m.get("method") == "textDocument/publishDiagnostics"
                    and (uri is None or m["params"]["uri"] == uri))
        return self.receive_until(wanted)[-1]["params"]

    def initialize(self, options=None, capabilities=None):
        req = self.request("initialize", {"processId": None, "rootUri": None,
                                          "capabilities": capabilities or {},
                                          "initializationOptions": options})
        self.send(req, self.notification("initialized", {}))
        return self.response(req["id"])

    def shutdown_and_exit(self):
        req = self.request("shutdown")
        self.send(req)
        assert self.response(req["id"])["result"] is None
        self.send(self.notification("exit"))
        return self.wait()

    def wait(self):
        """The exit status; the server's standard error must be empty."""
        self.proc.stdin.close()
        status = self.proc.wait(timeout=TIMEOUT)
        err = self.proc.stderr.read().decode()
        assert err == "", "standard error: " + err
        return status
