-- Metadata in a key/value table under the title: a bad status on its cell, completion in
-- the cell, hover on its key, the outline's Metadata, as a writer meets them.
local bin, file, out = arg[1], arg[2], arg[3]
local attach = dofile(vim.fs.joinpath(vim.fs.dirname(debug.getinfo(1, "S").source:sub(2)), "attach.lua"))
local buf, client = attach(bin, file)
vim.wait(3000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
local function request(method, params)
  local res = client:request_sync(method, params, 10000, buf)
  return res and res.result
end
local function doc() return { uri = vim.uri_from_bufnr(buf) } end
local result = {}
local function diags()
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do table.insert(list, string.format("%d:%d:%s", d.lnum + 1, d.col + 1, d.code or "")) end
  table.sort(list); return list
end
result.first = diags()
-- The Status cell: clear its value and ask for completion there.
local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
local row, line
for i, l in ipairs(lines) do if l:find("| Status", 1, true) then row, line = i - 1, l break end end
local s, e = line:find("Acepted", 1, true)
result.cell = line
vim.api.nvim_buf_set_text(buf, row, s - 1, row, e, { "" })
local items = request("textDocument/completion", { textDocument = doc(), position = { line = row, character = s - 1 } })
items = items and (items.items or items) or {}
result.items = vim.tbl_map(function(i) return i.label end, items)
table.sort(items, function(a, b) return (a.sortText or a.label) < (b.sortText or b.label) end)
if items[1] and items[1].textEdit then
  vim.lsp.util.apply_text_edits({ items[1].textEdit }, buf, client.offset_encoding)
elseif items[1] then
  vim.api.nvim_buf_set_text(buf, row, s - 1, row, s - 1, { items[1].insertText or items[1].label })
end
result.after = vim.api.nvim_buf_get_lines(buf, row, row + 1, false)[1]
local h = request("textDocument/hover", { textDocument = doc(), position = { line = row, character = 3 } })
result.hover = h and h.contents and (h.contents.value or "") or ""
vim.wait(3000, function() return #vim.diagnostic.get(buf) == 0 end, 20)
result.after_diags = diags()
local syms = request("textDocument/documentSymbol", { textDocument = doc() }) or {}
result.symbols = {}
for _, sy in ipairs(syms) do
  local kids = {}
  for _, c in ipairs(sy.children or {}) do table.insert(kids, c.name) end
  table.insert(result.symbols, sy.name .. " [" .. table.concat(kids, ", ") .. "]")
end
local f = assert(io.open(out, "w")); f:write(vim.json.encode(result)); f:close()
vim.cmd("qa!")
