# errata apply: a list of edits from `errata check --format=jsonl`, reviewed
# (lines given "accept" and an edited "new"), applied to the files it names.

APPLY_PAIRS='errata-dict 1
原那么	原则	user	U
效劳	服务	user	U
根底	基础	user	U
'

APPLY_FIVE='我们坚持原那么，为人民效劳。
打好根底，深化效劳，坚持原那么。
'

# edits.jsonl: the edits errata check finds in the files named.
list_edits() {
    printf '%s' "$APPLY_PAIRS" >pairs.dict
    run "$ERRATA" check --no-default-dict --no-model --dict pairs.dict --format=jsonl "$@"
    assert_status 1
    mv "$IO/out" edits.jsonl
}

# Change edits.jsonl: each argument is LINE:JSON-OBJECT whose members replace
# or join those of that line.
amend_edits() {
    python3 - "$@" <<'EOF'
import json, sys
lines = open("edits.jsonl", encoding="utf-8").read().splitlines()
for change in sys.argv[1:]:
    number, _, members = change.partition(":")
    edit = json.loads(lines[int(number) - 1])
    edit.update(json.loads(members))
    lines[int(number) - 1] = json.dumps(edit, ensure_ascii=False)
open("edits.jsonl", "w", encoding="utf-8").write("\n".join(lines) + "\n")
EOF
}

test_apply_follows_accept_then_action() {
    printf '%s' "$APPLY_FIVE" >doc.txt
    list_edits doc.txt
    amend_edits '2:{"accept": false}' '3:{"accept": true, "new": "根基"}' \
        '4:{"action": "propose"}' '5:{"action": "propose", "accept": true}'
    run "$ERRATA" apply edits.jsonl
    assert_status 0
    assert_no_stdout
    assert_stderr 'doc.txt: 3 of 5 edits applied
'
    assert_file_is doc.txt '我们坚持原则，为人民效劳。
打好根基，深化效劳，坚持原则。
'
    assert_equal "$(list_dir .)" "doc.txt
edits.jsonl
pairs.dict"
}

test_apply_all_takes_proposals_without_accept() {
    printf '%s' "$APPLY_FIVE" >doc.txt
    list_edits doc.txt
    amend_edits '1:{"action": "propose"}' '2:{"action": "flag", "accept": true}' \
        '3:{"action": "propose", "accept": false}'
    run "$ERRATA" apply --all -q edits.jsonl
    assert_status 0
    assert_no_stderr
    assert_file_is doc.txt '我们坚持原则，为人民效劳。
打好根底，深化服务，坚持原则。
'
}

test_apply_refuses_a_changed_file_and_writes_nothing() {
    printf '根底。\n' >a.txt
    printf '%s' "$APPLY_FIVE" >doc.txt
    list_edits a.txt doc.txt
    printf '我们坚持原那么，为人民服务。\n打好根底，深化效劳，坚持原那么。\n' >doc.txt
    run "$ERRATA" apply edits.jsonl
    assert_status 2
    assert_stderr <<'EOF'
errata: edits.jsonl:3: doc.txt: bytes 33..39 are "服务", not "效劳"; has it changed since the edits were listed?
EOF
    assert_file_is a.txt '根底。
'
    printf '短\n' >doc.txt
    run "$ERRATA" apply edits.jsonl
    assert_status 2
    assert_stderr <<'EOF'
errata: edits.jsonl:2: doc.txt: bytes 12..21 are past the end of the file (4 bytes); has it changed since the edits were listed?
EOF
}

test_apply_to_another_file_or_standard_output() {
    printf '%s' "$APPLY_FIVE" >doc.txt
    list_edits doc.txt
    amend_edits '1:{"accept": false}'
    run "$ERRATA" apply -o out.txt edits.jsonl
    assert_status 0
    assert_file_is out.txt '我们坚持原那么，为人民服务。
打好基础，深化服务，坚持原则。
'
    run "$ERRATA" apply --output=- edits.jsonl
    assert_status 0
    assert_stdout <out.txt
    assert_file_is doc.txt "$APPLY_FIVE"
}

test_apply_reads_the_list_from_standard_input() {
    printf '%s' "$APPLY_FIVE" >doc.txt
    list_edits doc.txt
    run "$ERRATA" apply -q - <edits.jsonl
    assert_status 0
    assert_file_is doc.txt '我们坚持原则，为人民服务。
打好基础，深化服务，坚持原则。
'
}

test_apply_refuses_overlapping_edits() {
    printf '%s' "$APPLY_FIVE" >doc.txt
    list_edits doc.txt
    amend_edits '2:{"byte_start": 15, "old": "那么，为人民效劳"}'
    run "$ERRATA" apply edits.jsonl
    assert_status 2
    assert_stderr 'errata: edits.jsonl:2: doc.txt: this edit overlaps the one of line 1
'
    assert_file_is doc.txt "$APPLY_FIVE"
}

test_apply_names_the_bad_line() {
    printf '%s' "$APPLY_FIVE" >doc.txt
    list_edits doc.txt
    printf '\n{oops}\n' >>edits.jsonl
    run "$ERRATA" apply edits.jsonl
    assert_status 2
    assert_stderr <<'EOF'
errata: edits.jsonl:7: not a JSON object: expected a member name at byte 1
EOF
    printf '{"file":"doc\xff.txt","byte_start":0}\n' >edits.jsonl
    run "$ERRATA" apply edits.jsonl
    assert_status 2
    assert_stderr 'errata: edits.jsonl:1: not a JSON object: invalid UTF-8 at byte 12
'
    printf '{"file":"doc.txt","byte_start":0}\n' >edits.jsonl
    run "$ERRATA" apply edits.jsonl
    assert_status 2
    assert_stderr 'errata: edits.jsonl:1: no valid "byte_start" and "byte_end"
'
    printf '{"file":"doc.txt","byte_start":0,"byte_end":3,"old":"我","new":"你","accept":"yes"}\n' >edits.jsonl
    run "$ERRATA" apply edits.jsonl
    assert_status 2
    assert_stderr 'errata: edits.jsonl:1: "accept" must be true or false
'
    assert_file_is doc.txt "$APPLY_FIVE"
}

test_apply_usage_errors() {
    printf '根底。\n' >a.txt
    printf '根底。\n' >b.txt
    list_edits a.txt b.txt
    run "$ERRATA" apply -o out.txt edits.jsonl
    assert_status 2
    assert_stderr <<'EOF'
errata: apply: -o needs edits of one file; edits.jsonl names 2
Try 'errata apply --help'.
EOF
    run "$ERRATA" apply
    assert_status 2
    assert_contains "$IO/err" 'errata: apply: give one list of edits (EDITS.jsonl)'
    assert_not_exists out.txt
}

test_apply_reads_json_escapes() {
    printf 'ab效劳cd\n' >doc.txt
    printf '%s\n' '{"file":"doc.txt","byte_start":2,"byte_end":8,"old":"\u6548\u52b3","new":"\"\ud840\udc00\"\\/\t","action":"apply"}' \
        '  {"byte_end":1, "byte_start":0, "old":"a", "new":"", "file":"doc.txt", "accept":true, "extra":{"x":[1,{"y":null}]}}  ' >edits.jsonl
    run "$ERRATA" apply -q edits.jsonl
    assert_status 0
    assert_file_is doc.txt $'b"\xf0\xa0\x80\x80"\\/\tcd\n'
}
