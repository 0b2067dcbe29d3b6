#!/usr/bin/env bash
# The CLI tests: bash tests/cli/run.sh path/to/errata [NAME-PATTERN]
# (with ERRATA_DYNAMIC=path naming the same program linked dynamically, for
# the tests that preload a shim into it; make cli-tests passes
# build/errata-dynamic, as build/errata is linked statically)
#
# Runs every test_* function of every tests/cli/test_*.sh (see lib.sh), each
# in a subshell of its own, in a fresh directory.  An optional pattern (a
# bash glob) keeps only the tests whose names match it.  Ends with
# "N passed, N failed" and exits non-zero when a test failed.
set -u

if [[ $# -lt 1 || ! -x $1 ]]; then
    echo "usage: bash tests/cli/run.sh path/to/errata [NAME-PATTERN]" >&2
    exit 2
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ERRATA=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ERRATA_DYNAMIC=$(cd "$(dirname "${ERRATA_DYNAMIC:-$1}")" && pwd)/$(basename "${ERRATA_DYNAMIC:-$1}")
DATA=$here/data
pattern=${2:-*}
export ERRATA ERRATA_DYNAMIC DATA
export LC_ALL=C.UTF-8
unset ERRATA_USER_DICT XDG_CONFIG_HOME NO_COLOR
export TERM=dumb

scratch=$(mktemp -d "${TMPDIR:-/tmp}/errata-cli-tests.XXXXXX")
export SCRATCH=$scratch
# The tests make read-only directories: give the owner back the right to
# delete them before removing the whole tree.
trap 'chmod -R u+rwX "$scratch" 2>/dev/null; rm -rf "$scratch"' EXIT

passed=0
failed=0
failed_names=()

run_one() {
    local file=$1 name=$2
    local dir="$scratch/$(basename "$file" .sh)/$name"
    mkdir -p "$dir/work" "$dir/io/home"
    (
        cd "$dir/work" || exit 1
        export T=$dir/work IO=$dir/io HOME=$dir/io/home
        # shellcheck source=lib.sh
        source "$here/lib.sh"
        # shellcheck disable=SC1090
        source "$file"
        "$name"
    ) </dev/null 2>&1
}

for file in "$here"/test_*.sh; do
    [[ -e $file ]] || continue
    names=$(bash -c 'source "$1" >/dev/null 2>&1; declare -F' _ "$file" |
        awk '$3 ~ /^test_/ { print $3 }')
    for name in $names; do
        # shellcheck disable=SC2053
        [[ $name == $pattern ]] || continue
        if run_one "$file" "$name"; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
            failed_names+=("$(basename "$file"): $name")
            echo "FAIL $(basename "$file"): $name"
        fi
    done
done

if [[ $failed -gt 0 ]]; then
    echo "Failed:"
    printf '  %s\n' "${failed_names[@]}"
fi
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
