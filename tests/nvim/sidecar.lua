-- An RFC whose metadata is in a YAML file beside it (`proposal.yaml` next to README.md):
-- the sidecar's findings while only the RFC is open, its fields in the outline, then the
-- sidecar opened, fixed and broken again as a user would.
local bin, file, out = arg[1], arg[2], arg[3]

local attach = dofile(vim.fs.joinpath(vim.fs.dirname(debug.getinfo(1, "S").source:sub(2)), "attach.lua"))
local buf, client = attach(bin, file)
local result = {}
local yaml = vim.fs.joinpath(vim.fs.dirname(file), "proposal.yaml")
local ybuf = vim.uri_to_bufnr(vim.uri_from_fname(yaml))
local function diags(b)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(b)) do
    table.insert(list, string.format("%d:%s:%s", d.lnum + 1, d.code or "", d.message:sub(1, 80)))
  end
  table.sort(list)
  return list
end
local t0 = vim.uv.hrtime()
vim.wait(8000, function() return #vim.diagnostic.get(ybuf) > 0 end, 20)
result.sidecar_ms = (vim.uv.hrtime() - t0) / 1e6
result.readme = diags(buf)
result.sidecar_from_readme = diags(ybuf)
local syms = client:request_sync("textDocument/documentSymbol", { textDocument = { uri = vim.uri_from_bufnr(buf) } }, 3000, buf)
result.symbols = {}
for _, s in ipairs(syms and syms.result or {}) do
  local kids = {}
  for _, c in ipairs(s.children or {}) do table.insert(kids, c.name .. "=" .. (c.detail or "")) end
  table.insert(result.symbols, s.name .. " [" .. table.concat(kids, ", ") .. "]")
end
-- Open the sidecar itself and fix the status, as a user would.
vim.cmd.edit(vim.fn.fnameescape(yaml))
local yb = vim.api.nvim_get_current_buf()
result.same_buffer = (yb == ybuf)
vim.wait(5000, function() return vim.lsp.get_clients({ bufnr = yb, name = "rfc_lsp" })[1] ~= nil end, 10)
result.attached_to_yaml = vim.lsp.get_clients({ bufnr = yb, name = "rfc_lsp" })[1] ~= nil
local lines = vim.api.nvim_buf_get_lines(yb, 0, -1, false)
-- Quick fixes in the sidecar: the misspelt status, then a field deleted and added back.
local function fix(row, want)
  vim.wait(5000, function()
    for _, d in ipairs(vim.diagnostic.get(yb)) do
      if d.lnum == row and d.code == want then return true end
    end
    return false
  end, 5)
  local ds = vim.tbl_filter(function(d) return d.lnum == row end, vim.diagnostic.get(yb))
  -- The cursor where the finding is, as a user puts it.
  local col = ds[1] and ds[1].col or 0
  local res = client:request_sync("textDocument/codeAction", {
    textDocument = { uri = vim.uri_from_bufnr(yb) },
    range = { start = { line = row, character = col }, ["end"] = { line = row, character = col } },
    context = { diagnostics = vim.tbl_map(function(d) return d.user_data and d.user_data.lsp or d end, ds) },
  }, 3000, yb)
  local titles, preferred = {}, nil
  for _, a in ipairs(res and res.result or {}) do
    table.insert(titles, a.title)
    if a.isPreferred and not preferred then preferred = a end
  end
  if preferred then vim.lsp.util.apply_workspace_edit(preferred.edit, client.offset_encoding) end
  return titles
end
for i, l in ipairs(lines) do
  if l:match("^status:") then
    result.status_actions = fix(i - 1, "status-invalid")
    result.status_fixed = vim.api.nvim_buf_get_lines(yb, i - 1, i, false)[1]
  end
end
for i, l in ipairs(lines) do
  if l:match("^owning%-team:") then
    vim.api.nvim_buf_set_lines(yb, i - 1, i, false, {})
    result.field_actions = fix(0, "field-missing")
    local now = vim.api.nvim_buf_get_lines(yb, 0, -1, false)
    result.field_added = now[#now]
    result.field_lines = #now
    -- Back as it was: the appended field moved to its old place.
    vim.api.nvim_buf_set_lines(yb, #now - 1, #now, false, {})
    vim.api.nvim_buf_set_lines(yb, i - 1, i - 1, false, { l })
  end
end
lines = vim.api.nvim_buf_get_lines(yb, 0, -1, false)
-- Completion of the status value in the sidecar, its value cleared first.
for i, l in ipairs(lines) do
  if l:match("^status:") then
    vim.api.nvim_buf_set_lines(yb, i - 1, i, false, { "status: " })
    local res = client:request_sync("textDocument/completion",
      { textDocument = { uri = vim.uri_from_bufnr(yb) }, position = { line = i - 1, character = 8 } }, 3000, yb)
    local items = res and res.result or {}
    items = items.items or items
    result.yaml_items = vim.tbl_map(function(it) return it.label end, items)
    local h = client:request_sync("textDocument/hover",
      { textDocument = { uri = vim.uri_from_bufnr(yb) }, position = { line = i - 1, character = 2 } }, 3000, yb)
    result.yaml_hover = h and h.result and h.result.contents and h.result.contents.value or ""
    vim.api.nvim_buf_set_lines(yb, i - 1, i, false, { "status: accepted" })
  end
end
local t1 = vim.uv.hrtime()
vim.wait(5000, function() return #vim.diagnostic.get(yb) == 0 end, 5)
result.fix_ms = (vim.uv.hrtime() - t1) / 1e6
result.after_fix = diags(yb)
-- And break the date.
lines = vim.api.nvim_buf_get_lines(yb, 0, -1, false)
for i, l in ipairs(lines) do
  if l:match("^created:") then vim.api.nvim_buf_set_lines(yb, i - 1, i, false, { "created: 2025-13-01" }) end
end
vim.wait(5000, function() return #vim.diagnostic.get(yb) > 0 end, 5)
result.after_break = diags(yb)
local f = assert(io.open(out, "w")); f:write(vim.json.encode(result)); f:close()
vim.cmd("qa!")
