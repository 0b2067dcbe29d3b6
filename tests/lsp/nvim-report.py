#!/usr/bin/env python3
"""Check the report of tests/lsp/nvim-test.lua against `errata check`:

    python3 tests/lsp/nvim-report.py REPORT.json path/to/errata ORIGINAL

Every edit `errata check --format=jsonl` finds in ORIGINAL (the document
before Neovim changed it), and in ORIGINAL with the two characters the
script inserts on line 3, must be one diagnostic of the report, in order:
the same line, the byte column of its start, the buffer text under its range
equal to the edit's old text, the rule as its code, the severity of its
action and the message "old → new: reason".  Prints a summary of the report; exits 1 on a
mismatch or on an error the report holds."""
import json
import subprocess
import sys
import tempfile

SEVERITY = {"apply": 2, "propose": 3, "flag": 4}
OUTSIDE_BMP = "\U0001F600\U00020BB7"  # as tests/lsp/nvim-test.lua inserts them


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


def same_as_check(errata, diagnostics, text, what):
    """Whether Neovim's diagnostics are check's edits of text."""
    with tempfile.NamedTemporaryFile(suffix=".txt") as f:
        f.write(text)
        f.flush()
        out = subprocess.run([errata, "check", "--format=jsonl", f.name],
                             capture_output=True, check=False).stdout
    edits = [json.loads(line) for line in out.decode().splitlines()]
    got = [{k: d[k] for k in ("line", "col", "text", "code", "source", "severity", "message")}
           for d in diagnostics]
    for i, edit in enumerate(edits):
        want = expected_diagnostic(edit, text)
        if i >= len(got) or got[i] != want:
            print("%s, diagnostic %d: expected %s, got %s" % (
                what, i, want, got[i] if i < len(got) else None), file=sys.stderr)
            return False
    if len(got) != len(edits):
        print("%s: %d diagnostics for %d edits" % (what, len(got), len(edits)), file=sys.stderr)
        return False
    print("%s: %d diagnostics as check lists them" % (what, len(got)))
    return True


def main():
    report = json.load(open(sys.argv[1], encoding="utf-8"))
    errata = sys.argv[2]
    original = open(sys.argv[3], "rb").read()
    if "error" in report:
        print("nvim-test.lua failed: " + report["error"], file=sys.stderr)
        return 1
    print("filetype", report["filetype"])
    print("steps", "; ".join(report["steps"]))
    lines = original.split(b"\n")
    lines[2] = OUTSIDE_BMP.encode() + lines[2]
    if not (same_as_check(errata, report["diagnostics"], original, "opened")
            and same_as_check(errata, report["outside_bmp"], b"\n".join(lines),
                              "with %s on line 3" % OUTSIDE_BMP)):
        return 1
    print("quick fix:", report["quick_fix"])
    print("fix all:", report["fix_all"])
    print("diagnostics left:", report["left"])
    print("server exit status:", report["exit_code"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
