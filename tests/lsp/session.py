#!/usr/bin/env python3
"""A whole client session for `errata lsp`, framed, on standard output, for
running the server under valgrind (tests/valgrind.sh): initialize, open the
damaged sample, change it, ask for code actions, keep a word, send some
malformed messages, change the settings, close, shut down and exit.

    python3 tests/lsp/session.py USER_DICT > session"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lspclient import frame  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = os.path.join(HERE, "..", "..", "corpus", "wenku-sample.txt")
URI = "file:///sample.txt"


def message(method, params=None, id=None):
    m = {"jsonrpc": "2.0", "method": method}
    if id is not None:
        m["id"] = id
    if params is not None:
        m["params"] = params
    return frame(m)


def position(line, character):
    return {"line": line, "character": character}


def main():
    text = open(SAMPLE, encoding="utf-8").read()
    whole = {"start": position(0, 0), "end": position(5, 0)}
    out = [
        message("initialize", {"capabilities": {}, "initializationOptions": {
            "userDictionary": sys.argv[1]}}, id=1),
        message("initialized", {}),
        message("textDocument/didOpen", {"textDocument": {
            "uri": URI, "languageId": "plaintext", "version": 1, "text": text}}),
        message("textDocument/didChange", {"textDocument": {"uri": URI, "version": 2},
                "contentChanges": [{"range": {"start": position(1, 2), "end": position(1, 4)},
                                    "text": "😀\n效劳"}]}),
        message("textDocument/codeAction", {"textDocument": {"uri": URI}, "range": whole,
                                            "context": {"diagnostics": []}}, id=2),
        message("workspace/executeCommand", {"command": "errata.keepWord",
                                             "arguments": ["效劳"]}, id=3),
        frame(b"{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":"),
        b"Content-Type: text/plain\r\n\r\n{}",
        message("textDocument/codeAction", {"textDocument": {"uri": URI},
                                            "range": {"start": position(99, 0)}}, id=5),
        message("workspace/didChangeConfiguration", {"settings": {"errata": {
            "threshold": 0.9, "disabledRules": ["punct"]}}}),
        message("textDocument/didClose", {"textDocument": {"uri": URI}}),
        message("shutdown", id=6),
        message("exit"),
    ]
    sys.stdout.buffer.write(b"".join(out))


if __name__ == "__main__":
    main()
