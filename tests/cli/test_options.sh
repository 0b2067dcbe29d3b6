# Help, version, usage errors, thresholds, rules, colour, the user dictionary.

test_version() {
    run "$ERRATA" --version
    assert_status 0
    assert_stdout $'errata 0.1.0\n'
}

test_help() {
    run "$ERRATA" --help
    assert_status 0
    assert_no_stderr
    assert_equal "$(head -1 "$IO/out")" 'Usage: errata COMMAND [OPTION...] [FILE...]'
    local command
    for command in fix check diff review apply selftest; do
        grep -q "^  $command " "$IO/out" || fail "--help does not list $command"
    done
    run "$ERRATA" -h
    assert_status 0
    run "$ERRATA" help
    assert_status 0
}

test_no_command_is_a_usage_error() {
    run "$ERRATA"
    assert_status 2
    assert_no_stdout
    assert_equal "$(head -1 "$IO/err")" 'Usage: errata COMMAND [OPTION...] [FILE...]'
}

test_unknown_command() {
    run "$ERRATA" repair x.txt
    assert_status 2
    assert_no_stdout
    assert_stderr $'errata: unknown command \'repair\'\nTry \'errata --help\'.\n'
}

test_command_help() {
    local command
    for command in fix check diff selftest; do
        run "$ERRATA" "$command" --help
        assert_status 0
        assert_no_stderr
        assert_equal "$(head -1 "$IO/out")" "Usage: errata $command [OPTION...]$([[ $command != selftest ]] && echo ' [FILE...]')"
        cp "$IO/out" "help-$command"
        run "$ERRATA" help "$command"
        assert_status 0
        assert_files_equal "$IO/out" "help-$command"
        run "$ERRATA" "$command" -h
        assert_status 0
        assert_files_equal "$IO/out" "help-$command"
    done
}

test_fix_help_lists_every_flag() {
    run "$ERRATA" fix --help
    assert_status 0
    local flag
    for flag in -o --output -i --in-place --backup=SUFFIX --dict --no-default-dict --model \
        --no-model --threshold=X --conservative --aggressive --all --disable=RULE -q --quiet \
        --color=WHEN --help; do
        assert_contains "$IO/out" " $flag"
    done
    assert_contains "$IO/out" 'ERRATA_USER_DICT'
}

test_unknown_option() {
    run "$ERRATA" fix --frobnicate x.txt
    assert_status 2
    assert_no_stdout
    assert_stderr $'errata: fix: unknown option \'--frobnicate\'\nTry \'errata fix --help\'.\n'
    run "$ERRATA" check --all-the-things
    assert_status 2
    assert_stderr $'errata: check: unknown option \'--all-the-things\'\nTry \'errata check --help\'.\n'
}

test_option_missing_its_value() {
    run "$ERRATA" fix --dict
    assert_status 2
    assert_stderr $'errata: fix: option --dict needs a value\nTry \'errata fix --help\'.\n'
    run "$ERRATA" diff -q=1 x
    assert_status 2
    assert_stderr $'errata: diff: unknown option \'-q=1\'\nTry \'errata diff --help\'.\n'
    run "$ERRATA" check --all=yes x
    assert_status 2
    assert_stderr $'errata: check: option --all takes no value\nTry \'errata check --help\'.\n'
}

test_bad_threshold() {
    local bad
    for bad in 1.5 -0.1 abc 0.5x ''; do
        run "$ERRATA" fix "--threshold=$bad"
        assert_status 2
        assert_stderr "errata: fix: --threshold needs a number from 0 to 1, not '$bad'"$'\nTry \'errata fix --help\'.\n'
    done
}

test_bad_color() {
    run "$ERRATA" check --color=sometimes
    assert_status 2
    assert_stderr $'errata: check: --color must be auto, always or never, not \'sometimes\'\nTry \'errata check --help\'.\n'
}

test_selftest_takes_no_files() {
    run "$ERRATA" selftest x.dict
    assert_status 2
    assert_stderr $'errata: selftest: no FILE operands (load dictionaries with --dict)\nTry \'errata selftest --help\'.\n'
}

# ------------------------------------------------------------ thresholds

# The test dictionary's 根底 (class G) is judged 0.90, 原那么 and 效劳
# (class U) 0.95.
actions_of() {
    run_test_engine check --format=jsonl "$@" "$DATA/two.txt"
    python3 -c '
import json, sys
print(" ".join(json.loads(l)["old"] + ":" + json.loads(l)["action"] for l in open(sys.argv[1])))
' "$IO/out"
}

