-- errata lsp with a real client: Neovim's own (0.7 and later), headless.
--
--   ERRATA=path/to/errata DOC=doc.txt REPORT=report.json \
--     nvim --headless --clean -u tests/lsp/nvim-test.lua
--
-- Opens DOC (a damaged document) with errata lsp attached, waits for the
-- diagnostics, inserts two characters outside the BMP and takes them out
-- again (waiting for the diagnostics each time), makes one quick fix (版土 → 版图), then "apply all confident
-- fixes", writes DOC and stops the server.  What it saw goes to REPORT as
-- JSON (the diagnostics with the buffer text under each range, the actions'
-- titles, the server's exit status) for the calling test to compare; a step
-- that fails writes its error there instead.  Neovim always exits.

local WAIT_MS = 20000
local errata, doc, report_path = os.getenv("ERRATA"), os.getenv("DOC"), os.getenv("REPORT")
local report = { steps = {} }
local OUTSIDE_BMP = "😀𠮷"

local function write_report()
  local f = assert(io.open(report_path, "w"))
  f:write(vim.fn.json_encode(report))
  f:close()
end

local function wait_for(what, condition)
  if not vim.wait(WAIT_MS, condition, 20) then
    error("timed out waiting for " .. what)
  end
  table.insert(report.steps, what)
end

-- The diagnostics as Neovim holds them (byte columns), with the text they cover.
local function diagnostics(bufnr)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local text = vim.api.nvim_buf_get_text(bufnr, d.lnum, d.col, d.end_lnum, d.end_col, {})
    table.insert(list, {
      line = d.lnum, col = d.col, end_line = d.end_lnum, end_col = d.end_col,
      text = table.concat(text, "\n"), severity = d.severity, code = d.code,
      source = d.source, message = d.message,
    })
  end
  local function key(d) return { d.line, d.col, d.end_line, d.end_col } end
  table.sort(list, function(a, b)
    local ka, kb = key(a), key(b)
    for i = 1, 4 do
      if ka[i] ~= kb[i] then return ka[i] < kb[i] end
    end
    return false
  end)
  return list
end

local function code_actions(bufnr, client, lnum, col, only)
  local character = vim.lsp.util.character_offset(bufnr, lnum, col, "utf-16")
  local position = { line = lnum, character = character }
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = position, ["end"] = position },
    context = { diagnostics = {}, only = only },
  }
  local answer = client.request_sync("textDocument/codeAction", params, WAIT_MS, bufnr)
  assert(answer and not answer.err, "codeAction failed: " .. vim.inspect(answer))
  return answer.result
end

local function find_action(actions, title)
  for _, action in ipairs(actions) do
    if action.title == title then
      return action
    end
  end
  error("no action titled " .. title .. " among " .. vim.inspect(actions))
end

local function has_code(bufnr, code)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.code == code then
      return d
    end
  end
end

-- The version of the document the last diagnostics were published for.
local published_version = nil
local publish = vim.lsp.handlers["textDocument/publishDiagnostics"]
vim.lsp.handlers["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
  publish(err, result, ctx, config)
  published_version = result.version
end

-- Wait for the diagnostics of the buffer as it is now.
local function wait_for_current(what, bufnr)
  wait_for(what, function()
    return published_version ~= nil and published_version == vim.lsp.util.buf_versions[bufnr]
  end)
end

local function run()
  vim.cmd("filetype on")
  vim.opt.fixendofline = false -- write the file's last line as it was
  vim.cmd("edit " .. vim.fn.fnameescape(doc))
  local bufnr = vim.api.nvim_get_current_buf()
  report.filetype = vim.bo[bufnr].filetype
  local exited = nil
  local client_id = vim.lsp.start_client({
    name = "errata",
    cmd = { errata, "lsp" },
    root_dir = vim.fn.fnamemodify(doc, ":h"),
    on_exit = function(code) exited = code end,
  })
  vim.lsp.buf_attach_client(bufnr, client_id)
  local client = vim.lsp.get_client_by_id(client_id)

  wait_for_current("diagnostics", bufnr)
  report.diagnostics = diagnostics(bufnr)

  -- Characters outside the BMP (two UTF-16 code units, four bytes each) at
  -- the start of line 3, then gone again: incremental changes both ways.
  vim.api.nvim_buf_set_text(bufnr, 2, 0, 2, 0, { OUTSIDE_BMP })
  wait_for_current("diagnostics with characters outside the BMP", bufnr)
  report.outside_bmp = diagnostics(bufnr)
  vim.api.nvim_buf_set_text(bufnr, 2, 0, 2, #OUTSIDE_BMP, { "" })
  wait_for_current("diagnostics without them", bufnr)

  local target = has_code(bufnr, "swap/版土>版图")
  assert(target, "no diagnostic for 版土")
  local fix = find_action(code_actions(bufnr, client, target.lnum, target.col, nil),
                          "Fix: 版土 → 版图")
  report.quick_fix = fix.title
  vim.lsp.util.apply_workspace_edit(fix.edit, "utf-16")
  wait_for_current("diagnostics after the quick fix", bufnr)
  assert(not has_code(bufnr, "swap/版土>版图"), "版土 is still there")

  local all = code_actions(bufnr, client, 0, 0, { "source.fixAll" })
  assert(#all == 1, "expected one fix-all action: " .. vim.inspect(all))
  report.fix_all = all[1].title
  vim.lsp.util.apply_workspace_edit(all[1].edit, "utf-16")
  wait_for_current("diagnostics after apply all", bufnr)
  report.left = #vim.diagnostic.get(bufnr)
  vim.cmd("write")

  vim.lsp.stop_client(client_id)
  wait_for("the server's exit", function() return exited ~= nil end)
  report.exit_code = exited
end

local ok, err = pcall(run)
if not ok then
  report.error = tostring(err)
end
write_report()
vim.cmd("qall!")
