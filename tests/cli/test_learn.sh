# errata learn and errata review --pairs.  The batch is the six documents of
# data/learn, four of them damaged the way a swap table does it (every 发展
# made 开展), all six with 基础 made 根底; data/learn.dict knows 根底 (so the
# documents show known damage) but not 开展.  learn uses the built-in models.

LEARN_ENGINE=(--no-default-dict --dict "$DATA/learn.dict")
PAIRS_DRIVER=$(cd "$(dirname "${BASH_SOURCE[0]}")/../review" && pwd)/drive.py

make_batch() {
    mkdir -p batch
    local f
    for f in a b c d; do sed 's/发展/开展/g; s/基础/根底/g' "$DATA/learn/$f.txt" >"batch/$f.txt"; done
    for f in e f; do sed 's/基础/根底/g' "$DATA/learn/$f.txt" >"batch/$f.txt"; done
}

test_learn_finds_the_pair_the_dictionary_lacks() {
    make_batch
    run "$ERRATA" learn "${LEARN_ENGINE[@]}" --format=jsonl batch
    assert_status 0
    assert_equal "$(wc -l <"$IO/out")" 1
    grep -q '^{"corrupted":"开展","original":"发展","confidence":0\.[5-9]' "$IO/out" ||
        fail "no confident 开展 -> 发展 line: $(cat "$IO/out")"
    grep -q '"documents":4,' "$IO/out" || fail "documents: $(cat "$IO/out")"
    grep -q '"marked_documents":4,' "$IO/out" || fail "marked documents: $(cat "$IO/out")"
    assert_stderr $'errata: learn: 6 documents, 1 pair in '"$(sed -n 's/.* in \(.*\) s$/\1/p' "$IO/err") s"$'\n'
}

test_learnt_dictionary_loads_passes_selftest_and_repairs() {
    make_batch
    run "$ERRATA" learn "${LEARN_ENGINE[@]}" -q -o learnt.dict batch
    assert_status 0
    assert_no_stdout
    assert_no_stderr
    assert_equal "$(head -1 learnt.dict)" "errata-dict 1"
    assert_equal "$(grep -c $'^开展\t发展\tswap\tC' learnt.dict)" 1
    grep -q '^# 开展 -> 发展  confidence 0\.' learnt.dict || fail "no evidence comment"
    run "$ERRATA" selftest "${LEARN_ENGINE[@]}" --dict learnt.dict
    assert_status 0
    run "$ERRATA" fix "${LEARN_ENGINE[@]}" --dict learnt.dict batch/a.txt
    assert_status 0
    grep -q '深入贯彻新发展理念' "$IO/out" || fail "not repaired: $(cat "$IO/out")"
}

test_learn_on_a_clean_batch_proposes_nothing() {
    run "$ERRATA" learn "${LEARN_ENGINE[@]}" "$DATA/learn"
    assert_status 0
    assert_stdout <<'OUT'
errata-dict 1
# Swap pairs learnt by errata learn from 6 documents, best first.
# Each is a proposal: keep the entries that are right, delete the
# others, then use the file with errata fix --dict.
OUT
    assert_stderr "errata: learn: 6 documents, 0 pairs at confidence 0.60 or more (--min-confidence 0 \
lists the weaker candidates, to be read before keeping any) in \
$(sed -n 's/.* in \(.*\) s$/\1/p' "$IO/err") s"$'\n'
}

test_learn_thresholds_leave_pairs_out() {
    make_batch
    run "$ERRATA" learn "${LEARN_ENGINE[@]}" --format=jsonl --min-docs=5 batch
    assert_status 0
    assert_no_stdout
    run "$ERRATA" learn "${LEARN_ENGINE[@]}" --format=jsonl --min-count=1000 batch
    assert_status 0
    assert_no_stdout
    run "$ERRATA" learn "${LEARN_ENGINE[@]}" --format=jsonl --min-confidence=1 batch
    assert_status 0
    assert_no_stdout
}

test_learn_usage_errors() {
    run "$ERRATA" learn
    assert_status 2
    assert_stderr <<'ERR'
errata: learn: needs FILE or DIR operands
Try 'errata learn --help'.
ERR
    run "$ERRATA" learn --min-count=0 x
    assert_status 2
    assert_stderr <<'ERR'
errata: learn: --min-count needs a number from 1 to 1000000, not '0'
Try 'errata learn --help'.
ERR
    run "$ERRATA" learn --min-confidence=2 x
    assert_status 2
    assert_stderr <<'ERR'
errata: learn: --min-confidence needs a number from 0 to 1, not '2'
Try 'errata learn --help'.
ERR
    run "$ERRATA" learn --format=xml x
    assert_status 2
    assert_stderr <<'ERR'
errata: learn: --format is dict or jsonl, not 'xml'
Try 'errata learn --help'.
ERR
    # after an operand and a dictionary, which are freed (make sanitize-tests
    # finds the leak otherwise)
    run "$ERRATA" learn x --dict y --min-docs=0
    assert_status 2
    assert_stderr <<'ERR'
errata: learn: --min-docs needs a number from 1 to 1000000, not '0'
Try 'errata learn --help'.
ERR
}

