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
test_lsp_configuration() { lsp_case configuration; }
test_lsp_other_languages() { lsp_case other_languages; }

test_lsp_takes_no_files() {
    run "$ERRATA" lsp doc.txt
    assert_status 2
    assert_stderr <<'OUT'
errata: lsp: takes no files: the client sends the documents
Try 'errata lsp --help'.
OUT
}
