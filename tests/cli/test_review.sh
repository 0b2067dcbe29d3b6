# errata review: driven through a pseudo-terminal of its own (tests/review/drive.py),
# keys typed as a user would, then the resulting files and sidecars compared
# byte for byte.  The edits come from a dictionary of U-class pairs with
# --no-default-dict --no-model, so they do not depend on the built-in data.

REVIEW_DRIVER=$(cd "$(dirname "${BASH_SOURCE[0]}")/../review" && pwd)/drive.py

PAIRS='errata-dict 1
原那么	原则	user	U
效劳	服务	user	U
根底	基础	user	U
'

# The pairs as the user dictionary ($ERRATA_USER_DICT).
use_pairs_as_user_dict() {
    export ERRATA_USER_DICT=$IO/user.dict
    printf '%s' "$PAIRS" >"$ERRATA_USER_DICT"
}

# Run `errata review --no-default-dict --no-model ARGS...` on a pty, typing
# what the script on standard input says; the screen goes to $IO/screen.
review_on_pty() {
    status=0
    python3 "$REVIEW_DRIVER" --transcript "$IO/screen" -- \
        "$ERRATA" review --no-default-dict --no-model "$@" || status=$?
    [[ $status -eq 0 ]] || fail "the terminal session did not go as the script says"
}

# The first line of a sidecar for file $1 as it is now.
sidecar_header() {
    python3 - "$1" <<'EOF'
import sys
data = open(sys.argv[1], "rb").read()
h = 0xcbf29ce484222325
for b in data:
    h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
print('{"errata_review":1,"file":"%s","bytes":%d,"fnv1a64":"%016x"}' % (sys.argv[1], len(data), h))
EOF
}

FIVE='我们坚持原那么，为人民效劳。
打好根底，深化效劳，坚持原那么。
'

test_review_answers_quit_resume_finish() {
    use_pairs_as_user_dict
    printf '%s' "$FIVE" >doc.txt
    sidecar_header doc.txt >expected-header
    review_on_pty doc.txt <<'EOF'
expect doc.txt:1:5  proposal 1 of 5
expect (1/5) Accept
send y
expect accepted
expect doc.txt:1:12  proposal 2 of 5
expect (2/5) Accept
send n
expect rejected
expect (3/5) Accept
send e
expect Replace with: 基础
send \b\b根基\r
expect accepted as edited
expect (4/5) Accept
send u
expect undone: back to doc.txt:2:3
expect (3/5) Accept
send e
expect Replace with: 基础
send \b石\r
expect (4/5) Accept
send y
expect (5/5) Accept
send q
expect doc.txt: 4 of 5 answered; run 'errata review' on it again to go on
exit 1
restored
EOF
    assert_file_is doc.txt "$FIVE"
    assert_file_is doc.txt.errata-review <<EOF
$(cat expected-header)
{"step":1,"answer":"accept","byte_start":12,"byte_end":21,"old":"原那么","new":"原则","rule":"swap/原那么>原则"}
{"step":2,"answer":"reject","byte_start":33,"byte_end":39,"old":"效劳","new":"服务","rule":"swap/效劳>服务"}
{"step":3,"answer":"edit","byte_start":49,"byte_end":55,"old":"根底","new":"基础","rule":"swap/根底>基础","replacement":"根基"}
{"undo":3}
{"step":4,"answer":"edit","byte_start":49,"byte_end":55,"old":"根底","new":"基础","rule":"swap/根底>基础","replacement":"基石"}
{"step":5,"answer":"accept","byte_start":64,"byte_end":70,"old":"效劳","new":"服务","rule":"swap/效劳>服务"}
EOF
    # The second run starts at the fifth proposal; undo reaches answers of the first run.
    review_on_pty doc.txt <<'EOF'
expect doc.txt:2:13  proposal 5 of 5
expect (5/5) Accept
send u
expect (4/5) Accept
send n
expect (5/5) Accept
send n
expect doc.txt: 1 accepted, 1 edited, 3 rejected, 0 noted; written to doc.txt
exit 0
restored
EOF
    assert_file_is doc.txt '我们坚持原则，为人民效劳。
打好基石，深化效劳，坚持原那么。
'
    assert_not_exists doc.txt.errata-review
    assert_equal "$(list_dir .)" "doc.txt
expected-header"
}

