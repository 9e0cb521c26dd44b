-- Headless Neovim shows rfc-lsp's diagnostics: open an RFC, wait for them, then fix one
-- fault by typing and wait for the diagnostics of the new version.
-- Usage: nvim --headless --clean -l diagnostics.lua <rfc-lsp> <file.md> <out.json> [<line> <old> <new>]
local bin, file, out = arg[1], arg[2], arg[3]
local fix_line, fix_old, fix_new = tonumber(arg[4]), arg[5], arg[6]

local function fail(msg)
  io.stderr:write("diagnostics.lua: " .. msg .. "\n")
  os.exit(1)
end

local attach = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h") .. "/attach.lua")
local buf, client = attach(bin, file)

local function collect()
  local items = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(items, { lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      code = d.code, severity = d.severity, message = d.message })
  end
  table.sort(items, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)
  return items
end

-- Diagnostics arrive by push or pull; give a clean file the same time to show none.
vim.wait(3000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
local before = collect()

local after = nil
local latency_ms = nil
if fix_line then
  local line = vim.api.nvim_buf_get_lines(buf, fix_line, fix_line + 1, false)[1]
  local s, e = line:find(fix_old, 1, true)
  if not s then fail("line " .. fix_line .. " has no " .. fix_old) end
  local t0 = vim.uv.hrtime()
  vim.api.nvim_buf_set_text(buf, fix_line, s - 1, fix_line, e, { fix_new })
  local wanted = #before - 1
  vim.wait(3000, function() return #vim.diagnostic.get(buf) == wanted end, 1)
  -- From the keystroke to the findings shown: Neovim's debounce, the server, the pull.
  latency_ms = (vim.uv.hrtime() - t0) / 1e6
  after = collect()
end

local f = assert(io.open(out, "w"))
f:write(vim.json.encode({
  pull = client.server_capabilities.diagnosticProvider ~= nil,
  before = before,
  after = after or vim.NIL,
  latency_ms = latency_ms or vim.NIL,
  debounce = client.flags and client.flags.debounce_text_changes or vim.NIL,
}))
f:close()
client:stop()
vim.wait(2000, function() return client:is_stopped() end, 10)
os.exit(0)
