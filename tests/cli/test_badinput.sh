# Bad inputs: each command says which file and what, exits 2, writes nothing
# over anything.

# Run fix, check and diff on the same arguments; each must exit 2 with
# exactly the expected message and no output.
assert_every_command_refuses() {
    local expected_stderr=$1
    shift
    local command
    for command in fix check diff; do
        run_test_engine "$command" "$@"
        assert_status 2
        assert_no_stdout
        assert_stderr "$expected_stderr"
    done
}

test_invalid_utf8_names_file_and_offset() {
    printf '为人民\xe6\x9c' >bad.txt
    assert_every_command_refuses \
        $'errata: bad.txt: cannot decode: neither UTF-8 nor GB18030: invalid UTF-8 at byte offset 9, truncated GB18030 sequence at byte offset 10\n' \
        bad.txt
}

test_invalid_utf8_on_stdin() {
    printf 'ab\xc3(' >bad.txt
    local command
    for command in fix check diff; do
        run_test_engine "$command" <bad.txt
        assert_status 2
        assert_no_stdout
        assert_stderr $'errata: standard input: cannot decode: neither UTF-8 nor GB18030: invalid UTF-8 at byte offset 2, invalid GB18030 at byte offset 2\n'
    done
}

test_missing_file() {
    assert_every_command_refuses $'errata: nowhere.txt: No such file or directory\n' nowhere.txt
}

test_directory() {
    mkdir dir
    assert_every_command_refuses $'errata: dir: is a directory\n' dir
}

test_binary_file() {
    printf '为人民效劳\0\1\2' >data.bin
    assert_every_command_refuses $'errata: data.bin: binary file (NUL byte at byte offset 15)\n' \
        data.bin
}

test_control_character_after_the_first_8_kib_cannot_be_decoded() {
    # Past the 8 KiB looked at for binary bytes, a NUL is not taken for a
    # binary file; the decoder refuses it as text all the same.
    head -c 8192 /dev/zero | tr '\0' 'a' >late.txt
    printf '\0' >>late.txt
    assert_every_command_refuses \
        $'errata: late.txt: cannot decode: control character U+0000 at byte offset 8192 (binary data?)\n' \
        late.txt
}

test_control_byte_marks_a_binary_file() {
    printf 'ab\x01cd' >ctl.txt
    assert_every_command_refuses $'errata: ctl.txt: binary file (control byte 0x01 at byte offset 2)\n' \
        ctl.txt
}

test_unreadable_file() {
    printf '为人民效劳\n' >secret.txt
    chmod 0000 secret.txt
    run_as_nobody check secret.txt
    assert_status 2
    assert_no_stdout
    assert_stderr $'errata: secret.txt: Permission denied\n'
}

test_empty_file_is_fine() {
    : >empty.txt
    local command
    for command in fix check diff; do
        run_test_engine "$command" empty.txt
        assert_status 0
        assert_no_stdout
        assert_no_stderr
    done
}

test_malformed_dictionary_line() {
    printf 'errata-dict 1\n# a comment\n效劳\t服务\tuser\n' >bad.dict
    run "$ERRATA" fix --no-default-dict --no-model --dict bad.dict "$DATA/two.txt"
    assert_status 2
    assert_no_stdout
    assert_stderr <<'EOF'
errata: bad.dict:3: an entry has 2 fields (corrupted, original) or at least 4 (corrupted, original, kind, class)
EOF
}

test_dictionary_without_header() {
    printf '效劳\t服务\tuser\tU\n' >bad.dict
    run "$ERRATA" check --no-model --dict bad.dict "$DATA/two.txt"
    assert_status 2
    assert_no_stdout
    assert_stderr $'errata: bad.dict:1: the first line must be the header \'errata-dict 1\'\n'
}

test_missing_dictionary() {
    run "$ERRATA" diff --dict nowhere.dict "$DATA/two.txt"
    assert_status 2
    assert_no_stdout
    assert_stderr $'errata: nowhere.dict: No such file or directory\n'
}

test_bad_model_file() {
    printf 'not a model' >bad.bin
    run "$ERRATA" fix --model bad.bin "$DATA/two.txt"
    assert_status 2
    assert_no_stdout
    assert_stderr $'errata: bad.bin: not an errata language model (bad magic)\n'
}

test_bad_dictionary_leaves_in_place_file_alone() {
    cp "$DATA/two.txt" doc.txt
    printf 'errata-dict 2\n' >bad.dict
    run "$ERRATA" fix --in-place --dict bad.dict doc.txt
    assert_status 2
    assert_contains "$IO/err" 'errata: bad.dict:1:'
    assert_files_equal doc.txt "$DATA/two.txt"
    assert_equal "$(list_dir .)" $'bad.dict\ndoc.txt'
}