test_learn_reports_unreadable_files_and_exits_2() {
    make_batch
    run "$ERRATA" learn "${LEARN_ENGINE[@]}" -q batch missing.txt
    assert_status 2
    assert_stderr $'errata: missing.txt: No such file or directory\n'
}

LEARNT='errata-dict 1
# Swap pairs learnt by errata learn from 6 documents, best first.

# 开展 -> 发展  confidence 0.77
#   开展 stands 6 times (of 17) where clean text puts 发展.
开展	发展	swap	C	fix-prev=经济	fix=经济社会开展取得明显成效>经济社会发展取得明显成效

# 课堂 -> 教育  confidence 0.60
#   课堂 stands 4 times (of 40) where clean text puts 教育.
课堂	教育	swap	C	fix=深化课堂教学改革>深化教育教学改革
'

pairs_on_pty() {
    status=0
    python3 "$PAIRS_DRIVER" --transcript "$IO/screen" -- "$ERRATA" review --pairs learnt.dict ||
        status=$?
    [[ $status -eq 0 ]] || fail "the terminal session did not go as the script says"
}

test_review_pairs_adds_the_accepted_ones_to_the_user_dictionary() {
    export ERRATA_USER_DICT=$IO/user.dict
    printf '%s' "$LEARNT" >learnt.dict
    pairs_on_pty <<'SCRIPT'
expect [1/2] 开展 -> 发展
expect 开展 stands 6 times (of 17) where clean text puts 发展.
expect 经济社会开展取得明显成效  ->  经济社会发展取得明显成效
expect [y]es [n]o [q]uit
send y
expect [2/2] 课堂 -> 教育
send n
expect 2 of 2 pairs answered, 1 added to
exit 0
SCRIPT
    assert_file_is "$ERRATA_USER_DICT" <<'DICT'
errata-dict 1
开展	发展	swap	C	fix-prev=经济	fix=经济社会开展取得明显成效>经济社会发展取得明显成效
DICT
}

test_review_pairs_quit_keeps_what_was_answered() {
    export ERRATA_USER_DICT=$IO/user.dict
    printf '%s' "$LEARNT" >learnt.dict
    pairs_on_pty <<'SCRIPT'
expect [1/2]
send n
expect [2/2]
send q
expect 1 of 2 pairs answered, 0 added to
exit 0
SCRIPT
    [[ ! -e $ERRATA_USER_DICT ]] || fail "the user dictionary was written"
}

test_review_pairs_needs_a_readable_file_and_no_operands() {
    run "$ERRATA" review --pairs missing.dict
    assert_status 2
    assert_stderr $'errata: missing.dict: cannot read: No such file or directory\n'
    printf '%s' "$LEARNT" >learnt.dict
    run "$ERRATA" review --pairs learnt.dict a.txt
    assert_status 2
    assert_stderr <<'ERR'
errata: review: --pairs takes no FILE operands
Try 'errata review --help'.
ERR
}

test_learn_needs_the_character_model() {
    make_batch
    run "$ERRATA" learn "${LEARN_ENGINE[@]}" --no-char-model batch
    assert_status 2
    assert_no_stdout
    assert_stderr $'errata: learn: learning pairs needs the character model\n'
}

# A character model built from a text holding a Han character beyond the BMP
# (𠮷, four bytes in UTF-8): 发展 after 𠮷𠮷, 经济 and 持新.  The batch
# has 发崭 in those places, and 发𠮷, which clean text never holds either.
test_learn_with_four_byte_characters_in_the_character_model() {
    mkdir eval batch
    local i
    for i in $(seq 20); do
        printf '%s\n' "𠮷𠮷发展很快。" "推动经济发展。" "坚持新发展理念。" "崭新的面貌。"
    done >train.txt
    run python3 "$DATA/../../../scripts/build-charmodel.py" --eval-dir eval --output cm.bin \
        train.txt
    assert_status 0
    for i in 1 2 3 4; do
        echo "今年𠮷𠮷发崭很快，推动经济发崭，坚持新发崭理念。明年推动经济发𠮷，坚持新发𠮷理念。" \
            >"batch/$i.txt"
    done
    printf 'errata-dict 1\n' >empty.dict
    local engine=(--char-model cm.bin --no-model --no-default-dict --dict empty.dict)
    run "$ERRATA" learn "${engine[@]}" --min-count 1 --min-docs 1 --min-confidence 0 -q batch
    # 发𠮷 is no word learnt (its examples were written cut in the middle of
    # 𠮷, and the dictionary could not be checked: exit 2); a rule of the
    # four-byte side 𠮷𠮷 is written whole (its buffer was a byte short:
    # under make sanitize-tests, UBSan stops the run)
    assert_status 0
    assert_no_stderr
    assert_equal "$(grep -v '^#' "$IO/out" | grep .)" "errata-dict 1
发崭	发展	swap	C	fix-prev=𠮷𠮷,经济,持新	fix-next=很快,理念	fix=𠮷𠮷发崭很快>𠮷𠮷发展很快	fix=推动经济发崭>推动经济发展	fix=坚持新发崭理念>坚持新发展理念"
}
