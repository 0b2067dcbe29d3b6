#!/usr/bin/env python3
"""Check the report of tests/lsp/nvim-test.lua against `errata check`:

    python3 tests/lsp/nvim-report.py REPORT.json EDITS.jsonl ORIGINAL

Every edit of EDITS.jsonl (check --format=jsonl of ORIGINAL, the document
before Neovim changed it) must be one diagnostic, in order: the same line, the byte
column of its start, the buffer text under its range equal to the edit's old
text, the rule as its code, the severity of its action and the message
"old → new: reason".  Prints a summary of the report; exits 1 on a
mismatch or on an error the report holds."""
import json
import sys

SEVERITY = {"apply": 2, "propose": 3, "flag": 4}


def visible(s):
    if not s:
        return "\u2205"
    out = []
    for c in s:
        escapes = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
        if c in escapes:
            out.append(escapes[c])
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append("\\x%02x" % ord(c))
        else:
            out.append(c)
    return "".join(out)


def expected_diagnostic(edit, text):
    line_start = text.rfind(b"\n", 0, edit["byte_start"]) + 1
    change = visible(edit["old"])
    if edit["action"] != "flag":
        change += " \u2192 " + visible(edit["new"])
    message = change + (": " + edit["reason"] if edit["reason"] else "")
    return {"line": edit["line"] - 1, "col": edit["byte_start"] - line_start,
            "text": edit["old"], "code": edit["rule"], "source": "errata",
            "severity": SEVERITY[edit["action"]], "message": message}


def main():
    report = json.load(open(sys.argv[1], encoding="utf-8"))
    edits = [json.loads(line) for line in open(sys.argv[2], encoding="utf-8")]
    original = open(sys.argv[3], "rb").read()
    if "error" in report:
        print("nvim-test.lua failed: " + report["error"], file=sys.stderr)
        return 1
    print("filetype", report["filetype"])
    print("steps", "; ".join(report["steps"]))
    got = [{k: d[k] for k in ("line", "col", "text", "code", "source", "severity", "message")}
           for d in report["diagnostics"]]
    for i, edit in enumerate(edits):
        want = expected_diagnostic(edit, original)
        if i >= len(got) or got[i] != want:
            print("diagnostic %d: expected %s, got %s" % (
                i, want, got[i] if i < len(got) else None), file=sys.stderr)
            return 1
    if len(got) != len(edits):
        print("%d diagnostics for %d edits" % (len(got), len(edits)), file=sys.stderr)
        return 1
    print("%d diagnostics as check lists them" % len(got))
    print("quick fix:", report["quick_fix"])
    print("fix all:", report["fix_all"])
    print("diagnostics left:", report["left"])
    print("server exit status:", report["exit_code"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
