# Every command reads a GBK or UTF-16 file as batch mode does: decoded,
# repaired in Unicode, written back in the file's own encoding (or in
# --output-encoding); a file that cannot be decoded is named with the byte
# offset and left alone.  Encoded expectations come from Python's codecs,
# independent of errata's converter.

DAMAGED='第一章 我们坚持原那么，为人民效劳。
'
REPAIRED='第一章 我们坚持原则，为人民服务。
'

# Write text $2 to file $3 in codec $1.
write_as() { printf '%s' "$2" | encode_as "$1" >"$3"; }

# ------------------------------------------------------------------ fix

test_fix_gbk_to_stdout_stays_gbk() {
    write_as gbk "$DAMAGED" doc.txt
    run_test_engine fix doc.txt
    assert_status 0
    assert_no_stderr
    assert_holds "$IO/out" gbk "$REPAIRED"
}

test_fix_utf16_from_stdin_stays_utf16() {
    write_as utf-16 "$DAMAGED" doc.txt
    run_test_engine fix <doc.txt
    assert_status 0
    assert_no_stderr
    assert_holds "$IO/out" utf-16 "$REPAIRED"
}

test_fix_utf16_be_without_bom_to_output_file() {
    write_as utf-16-be "$DAMAGED" doc.txt
    run_test_engine fix -o out.txt doc.txt
    assert_status 0
    assert_no_stdout
    assert_holds out.txt utf-16-be "$REPAIRED"
    assert_holds doc.txt utf-16-be "$DAMAGED"
}

test_fix_output_encoding_converts_stdout_and_output_file() {
    write_as gbk "$DAMAGED" doc.txt
    run_test_engine fix --output-encoding UTF-8 doc.txt
    assert_status 0
    assert_stdout "$REPAIRED"
    run_test_engine fix --output-encoding=utf-16le -o out.txt doc.txt
    assert_status 0
    assert_holds out.txt utf-16-le "$REPAIRED"
}

test_fix_two_inputs_each_in_its_own_encoding() {
    write_as gbk "$DAMAGED" g.txt
    printf '%s' "$DAMAGED" >u.txt
    run_test_engine fix g.txt u.txt
    assert_status 0
    { printf '%s' "$REPAIRED" | encode_as gbk; printf '%s' "$REPAIRED"; } >"$IO/expected.bin"
    assert_files_equal "$IO/out" "$IO/expected.bin"
}

test_fix_in_place_gbk_with_backup() {
    write_as gbk "$DAMAGED" doc.txt
    cp doc.txt original.txt
    run_test_engine fix --in-place --backup=.orig doc.txt
    assert_status 0
    assert_no_stdout
    assert_no_stderr
    assert_holds doc.txt gbk "$REPAIRED"
    assert_files_equal doc.txt.orig original.txt
}

test_fix_in_place_utf16_le_bom() {
    write_as utf-16 "$DAMAGED" doc.txt
    run_test_engine fix -i doc.txt
    assert_status 0
    assert_holds doc.txt utf-16 "$REPAIRED"
}

test_fix_in_place_utf8_bom_kept() {
    write_as utf-8-sig "$DAMAGED" doc.txt
    run_test_engine fix -i doc.txt
    assert_status 0
    assert_holds doc.txt utf-8-sig "$REPAIRED"
}

test_fix_in_place_leaves_a_clean_gbk_file_alone() {
    write_as gbk '今天天气很好。
' clean.txt
    touch -d '2001-01-01 00:00' clean.txt
    run_test_engine fix -i --backup=.orig clean.txt
    assert_status 0
    assert_equal "$(stat -c %Y clean.txt)" "$(date -d '2001-01-01 00:00' +%s)"
    assert_equal "$(list_dir .)" 'clean.txt'
}

test_fix_in_place_output_encoding_rewrites_a_clean_file() {
    write_as gbk '今天天气很好。
' clean.txt
    run_test_engine fix -i --output-encoding utf-8 clean.txt
    assert_status 0
    assert_file_is clean.txt '今天天气很好。
'
}

test_fix_input_encoding_forced() {
    # GBK bytes read as UTF-8 cannot be decoded; the file is left alone.
    write_as gbk "$DAMAGED" doc.txt
    cp doc.txt original.txt
    run_test_engine fix -i --input-encoding utf-8 doc.txt
    assert_status 2
    assert_stderr $'errata: doc.txt: cannot decode: invalid UTF-8 at byte offset 0\n'
    assert_files_equal doc.txt original.txt
    # UTF-16LE without BOM named outright.
    write_as utf-16-le "$DAMAGED" le.txt
    run_test_engine fix --input-encoding UTF-16LE --output-encoding gbk le.txt
    assert_status 0
    assert_holds "$IO/out" gbk "$REPAIRED"
}