test_review_rule_wide_answers_in_one_and_all_files() {
    use_pairs_as_user_dict
    printf '原那么，效劳，原那么，根底。\n' >a.txt
    printf '效劳和原那么，根底，根底。\n' >b.txt
    review_on_pty a.txt b.txt <<'EOF'
expect a.txt:1:1  proposal 1 of 4  (file 1 of 2)
send a
expect accepted, with 1 more like it
expect (2/4) Accept
send D
expect rejected, with 1 more like it
expect (4/4) Accept
send A
expect accepted, with 2 more like it
expect b.txt:1:4  proposal 2 of 4  (file 2 of 2)
send d
expect a.txt: 3 accepted, 0 edited, 1 rejected, 0 noted; written to a.txt
expect b.txt: 2 accepted, 0 edited, 2 rejected, 0 noted; written to b.txt
exit 0
EOF
    assert_file_is a.txt '原则，效劳，原则，基础。
'
    assert_file_is b.txt '效劳和原那么，基础，基础。
'
    assert_equal "$(list_dir .)" "a.txt
b.txt"
}

test_review_skip_leaves_a_file_for_later() {
    use_pairs_as_user_dict
    printf '原那么，效劳。\n' >a.txt
    printf '根底。\n' >b.txt
    review_on_pty a.txt b.txt <<'EOF'
expect (1/2) Accept
send y
expect (2/2) Accept
send s
expect b.txt:1:1  proposal 1 of 1  (file 2 of 2)
send y
expect a.txt: 1 of 2 answered
expect b.txt: 1 accepted, 0 edited, 0 rejected, 0 noted; written to b.txt
exit 1
EOF
    assert_file_is a.txt '原那么，效劳。
'
    assert_file_is b.txt '基础。
'
    assert_exists a.txt.errata-review
    assert_not_exists b.txt.errata-review
}

test_review_learns_pairs_and_kept_words_in_the_user_dict() {
    printf '%s' "$PAIRS" >pairs.dict
    printf '原那么，效劳，根底，效劳，原那么。\n' >doc.txt
    review_on_pty --dict pairs.dict doc.txt <<'EOF'
expect (1/5) Accept
send Y
expect added to /
expect accepted, with 1 more like it
expect (2/5) Accept
send N
expect rejected, with 1 more like it
expect (3/5) Accept
send u
expect (2/5) Accept
send N
expect (3/5) Accept
send y
exit 0
EOF
    assert_file_is doc.txt '原则，效劳，基础，效劳，原则。
'
    assert_file_is "$HOME/.config/errata/user.dict" 'errata-dict 1
原那么	原则	user	U
!keep	效劳
'
    # The engine reads what was learnt: 效劳 is never proposed again.
    printf '为人民效劳，原那么。\n' >next.txt
    run "$ERRATA" check --no-default-dict --no-model --dict pairs.dict next.txt
    assert_status 1
    assert_contains "$IO/out" 'next.txt:1:7: 原那么 → 原则'
    assert_not_contains "$IO/out" '效劳 →'
}

