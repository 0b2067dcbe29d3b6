# Assertions for the CLI tests, sourced by run.sh before each test file.
#
# A test file defines functions named test_*; run.sh runs each in its own
# subshell, inside a fresh empty directory (also $T), with:
#   $ERRATA   the errata binary (absolute path)
#   $DATA     tests/cli/data (absolute path)
#   $IO       a directory outside $T for the captured outputs
#   $HOME     an empty directory of its own ($IO/home); no ERRATA_USER_DICT,
#             XDG_CONFIG_HOME or NO_COLOR in the environment
#   $SCRATCH  the directory holding every test's directories
# A test passes when its function returns 0; the first failed assertion
# prints what went wrong and ends the test.

# The flags that make outputs independent of the built-in dictionaries and
# model: only the test dictionary, no language model.
TEST_ENGINE=(--no-default-dict --no-model --dict "$DATA/test.dict")

fail() {
    printf '    %s\n' "$@" >&2
    exit 1
}

# Run a command, keeping its standard output in $IO/out, its standard error
# in $IO/err and its exit status in $status.  Standard input is the
# caller's (redirect the call: run "$ERRATA" fix < file).
run() {
    status=0
    "$@" >"$IO/out" 2>"$IO/err" || status=$?
}

# Run errata with the test engine flags after the command name.
run_test_engine() {
    local command=$1
    shift
    run "$ERRATA" "$command" "${TEST_ENGINE[@]}" "$@"
}

stdout_text() { cat "$IO/out"; }
stderr_text() { cat "$IO/err"; }

show_outputs() {
    printf '    --- stdout:\n' >&2
    sed 's/^/    | /' "$IO/out" >&2
    printf '    --- stderr:\n' >&2
    sed 's/^/    | /' "$IO/err" >&2
}

assert_status() {
    if [[ $status -ne $1 ]]; then
        printf '    exit status %s, expected %s\n' "$status" "$1" >&2
        show_outputs
        exit 1
    fi
}

# Compare a file with the expected bytes: the argument, or (without one)
# standard input, such as a here-document.
assert_file_is() {
    local file=$1 expected_file="$IO/expected"
    if [[ $# -ge 2 ]]; then printf '%s' "$2" >"$expected_file"; else cat >"$expected_file"; fi
    if ! cmp -s "$file" "$expected_file"; then
        printf '    %s differs from what was expected (- expected, + got):\n' "$file" >&2
        diff -u "$expected_file" "$file" | tail -n +3 | sed 's/^/    /' >&2
        exit 1
    fi
}

assert_stdout() { assert_file_is "$IO/out" "$@"; }
assert_stderr() { assert_file_is "$IO/err" "$@"; }
assert_no_stdout() { assert_file_is "$IO/out" ''; }
assert_no_stderr() { assert_file_is "$IO/err" ''; }

assert_files_equal() {
    if ! cmp -s "$1" "$2"; then
        printf '    %s and %s differ:\n' "$1" "$2" >&2
        diff -u "$1" "$2" | head -40 | sed 's/^/    /' >&2
        exit 1
    fi
}

assert_contains() {
    local file=$1 needle=$2
    if ! grep -qF -- "$needle" "$file"; then
        printf '    %s does not contain: %s\n' "$file" "$needle" >&2
        sed 's/^/    | /' "$file" | head -20 >&2
        exit 1
    fi
}

assert_not_contains() {
    local file=$1 needle=$2
    if grep -qF -- "$needle" "$file"; then
        printf '    %s contains: %s\n' "$file" "$needle" >&2
        exit 1
    fi
}

assert_equal() {
    if [[ $1 != "$2" ]]; then
        printf '    got:      %s\n    expected: %s\n' "${1//$'\n'/\\n}" "${2//$'\n'/\\n}" >&2
        exit 1
    fi
}

# Standard input (UTF-8) to standard output in Python codec $1 ("gbk",
# "utf-16"...), independent of errata's own converter.
encode_as() {
    python3 -c 'import sys; sys.stdout.buffer.write(sys.stdin.buffer.read().decode("utf-8").encode(sys.argv[1]))' "$1"
}

# File $1 must hold text $3 in codec $2, byte for byte.
assert_holds() {
    printf '%s' "$3" | encode_as "$2" >"$IO/expected.bin"
    assert_files_equal "$1" "$IO/expected.bin"
}

assert_exists() { [[ -e $1 ]] || fail "$1 does not exist"; }
assert_not_exists() { [[ ! -e $1 ]] || fail "$1 exists"; }

# The files of directory $1 (names, one a line, hidden ones too).
list_dir() { (cd "$1" && LC_ALL=C ls -A); }

# Run errata with the test engine flags as user nobody when we are root (so
# that file permissions count), else as ourselves.  The binary and the test
# dictionary are copied into $IO, and the directories from the scratch root
# down to $T and $IO opened for traversal, so that nobody can reach them
# wherever the repository lies.
run_as_nobody() {
    local command=$1
    shift
    if [[ $(id -u) -ne 0 ]]; then
        run_test_engine "$command" "$@"
        return
    fi
    command -v setpriv >/dev/null || fail "setpriv is needed to test permissions as root"
    cp "$ERRATA" "$IO/errata"
    cp "$DATA/test.dict" "$IO/test.dict"
    chmod o+rx "$IO/errata" "$IO/test.dict"
    local dir
    for dir in "$T" "$IO"; do
        while [[ $dir == "$SCRATCH"* ]]; do
            chmod o+x "$dir"
            dir=$(dirname "$dir")
        done
    done
    run setpriv --reuid=nobody --regid=nogroup --clear-groups "$IO/errata" "$command" \
        --no-default-dict --no-model --dict "$IO/test.dict" "$@"
}