test_fix_unknown_encoding_is_a_usage_error() {
    run_test_engine fix --output-encoding latin1 "$DATA/two.txt"
    assert_status 2
    assert_no_stdout
    assert_stderr <<'EOF'
errata: fix: unknown encoding 'latin1'
Try 'errata fix --help'.
EOF
}

test_auto_is_no_encoding_to_name() {
    # "auto" would slip past the --jsonl check of the encoding options.
    local args
    for args in "--input-encoding auto" "--output-encoding=AUTO" "--jsonl --input-encoding auto"; do
        # shellcheck disable=SC2086
        run_test_engine fix $args "$DATA/two.txt"
        assert_status 2
        assert_no_stdout
        assert_contains "$IO/err" "errata: fix: unknown encoding '"
    done
}

# ---------------------------------------------------------------- check

test_check_gbk_shows_utf8_text() {
    write_as gbk "$DAMAGED" doc.txt
    run_test_engine check doc.txt
    assert_status 1
    assert_no_stderr
    assert_stdout <<'EOF'
doc.txt:1:9: 原那么 → 原则 (apply 0.95, swap, swap/原那么>原则)
    第一章 我们坚持[原那么→原则]，为人民效劳。
    "原那么" is almost never legitimate: a damaged "原则"
doc.txt:1:16: 效劳 → 服务 (apply 0.95, swap, swap/效劳>服务)
    持原那么，为人民[效劳→服务]。
    "效劳" is almost never legitimate: a damaged "服务"
EOF
}

test_check_jsonl_offsets_count_the_decoded_utf8_text() {
    # The same text in three encodings gives the same edits, offsets and all:
    # bytes of the UTF-8 text, code points without the BOM.
    printf '%s' "$DAMAGED" >utf8.txt
    write_as gbk "$DAMAGED" gbk.txt
    write_as utf-16 "$DAMAGED" utf16.txt
    local name
    for name in utf8 gbk utf16; do
        run_test_engine check --format=jsonl $name.txt
        assert_status 1
        assert_no_stderr
        assert_stdout <<EOF
{"file":"$name.txt","line":1,"column":9,"byte_start":22,"byte_end":31,"cp_start":8,"cp_end":11,"old":"原那么","new":"原则","rule":"swap/原那么>原则","kind":"swap","action":"apply","confidence":0.95,"reason":"\"原那么\" is almost never legitimate: a damaged \"原则\""}
{"file":"$name.txt","line":1,"column":16,"byte_start":43,"byte_end":49,"cp_start":15,"cp_end":17,"old":"效劳","new":"服务","rule":"swap/效劳>服务","kind":"swap","action":"apply","confidence":0.95,"reason":"\"效劳\" is almost never legitimate: a damaged \"服务\""}
EOF
    done
}

test_check_takes_no_output_encoding() {
    run_test_engine check --output-encoding gbk "$DATA/two.txt"
    assert_status 2
    assert_no_stdout
    assert_stderr <<'EOF'
errata: check: unknown option '--output-encoding'
Try 'errata check --help'.
EOF
}

# ----------------------------------------------------------------- diff

test_diff_gbk_is_written_in_gbk_and_applies() {
    write_as gbk "$DAMAGED" doc.txt
    run_test_engine diff doc.txt
    assert_status 1
    assert_no_stderr
    printf -- '--- a/doc.txt\n+++ b/doc.txt\n@@ -1 +1 @@\n-%s+%s' "$DAMAGED" "$REPAIRED" |
        encode_as gbk >"$IO/expected.bin"
    assert_files_equal "$IO/out" "$IO/expected.bin"
    mkdir b
    cp doc.txt b/doc.txt
    (cd b && patch -s -p1 <"$IO/out") || fail "patch did not apply the diff"
    assert_holds b/doc.txt gbk "$REPAIRED"
}

test_diff_utf8_bom_on_the_first_line_applies() {
    write_as utf-8-sig "$DAMAGED" doc.txt
    run_test_engine diff doc.txt
    assert_status 1
    assert_stdout "--- a/doc.txt
+++ b/doc.txt
@@ -1 +1 @@
-"$'\xef\xbb\xbf'"$DAMAGED+"$'\xef\xbb\xbf'"$REPAIRED"
    mkdir b
    cp doc.txt b/doc.txt
    (cd b && patch -s -p1 <"$IO/out") || fail "patch did not apply the diff"
    assert_holds b/doc.txt utf-8-sig "$REPAIRED"
}

