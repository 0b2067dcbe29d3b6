#!/usr/bin/env python3
"""Extract clean formal text from public repositories, training text for the
character model beside ../shared/data/formal-zh (dictionaries/CHARMODEL.md,
"Other sources").

usage: extract-formal-sources.py NAME CLONES OUTPUT

NAME is one of SOURCES below.  CLONES is a directory holding a git clone of
each source's repository, named as the repository (CLONES/<name>); the text
is read from the pinned commit, whatever is checked out, so the output is
always the same, and its SHA-256 is checked.  OUTPUT gets the documents in a
fixed order, one paragraph a line, a blank line between documents.
"""
import hashlib
import html
import json
import re
import subprocess
import sys

BLANKS = " \t\u3000\u00a0\u200b"
# Wikisource appends its copyright template to each page after a run of
# blank lines; it starts with 本作品 ("this work ...").
WIKISOURCE_NOTICE = re.compile(r"\n{3,}本作品")


def paragraphs(text):
    lines = (line.strip(BLANKS) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def without_notice(content):
    notice = WIKISOURCE_NOTICE.search(content)
    return content[:notice.start()] if notice else content


def jsonl_records(data):
    return [json.loads(line) for line in data.decode("utf-8").split("\n") if line.strip()]


def state_council_reports(data):
    """The government work reports of 1978 on, by year.  The NPC resolutions
    approving them (year null) restate the report; earlier reports are
    furthest from the documents errata repairs."""
    reports = [r for r in jsonl_records(data)
               if str(r.get("year")).isdigit() and int(r["year"]) >= 1978]
    reports.sort(key=lambda r: int(r["year"]))
    return [paragraphs(without_notice(r["content"])) for r in reports]


def cpc_congress_reports(data):
    """The reports to the 12th (1982) and later national congresses."""
    reports = [r for r in jsonl_records(data)
               if isinstance(r.get("congress"), int) and r["congress"] >= 12]
    reports.sort(key=lambda r: r["congress"])
    return [paragraphs(without_notice(r["content"])) for r in reports]


def sql_string(text, start):
    """The SQL string literal opening at text[start] ('' is a quote) and
    where it ends."""
    parts, pos = [], start + 1
    while True:
        end = text.index("'", pos)
        parts.append(text[pos:end])
        if text.startswith("''", end):
            parts.append("'")
            pos = end + 2
        else:
            return "".join(parts), end + 1


def sql_row(statement):
    """The values of one `insert into ... values (...)` statement."""
    values, pos = [], statement.index(" values (") + len(" values (")
    while statement[pos] != ")":
        if statement[pos] == "'":
            value, pos = sql_string(statement, pos)
        elif statement.startswith("null", pos):
            value, pos = None, pos + 4
        elif statement[pos].isdigit():
            number = re.match(r"\d+", statement[pos:]).group()
            value, pos = int(number), pos + len(number)
        else:
            pos += 1  # a comma or white space between values
            continue
        values.append(value)
    return values


def html_text(markup):
    markup = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</tr>", "\n", markup)
    return paragraphs(html.unescape(re.sub(r"<[^>]+>", "", markup)))


def state_council_documents(data):
    """The body of each State Council document of the table ge_policy_raw
    (crawl_url is column 1, content column 11), by address."""
    statements = re.split(r"(?m)^(?=insert into )", data.decode("utf-8"))
    rows = {}
    for statement in statements:
        if statement.startswith("insert into ge_policy_raw "):
            row = sql_row(statement)
            rows[row[1]] = row[11]
    return [html_text(rows[url]) for url in sorted(rows)]


SOURCES = {
    "state-council-reports": dict(
        repository="aldohemsn/chinese-political-corpora",
        commit="99bc4b01d11c2b884a83ecc8f966d97e17cd450e",
        path="government_work_reports.jsonl", extract=state_council_reports,
        sha256="80ed6910ba8b22c59c0adec9648a067442ff0eec3ceb2814d33fa6771e5f6431"),
    "cpc-congress-reports": dict(
        repository="aldohemsn/chinese-political-corpora",
        commit="99bc4b01d11c2b884a83ecc8f966d97e17cd450e",
        path="cpc_congress_reports.jsonl", extract=cpc_congress_reports,
        sha256="d3284f919a3a141bd0569c8efe672a4e2e1f794764c8328c735961624ca691f5"),
    "state-council-documents": dict(
        repository="ZhouYNF/platform-1",
        commit="2197df553eee3b0bc9989d91addadf2f4227fddc",
        path="db/ge_policy_raw20190217.sql", extract=state_council_documents,
        sha256="a534b6b060dd7404142ab7ec7df8337d03c380ea5b66caea0128575d1d120987"),
}


def read_pinned(clones, source):
    clone = "%s/%s" % (clones, source["repository"].split("/")[1])
    try:
        return subprocess.run(["git", "-C", clone, "show", source["commit"] + ":" + source["path"]],
                              check=True, capture_output=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", b"").decode(errors="replace").strip() or str(exc)
        sys.exit("%s: cannot read %s at commit %s (git clone https://github.com/%s %s): %s"
                 % (clone, source["path"], source["commit"], source["repository"], clone, detail))


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in SOURCES:
        sys.exit(__doc__.split("\n\n")[1] + "\nNAME: " + ", ".join(SOURCES))
    name, clones, output = sys.argv[1:]
    source = SOURCES[name]
    documents = source["extract"](read_pinned(clones, source))
    text = "\n\n".join(documents) + "\n"
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if source["sha256"] and digest != source["sha256"]:
        sys.exit("%s: the text extracted has SHA-256 %s, expected %s" % (name, digest, source["sha256"]))
    with open(output, "w", encoding="utf-8") as f:
        f.write(text)
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    print("%s: %d documents, %d Han characters, SHA-256 %s" % (output, len(documents), han, digest),
          file=sys.stderr)


if __name__ == "__main__":
    main()
