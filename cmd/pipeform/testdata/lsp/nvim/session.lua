-- Drives pipeform's language server from Neovim's built-in LSP client, as
-- a user's editor would: open a file, see diagnostics for an unsaved
-- change, then hover, complete, jump to a definition, rename and format.
-- The folder is in PF_FOLDER; results go to PF_OUT as JSON. Written for
-- Neovim 0.7 and later (vim.lsp.start_client, buf_request_sync).
local folder = os.getenv('PF_FOLDER')
local out = {}

local function finish(err)
  out.error = err
  local f = io.open(os.getenv('PF_OUT'), 'w')
  f:write(vim.fn.json_encode(out))
  f:close()
  vim.cmd(err and 'cquit 1' or 'qall!')
end

local function request(method, params)
  local res, err = vim.lsp.buf_request_sync(0, method, params, 20000)
  if not res then
    error(method .. ': ' .. tostring(err))
  end
  for _, r in pairs(res) do
    if r.error then
      error(method .. ': ' .. vim.inspect(r.error))
    end
    return r.result
  end
end

-- Cursor on the first occurrence of text, plus col bytes.
local function at(text, col)
  local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  for i, l in ipairs(lines) do
    local s = string.find(l, text, 1, true)
    if s then
      vim.api.nvim_win_set_cursor(0, { i, s - 1 + col })
      return vim.lsp.util.make_position_params()
    end
  end
  error('not in the buffer: ' .. text)
end

local function run()
  vim.cmd('edit ' .. folder .. '/pipeline.pf.hcl')
  local id = vim.lsp.start_client({ name = 'pipeform', cmd = { 'pipeform', 'lsp' }, root_dir = folder })
  vim.lsp.buf_attach_client(0, id)
  if not vim.wait(20000, function() return vim.lsp.buf_is_attached(0, id) and vim.lsp.get_client_by_id(id).initialized end, 20) then
    error('the server did not initialize')
  end

  -- An unsaved typo: the diagnostic comes from the buffer, not the disk.
  local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  for i, l in ipairs(lines) do
    if string.find(l, 'inputs = [artifact.bundle]', 1, true) then
      vim.api.nvim_buf_set_lines(0, i - 1, i, false, { (l:gsub('artifact.bundle', 'artifact.bundel')) })
    end
  end
  if not vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 20) then
    error('no diagnostics for the typo')
  end
  local d = vim.diagnostic.get(0)[1]
  out.diagnostic = { message = d.message, lnum = d.lnum, col = d.col, code = d.code }
  -- Fixing it clears the list.
  for i, l in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, false)) do
    if string.find(l, 'artifact.bundel', 1, true) then
      vim.api.nvim_buf_set_lines(0, i - 1, i, false, { (l:gsub('artifact.bundel', 'artifact.bundle')) })
    end
  end
  if not vim.wait(20000, function() return #vim.diagnostic.get(0) == 0 end, 20) then
    error('diagnostics not cleared')
  end

  local hover = request('textDocument/hover', at('deployment_group = var.environment', 22))
  out.hover = hover and hover.contents.value

  local completion = request('textDocument/completion', at('Ship #{', 7))
  out.completion = {}
  for _, item in ipairs(completion.items or completion) do
    table.insert(out.completion, item.label)
  end

  local def = request('textDocument/definition', at('codebuild = project.test', 21))
  local loc = def[1] or def
  out.definition = { uri = loc.uri, line = loc.range.start.line }

  local edit = request('textDocument/rename', vim.tbl_extend('force', at('namespace = "Test"', 14), { newName = 'Tests' }))
  vim.lsp.util.apply_workspace_edit(edit, 'utf-16')
  out.renamed = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')

  -- Misalign a line, then format.
  for i, l in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, false)) do
    if string.find(l, 'outputs   = ["src"]', 1, true) then
      vim.api.nvim_buf_set_lines(0, i - 1, i, false, { '      outputs = ["src"]' })
    end
  end
  local edits = request('textDocument/formatting', { textDocument = vim.lsp.util.make_text_document_params(), options = { tabSize = 2, insertSpaces = true } })
  vim.lsp.util.apply_text_edits(edits, 0, 'utf-16')
  out.formatted = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')

  vim.lsp.stop_client(id)
  vim.wait(5000, function() return vim.lsp.get_client_by_id(id) == nil end, 20)
end

local ok, err = pcall(run)
finish(not ok and tostring(err) or nil)
