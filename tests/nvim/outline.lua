-- Headless Neovim drives rfc-lsp as a user's editor would: open an RFC, ask for its
-- outline, make a burst of edits (typing, pasting, deleting lines, undo), ask again.
-- Usage: nvim --headless --clean -l outline.lua <rfc-lsp binary> <file.md> <out.json>
local bin, file, out = arg[1], arg[2], arg[3]

local function fail(msg)
  io.stderr:write("outline.lua: " .. msg .. "\n")
  os.exit(1)
end

local attach = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h") .. "/attach.lua")
local buf, client = attach(bin, file)

local function symbols()
  local params = { textDocument = vim.lsp.util.make_text_document_params(buf) }
  local res, err = client:request_sync("textDocument/documentSymbol", params, 10000, buf)
  if not res then fail("documentSymbol: " .. tostring(err)) end
  if res.err then fail("documentSymbol error: " .. vim.inspect(res.err)) end
  return res.result
end

local before = symbols()

-- A deterministic burst: typing character by character into a paragraph, new lines,
-- a new section, a pasted block, deleted lines and an undo, each its own change.
local lines = vim.api.nvim_buf_line_count(buf)
local target = math.floor(lines / 2)
for i = 1, 60 do
  local row = target + (i % 7)
  local text = vim.api.nvim_buf_get_lines(buf, row, row + 1, false)[1] or ""
  local col = math.min(#text, 3 + i % 11)
  -- keep to a character boundary
  while col > 0 and col < #text and bit.band(text:byte(col + 1), 0xC0) == 0x80 do col = col - 1 end
  vim.api.nvim_buf_set_text(buf, row, col, row, col, { ({ "é", "x", " ", "😀", "#" })[i % 5 + 1] })
end
vim.api.nvim_buf_set_lines(buf, target, target, false, { "", "## Inserted Section", "", "Some text for it.", "" })
vim.api.nvim_buf_set_lines(buf, 3, 3, false, { "```", "# not a heading", "```" })
-- Close the undo block, delete four lines, and undo just that.
vim.o.undolevels = vim.o.undolevels
vim.api.nvim_buf_set_lines(buf, target + 20, target + 24, false, {})
vim.cmd("silent undo")
vim.api.nvim_buf_set_text(buf, 0, 0, 0, 0, { "" })

-- Neovim sends didChange as it goes; give the server a moment, then ask again.
vim.wait(200)
local after = symbols()
local text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n") .. "\n"

local f = assert(io.open(out, "w"))
f:write(vim.json.encode({
  encoding = client.offset_encoding,
  before = before,
  after = after,
  text = text,
}))
f:close()
client:stop()
vim.wait(2000, function() return client:is_stopped() end, 10)
os.exit(0)
