"""JSON Lines to compare errata.jsonl with errata fix --jsonl on: the damaged
corpus in every escaping style, and the lines that must pass through."""
import json

from conftest import ROOT

DEEP = '{"a":%s%s,"text":"坚持原那么"}'


def damaged_texts() -> list:
    paths = sorted((ROOT / "corpus" / "damaged").glob("*.txt")) + [ROOT / "corpus" / "wenku-sample.txt"]
    return [p.read_text(encoding="utf-8") for p in paths]


def styled_lines(texts: list, id_base: int = 0) -> list:
    """Paragraph groups of texts as JSON objects, in four styles: raw UTF-8,
    \\u escapes (json.dumps's default), compact with an "edits" member, odd
    spacing with a CR; some with characters outside the BMP, quotes,
    backslashes and tabs."""
    lines = []
    for i, text in enumerate(texts):
        paragraphs = text.split("\n")
        for j in range(0, len(paragraphs), 7):
            t = "\n".join(paragraphs[j:j + 7])
            if i % 3 == 0:
                t = t.replace("，", "😀，", 2)
            if j % 2:
                t += '"引号"\\反斜杠\t'
            obj = {"id": id_base + i * 1000 + j, "text": t, "meta": {"a": [1, 2.5e3, None, True]}}
            style = (i + j) % 4
            if style == 0:
                lines.append(json.dumps(obj, ensure_ascii=False))
            elif style == 1:
                lines.append(json.dumps(obj))
            elif style == 2:
                lines.append(json.dumps({"edits": [1], **obj}, ensure_ascii=False,
                                        separators=(",", ":")))
            else:
                lines.append(" " + json.dumps(obj, ensure_ascii=False).replace(", ", " ,  ") + " \r")
    return lines


ODD_LINES = [
    "", "   ", "{}", '{"text": 5}', '{"other": "开展根底"}', '{"text": "原那么"', "not json",
    '{"text": "原那么", "x": NaN}', '{"text": "原那么\\ud800"}', '{"text": "根底\\u0000设施"}',
    "[1]", '{"text": "坚持原那么"} x', '{"te\\u0078t": "坚持原那么"}',
    '{"text": "a", "text": "坚持原那么"}',
    DEEP % ("[" * 511, "]" * 511), DEEP % ("[" * 512, "]" * 512), DEEP % ("[" * 1500, "]" * 1500),
    '{"text": "\\u539f\\u90a3\\u4e48\\ud83d\\ude00\\u539f\\u90a3\\u4e48"}',
    '{"text": "根底\\/设施\\n原那么"}', '{"n": 01, "text": "原那么"}',
    '{"n": -0.5E+3, "text": "原那么"}', '{"n": 1., "text": "原那么"}',
]
# Invalid UTF-8 in the field and in another member (malformed lines both:
# JSON is UTF-8), and a last line without its line feed.
ODD_BYTES = (b'{"text": "\xff\xfe\xe5\x8e\x9f\xe9\x82\xa3\xe4\xb9\x88"}\n'
             b'{"id": "\xff", "text": "\xe5\x8e\x9f\xe9\x82\xa3\xe4\xb9\x88"}\n'
             b'{"text": "\xe6\xa0\xb9\xe5\xba\x95"}')


def jsonl_bytes(lines: list, tail: bytes = b"") -> bytes:
    return "".join(line + "\n" for line in lines).encode("utf-8") + tail
