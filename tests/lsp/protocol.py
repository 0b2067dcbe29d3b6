#!/usr/bin/env python3
"""Protocol-level tests of `errata lsp`: scripted messages, exact answers.

    python3 tests/lsp/protocol.py path/to/errata CASE

Each CASE is a function below; the engine is the CLI tests' dictionary
(tests/cli/data/test.dict) without the built-in dictionaries or model, so
the findings do not depend on the built-in data.  Exits 0 when the case
held, 1 (with what went wrong) when it did not."""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lspclient import Server  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TEST_DICT = os.path.join(HERE, "..", "cli", "data", "test.dict")
ENGINE = ["--no-default-dict", "--no-model", "--dict", TEST_DICT]

URI = "file:///doc.txt"
# Characters outside the BMP (two UTF-16 code units each) before the edits,
# and the three kinds of line break.
TEXT = "😀我们坚持原那么，为人民效劳。\r\n𠮷打好根底，\n深化效劳\r完"

RULE_PRINCIPLE, RULE_SERVICE, RULE_BASE = "swap/原那么>原则", "swap/效劳>服务", "swap/根底>基础"
REASON_PRINCIPLE = '原那么 → 原则: "原那么" is almost never legitimate: a damaged "原则"'
REASON_SERVICE = '效劳 → 服务: "效劳" is almost never legitimate: a damaged "服务"'
REASON_BASE = '根底 → 基础: "根底" is a damaged "基础" (no word boundary guard applies)'


def rng(l1, c1, l2, c2):
    return {"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}}


def diag(r, code, message, severity=2):
    return {"range": r, "severity": severity, "code": code, "source": "errata",
            "message": message}


# The diagnostics of TEXT.
TEXT_DIAGNOSTICS = [diag(rng(0, 6, 0, 9), RULE_PRINCIPLE, REASON_PRINCIPLE),
                    diag(rng(0, 13, 0, 15), RULE_SERVICE, REASON_SERVICE),
                    diag(rng(1, 4, 1, 6), RULE_BASE, REASON_BASE),
                    diag(rng(2, 2, 2, 4), RULE_SERVICE, REASON_SERVICE)]


def check(got, expected, what):
    if got != expected:
        raise AssertionError("%s:\n  expected %s\n  got      %s" % (
            what, json.dumps(expected, ensure_ascii=False), json.dumps(got, ensure_ascii=False)))


def start(errata, *args, options=None, capabilities=None):
    s = Server(errata, *ENGINE, *args)
    s.initialize(options, capabilities)
    return s


def open_doc(s, text=TEXT, uri=URI, language="plaintext", version=1):
    s.send(s.notification("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": language, "version": version, "text": text}}))


def change(s, version, *changes, uri=URI):
    return s.notification("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": version}, "contentChanges": list(changes)})


def code_actions(s, r, uri=URI, only=None):
    context = {"diagnostics": []}
    if only is not None:
        context["only"] = only
    req = s.request("textDocument/codeAction",
                    {"textDocument": {"uri": uri}, "range": r, "context": context})
    s.send(req)
    return s.response(req["id"])


def error_of(response):
    return response["error"]["code"], response["error"]["message"]


