# errata lsp, the language server: protocol-level cases driven by
# tests/lsp/protocol.py (scripted messages, exact answers), and a real
# client, Neovim's built-in one, run headless by tests/lsp/nvim-test.lua.

LSP_TESTS=$(cd "$(dirname "${BASH_SOURCE[0]}")/../lsp" && pwd)

lsp_case() {
    run python3 "$LSP_TESTS/protocol.py" "$ERRATA" "$1"
    assert_status 0
}

test_lsp_lifecycle() { lsp_case lifecycle; }
test_lsp_non_bmp_diagnostics() { lsp_case non_bmp_diagnostics; }
test_lsp_severities() { lsp_case severities; }
test_lsp_incremental_changes() { lsp_case incremental_changes; }
test_lsp_code_action_quick_fix() { lsp_case code_action_quick_fix; }
test_lsp_keep_word() { lsp_case keep_word; }
test_lsp_cancellation() { lsp_case cancellation; }
test_lsp_malformed_input() { lsp_case malformed_input; }
test_lsp_malformed_framing() { lsp_case malformed_framing; }
test_lsp_bad_positions() { lsp_case bad_positions; }
test_lsp_position_encodings() { lsp_case position_encodings; }
test_lsp_configuration() { lsp_case configuration; }
test_lsp_other_languages() { lsp_case other_languages; }
test_lsp_mutated_sessions() { lsp_case mutated_sessions; }
test_lsp_char_model_option() { lsp_case char_model_option; }
test_lsp_failed_settings_are_undone() { lsp_case failed_settings_are_undone; }

test_lsp_takes_no_files() {
    run "$ERRATA" lsp doc.txt
    assert_status 2
    assert_stderr <<'OUT'
errata: lsp: takes no files: the client sends the documents
Try 'errata lsp --help'.
OUT
}

# Neovim opens a copy of the damaged sample with errata lsp attached; its
# diagnostics must be check's edits, each over the buffer text it names, also
# after two characters outside the BMP are typed on line 3; after one quick
# fix and "apply all" the file written must be fix's output.
test_lsp_neovim_client() {
    cp "$DATA/../../../corpus/wenku-sample.txt" doc.txt
    cp doc.txt "$IO/original.txt"
    "$ERRATA" fix doc.txt >"$IO/fixed.txt" 2>/dev/null
    status=0
    ERRATA=$ERRATA DOC=$T/doc.txt REPORT=$IO/report.json timeout 120 \
        nvim --headless --clean -u "$LSP_TESTS/nvim-test.lua" </dev/null >"$IO/nvim.out" 2>&1 ||
        status=$?
    [[ $status -eq 0 ]] || fail "nvim exited with status $status" "$(cat "$IO/nvim.out")"
    run python3 "$LSP_TESTS/nvim-report.py" "$IO/report.json" "$ERRATA" "$IO/original.txt"
    assert_status 0
    assert_stdout <<'OUT'
filetype text
steps diagnostics; diagnostics with characters outside the BMP; diagnostics without them; diagnostics after the quick fix; diagnostics after apply all; the server's exit
opened: 222 diagnostics as check lists them
with 😀𠮷 on line 3: 215 diagnostics as check lists them
quick fix: Fix: 版土 → 版图
fix all: Apply all confident fixes in this document (186)
diagnostics left: 34
server exit status: 0
OUT
    assert_files_equal doc.txt "$IO/fixed.txt"
}