test_thresholds_move_apply_and_propose() {
    assert_equal "$(actions_of)" '原那么:apply 效劳:apply 根底:apply'
    assert_equal "$(actions_of --conservative)" '原那么:apply 效劳:apply 根底:propose'
    assert_equal "$(actions_of --threshold=0.96)" '原那么:propose 效劳:propose 根底:propose'
    assert_equal "$(actions_of --threshold=0.9)" '原那么:apply 效劳:apply 根底:apply'
    assert_equal "$(actions_of --aggressive)" '原那么:apply 效劳:apply 根底:apply'
    # The last of them wins.
    assert_equal "$(actions_of --conservative --aggressive)" '原那么:apply 效劳:apply 根底:apply'
    assert_equal "$(actions_of --aggressive --threshold=0.99)" \
        '原那么:propose 效劳:propose 根底:propose'
}

test_conservative_fix_leaves_proposals_and_says_so() {
    cp "$DATA/two.txt" two.txt
    run_test_engine fix --conservative two.txt
    assert_status 0
    assert_stdout <<'EOF'
我们坚持原则，为人民服务。
打好根底，站在大树根底下。
EOF
    assert_stderr $'errata: two.txt: 1 proposed edit not applied (see errata check)\n'
    run_test_engine fix --threshold=0.99 <two.txt
    assert_status 0
    assert_stdout "$(cat two.txt)"$'\n'
    assert_stderr $'errata: standard input: 3 proposed edits not applied (see errata check)\n'
    run_test_engine fix -q --threshold=0.99 <two.txt
    assert_status 0
    assert_stdout "$(cat two.txt)"$'\n'
    assert_no_stderr
}

test_all_applies_proposals() {
    run_test_engine fix --threshold=0.99 --all "$DATA/two.txt"
    assert_status 0
    assert_no_stderr
    assert_stdout <<'EOF'
我们坚持原则，为人民服务。
打好基础，站在大树根底下。
EOF
    cp "$DATA/two.txt" two.txt
    run_test_engine diff --conservative two.txt
    assert_status 1
    assert_stdout <<'EOF'
--- a/two.txt
+++ b/two.txt
@@ -1,2 +1,2 @@
-我们坚持原那么，为人民效劳。
+我们坚持原则，为人民服务。
 打好根底，站在大树根底下。
EOF
    run_test_engine diff --conservative --all two.txt
    assert_status 1
    assert_stdout <<'EOF'
--- a/two.txt
+++ b/two.txt
@@ -1,2 +1,2 @@
-我们坚持原那么，为人民效劳。
-打好根底，站在大树根底下。
+我们坚持原则，为人民服务。
+打好基础，站在大树根底下。
EOF
}

test_disable_rules() {
    run_test_engine fix '--disable=swap/效劳>服务' "$DATA/two.txt"
    assert_status 0
    assert_stdout <<'EOF'
我们坚持原则，为人民效劳。
打好基础，站在大树根底下。
EOF
    run_test_engine fix '--disable=swap/效劳>服务' --disable 'swap/根底>基础' "$DATA/two.txt"
    assert_status 0
    assert_stdout <<'EOF'
我们坚持原则，为人民效劳。
打好根底，站在大树根底下。
EOF
    run_test_engine check --disable=swap "$DATA/two.txt"
    assert_status 0
    assert_no_stdout
    run_test_engine check --disable=
    assert_status 2
    assert_stderr $'errata: check: --disable needs rule names\nTry \'errata check --help\'.\n'
}

# ------------------------------------------------------------ colour

# errata check on a file one.txt holding 为人民效劳, plain and coloured.
ONE_PLAIN='one.txt:1:4: 效劳 → 服务 (apply 0.95, swap, swap/效劳>服务)
    为人民[效劳→服务]
    "效劳" is almost never legitimate: a damaged "服务"
