# errata fix --jsonl: one JSON object a line, its text field repaired, every
# other byte kept.

jsonl() { run_test_engine fix --jsonl "$@"; }

# The output with the confidences (the judge's business) written as C.
output_without_confidence() { sed -E 's/"confidence":[0-9.]+/"confidence":C/g' "$IO/out"; }

test_jsonl_repairs_the_text_field_only() {
    cat >in.jsonl <<'EOF'
{"id": 1,  "text": "我们坚持原那么，为人民效劳。", "note":"效劳", "meta": {"text": "效劳", "n": [1, -2.5e+3, true, null]}}
{"id":2,"text":"今天天气很好。"}
EOF
    jsonl -q <in.jsonl
    assert_status 0
    assert_no_stderr
    assert_stdout <<'EOF'
{"id": 1,  "text": "我们坚持原则，为人民服务。", "note":"效劳", "meta": {"text": "效劳", "n": [1, -2.5e+3, true, null]}}
{"id":2,"text":"今天天气很好。"}
EOF
}

test_jsonl_other_field() {
    printf '{"text":"效劳","body":"为人民效劳"}\n' >in.jsonl
    jsonl --field body -q <in.jsonl
    assert_status 0
    assert_stdout $'{"text":"效劳","body":"为人民服务"}\n'
}

test_jsonl_keeps_the_escaping_style() {
    # Python's json.dumps writes \u escapes: the repair is written the same way,
    # and the escapes around it are kept as they were (\/ and \n included).
    printf '%s\n' '{"text":"a\/b\n\u4e3a\u4eba\u6c11\u6548\u52b3\t\"x\""}' >in.jsonl
    jsonl -q <in.jsonl
    assert_status 0
    assert_stdout "$(printf '%s' '{"text":"a\/b\n\u4e3a\u4eba\u6c11\u670d\u52a1\t\"x\""}')"$'\n'
}

test_jsonl_raw_utf8_with_escapes_stays_raw() {
    printf '%s\n' '{"text":"为人民效劳\n𠀀\ud840\udc00"}' >in.jsonl
    jsonl -q <in.jsonl
    assert_status 0
    assert_stdout "$(printf '%s' '{"text":"为人民服务\n𠀀\ud840\udc00"}')"$'\n'
}

test_jsonl_attach_edits() {
    cat >in.jsonl <<'EOF'
{"id":1,"text":"坚持原那么，为人民效劳。" }
{"text":"今天天气很好。","edits":"to be replaced","id":2}
{"id":3}
EOF
    jsonl --attach-edits -q <in.jsonl
    assert_status 0
    output_without_confidence >"$IO/edited"
    assert_file_is "$IO/edited" <<'EOF'
{"id":1,"text":"坚持原则，为人民服务。","edits":[{"start":2,"end":5,"old":"原那么","new":"原则","rule":"swap/原那么>原则","kind":"swap","confidence":C},{"start":9,"end":11,"old":"效劳","new":"服务","rule":"swap/效劳>服务","kind":"swap","confidence":C}] }
{"text":"今天天气很好。","edits":[],"id":2}
{"id":3}
EOF
    python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$IO/out" ||
        fail "the output is not JSON lines"
}

test_jsonl_edits_member_before_the_field() {
    printf '{"edits":null,"text":"效劳"}\n' >in.jsonl
    jsonl --attach-edits -q <in.jsonl
    assert_status 0
    output_without_confidence >"$IO/edited"
    assert_file_is "$IO/edited" "$(printf '%s' '{"edits":[{"start":0,"end":2,"old":"效劳","new":"服务","rule":"swap/效劳>服务","kind":"swap","confidence":C}],"text":"服务"}')"$'\n'
}

test_jsonl_malformed_lines_pass_through() {
    cat >in.jsonl <<'EOF'
{"text":"效劳"}
not json
{"text":"效劳" "x":1}
[1,2]

{"text":"\ud800"}
{"text":"效劳"} trailing
{"text":"效劳"}
EOF
    jsonl <in.jsonl
    assert_status 0
    assert_stdout <<'EOF'
{"text":"服务"}
not json
{"text":"效劳" "x":1}
[1,2]

{"text":"\ud800"}
{"text":"效劳"} trailing
{"text":"服务"}
EOF
    sed -E 's/ \([0-9.]+ MB in [0-9.]+ s, [0-9.]+ MB\/s\)$//' "$IO/err" >"$IO/summary"
    assert_file_is "$IO/summary" <<'EOF'
errata: standard input: line 2: malformed JSON: expected '{' (one JSON object a line) at byte 0; passed through
errata: standard input: line 3: malformed JSON: expected ',' or '}' at byte 17; passed through
errata: standard input: line 4: malformed JSON: expected '{' (one JSON object a line) at byte 0; passed through
errata: standard input: line 6: field "text": a lone surrogate escape in the field; passed through
errata: standard input: line 7: malformed JSON: expected the end of the line after the object at byte 18; passed through
errata: 7 lines read, 2 changed, 5 malformed, 0 failed
errata: edits by rule:
       2  swap/效劳>服务
EOF
}

