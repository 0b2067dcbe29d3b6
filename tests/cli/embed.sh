#!/usr/bin/env bash
# make embed-test: install into a scratch root (DESTDIR), check what was
# installed, build examples/embed.c against the installed library through
# pkg-config (shared and static), and run it.
#   bash tests/cli/embed.sh MAKE BUILD
set -euo pipefail

make_cmd=$1
build=$2
root=$(mktemp -d "${TMPDIR:-/tmp}/errata-embed.XXXXXX")
trap 'rm -rf "$root"' EXIT
# No user dictionary may change what errata prints.
unset ERRATA_USER_DICT XDG_CONFIG_HOME
export HOME=$root/home
passed=0
failed=0

check() {
    local name=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL embed: $name"
    fi
}

$make_cmd -s install DESTDIR="$root/stage" PREFIX=/opt/errata BUILD="$build" >/dev/null
prefix=$root/stage/opt/errata

installed_files() {
    local expected actual
    expected=$(printf '%s\n' bin/errata include/errata.h lib/liberrata.a lib/liberrata.so \
        lib/liberrata.so.0 lib/pkgconfig/errata.pc share/errata/FORMAT.md \
        share/errata/swaps.dict share/errata/zh-lm.bin share/man/man1/errata.1)
    actual=$(cd "$prefix" && for f in $expected; do [[ -e $f ]] && echo "$f"; done)
    [[ $actual == "$expected" ]] || { echo "missing: $(comm -23 <(echo "$expected") <(echo "$actual"))"; return 1; }
    [[ -L $prefix/lib/liberrata.so && -L $prefix/lib/liberrata.so.0 ]] || { echo "no soname links"; return 1; }
    [[ $(readlink "$prefix/lib/liberrata.so") == liberrata.so.0 ]]
}

soname_is_recorded() {
    # Whole outputs in variables: with pipefail, grep -q quitting early
    # could fail the pipeline by SIGPIPE.
    local headers
    headers=$(objdump -p "$prefix/lib/liberrata.so.0")
    grep -q 'SONAME *liberrata.so.0' <<<"$headers"
}

only_errata_symbols_exported() {
    local bad
    bad=$(nm -D --defined-only "$prefix/lib/liberrata.so.0" | awk '$2 ~ /^[TDBR]$/ { print $3 }' |
        grep -v '^errata_' || true)
    [[ -z $bad ]] || { echo "exported without the errata_ prefix: $bad"; return 1; }
}

pc_file_points_into_prefix() {
    grep -qx 'prefix=/opt/errata' "$prefix/lib/pkgconfig/errata.pc" &&
        grep -qx 'libdir=/opt/errata/lib' "$prefix/lib/pkgconfig/errata.pc" &&
        grep -q "^Version: $("$prefix/bin/errata" --version | cut -d' ' -f2)\$" \
            "$prefix/lib/pkgconfig/errata.pc"
}

# pkg-config, told to look in the staged tree and to prefix its paths with it.
staged_pkg_config() {
    PKG_CONFIG_PATH=$prefix/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$root/stage pkg-config "$@"
}

texts() {
    printf '%s\n' '我们坚持原那么，为人民效劳。' '今天天气很好。'
}

# Run a command with the texts on standard input: it must exit 0 and print
# $1 exactly.
prints_for_texts() {
    local expected=$1 output status=0
    shift
    output=$(texts | "$@") || status=$?
    [[ $status -eq 0 ]] || { echo "exit status $status: $*"; return 1; }
    diff -u <(printf '%s\n' "$expected") <(printf '%s\n' "$output")
}

expected_output() {
    cat <<'OUT'
我们坚持原则，为人民服务。
  column 5: 原那么 -> 原则  (swap/原那么>原则, apply)
  column 12: 效劳 -> 服务  (swap/效劳>服务, apply)
今天天气很好。
OUT
}

shared_example_runs() {
    # shellcheck disable=SC2046
    cc -std=c11 -Wall -Wextra -Werror examples/embed.c $(staged_pkg_config --cflags --libs errata) \
        -o "$root/embed"
    local libraries
    libraries=$(LD_LIBRARY_PATH=$prefix/lib ldd "$root/embed")
    grep -q "liberrata.so.0 => $prefix/lib/" <<<"$libraries" ||
        { echo "not linked against the staged liberrata.so.0"; return 1; }
    prints_for_texts "$(expected_output)" env LD_LIBRARY_PATH="$prefix/lib" "$root/embed"
}

static_example_runs() {
    local libs
    libs=$(staged_pkg_config --static --libs errata)
    # shellcheck disable=SC2086
    cc -std=c11 -Wall -Wextra -Werror examples/embed.c $(staged_pkg_config --cflags errata) \
        ${libs/-lerrata/-Wl,-Bstatic -lerrata -Wl,-Bdynamic} -o "$root/embed-static"
    local libraries
    libraries=$(ldd "$root/embed-static")
    ! grep -q liberrata <<<"$libraries" || { echo "liberrata linked dynamically"; return 1; }
    prints_for_texts "$(expected_output)" "$root/embed-static"
}

# The installed dictionary and model repair the texts as the embedded ones do.
installed_data_is_usable() {
    local share=$prefix/share/errata fixed
    fixed=$(printf '%s\n' '我们坚持原则，为人民服务。' '今天天气很好。')
    prints_for_texts "$fixed" "$prefix/bin/errata" fix &&
        prints_for_texts "$fixed" "$prefix/bin/errata" fix --no-default-dict \
            --dict "$share/swaps.dict" --model "$share/zh-lm.bin"
}

check installed_files installed_files
check soname_is_recorded soname_is_recorded
check only_errata_symbols_exported only_errata_symbols_exported
check pc_file_points_into_prefix pc_file_points_into_prefix
check shared_example_runs shared_example_runs
check static_example_runs static_example_runs
check installed_data_is_usable installed_data_is_usable
echo "embed: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