test_diff_utf16_is_shown_in_utf8() {
    write_as utf-16 "$DAMAGED" doc.txt
    run_test_engine diff doc.txt
    assert_status 1
    assert_no_stderr
    assert_stdout "--- a/doc.txt
+++ b/doc.txt
@@ -1 +1 @@
-$DAMAGED+$REPAIRED"
}

test_diff_output_encoding() {
    write_as gbk "$DAMAGED" doc.txt
    run_test_engine diff --output-encoding utf-8 doc.txt
    assert_status 1
    assert_stdout "--- a/doc.txt
+++ b/doc.txt
@@ -1 +1 @@
-$DAMAGED+$REPAIRED"
    run_test_engine diff --output-encoding utf-16be doc.txt
    assert_status 2
    assert_no_stdout
    assert_stderr <<'EOF'
errata: diff: a diff cannot be written in UTF-16BE
Try 'errata diff --help'.
EOF
}

# ---------------------------------------------------------------- apply

test_apply_to_gbk_and_utf16_files() {
    write_as gbk "$DAMAGED" g.txt
    write_as utf-16-le "$DAMAGED" u.txt
    run_test_engine check --format=jsonl g.txt u.txt
    assert_status 1
    mv "$IO/out" edits.jsonl
    run "$ERRATA" apply edits.jsonl
    assert_status 0
    assert_stderr <<'EOF'
g.txt: 2 of 2 edits applied
u.txt: 2 of 2 edits applied
EOF
    assert_holds g.txt gbk "$REPAIRED"
    assert_holds u.txt utf-16-le "$REPAIRED"
}

test_apply_output_keeps_or_converts_the_encoding() {
    write_as gbk "$DAMAGED" g.txt
    cp g.txt original.txt
    run_test_engine check --format=jsonl g.txt
    assert_status 1
    mv "$IO/out" edits.jsonl
    run "$ERRATA" apply -q -o - edits.jsonl
    assert_status 0
    assert_holds "$IO/out" gbk "$REPAIRED"
    run "$ERRATA" apply -q --output-encoding utf-8 -o out.txt edits.jsonl
    assert_status 0
    assert_file_is out.txt "$REPAIRED"
    assert_files_equal g.txt original.txt
}

test_apply_to_a_file_that_cannot_be_decoded_writes_nothing() {
    write_as gbk "$DAMAGED" g.txt
    run_test_engine check --format=jsonl g.txt
    assert_status 1
    mv "$IO/out" edits.jsonl
    printf '\x81\x20' >g.txt
    run "$ERRATA" apply edits.jsonl
    assert_status 2
    assert_stderr <<'EOF'
errata: g.txt: cannot decode: neither UTF-8 nor GB18030: invalid UTF-8 at byte offset 0, invalid GB18030 at byte offset 0
EOF
    assert_file_is g.txt $'\x81\x20'
}

# ------------------------------------------------------- undecodable

test_every_command_names_the_offset_of_bytes_it_cannot_decode() {
    # Valid GBK up to byte 8, then a lead byte with no trail byte.
    { printf '为人民' | encode_as gbk; printf 'ab\x81'; } >bad.txt
    cp bad.txt original.txt
    local expected=$'errata: bad.txt: cannot decode: neither UTF-8 nor GB18030: invalid UTF-8 at byte offset 2, truncated GB18030 sequence at byte offset 8\n'
    local args
    for args in "fix bad.txt" "fix -i bad.txt" "check bad.txt" "diff bad.txt" \
        "review -o out.txt bad.txt"; do
        # shellcheck disable=SC2086
        run_test_engine $args
        assert_status 2
        assert_no_stdout
        assert_stderr "$expected"
        assert_files_equal bad.txt original.txt
    done
    assert_equal "$(list_dir .)" $'bad.txt\noriginal.txt'
}

test_utf16_file_that_cannot_be_decoded_is_not_called_binary() {
    # Its NUL bytes (and 民's 0x11) are text: the decoder names the lone
    # surrogate, not a "binary" byte in the first 8 KiB.
    { printf '为人民' | encode_as utf-16; printf '\x00\xd8\x41\x00'; } >u16.txt
    local args
    for args in "fix u16.txt" "check u16.txt" "fix -r u16.txt"; do
        # shellcheck disable=SC2086
        run_test_engine $args
        assert_status 2
        assert_no_stdout
        assert_contains "$IO/err" 'u16.txt: cannot decode'
        assert_contains "$IO/err" 'at byte offset 8'
    done
}