test_review_undo_takes_a_learnt_word_back_out() {
    printf '%s' "$PAIRS" >pairs.dict
    export ERRATA_USER_DICT=$IO/mine.dict
    printf 'errata-dict 1\n!keep\t平安浙江\n' >"$ERRATA_USER_DICT"
    printf '效劳，原那么。\n' >doc.txt
    review_on_pty --dict pairs.dict doc.txt <<'EOF'
expect (1/2) Accept
send N
expect (2/2) Accept
send u
expect (1/2) Accept
send q
exit 1
EOF
    assert_file_is "$ERRATA_USER_DICT" 'errata-dict 1
!keep	平安浙江
'
    # After a resume the proposals of a kept word are gone (the dictionary
    # keeps it); undo still takes an earlier pair out, though not the last line.
    printf '原那么，效劳，根底。\n' >doc.txt
    rm doc.txt.errata-review
    review_on_pty --dict pairs.dict doc.txt <<'EOF'
expect (1/3) Accept
send Y
expect (2/3) Accept
send N
expect (3/3) Accept
send q
exit 1
EOF
    assert_file_is "$ERRATA_USER_DICT" 'errata-dict 1
!keep	平安浙江
原那么	原则	user	U
!keep	效劳
'
    review_on_pty --dict pairs.dict doc.txt <<'EOF'
expect doc.txt:1:8  proposal 2 of 2
send u
expect doc.txt:1:1  proposal 1 of 2
send q
exit 1
EOF
    assert_file_is "$ERRATA_USER_DICT" 'errata-dict 1
!keep	平安浙江
!keep	效劳
'
}

test_review_ctrl_c_restores_the_terminal_and_keeps_the_answers() {
    use_pairs_as_user_dict
    printf '%s' "$FIVE" >doc.txt
    sidecar_header doc.txt >expected-header
    review_on_pty doc.txt <<'EOF'
expect (1/5) Accept
send y
expect (2/5) Accept
send \x03
expect review interrupted; the answers are kept
exit 130
restored
EOF
    assert_file_is doc.txt "$FIVE"
    assert_file_is doc.txt.errata-review <<EOF
$(cat expected-header)
{"step":1,"answer":"accept","byte_start":12,"byte_end":21,"old":"原那么","new":"原则","rule":"swap/原那么>原则"}
EOF
    review_on_pty doc.txt <<'EOF'
expect (2/5) Accept
send q
exit 1
EOF
}

test_review_sigterm_and_hangup_restore_the_terminal() {
    use_pairs_as_user_dict
    printf '%s' "$FIVE" >doc.txt
    review_on_pty doc.txt <<'EOF'
expect (1/5) Accept
signal TERM
exit 143
restored
EOF
    review_on_pty doc.txt <<'EOF'
expect (1/5) Accept
signal HUP
exit 129
restored
EOF
    assert_file_is doc.txt "$FIVE"
}

test_review_ctrl_z_gives_the_terminal_back_until_continued() {
    use_pairs_as_user_dict
    printf '%s' "$FIVE" >doc.txt
    review_on_pty doc.txt <<'EOF'
expect (1/5) Accept
send \x1a
stopped
restored
signal CONT
send y
expect (2/5) Accept
send q
exit 1
restored
EOF
}

test_review_edits_a_replacement_with_a_line_break_shown_escaped() {
    printf '第一行\n第二行\n' >doc.txt
    cat >edits.jsonl <<'EOF'
{"file":"doc.txt","byte_start":9,"byte_end":10,"old":"\n","new":"\t\n","rule":"layout/test","kind":"layout","action":"propose","confidence":0.6,"reason":""}
EOF
    review_on_pty --edits edits.jsonl <<'EOF'
expect [-⏎-]{+\t⏎+}
send e
expect Replace with: \t⏎
send \b\b。\r
expect accepted as edited
exit 0
EOF
    assert_file_is doc.txt '第一行。第二行
'
}

test_review_resumes_after_a_crash_and_drops_a_cut_line() {
    use_pairs_as_user_dict
    printf '%s' "$FIVE" >doc.txt
    sidecar_header doc.txt >expected-header
    review_on_pty doc.txt <<'EOF'
expect (1/5) Accept
send y
expect (2/5) Accept
send n
expect (3/5) Accept
signal KILL
exit 137
EOF
    printf '{"step":3,"answer":"acc' >>doc.txt.errata-review
    review_on_pty doc.txt <<'EOF'
expect (3/5) Accept
send y
expect (4/5) Accept
send q
exit 1
EOF
    assert_file_is doc.txt.errata-review <<EOF
$(cat expected-header)
{"step":1,"answer":"accept","byte_start":12,"byte_end":21,"old":"原那么","new":"原则","rule":"swap/原那么>原则"}
{"step":2,"answer":"reject","byte_start":33,"byte_end":39,"old":"效劳","new":"服务","rule":"swap/效劳>服务"}
{"step":3,"answer":"accept","byte_start":49,"byte_end":55,"old":"根底","new":"基础","rule":"swap/根底>基础"}
EOF
}