test_jsonl_grammar_errors_are_found() {
    local bad=('{"a":01}' '{"a":1.}' '{"a":tru}' '{"a":"\x"}' '{"a":"\u12"}' '{"a":[1,]}'
        '{"a":1,}' '{a:1}' '{"a" 1}' '{"a":"tab	inside"}' '{"a":-}' '{"a":{"b":}}')
    local line
    for line in "${bad[@]}"; do
        jsonl --strict -q <<<"$line"
        assert_status 2
        assert_contains "$IO/err" 'malformed JSON'
    done
    local good=('{}' ' { "a" : [ ] , "b" : { } } ' '{"a":-0.5E-3,"b":[[[]]],"c":"\u00e9\\"}')
    for line in "${good[@]}"; do
        jsonl --strict -q <<<"$line"
        assert_status 0
        assert_stdout "$line"$'\n'
    done
}

# RFC 8259: JSON text is UTF-8; a line with a byte that is not is malformed
# (named with its offset) and passed through as it came.
test_jsonl_invalid_utf8_is_malformed() {
    printf '{"text":"效劳"}\n{"text":"效\xe5\x8a"}\n{"id":"\xff","text":"效劳"}\n' >in.jsonl
    jsonl -q <in.jsonl
    assert_status 0
    assert_stdout "$(printf '{"text":"服务"}\n{"text":"效\xe5\x8a"}\n{"id":"\xff","text":"效劳"}')"$'\n'
    assert_stderr <<'EOF'
errata: standard input: line 2: malformed JSON: invalid UTF-8 at byte 12; passed through
errata: standard input: line 3: malformed JSON: invalid UTF-8 at byte 7; passed through
EOF
    jsonl --strict -q <in.jsonl
    assert_status 2
    assert_stderr $'errata: standard input: line 2: malformed JSON: invalid UTF-8 at byte 12\n'
}

test_jsonl_strict_stops_at_the_first_bad_line() {
    printf '{"text":"效劳"}\nnope\n{"text":"效劳"}\n' >in.jsonl
    jsonl --strict -q <in.jsonl
    assert_status 2
    assert_stdout $'{"text":"服务"}\n'
    assert_stderr $'errata: standard input: line 2: malformed JSON: expected \'{\' (one JSON object a line) at byte 0\n'
}

test_jsonl_line_endings_kept() {
    printf '{"text":"效劳"}\r\n{"text":"原那么"}' >in.jsonl
    jsonl -q <in.jsonl
    assert_status 0
    printf '{"text":"服务"}\r\n{"text":"原则"}' >"$IO/expected.jsonl"
    assert_files_equal "$IO/out" "$IO/expected.jsonl"
}

test_jsonl_files_in_turn_named_in_messages() {
    printf '{"text":"效劳"}\n' >a.jsonl
    printf 'x\n{"text":"根底"}\n' >b.jsonl
    jsonl a.jsonl b.jsonl missing.jsonl
    assert_status 2
    assert_stdout $'{"text":"服务"}\nx\n{"text":"基础"}\n'
    assert_contains "$IO/err" 'errata: b.jsonl: line 1: malformed JSON'
    assert_contains "$IO/err" 'errata: missing.jsonl: No such file or directory'
    assert_contains "$IO/err" 'errata: 3 lines read, 2 changed, 1 malformed, 1 failed'
}

test_jsonl_field_not_a_string_is_left_alone() {
    printf '{"text":null}\n{"text":["效劳"]}\n{"title":"效劳"}\n' >in.jsonl
    jsonl --attach-edits -q <in.jsonl
    assert_status 0
    assert_files_equal "$IO/out" in.jsonl
}

test_jsonl_many_lines() {
    python3 -c '
import json
for i in range(20000):
    print(json.dumps({"id": i, "text": "第%d行：为人民效劳。" % i}, ensure_ascii=i % 2 == 0))
' >in.jsonl
    jsonl -q <in.jsonl
    assert_status 0
    python3 - "$IO/out" <<'EOF' || fail "wrong output"
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert len(lines) == 20000, len(lines)
for i, line in enumerate(lines):
    obj = json.loads(line)
    assert obj == {"id": i, "text": "第%d行：为人民服务。" % i}, line
    assert ("\\u" in line) == (i % 2 == 0), line
EOF
}
