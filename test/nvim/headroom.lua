-- Neovim (0.7+, headless) as a Headroom user runs it: the built-in LSP client starts
-- `headroom lsp --stdio` for a spec, collects the diagnostics of the spec and of the file it
-- $refs, applies the "Add a 429" quick fix through Neovim's own workspace-edit code, saves, and
-- writes what it saw to $HEADROOM_OUT as JSON. test/nvim/nvim.test.ts compares it with
-- `headroom lint --format json`. Any failure writes {error = ...} and exits 1.
local node = assert(os.getenv('HEADROOM_NODE'))
local cli = assert(os.getenv('HEADROOM_CLI'))
local dir = assert(os.getenv('HEADROOM_WORKSPACE'))
local out = assert(os.getenv('HEADROOM_OUT'))
-- Only a hang takes this long; a lint takes well under a second here.
local WAIT_MS = 60000

local report = {}
local published = {} -- uri -> number of publishDiagnostics received

local function finish(err)
  report.error = err
  local f = assert(io.open(out, 'w'))
  f:write(vim.fn.json_encode(report))
  f:close()
  vim.cmd(err and 'cquit 1' or 'qall!')
end

local function wait(check, what)
  if not vim.wait(WAIT_MS, check, 20) then error('timed out waiting for ' .. what) end
end

-- vim.diagnostic entries as LSP-like records (the fixtures are ASCII: byte columns are UTF-16 columns).
local function diagnostics(bufnr)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(list, {
      code = d.code,
      severity = d.severity,
      source = d.source,
      message = d.message,
      href = d.user_data and d.user_data.lsp and d.user_data.lsp.codeDescription and d.user_data.lsp.codeDescription.href or vim.NIL,
      range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } },
    })
  end
  return list
end

local ok, err = pcall(function()
  local default_handler = vim.lsp.handlers['textDocument/publishDiagnostics']
  local client_id = vim.lsp.start_client({
    name = 'headroom',
    cmd = { node, cli, 'lsp', '--stdio' },
    root_dir = dir,
    -- Answered to workspace/configuration (section "headroom").
    settings = { headroom = { lint = { debounceMs = 0 } } },
    handlers = {
      ['textDocument/publishDiagnostics'] = function(e, result, ctx, config)
        default_handler(e, result, ctx, config)
        published[result.uri] = (published[result.uri] or 0) + 1
      end,
    },
  })
  assert(client_id, 'the language server did not start')

  vim.cmd('edit ' .. vim.fn.fnameescape(dir .. '/api.yaml'))
  local buf = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(buf, client_id)
  local api_uri = vim.uri_from_bufnr(buf)
  local common_uri = vim.uri_from_fname(dir .. '/common.yaml')
  wait(function() return (published[api_uri] or 0) > 0 and (published[common_uri] or 0) > 0 end, 'diagnostics of api.yaml and common.yaml')
  report.opened = { ['api.yaml'] = diagnostics(buf), ['common.yaml'] = diagnostics(vim.uri_to_bufnr(common_uri)) }

  -- The quick fix for GET /orders/{id}'s missing 429, as :lua vim.lsp.buf.code_action() asks for it.
  local target
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == 'ratelimit-429-response' and d.message:find('/orders/{id}', 1, true) then target = d end
  end
  assert(target, 'no ratelimit-429-response diagnostic for GET /orders/{id}')
  local client = vim.lsp.get_client_by_id(client_id)
  local params = {
    textDocument = { uri = api_uri },
    range = { start = { line = target.lnum, character = target.col }, ['end'] = { line = target.end_lnum, character = target.end_col } },
    context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(buf, target.lnum) },
  }
  local response = assert(client.request_sync('textDocument/codeAction', params, WAIT_MS, buf), 'no answer to textDocument/codeAction')
  assert(not response.err, vim.inspect(response.err))
  local action
  for _, a in ipairs(response.result or {}) do
    if a.title == 'Add a 429 (Too Many Requests) response' then action = a end
  end
  assert(action, 'no "Add a 429" action among ' .. vim.inspect(response.result))
  report.actions = vim.tbl_map(function(a) return a.title end, response.result)
  if not action.edit then
    local resolved = assert(client.request_sync('codeAction/resolve', action, WAIT_MS, buf), 'no answer to codeAction/resolve')
    assert(not resolved.err, vim.inspect(resolved.err))
    action = resolved.result
  end
  assert(action.edit and action.edit.changes, 'the quick fix has no plain edit: ' .. vim.inspect(action))
  local before = published[api_uri]
  vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
  wait(function()
    if published[api_uri] == before then return false end
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == 'ratelimit-429-response' and d.message:find('/orders/{id}', 1, true) then return false end
    end
    return true
  end, 'the ratelimit-429-response diagnostic of GET /orders/{id} to go after the fix')
  vim.cmd('write')
  report.fixed = { ['api.yaml'] = diagnostics(buf) }
  vim.lsp.stop_client(client_id)
end)
finish(not ok and tostring(err) or nil)