test_review_refuses_answers_given_to_another_text() {
    use_pairs_as_user_dict
    printf '%s' "$FIVE" >doc.txt
    review_on_pty doc.txt <<'EOF'
expect (1/5) Accept
send y
expect (2/5) Accept
send q
exit 1
EOF
    printf '前言\n%s' "$FIVE" >doc.txt
    run "$ERRATA" review --no-default-dict --no-model doc.txt
    assert_status 2
    assert_stderr <<'EOF'
errata: doc.txt has changed since the answers in doc.txt.errata-review were given; run again with --restart to review it afresh
EOF
    review_on_pty --restart doc.txt <<'EOF'
expect doc.txt:2:5  proposal 1 of 5
send q
exit 1
EOF
}

test_review_keys_come_from_the_terminal_when_stdin_is_a_pipe() {
    use_pairs_as_user_dict
    printf '%s' "$FIVE" >doc.txt
    python3 "$REVIEW_DRIVER" --stdin doc.txt -- \
        "$ERRATA" review --no-default-dict --no-model -o out.txt - <<'EOF' || fail "session failed"
expect standard input:1:5  proposal 1 of 5
send y
expect (2/5)
send y
expect (3/5)
send n
expect (4/5)
send d
expect rejected
expect (5/5)
send n
expect written to out.txt
exit 0
EOF
    assert_file_is out.txt '我们坚持原则，为人民服务。
打好根底，深化效劳，坚持原那么。
'
    assert_equal "$(list_dir .)" "doc.txt
out.txt"
    python3 "$REVIEW_DRIVER" --stdout stdout.txt --stderr stderr.txt -- \
        "$ERRATA" review --no-default-dict --no-model -o - doc.txt <<'EOF' || fail "session failed"
expect (1/5)
send a
expect (2/5)
send A
expect (3/5)
send A
exit 0
EOF
    assert_file_is stdout.txt '我们坚持原则，为人民服务。
打好基础，深化服务，坚持原则。
'
    assert_file_is stderr.txt 'doc.txt: 5 accepted, 0 edited, 0 rejected, 0 noted; written to standard output
'
    assert_file_is doc.txt "$FIVE"
}

test_review_needs_a_terminal() {
    use_pairs_as_user_dict
    printf '%s' "$FIVE" >doc.txt
    run setsid --wait "$ERRATA" review --no-default-dict --no-model doc.txt
    assert_status 2
    assert_contains "$IO/err" 'errata: review needs a terminal (/dev/tty)'
    assert_file_is doc.txt "$FIVE"
    assert_not_exists doc.txt.errata-review
}

test_review_of_a_clean_file_needs_no_terminal() {
    use_pairs_as_user_dict
    printf '一切正常。\n' >doc.txt
    run setsid --wait "$ERRATA" review --no-default-dict --no-model doc.txt
    assert_status 0
    assert_stderr 'doc.txt: nothing to review
'
}

