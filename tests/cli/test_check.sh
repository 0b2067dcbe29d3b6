# errata check: the text listing, JSON Lines, exit statuses.

test_check_lists_edits() {
    run_test_engine check "$DATA/two.txt"
    assert_status 1
    assert_stdout <<EOF
$DATA/two.txt:1:5: 原那么 → 原则 (apply 0.95, swap, swap/原那么>原则)
    我们坚持[原那么→原则]，为人民效劳。
    "原那么" is almost never legitimate: a damaged "原则"
$DATA/two.txt:1:12: 效劳 → 服务 (apply 0.95, swap, swap/效劳>服务)
    持原那么，为人民[效劳→服务]。
    "效劳" is almost never legitimate: a damaged "服务"
$DATA/two.txt:2:3: 根底 → 基础 (apply 0.90, swap, swap/根底>基础)
    打好[根底→基础]，站在大树根底下
    "根底" is a damaged "基础" (no word boundary guard applies)
EOF
    assert_no_stderr
}

test_check_clean_exits_0() {
    run_test_engine check "$DATA/clean.txt"
    assert_status 0
    assert_no_stdout
    assert_no_stderr
}

test_check_stdin_is_named_dash() {
    run_test_engine check <"$DATA/two.txt"
    assert_status 1
    assert_contains "$IO/out" '-:1:5: 原那么 → 原则'
    run_test_engine check --format=jsonl - <"$DATA/two.txt"
    assert_status 1
    assert_contains "$IO/out" '{"file":"-","line":1,"column":5,'
}

test_check_quiet_prints_nothing() {
    run_test_engine check -q "$DATA/two.txt"
    assert_status 1
    assert_no_stdout
    run_test_engine check --quiet "$DATA/clean.txt"
    assert_status 0
    assert_no_stdout
}

test_check_context_stops_at_line_ends_and_is_cut_to_8() {
    printf '一二三四五六七八九十为人民效劳一二三四五六七八九十\n效劳\n' >in.txt
    run_test_engine check in.txt
    assert_status 1
    assert_stdout <<'EOF'
in.txt:1:14: 效劳 → 服务 (apply 0.95, swap, swap/效劳>服务)
    六七八九十为人民[效劳→服务]一二三四五六七八
    "效劳" is almost never legitimate: a damaged "服务"
in.txt:2:1: 效劳 → 服务 (apply 0.95, swap, swap/效劳>服务)
    [效劳→服务]
    "效劳" is almost never legitimate: a damaged "服务"
EOF
}

test_check_control_characters_are_shown_escaped() {
    printf 'a\tb\r为人民效劳\n' >in.txt
    run_test_engine check in.txt
    assert_status 1
    assert_contains "$IO/out" '    a\tb\r为人民[效劳→服务]'
}

test_check_jsonl_exact() {
    run_test_engine check --format=jsonl "$DATA/two.txt"
    assert_status 1
    assert_stdout <<EOF
{"file":"$DATA/two.txt","line":1,"column":5,"byte_start":12,"byte_end":21,"cp_start":4,"cp_end":7,"old":"原那么","new":"原则","rule":"swap/原那么>原则","kind":"swap","action":"apply","confidence":0.95,"reason":"\\"原那么\\" is almost never legitimate: a damaged \\"原则\\""}
{"file":"$DATA/two.txt","line":1,"column":12,"byte_start":33,"byte_end":39,"cp_start":11,"cp_end":13,"old":"效劳","new":"服务","rule":"swap/效劳>服务","kind":"swap","action":"apply","confidence":0.95,"reason":"\\"效劳\\" is almost never legitimate: a damaged \\"服务\\""}
{"file":"$DATA/two.txt","line":2,"column":3,"byte_start":49,"byte_end":55,"cp_start":17,"cp_end":19,"old":"根底","new":"基础","rule":"swap/根底>基础","kind":"swap","action":"apply","confidence":0.90,"reason":"\\"根底\\" is a damaged \\"基础\\" (no word boundary guard applies)"}
EOF
}

# Every line parses, has exactly the documented fields in order, and its
# offsets point at its old text, in bytes and in code points.
check_jsonl_schema() {
    python3 - "$1" "$2" <<'EOF'
import json, sys
jsonl, source = sys.argv[1], sys.argv[2]
fields = ["file", "line", "column", "byte_start", "byte_end", "cp_start", "cp_end",
          "old", "new", "rule", "kind", "action", "confidence", "reason"]
raw = open(source, "rb").read()
text = raw.decode("utf-8")
lines = open(jsonl, encoding="utf-8").read().splitlines()
assert lines, "no JSON lines"
for line in lines:
    edit = json.loads(line)
    assert list(edit) == fields, list(edit)
    assert raw[edit["byte_start"]:edit["byte_end"]].decode() == edit["old"], edit
    assert text[edit["cp_start"]:edit["cp_end"]] == edit["old"], edit
    before = text[:edit["cp_start"]]
    assert edit["line"] == before.count("\n") + 1, edit
    assert edit["column"] == len(before) - (before.rfind("\n") + 1) + 1, edit
    assert edit["kind"] in ("swap", "lookalike", "layout", "punctuation", "quote", "number",
                            "latin", "flag"), edit
    assert edit["action"] in ("apply", "propose", "flag"), edit
    assert isinstance(edit["confidence"], float) and 0 <= edit["confidence"] <= 1, edit
    decimals = line.split('"confidence":')[1].split(",")[0].split(".")[1]
    assert len(decimals) in (2, 3), line
print(len(lines))
EOF
}

