# errata fix in batch mode reads each file in its own encoding and writes it
# back in that encoding (or in --output-encoding).

damaged() { printf '第一章 我们坚持原那么，为人民效劳。\n'; }
repaired() { printf '第一章 我们坚持原则，为人民服务。\n'; }

assert_encoded_as() {
    local file=$1 codec=$2
    repaired | encode_as "$codec" >"$IO/expected.bin"
    assert_files_equal "$file" "$IO/expected.bin"
}

check_round_trip() {
    local codec=$1
    damaged | encode_as "$codec" >doc.txt
    run_test_engine fix -j 1 -i -q doc.txt
    assert_status 0
    assert_no_stderr
    assert_encoded_as doc.txt "$codec"
}

test_batch_gbk_stays_gbk() { check_round_trip gbk; }
test_batch_gb18030_stays_gb18030() { check_round_trip gb18030; }
test_batch_utf8_bom_kept() { check_round_trip utf-8-sig; }
test_batch_utf16_le_bom_kept() { check_round_trip utf-16; }   # Python writes LE with a BOM
test_batch_utf16_be_bom_kept() {
    { printf '\xfe\xff'; damaged | encode_as utf-16-be; } >doc.txt
    run_test_engine fix -j 1 -i -q doc.txt
    assert_status 0
    { printf '\xfe\xff'; repaired | encode_as utf-16-be; } >"$IO/expected.bin"
    assert_files_equal doc.txt "$IO/expected.bin"
}
test_batch_utf16_le_without_bom() { check_round_trip utf-16-le; }
test_batch_utf16_be_without_bom() { check_round_trip utf-16-be; }

test_batch_output_encoding_converts() {
    damaged | encode_as gbk >doc.txt
    run_test_engine fix -j 1 --output-dir out --output-encoding utf-8 -q doc.txt
    assert_status 0
    assert_file_is out/doc.txt "$(repaired)"$'\n'
}

test_batch_output_encoding_rewrites_clean_files_in_place() {
    printf '今天天气很好。\n' >clean.txt
    run_test_engine fix -j 1 -i --output-encoding gbk -q clean.txt
    assert_status 0
    printf '今天天气很好。\n' | encode_as gbk >"$IO/expected.bin"
    assert_files_equal clean.txt "$IO/expected.bin"
}

test_batch_input_encoding_forced() {
    # Plain ASCII is valid UTF-8; forced to GB18030 it is read the same,
    # and written back as GB18030 (the bytes do not change).
    printf 'abc\n' >a.txt
    run_test_engine fix -j 1 --input-encoding gbk --output-dir out -q a.txt
    assert_status 0
    assert_file_is out/a.txt $'abc\n'
    # A GBK file forced to UTF-8 cannot be decoded.
    damaged | encode_as gbk >g.txt
    run_test_engine fix -j 1 --input-encoding utf-8 -i -q g.txt
    assert_status 2
    assert_stderr $'errata: g.txt: cannot decode, left alone: invalid UTF-8 at byte offset 0\n'
}

test_batch_unchanged_gbk_copied_byte_for_byte() {
    printf '今天天气很好。\r\n' | encode_as gbk >g.txt
    run_test_engine fix -j 1 --output-dir out -q g.txt
    assert_status 0
    assert_files_equal out/g.txt g.txt
}

test_batch_mixed_encodings_in_one_run() {
    mkdir -p d
    damaged | encode_as gbk >d/gbk.txt
    damaged | encode_as utf-16 >d/utf16.txt
    damaged >d/utf8.txt
    run_test_engine fix -r -j 2 -i d
    assert_status 0
    assert_encoded_as d/gbk.txt gbk
    assert_encoded_as d/utf16.txt utf-16
    assert_file_is d/utf8.txt "$(repaired)"$'\n'
    assert_contains "$IO/err" 'errata: 3 files read, 3 changed, 0 skipped, 0 failed'
}
