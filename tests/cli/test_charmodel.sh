# The character model: its builder is deterministic, and errata reads what it
# writes (--char-model), refuses a damaged file, and can do without it.

repo=$(cd "$DATA/../../.." && pwd)

# A small training text and an empty evaluation folder: every build sees
# the same input.
write_training_text() {
    mkdir -p eval
    printf '%s\n' "按照规定办理投资项目。" "按照规定开展投资项目审批，项目质量合格。" \
        "依照本法规定投资项目按照规定备案。" "投资项目，投资项目。" >train.txt
}

build() {
    run python3 "$repo/scripts/build-charmodel.py" --eval-dir eval --output "$1" train.txt
}

test_the_builder_gives_the_same_bytes_for_the_same_input() {
    write_training_text
    build one.bin
    assert_status 0
    assert_contains "$IO/err" "one.bin: 10 symbols, n-grams of order 2..4: 9 7 5, 584 bytes"
    build two.bin
    assert_status 0
    cmp one.bin two.bin || fail "two builds of the same input differ"
}

test_the_builder_drops_lines_an_evaluation_text_quotes() {
    write_training_text
    printf '%s\n' "文件写道：依照本法规定投资项目按照规定。" >eval/quoting.txt
    build model.bin
    assert_status 0
    assert_contains "$IO/err" "train.txt: 62 characters, 17 in 1 lines dropped as quoted by an evaluation text"
    assert_contains "$IO/err" "evaluation texts sharing a 12-character passage with the sources: 1 of 1"
}

test_a_weighted_source_counts_as_if_its_text_were_repeated() {
    write_training_text
    cat train.txt train.txt train.txt >thrice.txt
    run python3 "$repo/scripts/build-charmodel.py" --eval-dir eval --output weighted.bin train.txt:3
    assert_status 0
    assert_contains "$IO/err" "train.txt: 62 characters, 0 in 0 lines dropped"
    build once.bin
    run python3 "$repo/scripts/build-charmodel.py" --eval-dir eval --output repeated.bin thrice.txt
    assert_status 0
    cmp weighted.bin repeated.bin || fail "train.txt:3 and the text three times over differ"
    cmp -s weighted.bin once.bin && fail "the weight changed nothing"
    return 0
}

test_the_check_mode_names_the_quoting_text_and_writes_no_model() {
    write_training_text
    printf '%s\n' "文件写道：依照本法规定投资项目按照规定。" >eval/quoting.txt
    printf '%s\n' "平安消费，投资工程。" >eval/new.txt
    run python3 "$repo/scripts/build-charmodel.py" --check --eval-dir eval --output model.bin train.txt
    assert_status 0
    assert_contains "$IO/err" "evaluation texts sharing a 12-character passage with the sources: 1 of 2"
    assert_contains "$IO/err" "eval/quoting.txt"
    assert_not_contains "$IO/err" "eval/new.txt"
    assert_not_exists model.bin
}

test_errata_reads_a_built_model_and_refuses_a_truncated_one() {
    write_training_text
    build model.bin
    printf '推进平安消费，加快投资工程建设。\n' >doc.txt
    run "$ERRATA" fix --char-model model.bin doc.txt
    assert_status 0
    head -c 300 model.bin >short.bin
    run "$ERRATA" fix --char-model short.bin doc.txt
    assert_status 2
    assert_stderr "errata: short.bin: truncated: 300 bytes, the header says $(stat -c %s model.bin)"$'\n'
    run "$ERRATA" fix --char-model missing.bin doc.txt
    assert_status 2
    assert_stderr $'errata: missing.bin: cannot open: No such file or directory\n'
}

test_without_the_character_model_the_language_model_decides_alone() {
    printf '加强根底设施建设，夯实根底。把开展作为要务。\n' >doc.txt
    run "$ERRATA" fix doc.txt
    assert_status 0
    assert_stdout $'加强基础设施建设，夯实基础。把发展作为要务。\n'
    run "$ERRATA" fix --no-char-model doc.txt
    assert_status 0
    assert_stdout $'加强基础设施建设，夯实基础。把开展作为要务。\n'
}