def apply_text_edits(text, edits):
    """Apply LSP TextEdits (UTF-16 positions; a character past a line's end
    means its end) to text, as a client does."""
    lines = []  # (UTF-16 offset of the line's start, its length without the break)
    offset = 0
    for line in text.splitlines(keepends=True) + ([""] if text[-1:] in "\r\n" else []):
        body = line.rstrip("\r\n")
        lines.append((offset, len(body.encode("utf-16-le")) // 2))
        offset += len(line.encode("utf-16-le")) // 2

    def at(p):
        start, length = lines[p["line"]]
        return 2 * (start + min(p["character"], length))
    units = text.encode("utf-16-le")
    for e in sorted(edits, key=lambda e: at(e["range"]["start"]), reverse=True):
        a, b = at(e["range"]["start"]), at(e["range"]["end"])
        units = units[:a] + e["newText"].encode("utf-16-le") + units[b:]
    return units.decode("utf-16-le")


# ---------------------------------------------------------------- cases

def lifecycle(errata):
    s = Server(errata, *ENGINE)
    got = s.initialize()
    check(got, {"jsonrpc": "2.0", "id": 1, "result": {
        "capabilities": {
            "positionEncoding": "utf-16",
            "textDocumentSync": {"openClose": True, "change": 2},
            "codeActionProvider": {"codeActionKinds": ["quickfix", "source.fixAll"]},
            "executeCommandProvider": {"commands": ["errata.keepWord"]}},
        "serverInfo": {"name": "errata", "version": "0.1.0"}}}, "initialize")
    check(s.shutdown_and_exit(), 0, "exit status after shutdown and exit")
    # exit without shutdown: 1; the end of input without exit: 1.
    s = start(errata)
    s.send(s.notification("exit"))
    check(s.wait(), 1, "exit status after exit without shutdown")
    s = start(errata)
    check(s.wait(), 1, "exit status at the end of input")


def non_bmp_diagnostics(errata):
    s = start(errata)
    open_doc(s)
    check(s.diagnostics(), {"uri": URI, "version": 1, "diagnostics": TEXT_DIAGNOSTICS},
          "diagnostics")
    check(s.shutdown_and_exit(), 0, "exit status")


def severities(errata):
    # Above the threshold a swap is a warning, under it information; a flag
    # (digits deleted before 年) is a hint.
    s = start(errata, options={"threshold": 0.99})
    open_doc(s, "年、年先后被市委表彰。坚持原那么")
    got = s.diagnostics()["diagnostics"]
    check([(d["code"], d["severity"]) for d in got],
          [("flag/deleted-year", 4), ("flag/deleted-year", 4), (RULE_PRINCIPLE, 3)],
          "severities at threshold 0.99")
    check(got[0]["message"], "年: 年 with no year before it: the digits were deleted",
          "a flag's message")
    check(code_actions(s, rng(0, 0, 0, 0))["result"], [], "no action for a flag")
    s.send(s.notification("workspace/didChangeConfiguration",
                          {"settings": {"errata": {"threshold": 0.8}}}))
    check(s.diagnostics()["diagnostics"][2]["severity"], 2, "severity at threshold 0.8")
    check(s.shutdown_and_exit(), 0, "exit status")


def incremental_changes(errata):
    s = start(errata)
    open_doc(s)
    s.diagnostics()
    text = TEXT
    changes = [
        # insert a non-BMP character before 原那么 (line 0, after 😀我们坚持)
        {"range": rng(0, 6, 0, 6), "text": "𝄞"},
        # delete 𠮷 on line 1 (two code units)
        {"range": rng(1, 0, 1, 2), "text": ""},
        # replace across the line break: "效劳" on line 2 and the "\r" after it
        {"range": rng(2, 2, 3, 0), "text": "效劳。\n根底"},
        # a character past the end of a line means its end
        {"range": rng(0, 99, 0, 99), "text": "！"},
    ]
    versions = []
    for version, c in enumerate(changes, start=2):
        versions.append(change(s, version, c))
        text = apply_text_edits(text, [{"range": c["range"], "newText": c["text"]}])
    # All four in one write: only the last version is checked.
    s.send(*versions)
    got = s.diagnostics()
    check(got["version"], 5, "the version checked (the earlier ones dropped)")
    check([d["range"] for d in got["diagnostics"]],
          [rng(0, 8, 0, 11), rng(0, 15, 0, 17), rng(1, 2, 1, 4), rng(2, 2, 2, 4),
           rng(3, 0, 3, 2)], "ranges after the changes")
    # "Apply all" on the server's text gives the client's text repaired.
    actions = code_actions(s, rng(0, 0, 0, 0), only=["source.fixAll"])["result"]
    check(len(actions), 1, "one fix-all action")
    edits = actions[0]["edit"]["changes"][URI]
    check(apply_text_edits(text, edits),
          "😀我们坚持𝄞原则，为人民服务。！\r\n打好基础，\n深化服务。\n基础完", "text repaired")
    # A full replacement (no range) is taken too.
    s.send(change(s, 6, {"text": "效劳"}))
    check(s.diagnostics()["diagnostics"], [diag(rng(0, 0, 0, 2), RULE_SERVICE, REASON_SERVICE)],
          "after a full replacement")
    check(s.shutdown_and_exit(), 0, "exit status")


def code_action_quick_fix(errata):
    s = start(errata, capabilities={"workspace": {"workspaceEdit": {"documentChanges": True}}})
    open_doc(s)
    s.diagnostics()
    got = code_actions(s, rng(1, 5, 1, 5))["result"]
    fix = {"title": "Fix: 根底 → 基础", "kind": "quickfix",
           "diagnostics": [TEXT_DIAGNOSTICS[2]], "isPreferred": True,
           "edit": {"documentChanges": [{"textDocument": {"uri": URI, "version": 1},
                                         "edits": [{"range": rng(1, 4, 1, 6),
                                                    "newText": "基础"}]}]}}
    keep = {"title": "Never change “根底” (add it to the user dictionary)", "kind": "quickfix",
            "command": {"title": "Never change “根底” (add it to the user dictionary)",
                        "command": "errata.keepWord", "arguments": ["根底"]},
            "diagnostics": [TEXT_DIAGNOSTICS[2]]}
    check(got[:2], [fix, keep], "quick fix and keep-word actions")
    check(got[2]["title"], "Apply all confident fixes in this document (4)", "fix-all title")
    check(got[2]["kind"], "source.fixAll", "fix-all kind")
    # only=["quickfix"] leaves out the fix-all; a range without edits has none.
    check(len(code_actions(s, rng(1, 5, 1, 5), only=["quickfix"])["result"]), 2,
          "actions of kind quickfix")
    check(code_actions(s, rng(1, 0, 1, 0), only=["quickfix"])["result"], [],
          "no quick fix where there is no edit")
    check(s.shutdown_and_exit(), 0, "exit status")


def keep_word(errata):
    with tempfile.TemporaryDirectory() as tmp:
        user_dict = os.path.join(tmp, "sub", "user.dict")
        s = start(errata, options={"userDictionary": user_dict})
        open_doc(s)
        s.diagnostics()
        req = s.request("workspace/executeCommand",
                        {"command": "errata.keepWord", "arguments": ["效劳"]})
        s.send(req)
        # The new diagnostics come before the answer: the change is seen at once.
        check(s.diagnostics()["diagnostics"], [TEXT_DIAGNOSTICS[0], TEXT_DIAGNOSTICS[2]],
              "diagnostics without the kept word")
        check(s.response(req["id"]), {"jsonrpc": "2.0", "id": req["id"], "result": None},
              "executeCommand answer")
        with open(user_dict, encoding="utf-8") as f:
            check(f.read(), "errata-dict 1\n!keep\t效劳\n", "the user dictionary")
        # A new server reads it from there.
        s.shutdown_and_exit()
        s = start(errata, options={"userDictionary": user_dict})
        open_doc(s)
        check(len(s.diagnostics()["diagnostics"]), 2, "diagnostics of a new server")
        bad = s.request("workspace/executeCommand", {"command": "errata.keepWord",
                                                     "arguments": []})
        unknown = s.request("workspace/executeCommand", {"command": "rm -rf"})
        s.send(bad, unknown)
        check(error_of(s.response(bad["id"])),
              (-32602, "errata.keepWord takes one argument, the word"), "no word")
        check(error_of(s.response(unknown["id"])), (-32602, "unknown command"), "unknown command")
        check(s.shutdown_and_exit(), 0, "exit status")


def cancellation(errata):
    s = start(errata)
    open_doc(s)
    s.diagnostics()
    req = s.request("textDocument/codeAction", {"textDocument": {"uri": URI},
                                                "range": rng(0, 0, 0, 0), "context": {}})
    cancel = s.notification("$/cancelRequest", {"id": req["id"]})
    stray = s.notification("$/cancelRequest", {"id": 999})
    after = s.request("shutdown")
    s.send(req, cancel, stray, after)
    check(s.receive(), {"jsonrpc": "2.0", "id": req["id"],
                        "error": {"code": -32800, "message": "cancelled"}}, "cancelled request")
    check(s.receive(), {"jsonrpc": "2.0", "id": after["id"], "result": None},
          "the next request is answered")
    s.send(s.notification("exit"))
    check(s.wait(), 0, "exit status")


def malformed_input(errata):
    s = Server(errata, *ENGINE)
    early = s.request("textDocument/codeAction", {})
    s.send(early)
    check(error_of(s.receive()), (-32002, "the server is not initialized"), "before initialize")
    s.initialize()
    not_rpc = "not a JSON-RPC 2.0 message"
    needs_method = ("a message needs a method, and params (if any) must be an object "
                    "or an array")
    cases = [
        (b"[1,2]", None, (-32600, not_rpc)),
        (b"{\"id\":8,\"method\":\"shutdown\"}", 8, (-32600, not_rpc)),
        (b"{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"shutdown\"}", None, (-32600, not_rpc)),
        (b"{\"jsonrpc\":\"2.0\",\"id\":9}", 9, (-32600, needs_method)),
        (b"{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"shutdown\",\"params\":3}", 10,
         (-32600, needs_method)),
        (b"{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"textDocument/hover\"}", "x",
         (-32601, "unknown method")),
        (b"{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"initialize\",\"params\":{}}", 11,
         (-32600, "already initialized")),
    ]
    # (The JSON reader words what is wrong; only the start is checked here.)
    s.send(b"{\"jsonrpc\":\"2.0\",\"id\":7,")
    code, message = error_of(s.receive())
    start_of_message = "invalid JSON at byte 24 of the message: "
    check((code, message[:len(start_of_message)]), (-32700, start_of_message), "invalid JSON")
    # A message that is not UTF-8 is refused whole (its uri or id could not
    # be sent back as they came).
    s.send(b"{\"jsonrpc\":\"2.0\",\"id\":\"\xff\",\"method\":\"shutdown\"}")
    got = s.receive()
    check((got["id"], error_of(got)),
          (None, (-32700, "invalid JSON at byte 23 of the message: invalid UTF-8")),
          "invalid UTF-8")
    for body, expected_id, expected in cases:
        s.send(body)
        got = s.receive()
        check(got["id"], expected_id, "id of the answer to %r" % body)
        check(error_of(got), expected, "answer to %r" % body)
    # An unknown notification is ignored; the next request is answered.
    req = s.request("shutdown")
    s.send(s.notification("textDocument/didSave", {}), s.notification("$/setTrace", {}), req)
    check(s.receive()["id"], req["id"], "answer after ignored notifications")
    check(s.wait(), 1, "exit status at the end of input after shutdown")


def malformed_framing(errata):
    s = start(errata)
    # No Content-Length, then a good message: the server finds its way back.
    req = s.request("textDocument/codeAction", {"textDocument": {"uri": URI},
                                                "range": rng(0, 0, 0, 0)})
    s.write(b"Content-Type: application/json\r\n\r\n{\"jsonrpc\":\"2.0\"}")
    check(error_of(s.receive()), (-32700, "bad message header: no Content-Length header"),
          "missing Content-Length")
    s.write(b"Content-Length: twelve\r\n\r\n")
    check(error_of(s.receive()), (-32700, "bad message header: bad Content-Length"),
          "bad Content-Length")
    s.write(b"Content-Length: 99999999999999999999\r\n\r\n")
    check(error_of(s.receive()), (-32700, "bad message header: message too large"),
          "huge Content-Length")
    s.write(b"garbage\r\n\r\n")
    check(error_of(s.receive()), (-32700, "bad message header: malformed header line"),
          "garbage")
    s.send(req)
    check(error_of(s.receive()), (-32602, "no such document open"), "request after garbage")
    # A message cut short by the end of input: no answer, no crash.
    s.write(b"Content-Length: 100\r\n\r\n{\"jsonrpc\"")
    check(s.wait(), 1, "exit status")


def bad_positions(errata):
    s = start(errata)
    open_doc(s)
    s.diagnostics()
    outside = ("the range is not in the document (a line past its end, the inside of a "
               "character, or an end before its start)")
    for r in [rng(4, 0, 4, 0), rng(0, 1, 0, 1), rng(0, 4, 0, 2)]:
        check(error_of(code_actions(s, r)), (-32602, outside), "codeAction at %s" % r)
    check(error_of(code_actions(s, {"start": {"line": -1, "character": 0}})),
          (-32602, "a position needs a line and a character (whole numbers from 0)"),
          "a negative line")
    # A change at a bad position cannot be answered: it is logged.
    s.send(change(s, 2, {"range": rng(9, 0, 9, 0), "text": "x"}))
    check(s.receive(), {"jsonrpc": "2.0", "method": "window/logMessage", "params": {
        "type": 1, "message": "errata: textDocument/didChange: " + outside}}, "log message")
    # Of several changes, one that fails undoes those before it: the text
    # stays the one its diagnostics were made on (the 😀 is deleted once).
    s.send(change(s, 3, {"range": rng(0, 0, 0, 2), "text": ""},
                  {"range": rng(9, 0, 9, 0), "text": "x"}))
    check(s.receive()["params"]["message"], "errata: textDocument/didChange: " + outside,
          "log of the failed change")
    s.send(change(s, 4, {"range": rng(0, 0, 0, 2), "text": ""}))
    check(s.diagnostics()["diagnostics"][0]["range"], rng(0, 4, 0, 7),
          "原那么 after the 😀 is deleted once")
    check(s.shutdown_and_exit(), 0, "exit status")


def offering(*encodings):
    return {"general": {"positionEncodings": list(encodings)}}


def position_encodings(errata):
    # The client's first offer that errata knows is taken (LSP 3.17); UTF-16
    # when it offers none of them.  UTF-8 counts bytes, UTF-32 characters.
    cases = [(offering("utf-8", "utf-16"), "utf-8",
              [rng(0, 16, 0, 25), rng(0, 37, 0, 43), rng(1, 10, 1, 16), rng(2, 6, 2, 12)]),
             (offering("utf-32"), "utf-32",
              [rng(0, 5, 0, 8), rng(0, 12, 0, 14), rng(1, 3, 1, 5), rng(2, 2, 2, 4)]),
             (offering("utf-7", 8, "utf-16", "utf-8"), "utf-16",
              [d["range"] for d in TEXT_DIAGNOSTICS])]
    for capabilities, chosen, ranges in cases:
        s = Server(errata, *ENGINE)
        got = s.initialize(None, capabilities)["result"]["capabilities"]["positionEncoding"]
        check(got, chosen, "positionEncoding for %s" % capabilities)
        open_doc(s)
        check([d["range"] for d in s.diagnostics()["diagnostics"]], ranges,
              "diagnostics' ranges in %s" % chosen)
        check(s.shutdown_and_exit(), 0, "exit status")
    # In UTF-8, a position inside a character is refused, and a change
    # deleting the 😀 (four bytes) moves 原那么 by four.
    s = start(errata, capabilities=offering("utf-8"))
    open_doc(s)
    s.diagnostics()
    check(error_of(code_actions(s, rng(0, 2, 0, 2)))[0], -32602, "codeAction inside 😀")
    s.send(change(s, 2, {"range": rng(0, 0, 0, 4), "text": ""}))
    check(s.diagnostics()["diagnostics"][0]["range"], rng(0, 12, 0, 21),
          "原那么 after the 😀 is deleted")
    check(s.shutdown_and_exit(), 0, "exit status")


def configuration(errata):
    with tempfile.TemporaryDirectory() as tmp:
        extra = os.path.join(tmp, "extra.dict")
        with open(extra, "w", encoding="utf-8") as f:
            f.write("errata-dict 1\n人民\t群众\tuser\tU\n")
        s = start(errata, options={"errata": {"disabledRules": ["swap/效劳>服务"]}})
        open_doc(s)
        check([d["code"] for d in s.diagnostics()["diagnostics"]],
              [RULE_PRINCIPLE, RULE_BASE], "rules disabled by initializationOptions")
        s.send(s.notification("workspace/didChangeConfiguration", {"settings": {"errata": {
            "threshold": 0.99, "disabledRules": [], "dictionaries": [extra]}}}))
        got = s.diagnostics()["diagnostics"]
        check([(d["code"], d["severity"]) for d in got],
              [(RULE_PRINCIPLE, 3), ("swap/人民>群众", 3), (RULE_SERVICE, 3), (RULE_BASE, 3),
               (RULE_SERVICE, 3)], "after didChangeConfiguration")
        s.send(s.notification("workspace/didChangeConfiguration",
                              {"settings": {"errata": {"threshold": "high"}}}))
        check(s.receive()["params"], {"type": 1, "message":
              "errata: workspace/didChangeConfiguration: threshold must be a number from 0 to 1"},
              "bad settings are logged")
        check(s.shutdown_and_exit(), 0, "exit status")
        s = Server(errata, *ENGINE)
        got = s.initialize({"dictionaries": [os.path.join(tmp, "missing.dict")]})
        check(got["error"]["code"], -32602, "initialize with a missing dictionary")
        check(s.wait(), 1, "exit status")


def other_languages(errata):
    s = start(errata)
    open_doc(s, uri="file:///x.py", language="python")
    got = code_actions(s, rng(0, 0, 0, 9), uri="file:///x.py")
    check(s.skipped, [], "no diagnostics for a Python file")
    check(got["result"], [], "no actions for a Python file")
    open_doc(s, uri="file:///x.md", language="markdown", text="# 效劳")
    check(s.diagnostics()["diagnostics"], [diag(rng(0, 2, 0, 4), RULE_SERVICE, REASON_SERVICE)],
          "Markdown is checked")
    s.send(s.notification("textDocument/didClose", {"textDocument": {"uri": "file:///x.md"}}))
    check(s.diagnostics(), {"uri": "file:///x.md", "diagnostics": []}, "closing clears")
    check(s.shutdown_and_exit(), 0, "exit status")


def mutated_sessions(errata):
    """The whole session of tests/lsp/session.py, damaged 40 ways (seeded):
    the server must end with status 0 or 1, write nothing on standard error,
    and write only framed JSON-RPC messages."""
    import random
    import subprocess
    with tempfile.TemporaryDirectory() as tmp:
        session = subprocess.run([sys.executable, os.path.join(HERE, "session.py"),
                                  os.path.join(tmp, "user.dict")],
                                 capture_output=True, check=True).stdout
        pieces = [b'"', b"{", b"}", b"[", b"\\u", b"\\ud83d", b"-1", b"1e999", b"\r\n\r\n",
                  b"Content-Length: 5\r\n\r\n", b"99999999999", b"\x00", b"\xf0\x9f"]
        rand = random.Random(14)
        for run in range(40):
            data = bytearray(session)
            for _ in range(rand.randint(1, 12)):
                i = rand.randrange(len(data))
                op = rand.random()
                if op < 0.4:
                    data[i] = rand.randrange(256)
                elif op < 0.6:
                    del data[i:i + rand.randint(1, 50)]
                elif op < 0.8:
                    data[i:i] = rand.choice(pieces)
                else:
                    j = rand.randrange(len(data))
                    data[i:i] = data[j:j + rand.randint(1, 200)]
            p = subprocess.run([errata, "lsp", *ENGINE], input=bytes(data), capture_output=True,
                               timeout=60, env=dict(os.environ, ERRATA_USER_DICT=os.path.join(
                                   tmp, "user.dict")))
            check((p.returncode, p.stderr.decode(errors="replace")), (p.returncode, ""),
                  "standard error of run %d" % run)
            check(p.returncode in (0, 1), True, "exit status %d of run %d" % (p.returncode, run))
            out = p.stdout
            while out:
                header, _, rest = out.partition(b"\r\n\r\n")
                length = int(header[len(b"Content-Length: "):])
                message = json.loads(rest[:length].decode())
                check(message.get("jsonrpc"), "2.0", "a message of run %d" % run)
                out = rest[length:]


def char_model_option(errata):
    # --char-model reaches the engine the server builds (it was once left out).
    with tempfile.TemporaryDirectory() as tmp:
        missing = os.path.join(tmp, "missing.bin")
        s = Server(errata, *ENGINE, "--char-model", missing)
        check(error_of(s.initialize()),
              (-32602, missing + ": cannot open: No such file or directory"),
              "initialize with a missing character model")
        s.send(s.notification("exit"))
        check(s.wait(), 1, "exit status")


def failed_settings_are_undone(errata):
    # Settings whose engine cannot be built are dropped, not kept and merged
    # into the next attempt (members left out keep their values).
    with tempfile.TemporaryDirectory() as tmp:
        missing = os.path.join(tmp, "missing.dict")
        s = Server(errata, *ENGINE)
        req = s.request("initialize", {"capabilities": {},
                                       "initializationOptions": {"dictionaries": [missing]}})
        s.send(req)
        check(error_of(s.response(req["id"])), (-32602, missing + ": No such file or directory"),
              "initialize with a missing dictionary")
        check("capabilities" in s.initialize({})["result"], True, "initialize again")
        open_doc(s)
        check(s.diagnostics()["diagnostics"], TEXT_DIAGNOSTICS, "diagnostics")
        s.send(s.notification("workspace/didChangeConfiguration",
                              {"settings": {"errata": {"dictionaries": [missing]}}}))
        check(s.receive()["params"]["message"],
              "errata: workspace/didChangeConfiguration: " + missing +
              ": No such file or directory", "log of the bad configuration")
        s.send(s.notification("workspace/didChangeConfiguration",
                              {"settings": {"errata": {"threshold": 0.9}}}))
        check(s.diagnostics()["diagnostics"], TEXT_DIAGNOSTICS, "diagnostics after a good one")
        check(s.shutdown_and_exit(), 0, "exit status")


def main():
    errata, case = sys.argv[1], sys.argv[2]
    try:
        globals()[case](errata)
    except AssertionError as e:
        print("    %s: %s" % (case, e), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
