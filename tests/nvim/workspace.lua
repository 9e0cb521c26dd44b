-- Headless Neovim across RFCs: the duplicate-number diagnostic on both files, go to
-- definition from one example RFC to another, and rename of an RFC's number updating
-- every reference and the file name.
-- Usage: nvim --headless --clean -l workspace.lua <rfc-lsp> <rfc-042.md> <out.json> <duplicate.md>
local bin, file, out, dup = arg[1], arg[2], arg[3], arg[4]

local function fail(msg)
  io.stderr:write("workspace.lua: " .. msg .. "\n")
  os.exit(1)
end

local attach = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h") .. "/attach.lua")
local buf, client = attach(bin, file)

local function codes(b)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(b)) do
    found[#found + 1] = d.code
  end
  return found
end
local function has(b, code)
  return vim.tbl_contains(codes(b), code)
end

-- The index is read in the background; the diagnostics follow once it is.
if not vim.wait(10000, function() return has(buf, "rfc-duplicate") end, 20) then
  fail("no rfc-duplicate on " .. file .. ": " .. vim.inspect(codes(buf)))
end
local duplicate_here = vim.tbl_filter(function(d) return d.code == "rfc-duplicate" end, vim.diagnostic.get(buf))[1]

-- Go to definition on `RFC-031` in the Related Documents list.
local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
local at
for i, l in ipairs(lines) do
  local s = l:find("[RFC-031", 1, true)
  if s then at = { i, s + 2 } break end
end
if not at then fail("no RFC-031 reference") end
vim.api.nvim_win_set_cursor(0, at)
vim.lsp.buf.definition()
if not vim.wait(5000, function() return vim.api.nvim_buf_get_name(0):match("rfc%-031%-job%-retry%-policy%.md$") ~= nil end, 20) then
  fail("definition did not open rfc-031")
end
local definition = { file = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(0), ":t"), line = vim.api.nvim_win_get_cursor(0)[1] - 1,
  text = vim.api.nvim_get_current_line() }
local target = vim.api.nvim_get_current_buf()

-- The duplicate shows it too.
vim.cmd.edit(vim.fn.fnameescape(dup))
local dup_buf = vim.api.nvim_get_current_buf()
if not vim.wait(10000, function() return has(dup_buf, "rfc-duplicate") end, 20) then
  fail("no rfc-duplicate on " .. dup .. ": " .. vim.inspect(codes(dup_buf)))
end

-- Rename RFC 031 to 050 from its title.
vim.api.nvim_set_current_buf(target)
vim.api.nvim_win_set_cursor(0, { 1, 4 })
vim.lsp.buf.rename("rfc-050")
local renamed = vim.fn.fnamemodify(file, ":h") .. "/rfc-050-job-retry-policy.md"
if not vim.wait(5000, function()
  local text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
  return text:find("RFC-050", 1, true) ~= nil and vim.uv.fs_stat(renamed) ~= nil
end, 20) then
  fail("the rename did not reach rfc-042 or the file")
end
local after = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
local cites = {}
for _, l in ipairs(after) do
  if l:find("050", 1, true) or l:find("031", 1, true) then cites[#cites + 1] = l end
end
local target_lines = vim.api.nvim_buf_get_lines(target, 0, 6, false)

local f = assert(io.open(out, "w"))
f:write(vim.json.encode({
  duplicate_here = { line = duplicate_here.lnum, message = duplicate_here.message },
  duplicate_there = vim.tbl_filter(function(d) return d.code == "rfc-duplicate" end, vim.diagnostic.get(dup_buf))[1].message,
  definition = definition,
  cites = cites,
  target_name = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(target), ":t"),
  target_lines = target_lines,
  old_file_exists = vim.uv.fs_stat(vim.fn.fnamemodify(file, ":h") .. "/rfc-031-job-retry-policy.md") ~= nil,
}))
f:close()
client:stop()
vim.wait(2000, function() return client:is_stopped() end, 10)
os.exit(0)
