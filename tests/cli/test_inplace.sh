# errata fix --in-place: rewriting through a temporary file and a rename.

fixed_two() {
    printf '我们坚持原则，为人民服务。\n打好基础，站在大树根底下。\n'
}

test_in_place_rewrites_each_file() {
    cp "$DATA/two.txt" a.txt
    cp "$DATA/two.txt" b.txt
    run_test_engine fix --in-place a.txt b.txt
    assert_status 0
    assert_no_stdout
    assert_no_stderr
    assert_file_is a.txt "$(fixed_two)"$'\n'
    assert_file_is b.txt "$(fixed_two)"$'\n'
    assert_equal "$(list_dir .)" $'a.txt\nb.txt'
}

test_in_place_short_flag() {
    cp "$DATA/two.txt" a.txt
    run_test_engine fix -i a.txt
    assert_status 0
    assert_file_is a.txt "$(fixed_two)"$'\n'
}

test_in_place_keeps_permissions() {
    cp "$DATA/two.txt" a.txt
    chmod 0640 a.txt
    cp "$DATA/two.txt" b.txt
    chmod 0755 b.txt
    run_test_engine fix --in-place a.txt b.txt
    assert_status 0
    assert_file_is a.txt "$(fixed_two)"$'\n'
    assert_equal "$(stat -c %a a.txt)" 640
    assert_equal "$(stat -c %a b.txt)" 755
}

test_in_place_read_only_file_stays_read_only() {
    cp "$DATA/two.txt" a.txt
    chmod 0444 a.txt
    run_test_engine fix --in-place a.txt
    assert_status 0
    assert_file_is a.txt "$(fixed_two)"$'\n'
    assert_equal "$(stat -c %a a.txt)" 444
}

test_in_place_replaces_the_file_not_its_contents() {
    cp "$DATA/two.txt" a.txt
    ln a.txt hardlink.txt
    run_test_engine fix --in-place a.txt
    assert_status 0
    # A new file was renamed over a.txt: the other link keeps the old text.
    assert_files_equal hardlink.txt "$DATA/two.txt"
    assert_file_is a.txt "$(fixed_two)"$'\n'
}

test_in_place_follows_symbolic_links() {
    mkdir real
    cp "$DATA/two.txt" real/doc.txt
    ln -s real/doc.txt link.txt
    run_test_engine fix --in-place link.txt
    assert_status 0
    [[ -L link.txt ]] || fail "link.txt is no longer a symbolic link"
    assert_file_is real/doc.txt "$(fixed_two)"$'\n'
    assert_equal "$(list_dir real)" doc.txt
}

test_in_place_unchanged_file_is_not_touched() {
    cp "$DATA/clean.txt" a.txt
    touch -d '2001-02-03 04:05:06' a.txt
    run_test_engine fix --in-place --backup=.orig a.txt
    assert_status 0
    assert_equal "$(stat -c %Y a.txt)" "$(date -d '2001-02-03 04:05:06' +%s)"
    assert_equal "$(list_dir .)" a.txt
}

test_in_place_backup() {
    cp "$DATA/two.txt" a.txt
    chmod 0600 a.txt
    run_test_engine fix --in-place --backup=.orig a.txt
    assert_status 0
    assert_files_equal a.txt.orig "$DATA/two.txt"
    assert_file_is a.txt "$(fixed_two)"$'\n'
    assert_equal "$(stat -c %a a.txt.orig)" 600
    assert_equal "$(list_dir .)" $'a.txt\na.txt.orig'
}

test_in_place_backup_replaces_an_old_backup() {
    cp "$DATA/two.txt" a.txt
    echo stale >a.txt~
    run_test_engine fix -i --backup '~' a.txt
    assert_status 0
    assert_files_equal 'a.txt~' "$DATA/two.txt"
}

