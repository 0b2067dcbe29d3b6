"""errata.Engine against the command line and the library's own examples."""
import json

import pytest

import errata

from conftest import ROOT

SAMPLE = ROOT / "corpus" / "wenku-sample.txt"


def test_fix_of_the_sample_is_the_commands(engine, run_cli):
    assert engine.fix(SAMPLE.read_text(encoding="utf-8")).encode() == run_cli("fix", str(SAMPLE))


def test_check_of_the_sample_lists_the_commands_edits(engine, run_cli):
    text = SAMPLE.read_text(encoding="utf-8")
    listed = [json.loads(line) for line in run_cli("check", "--format=jsonl", str(SAMPLE)).splitlines()]
    edits = engine.check(text)
    assert len(edits) == len(listed) == 222
    for edit, want in zip(edits, listed):
        assert (edit.start, edit.end, edit.line, edit.column, edit.old, edit.new, edit.rule,
                edit.kind, edit.action, edit.reason) == (
            want["cp_start"], want["cp_end"], want["line"], want["column"], want["old"],
            want["new"], want["rule"], want["kind"], want["action"], want["reason"])
        assert "%.2f" % edit.confidence == "%.2f" % want["confidence"]
        assert text[edit.start:edit.end] == edit.old


def test_threshold_disable_and_all_as_the_commands_options(engine, run_cli):
    text = SAMPLE.read_text(encoding="utf-8")
    assert engine.fix(text, threshold=0.95).encode() == run_cli("fix", "--conservative", str(SAMPLE))
    assert engine.fix(text, disable=["layout", "punct"]).encode() == run_cli(
        "fix", "--disable=layout,punct", str(SAMPLE))
    assert engine.fix(text, all=True).encode() == run_cli("fix", "--all", str(SAMPLE))
    assert not [e for e in engine.check(text, disable=["swap"]) if e.rule.startswith("swap/")]


def test_fix_utf8_counts_the_applied_edits_by_rule(engine):
    from collections import Counter
    from errata import core
    text = SAMPLE.read_text(encoding="utf-8")
    edits = engine.check(text)
    for apply_all, actions in ((False, {"apply"}), (True, {"apply", "propose"})):
        fixed, by_rule = engine.fix_utf8(text.encode(), core.check_options(), apply_all)
        assert fixed.decode() == engine.fix(text, all=apply_all)
        assert by_rule == Counter(e.rule for e in edits if e.action in actions)
    assert len(by_rule) > 10 and max(by_rule.values()) > 1  # rules that repeat, folded
    assert list(by_rule) == sorted(by_rule, key=lambda rule: rule.encode())
    assert engine.fix_utf8("没有错误".encode(), core.check_options()) == ("没有错误".encode(), {})


def test_fix_files_writes_what_the_command_writes(engine, run_cli, tmp_path):
    from collections import Counter
    text = SAMPLE.read_text(encoding="utf-8")
    (tmp_path / "sample.txt").write_bytes(errata.encode(text, "GB18030"))
    (tmp_path / "data.txt").write_text('{"text": "坚持原那么"}\n', encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"ab\x02\x03")
    outcomes = engine.fix_files([(tmp_path / "sample.txt", tmp_path / "out" / "sample.txt"),
                                 (tmp_path / "data.txt", tmp_path / "out" / "data.txt"),
                                 (tmp_path / "data.txt", tmp_path / "out" / "named.txt", True),
                                 (tmp_path / "binary.txt", tmp_path / "out" / "binary.txt"),
                                 (tmp_path / "none.txt", tmp_path / "out" / "none.txt")],
                                all=True)
    # In its own encoding, as the command writes it.
    assert (tmp_path / "out" / "sample.txt").read_bytes() == run_cli(
        "fix", "--all", str(tmp_path / "sample.txt"))
    first = outcomes[0]
    assert (first.status, first.changed, first.bytes, first.note) == (
        "written", True, (tmp_path / "sample.txt").stat().st_size, "")
    assert first.rules == Counter(e.rule for e in engine.check(text)
                                  if e.action in ("apply", "propose"))
    assert [(o.status, o.note) for o in outcomes[1:]] == [
        ("skipped", "skipped: JSON, not a document"),
        ("written", ""),
        ("skipped", "skipped: not a text file (byte 0x02 at offset 2)"),
        ("failed", "cannot read: No such file or directory")]
    assert (tmp_path / "out" / "named.txt").read_text(encoding="utf-8") == '{"text": "坚持原则"}\n'
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["named.txt", "sample.txt"]


def test_every_dictionary_example_holds(engine):
    examples = engine.examples
    assert len(examples) > 200
    failures = [(ex.source, ex.line, ex.text, ex.expected, out) for ex in examples
                if (out := engine.fix(ex.text, assume_damaged=True)) != ex.expected]
    assert failures == []