# A long line of wide characters, a long rule and reason: every row of the
# screen stays within the terminal, at 80 and at 40 columns, and within 100
# columns on a wider one (as the README says).  (The summary
# written to standard error once the terminal is given back is kept apart.)
test_review_fits_the_terminal_with_wide_characters() {
    python3 - <<'EOF'
import json
text = "全角字符" * 40 + "原那么" + "，宽度两列" * 40 + "\n"
start = text.index("原那么")
edit = {"file": "wide.txt", "byte_start": len(text[:start].encode()),
        "byte_end": len(text[:start].encode()) + len("原那么".encode()),
        "old": "原那么", "new": "原则" * 30, "rule": "swap/" + "很长的规则名" * 12,
        "kind": "swap", "action": "propose", "confidence": 0.6,
        "reason": "理由" * 90}
open("wide.txt", "w", encoding="utf-8").write(text)
open("edits.jsonl", "w", encoding="utf-8").write(json.dumps(edit, ensure_ascii=False) + "\n")
EOF
    local cols width
    for cols in 140 80 40; do
        width=$((cols < 100 ? cols : 100))
        python3 "$REVIEW_DRIVER" --cols $cols --stderr "$IO/err" -- \
            "$ERRATA" review --edits edits.jsonl \
            <<EOF || fail "session at $cols columns failed"
expect wide.txt:1:161  proposal 1 of 1
expect (1/1) Accept
send e
expect Replace with:
send \x15很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长
expect 很长很长
send \e
expect (edit cancelled)
send q
exit 1
no-wider $((width - 1))
EOF
    done
}