test_check_jsonl_is_valid_json_with_the_schema() {
    run_test_engine check --format=jsonl "$DATA/two.txt" "$DATA/lines.txt"
    assert_status 1
    grep -F "\"file\":\"$DATA/lines.txt\"" "$IO/out" >lines.jsonl
    check_jsonl_schema lines.jsonl "$DATA/lines.txt" >count || fail "schema check failed"
    assert_equal "$(cat count)" 4
}

test_check_jsonl_escapes_strings() {
    local name=$'q"b\\t\tc\x01.txt'
    printf '"\\\t为人民效劳\n' >"$name"
    run_test_engine check --format=jsonl "$name"
    assert_status 1
    assert_contains "$IO/out" '{"file":"q\"b\\t\tc\u0001.txt","line":1,"column":7,'
    python3 -c '
import json, sys
edit = json.loads(open(sys.argv[1], encoding="utf-8").read())
assert edit["file"] == "q\"b\\t\tc\x01.txt", edit["file"]
assert (edit["byte_start"], edit["cp_start"], edit["old"]) == (12, 6, "效劳"), edit
' "$IO/out" || fail "JSON escaping is wrong: $(cat "$IO/out")"
}

test_check_jsonl_non_utf8_file_name() {
    local name=$'bad\xffname.txt'
    printf '为人民效劳\n' >"$name"
    run_test_engine check --format=jsonl "$name"
    assert_status 1
    python3 -c 'import json,sys; e=json.loads(open(sys.argv[1],encoding="utf-8").read()); assert e["file"]=="bad\ufffdname.txt", e' \
        "$IO/out" || fail "file name not made valid: $(cat "$IO/out")"
}

# The one escaping of cli/json.c, byte for byte: short escapes, \u00XX for
# other controls and DEL, \ufffd for each byte that is not UTF-8.
test_check_jsonl_escapes_exactly() {
    local name=$'a\x7f\x08\x1f\xe4\xb8"\\.txt'
    printf '为人民效劳\n' >"$name"
    run_test_engine check --format=jsonl "$name"
    assert_status 1
    assert_contains "$IO/out" '{"file":"a\u007f\b\u001f\ufffd\ufffd\"\\.txt","line":1,'
}

test_check_jsonl_on_the_sample_is_valid() {
    run "$ERRATA" check --format=jsonl "$DATA/../../../corpus/wenku-sample.txt"
    assert_status 1
    check_jsonl_schema "$IO/out" "$DATA/../../../corpus/wenku-sample.txt" >/dev/null ||
        fail "schema check failed"
}

test_check_several_files_and_stdin() {
    run_test_engine check --format=jsonl "$DATA/clean.txt" - "$DATA/two.txt" <"$DATA/two.txt"
    assert_status 1
    assert_equal "$(grep -c '"file":"-"' "$IO/out")" 3
    assert_equal "$(grep -c "\"file\":\"$DATA/two.txt\"" "$IO/out")" 3
    assert_equal "$(wc -l <"$IO/out")" 6
}

test_check_bad_format() {
    run_test_engine check --format=xml "$DATA/two.txt"
    assert_status 2
    assert_no_stdout
    assert_stderr <<'EOF'
errata: check: --format must be text, jsonl or html, not 'xml'
Try 'errata check --help'.
EOF
}

test_check_error_wins_over_found() {
    run_test_engine check "$DATA/two.txt" missing.txt
    assert_status 2
    assert_stderr $'errata: missing.txt: No such file or directory\n'
    assert_contains "$IO/out" '原那么 → 原则'
}

# A flag has nothing to apply: only its old text is shown.  (The flag comes
# from the library's layout passes: a 年 whose year digits were deleted.)
test_check_flags_show_only_the_old_text() {
    printf '年、年先后被市委表彰。\n' >in.txt
    run "$ERRATA" check --no-default-dict --no-model in.txt
    assert_status 1
    assert_contains "$IO/out" 'in.txt:1:3: 年 (flag 0.70, flag, flag/deleted-year)'
    assert_contains "$IO/out" '    年、[年]先后被市委表彰。'
    assert_not_contains "$IO/out" '→'
}

test_check_help_keeps_its_options_together() {
    # The note on encodings follows the option list instead of splitting it.
    run "$ERRATA" check --help
    assert_status 0
    local options
    options=$(sed -n '/^  --format=FORMAT/,/^$/p' "$IO/out")
    assert_contains <(printf '%s\n' "$options") '  -q, --quiet'
    assert_contains <(printf '%s\n' "$options") '  --color=WHEN'
}

# hunspell's English dictionary judges Latin words in the command too: the
# static build/errata calls the hunspell linked into it, the library opens
# it on first use.
test_check_proposes_the_english_word_for_ocr_letter_shapes() {
    printf 'the rnodern world\n' >doc.txt
    run_test_engine check --format=jsonl doc.txt
    assert_status 1
    assert_stdout '{"file":"doc.txt","line":1,"column":5,"byte_start":4,"byte_end":11,"cp_start":4,"cp_end":11,"old":"rnodern","new":"modern","rule":"latin/rnodern>modern","kind":"latin","action":"propose","confidence":0.70,"reason":"OCR look-alike letters: \"rnodern\" is not an English word, \"modern\" is its only look-alike spelling that is"}
'
}