def test_user_dictionary_and_its_examples(tmp_path):
    path = tmp_path / "mine.dict"
    path.write_text("errata-dict 1\n大数具\t大数据\tuser\tU\tfix=发展大数具产业>发展大数据产业\n",
                    encoding="utf-8")
    engine = errata.Engine(dictionaries=[path], no_default_dictionaries=True)
    assert engine.entry_count == 1
    assert [(ex.text, ex.expected, ex.line) for ex in engine.examples] == [
        ("发展大数具产业", "发展大数据产业", 2)]
    assert engine.fix("发展大数具产业", assume_damaged=True) == "发展大数据产业"


def test_offsets_index_the_str_past_characters_outside_the_bmp(engine):
    text = "𠀀😀𝄞第一，坚持原那么。\n𩸽𠮷根底设施😀完善。"
    edits = [e for e in engine.check(text) if e.kind == "swap"]
    assert [(e.start, e.end, e.line, e.column, e.old, e.new) for e in edits] == [
        (8, 11, 1, 9, "原那么", "原则"), (15, 17, 2, 3, "根底", "基础")]
    for e in engine.check(text):
        assert text[e.start:e.end] == e.old
    assert engine.fix(text) == "𠀀😀𝄞第一，坚持原则。\n𩸽𠮷基础设施😀完善。"


def test_edit_is_a_frozen_dataclass(engine):
    edit = engine.check("坚持原那么")[0]
    with pytest.raises(AttributeError):
        edit.new = "x"
    assert edit == errata.Edit(2, 5, 1, 3, "原那么", "原则", "swap/原那么>原则", "swap", "apply",
                               edit.confidence, edit.reason)


def test_missing_dictionary_raises_file_error_with_its_name():
    with pytest.raises(errata.FileError) as caught:
        errata.Engine(dictionaries=["/nonexistent/x.dict"])
    assert str(caught.value) == "/nonexistent/x.dict: No such file or directory"
    assert caught.value.code == -3 and isinstance(caught.value, errata.Error)


def test_malformed_dictionary_raises_format_error_with_its_line(tmp_path):
    path = tmp_path / "bad.dict"
    path.write_text("errata-dict 1\nbad line\n")
    with pytest.raises(errata.FormatError) as caught:
        errata.Engine(dictionaries=[str(path)])
    assert str(caught.value) == (f"{path}:2: expected fields separated by TAB: "
                                 "corrupted, original, kind, class")


def test_text_that_is_not_unicode(engine):
    with pytest.raises(errata.EncodingError) as caught:
        engine.check("坚持\ud800原那么")
    assert str(caught.value) == "not valid Unicode: a lone surrogate at index 2"
    with pytest.raises(TypeError):
        engine.fix(b"bytes")
    with pytest.raises(ValueError):
        engine.fix("x", threshold=1.5)


def test_decode_reads_bytes_as_the_command_does():
    text = "坚持原那么，开展根底设施"
    assert errata.decode(text.encode("gbk")) == text
    assert errata.decode_detected(text.encode("utf-16")) == (text, "UTF-16LE-BOM")
    assert errata.decode_detected(b"\xef\xbb\xbf" + text.encode()) == (text, "UTF-8-BOM")
    assert errata.decode_detected(text.encode()) == (text, "UTF-8")
    assert errata.decode_detected(text.encode(), "UTF-8") == (text, "UTF-8")
    assert errata.decode(text.encode("utf-16-be"), "UTF-16BE") == text
    assert errata.encode(text, "GBK") == text.encode("gbk")
    with pytest.raises(errata.EncodingError) as caught:
        errata.decode(b"ab\x00\x01cd\x02")
    assert "byte offset" in str(caught.value)
    with pytest.raises(errata.InvalidArgumentError):
        errata.decode(b"abc", "EBCDIC")


def test_empty_text(engine):
    assert engine.check("") == [] and engine.fix("") == ""


def test_the_example_script(tmp_path):
    import subprocess
    import sys
    path = tmp_path / "a.txt"
    path.write_bytes("我们坚持原那么，为人民效劳。\n".encode("gbk"))
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "repair.py"), str(path)],
                          stdout=subprocess.PIPE, text=True)
    assert done.returncode == 1
    assert done.stdout == (f"{path}:1:5: '原那么' -> '原则' (apply 0.90, swap/原那么>原则)\n"
                           f"{path}:1:12: '效劳' -> '服务' (apply 0.90, swap/效劳>服务)\n")
    assert (tmp_path / "a.txt.repaired.txt").read_text(encoding="utf-8") == "我们坚持原则，为人民服务。\n"