test_review_colour_follows_the_terminal() {
    use_pairs_as_user_dict
    printf '效劳。\n' >doc.txt
    TERM=xterm review_on_pty doc.txt <<'EOF'
expect (1/1) Accept
send q
exit 1
raw-contains \e[1;31m[-效劳-]
raw-contains \e[1;32m{+服务+}
EOF
    NO_COLOR=1 TERM=xterm review_on_pty doc.txt <<'EOF'
expect (1/1) Accept
send q
exit 1
raw-lacks \e[
EOF
    TERM=xterm review_on_pty --color=never doc.txt <<'EOF'
expect (1/1) Accept
send q
exit 1
raw-lacks \e[
EOF
}

test_review_flags_are_shown_with_nothing_to_accept() {
    printf '第一页\f效劳\n' >doc.txt
    cat >edits.jsonl <<'EOF'
{"file":"doc.txt","byte_start":9,"byte_end":10,"old":"\f","new":"","rule":"layout/page-break","kind":"flag","action":"flag","confidence":1,"reason":"a page break in running text"}
{"file":"doc.txt","byte_start":10,"byte_end":16,"old":"效劳","new":"服务","rule":"swap/效劳>服务","kind":"swap","action":"apply","confidence":0.95,"reason":"unambiguous"}
EOF
    review_on_pty --edits edits.jsonl <<'EOF'
expect doc.txt:1:4  flag 1 of 2
expect [!\x0c!]
expect reported only: nothing to change
expect (1/2) Noted
send e
expect a flag has nothing to change
expect (1/2) Noted
send \r
expect noted
expect doc.txt:1:5  proposal 2 of 2
send y
expect 1 accepted, 0 edited, 0 rejected, 1 noted; written to doc.txt
exit 0
EOF
    assert_file_is doc.txt $'第一页\f服务\n'
}

test_review_ignores_arrow_keys_and_explains_unknown_ones() {
    use_pairs_as_user_dict
    printf '效劳。\n' >doc.txt
    review_on_pty doc.txt <<'EOF'
expect (1/1) Accept
send \e[A
send x
expect press ? for help
expect (1/1) Accept
send n
exit 0
EOF
    assert_not_contains "$IO/screen" '[A'
    assert_file_is doc.txt '效劳。
'
}

test_review_of_a_checked_list() {
    use_pairs_as_user_dict
    printf '%s' "$FIVE" >doc.txt
    run "$ERRATA" check --no-default-dict --no-model --format=jsonl doc.txt
    assert_status 1
    mv "$IO/out" edits.jsonl
    review_on_pty --edits edits.jsonl <<'EOF'
expect doc.txt:1:5  proposal 1 of 5
send D
expect (2/5)
send y
expect (3/5)
send y
expect (4/5)
send n
exit 0
EOF
    assert_file_is doc.txt '我们坚持原那么，为人民服务。
打好基础，深化效劳，坚持原那么。
'
}

test_review_usage_errors() {
    run "$ERRATA" review
    assert_status 2
    assert_stderr <<'EOF'
errata: review: no file to review
Try 'errata review --help'.
EOF
    run "$ERRATA" review a.txt a.txt
    assert_status 2
    assert_contains "$IO/err" 'errata: review: a.txt is named twice'
    run "$ERRATA" review -
    assert_status 2
    assert_contains "$IO/err" 'errata: review: reviewing standard input needs -o'
    run "$ERRATA" review -o out.txt a.txt b.txt
    assert_status 2
    assert_contains "$IO/err" 'errata: review: -o takes one input, not 2'
}

test_review_help_fits_80_columns() {
    run "$ERRATA" review --help
    assert_status 0
    assert_contains "$IO/out" 'Usage: errata review [OPTION...] FILE...'
    local width
    width=$(awk '{ if (length($0) > w) w = length($0) } END { print w }' "$IO/out")
    [[ $width -le 80 ]] || fail "help line of $width columns"
}

test_review_gbk_file_resumes_and_is_written_back_in_gbk() {
    use_pairs_as_user_dict
    printf '%s' "$FIVE" | encode_as gbk >doc.txt
    sidecar_header doc.txt >expected-header
    review_on_pty doc.txt <<'EOF2'
expect doc.txt:1:5  proposal 1 of 5
expect 我们坚持[-原那么-]{+原则+}，为人民效劳。⏎打好根底
send y
expect (2/5) Accept
send n
expect (3/5) Accept
send q
exit 1
restored
EOF2
    # The header names the file's own bytes; the offsets count its UTF-8 text.
    assert_file_is doc.txt.errata-review <<EOF2
$(cat expected-header)
{"step":1,"answer":"accept","byte_start":12,"byte_end":21,"old":"原那么","new":"原则","rule":"swap/原那么>原则"}
{"step":2,"answer":"reject","byte_start":33,"byte_end":39,"old":"效劳","new":"服务","rule":"swap/效劳>服务"}
EOF2
    assert_holds doc.txt gbk "$FIVE"
    review_on_pty doc.txt <<'EOF2'
expect doc.txt:2:3  proposal 3 of 5
send y
expect (4/5) Accept
send n
expect (5/5) Accept
send n
expect doc.txt: 2 accepted, 0 edited, 3 rejected, 0 noted; written to doc.txt
exit 0
EOF2
    assert_holds doc.txt gbk '我们坚持原则，为人民效劳。
打好基础，深化效劳，坚持原那么。
'
    assert_equal "$(list_dir .)" "doc.txt
expected-header"
}

test_review_notices_a_changed_gbk_file() {
    use_pairs_as_user_dict
    printf '%s' "$FIVE" | encode_as gbk >doc.txt
    review_on_pty doc.txt <<'EOF2'
expect (1/5) Accept
send y
expect (2/5) Accept
send q
exit 1
EOF2
    # Same text, other bytes: the answers were given to the GBK file.
    printf '%s' "$FIVE" >doc.txt
    run "$ERRATA" review --no-default-dict --no-model doc.txt
    assert_status 2
    assert_stderr <<'EOF2'
errata: doc.txt has changed since the answers in doc.txt.errata-review were given; run again with --restart to review it afresh
EOF2
}

test_review_utf16_file_to_output_in_utf16_or_asked_encoding() {
    use_pairs_as_user_dict
    printf '原那么\n' | encode_as utf-16 >doc.txt
    cp doc.txt original.txt
    review_on_pty -o out.txt doc.txt <<'EOF2'
expect doc.txt:1:1  proposal 1 of 1
send y
expect written to out.txt
exit 0
EOF2
    assert_holds out.txt utf-16 '原则
'
    assert_files_equal doc.txt original.txt
    review_on_pty --output-encoding gbk -o out.txt doc.txt <<'EOF2'
expect (1/1) Accept
send y
exit 0
EOF2
    assert_holds out.txt gbk '原则
'
}
