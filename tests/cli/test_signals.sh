# SIGINT, SIGTERM and SIGHUP while errata writes a file: its temporary file
# is removed, the file being written is left as it was, and errata exits
# with 128 + the signal's number.  A shim (stall_temporary_write.c) stops the
# write half-way, so the signal always comes while the file is being written.
# The shim is preloaded, so these tests run $ERRATA_DYNAMIC, the program
# linked dynamically.

stall_shim() {
    if [[ ! -e $IO/stall.so ]]; then
        cc -shared -fPIC -o "$IO/stall.so" "$DATA/../stall_temporary_write.c" -ldl ||
            fail "cannot build the shim"
    fi
    echo "$IO/stall.so"
}

# A damaged document of about 400 KB: more than the shim lets through.
make_large_document() {
    for i in $(seq 1 1000); do cat "$DATA/two.txt"; done >"$1"
    for i in 1 2 3 4 5; do cat "$1" "$1" >"$1.tmp" && mv "$1.tmp" "$1"; done
}

# The temporary files (.NAME.errata-PID-N) under directory $1.
temporaries() { find "$1" -name '.*.errata-*'; }

# How errata's signals are set when it starts: env's options.  A command
# started with & ignores SIGINT, and one started under nohup SIGHUP: env
# gives them back their default, as on a terminal, so that the tests do not
# depend on how they were started.
SIGNALS_AT_START=(--default-signal=INT,TERM,HUP)

# Start errata (arguments after the test engine flags) with the shim, wait
# until a temporary file under $1 holds bytes, send signal $2, and keep the
# exit status in $status.
interrupt_the_write() {
    local dir=$1 sig=$2 command=$3
    shift 3
    LD_PRELOAD=$(stall_shim) ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
        env "${SIGNALS_AT_START[@]}" "$ERRATA_DYNAMIC" "$command" "${TEST_ENGINE[@]}" "$@" \
        >"$IO/out" 2>"$IO/err" &
    # The waits below give up after five minutes (6,000 x 50 ms): a sanitized
    # build on a loaded machine can take more than a minute to reach the write.
    local pid=$! tries=0 tmp=
    until tmp=$(temporaries "$dir") && [[ -n $tmp && -s $tmp ]]; do
        tries=$((tries + 1))
        [[ $tries -lt 6000 ]] || { kill -KILL $pid; fail "no temporary file appeared"; }
        kill -0 $pid 2>/dev/null || { show_outputs; fail "errata ended before writing"; }
        sleep 0.05
    done
    local s
    for s in $sig; do kill -s "$s" $pid; done
    tries=0
    while kill -0 $pid 2>/dev/null && [[ $(ps -o stat= $pid) != Z* ]]; do
        tries=$((tries + 1))
        [[ $tries -lt 6000 ]] || { kill -KILL $pid; fail "the signal did not end errata"; }
        sleep 0.05
    done
    status=0
    wait $pid || status=$?
}

signal_number() { kill -l "$1"; }

# interrupt_the_write with two signals, one after the other.
interrupt_the_write_twice() {
    local dir=$1 first=$2 second=$3
    shift 3
    interrupt_the_write "$dir" "$first $second" "$@"
}

test_signals_during_fix_in_place_remove_the_temporary_file() {
    mkdir d
    make_large_document d/doc.txt
    cp d/doc.txt original.txt
    local sig
    for sig in INT TERM HUP; do
        interrupt_the_write d $sig fix --in-place d/doc.txt
        assert_status $((128 + $(signal_number $sig)))
        assert_no_stderr
        assert_equal "$(list_dir d)" doc.txt
        assert_files_equal d/doc.txt original.txt
    done
}

test_signals_during_fix_output_remove_the_temporary_file() {
    mkdir d
    make_large_document doc.txt
    cp doc.txt original.txt
    printf 'old output\n' >d/out.txt
    local sig
    for sig in INT TERM HUP; do
        interrupt_the_write d $sig fix -o d/out.txt doc.txt
        assert_status $((128 + $(signal_number $sig)))
        assert_no_stdout
        assert_equal "$(list_dir d)" out.txt
        assert_file_is d/out.txt $'old output\n'
        assert_files_equal doc.txt original.txt
    done
}

test_signals_during_recursive_fix_in_place_remove_the_temporary_file() {
    mkdir -p tree/sub
    make_large_document tree/sub/doc.txt
    cp tree/sub/doc.txt original.txt
    cp "$DATA/clean.txt" tree/clean.txt
    local sig
    for sig in INT TERM HUP; do
        interrupt_the_write tree $sig fix -r -j 2 --in-place -q tree
        assert_status $((128 + $(signal_number $sig)))
        assert_no_stderr
        assert_equal "$(cd tree && find . | LC_ALL=C sort)" $'.\n./clean.txt\n./sub\n./sub/doc.txt'
        assert_files_equal tree/sub/doc.txt original.txt
    done
}

test_hangup_ignored_from_the_start_stays_ignored() {
    # Under nohup a hang-up does not end the run; the TERM sent after it
    # does.  (Were SIGHUP caught, the lower-numbered signal would be handled
    # first and the status be 129.)
    mkdir d
    make_large_document d/doc.txt
    cp d/doc.txt original.txt
    SIGNALS_AT_START=(--default-signal=INT,TERM --ignore-signal=HUP)
    interrupt_the_write_twice d HUP TERM fix --in-place d/doc.txt
    assert_status 143
    assert_equal "$(list_dir d)" doc.txt
    assert_files_equal d/doc.txt original.txt
}