test_in_place_usage_errors() {
    cp "$DATA/two.txt" a.txt
    run_test_engine fix --in-place
    assert_status 2
    assert_stderr $'errata: fix: --in-place needs FILE operands\nTry \'errata fix --help\'.\n'
    run_test_engine fix --in-place - <a.txt
    assert_status 2
    assert_stderr $'errata: fix: --in-place cannot rewrite standard input\nTry \'errata fix --help\'.\n'
    run_test_engine fix --in-place -o out.txt a.txt
    assert_status 2
    assert_stderr $'errata: fix: --in-place and --output cannot go together\nTry \'errata fix --help\'.\n'
    run_test_engine fix --backup=.bak a.txt
    assert_status 2
    assert_stderr $'errata: fix: --backup needs --in-place\nTry \'errata fix --help\'.\n'
    run_test_engine fix --in-place --backup= a.txt
    assert_status 2
    assert_stderr $'errata: fix: --backup needs a non-empty suffix\nTry \'errata fix --help\'.\n'
    run_test_engine fix --in-place=.bak a.txt
    assert_status 2
    assert_stderr $'errata: fix: option --in-place takes no value\nTry \'errata fix --help\'.\n'
    assert_files_equal a.txt "$DATA/two.txt"
    assert_equal "$(list_dir .)" a.txt
}

# Every failure leaves the input as it was, and no temporary file behind.
test_in_place_invalid_utf8_leaves_file_intact() {
    printf '为人民效劳\xff\n' >bad.txt
    cp bad.txt expected.txt
    run_test_engine fix --in-place --backup=.orig bad.txt
    assert_status 2
    assert_stderr $'errata: bad.txt: cannot decode: neither UTF-8 nor GB18030: invalid UTF-8 at byte offset 15, invalid GB18030 at byte offset 14\n'
    assert_files_equal bad.txt expected.txt
    assert_equal "$(list_dir .)" $'bad.txt\nexpected.txt'
}

test_in_place_goes_on_after_a_failed_file() {
    cp "$DATA/two.txt" a.txt
    printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR' >binary.bin # (x\0y would be truncated UTF-16)
    cp binary.bin binary.expected
    cp "$DATA/two.txt" c.txt
    run_test_engine fix --in-place a.txt missing.txt binary.bin c.txt
    assert_status 2
    assert_stderr <<'EOF'
errata: missing.txt: No such file or directory
errata: binary.bin: binary file (NUL byte at byte offset 8)
EOF
    assert_file_is a.txt "$(fixed_two)"$'\n'
    assert_file_is c.txt "$(fixed_two)"$'\n'
    assert_files_equal binary.bin binary.expected
}

test_in_place_read_only_directory_fails_cleanly() {
    mkdir ro
    cp "$DATA/two.txt" ro/doc.txt
    chmod 0666 ro/doc.txt
    chmod 0555 ro
    run_as_nobody fix --in-place --backup=.orig ro/doc.txt
    assert_status 2
    assert_stderr $'errata: ro/doc.txt.orig: cannot create a temporary file beside it: Permission denied\n'
    assert_files_equal ro/doc.txt "$DATA/two.txt"
    assert_equal "$(list_dir ro)" doc.txt
    run_as_nobody fix --in-place ro/doc.txt
    assert_status 2
    assert_stderr $'errata: ro/doc.txt: cannot create a temporary file beside it: Permission denied\n'
    assert_files_equal ro/doc.txt "$DATA/two.txt"
    assert_equal "$(list_dir ro)" doc.txt
}

test_in_place_full_disk_leaves_file_intact() {
    # A tiny file system of its own needs privileges: only where allowed.
    mkdir small
    if ! mount -t tmpfs -o size=16k tmpfs small 2>/dev/null; then
        echo "    (skipped: cannot mount a small tmpfs here)"
        return 0
    fi
    for i in $(seq 1 300); do printf '为人民效劳。' >>small/doc.txt; done
    cp small/doc.txt expected.txt
    head -c 8000 /dev/zero >small/filler 2>/dev/null
    run_test_engine fix --in-place small/doc.txt
    local rc=$status
    umount_small() { umount small; }
    if [[ $rc -ne 2 ]]; then
        umount_small
        fail "fix --in-place on a full file system exited $rc, expected 2"
    fi
    cmp -s small/doc.txt expected.txt || { umount_small; fail "doc.txt was damaged"; }
    local left
    left=$(list_dir small)
    umount_small
    assert_equal "$left" $'doc.txt\nfiller'
    assert_contains "$IO/err" 'errata: small/doc.txt: cannot write: No space left on device'
}
