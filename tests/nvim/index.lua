-- A README with a marked RFC index (`<!-- rfc-index:start -->`) that an RFC's new status
-- made stale: the finding on the start marker, the quick fix that rewrites the table, then
-- an RFC opened, its status changed and saved, and the README's finding back.
local bin, file, out, rfc = arg[1], arg[2], arg[3], arg[4]

local attach = dofile(vim.fs.joinpath(vim.fs.dirname(debug.getinfo(1, "S").source:sub(2)), "attach.lua"))
local buf, client = attach(bin, file)
local result = {}
local function diags(b)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(b)) do
    table.insert(list, string.format("%d:%s:%s", d.lnum + 1, d.code or "", d.message))
  end
  table.sort(list)
  return list
end
local function stale(b)
  for _, d in ipairs(vim.diagnostic.get(b)) do
    if d.code == "index-stale" then return d end
  end
end
local t0 = vim.uv.hrtime()
vim.wait(10000, function() return stale(buf) ~= nil end, 10)
result.first_ms = (vim.uv.hrtime() - t0) / 1e6
result.first = diags(buf)
-- The quick fix, with the cursor on the marker, as a user asks for it.
local d = stale(buf)
local row = d and d.lnum or 0
local res = client:request_sync("textDocument/codeAction", {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  range = { start = { line = row, character = 0 }, ["end"] = { line = row, character = 0 } },
  context = { diagnostics = d and { d.user_data and d.user_data.lsp or d } or {} },
}, 3000, buf)
result.actions = {}
local preferred
for _, a in ipairs(res and res.result or {}) do
  table.insert(result.actions, a.title)
  if a.isPreferred and not preferred then preferred = a end
end
if preferred then vim.lsp.util.apply_workspace_edit(preferred.edit, client.offset_encoding) end
vim.wait(5000, function() return stale(buf) == nil end, 10)
result.after_fix = diags(buf)
result.lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
vim.cmd("silent write")
-- An RFC opened in another buffer: its status changed and saved.
vim.cmd.edit(vim.fn.fnameescape(rfc))
local rbuf = vim.api.nvim_get_current_buf()
vim.wait(5000, function() return vim.lsp.get_clients({ bufnr = rbuf, name = "rfc_lsp" })[1] ~= nil end, 10)
for i, l in ipairs(vim.api.nvim_buf_get_lines(rbuf, 0, -1, false)) do
  if l:match("^status:") then
    vim.api.nvim_buf_set_lines(rbuf, i - 1, i, false, { "status: Rejected" })
    break
  end
end
vim.cmd("silent write")
local t1 = vim.uv.hrtime()
vim.wait(5000, function() return stale(buf) ~= nil end, 10)
result.after_save_ms = (vim.uv.hrtime() - t1) / 1e6
result.after_save = diags(buf)
local f = assert(io.open(out, "w")); f:write(vim.json.encode(result)); f:close()
vim.cmd("qa!")
