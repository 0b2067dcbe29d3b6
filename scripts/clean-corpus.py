#!/usr/bin/env python3
"""Extract clean Chinese text nobody in this project wrote, for the false-edit count.

Sources (Debian packages, installed by the README's set-up command):
  manpages-zh   the simplified-Chinese manual pages, rendered by man(1) and col(1)
  fortunes-zh   the Chinese fortune files (chinese, tang300, song100)

    clean-corpus.py [OUT_DIR]      (default corpus/clean)

writes OUT_DIR/man/<page>.txt (one file per manual page) and
OUT_DIR/fortunes/<file>-<n>.txt (fortunes grouped into documents of about
FORTUNE_DOC_CHARS characters), one paragraph a line, lines without Chinese dropped.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

MAN_ROOT = Path("/usr/share/man/zh_CN")
FORTUNE_ROOT = Path("/usr/share/games/fortunes")
FORTUNE_FILES = ("chinese", "tang300", "song100")
FORTUNE_DOC_CHARS = 5000

HAN = re.compile(r"[\u4e00-\u9fff]")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# The fortune files wrap prose at about 35 characters; shorter lines (titles,
# verse, signatures) are real line ends.
WRAPPED_LINE_CHARS = 28
SENTENCE_END = "。！？：”"


def chinese_lines(lines):
    return [line for line in (l.strip() for l in lines) if HAN.search(line)]


def render_man_page(path):
    """The text of a manual page, without its header and footer lines."""
    env = dict(os.environ, MANWIDTH="2000", LC_ALL="C.UTF-8")
    env.pop("MAN_KEEP_FORMATTING", None)
    man = subprocess.run(["man", "-l", "-E", "UTF-8", str(path)], capture_output=True, env=env)
    plain = subprocess.run(["col", "-bx"], input=man.stdout, capture_output=True, env=env)
    lines = plain.stdout.decode("utf-8", errors="replace").splitlines()
    return chinese_lines(lines[1:-1])


def write_man_pages(out_dir):
    out_dir.mkdir(parents=True, exist_ok=True)
    chars = 0
    for path in sorted(MAN_ROOT.glob("man*/*")):
        lines = render_man_page(path)
        if lines:
            name = path.name.removesuffix(".gz")
            text = "\n".join(lines) + "\n"
            (out_dir / f"{name}.txt").write_text(text, encoding="utf-8")
            chars += len(text)
    return chars


def unwrapped(lines):
    """Join the lines of hard-wrapped Chinese prose."""
    joined = []
    for line in lines:
        previous = joined[-1] if joined else ""
        if (len(previous) >= WRAPPED_LINE_CHARS and previous[-1] not in SENTENCE_END
                and line and not line[0].isascii()):
            joined[-1] = previous + line
        else:
            joined.append(line)
    return joined


def fortunes(path):
    """The fortunes of a file, each as paragraphs on lines."""
    text = ANSI.sub("", path.read_text(encoding="utf-8", errors="replace"))
    for entry in text.split("\n%\n"):
        lines = chinese_lines(unwrapped(entry.splitlines()))
        if lines:
            yield "\n".join(lines) + "\n"


def write_fortunes(out_dir):
    out_dir.mkdir(parents=True, exist_ok=True)
    chars = 0
    for name in FORTUNE_FILES:
        group, number = [], 1
        for fortune in fortunes(FORTUNE_ROOT / name):
            group.append(fortune)
            if sum(map(len, group)) >= FORTUNE_DOC_CHARS:
                chars += write_group(out_dir / f"{name}-{number:03d}.txt", group)
                group, number = [], number + 1
        if group:
            chars += write_group(out_dir / f"{name}-{number:03d}.txt", group)
    return chars


def write_group(path, group):
    text = "".join(group)
    path.write_text(text, encoding="utf-8")
    return len(text)


def main():
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("corpus/clean")
    for source in (MAN_ROOT, FORTUNE_ROOT):
        if not source.is_dir():
            sys.exit(f"{source} is missing: apt-get install manpages-zh fortunes-zh")
    man_chars = write_man_pages(out_dir / "man")
    fortune_chars = write_fortunes(out_dir / "fortunes")
    print(f"{out_dir}: {man_chars} characters of manual pages, {fortune_chars} of fortunes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
