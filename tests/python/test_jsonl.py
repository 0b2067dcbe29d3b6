"""errata.jsonl writes what errata fix --jsonl writes, byte for byte."""
import pytest

import errata.jsonl

from jsonl_data import ODD_BYTES, ODD_LINES, damaged_texts, jsonl_bytes, styled_lines


@pytest.fixture(scope="module")
def shard(tmp_path_factory):
    path = tmp_path_factory.mktemp("jsonl") / "shard.jsonl"
    path.write_bytes(jsonl_bytes(styled_lines(damaged_texts()) + ODD_LINES, ODD_BYTES))
    return path


@pytest.mark.parametrize("args, options", [
    ([], errata.jsonl.Options()),
    (["--attach-edits", "--all"], errata.jsonl.Options(attach_edits=True, all=True)),
    (["--field", "other", "--threshold=0.6", "--disable=layout"],
     errata.jsonl.Options(field="other", threshold=0.6, disable=("layout",))),
])
def test_lines_come_out_as_the_commands(engine, run_cli, shard, args, options):
    fixer = errata.jsonl.LineFixer(engine, options)
    with open(shard, "rb") as lines:
        out = b"".join(fixer.fix_stream(lines, "shard.jsonl"))
    assert out == run_cli("fix", "--jsonl", *args, str(shard))


def test_counts_are_the_commands(engine, shard):
    fixer = errata.jsonl.LineFixer(engine)
    with open(shard, "rb") as lines:
        for _ in fixer.fix_stream(lines):
            pass
    # As its summary says: 79 lines read, 62 changed, 12 malformed (or unreadable fields).
    assert (fixer.counts.read, fixer.counts.changed, fixer.counts.skipped) == (79, 62, 12)
    assert fixer.counts.rules["swap/原那么>原则"] > 5


def test_strict_stops_at_the_first_malformed_line_as_the_command_does(engine, run_cli, tmp_path):
    path = tmp_path / "strict.jsonl"
    path.write_bytes(jsonl_bytes(['{"text": "坚持原那么"}', '{"text": "原那么"', '{"text": "根底"}']))
    fixer = errata.jsonl.LineFixer(engine, errata.jsonl.Options(strict=True))
    written = []
    with open(path, "rb") as lines, pytest.raises(errata.jsonl.Stopped) as stop:
        for out in fixer.fix_stream(lines, "strict.jsonl"):
            written.append(out)
    assert str(stop.value) == "strict.jsonl: line 2: malformed JSON"
    assert written == ['{"text": "坚持原则"}\n'.encode("utf-8")]
    assert fixer.counts.notes == []