'
e=$'\e'
ONE_COLOURED="${e}[1mone.txt:1:4:${e}[0m ${e}[31m效劳${e}[0m → ${e}[32m服务${e}[0m (apply 0.95, swap, swap/效劳>服务)
    为人民[${e}[31m效劳${e}[0m→${e}[32m服务${e}[0m]
    ${e}[2m\"效劳\" is almost never legitimate: a damaged \"服务\"${e}[0m
"
unset e

# The check of one.txt must have found its edit and printed $1.
assert_one_checked_as() {
    assert_status 1
    assert_no_stderr
    assert_stdout "$1"
}

test_no_colour_when_not_a_terminal() {
    printf '为人民效劳\n' >one.txt
    run_test_engine check one.txt
    assert_one_checked_as "$ONE_PLAIN"
    run_test_engine check --color=auto one.txt
    assert_one_checked_as "$ONE_PLAIN"
}

test_colour_always_and_never() {
    printf '为人民效劳\n' >one.txt
    run_test_engine check --color=always one.txt
    assert_one_checked_as "$ONE_COLOURED"
    # --color=always wins over NO_COLOR
    NO_COLOR=1 run_test_engine check --color=always one.txt
    assert_one_checked_as "$ONE_COLOURED"
    run_test_engine check --color never one.txt
    assert_one_checked_as "$ONE_PLAIN"
    # never colour in JSON Lines
    run_test_engine check --color=always --format=jsonl one.txt
    assert_one_checked_as '{"file":"one.txt","line":1,"column":4,"byte_start":9,"byte_end":15,"cp_start":3,"cp_end":5,"old":"效劳","new":"服务","rule":"swap/效劳>服务","kind":"swap","action":"apply","confidence":0.95,"reason":"\"效劳\" is almost never legitimate: a damaged \"服务\""}
'
}

# On a terminal (through script(1)), colour unless NO_COLOR or TERM=dumb.
# The terminal's line ends (CR LF) are taken back to LF.
on_a_terminal() {
    status=0
    script -qec "$*" /dev/null </dev/null >"$IO/tty" 2>"$IO/err" || status=$?
    tr -d '\r' <"$IO/tty" >"$IO/out"
}

test_colour_on_a_terminal_and_no_color() {
    printf '为人民效劳\n' >one.txt
    local cmd="'$ERRATA' check --no-default-dict --no-model --dict '$DATA/test.dict' one.txt"
    TERM=xterm on_a_terminal "$cmd"
    assert_one_checked_as "$ONE_COLOURED"
    TERM=xterm NO_COLOR=1 on_a_terminal "$cmd"
    assert_one_checked_as "$ONE_PLAIN"
    TERM=dumb on_a_terminal "$cmd"
    assert_one_checked_as "$ONE_PLAIN"
    # an empty NO_COLOR does not count
    TERM=xterm NO_COLOR= on_a_terminal "$cmd"
    assert_one_checked_as "$ONE_COLOURED"
}

# ------------------------------------------------------------ user dictionary

test_user_dictionary_from_environment() {
    printf 'errata-dict 1\n大数具\t大数据\tuser\tU\n' >mine.dict
    printf '发展大数具产业\n' >in.txt
    run "$ERRATA" fix --no-default-dict --no-model in.txt
    assert_status 0
    assert_stdout $'发展大数具产业\n'
    ERRATA_USER_DICT=$T/mine.dict run "$ERRATA" fix --no-default-dict --no-model in.txt
    assert_status 0
    assert_stdout $'发展大数据产业\n'
}

test_user_dictionary_from_xdg_config_home() {
    mkdir -p config/errata
    printf 'errata-dict 1\n大数具\t大数据\tuser\tU\n' >config/errata/user.dict
    printf '发展大数具产业\n' >in.txt
    XDG_CONFIG_HOME=$T/config run "$ERRATA" fix --no-default-dict --no-model in.txt
    assert_status 0
    assert_stdout $'发展大数据产业\n'
    # $HOME/.config is not looked at when XDG_CONFIG_HOME is set.
    mkdir -p "$HOME/.config/errata"
    printf 'errata-dict 1\n产业\t行业\tuser\tU\n' >"$HOME/.config/errata/user.dict"
    XDG_CONFIG_HOME=$T/config run "$ERRATA" fix --no-default-dict --no-model in.txt
    assert_status 0
    assert_stdout $'发展大数据产业\n'
}

test_user_dictionary_from_home() {
    mkdir -p "$HOME/.config/errata"
    printf 'errata-dict 1\n大数具\t大数据\tuser\tU\n' >"$HOME/.config/errata/user.dict"
    printf '发展大数具产业\n' >in.txt
    run "$ERRATA" fix --no-default-dict --no-model in.txt
    assert_status 0
    assert_stdout $'发展大数据产业\n'
}

test_user_dictionary_missing_is_fine_and_bad_one_is_an_error() {
    printf '效劳\n' >in.txt
    ERRATA_USER_DICT=$T/none.dict run_test_engine fix in.txt
    assert_status 0
    assert_stdout $'服务\n'
    printf 'errata-dict 1\nonly-one-field\n' >bad.dict
    ERRATA_USER_DICT=$T/bad.dict run_test_engine fix in.txt
    assert_status 2
    assert_contains "$IO/err" "errata: $T/bad.dict:2: "
}

test_user_dictionary_keep_word_wins() {
    printf 'errata-dict 1\n!keep\t人民效劳\n' >keep.dict
    printf '为人民效劳\n' >in.txt
    ERRATA_USER_DICT=$T/keep.dict run_test_engine fix in.txt
    assert_status 0
    assert_stdout $'为人民效劳\n'
}
