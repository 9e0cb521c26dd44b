-- Headless Neovim follows edits of .rfc-lsp.yaml: the file is written while an RFC is
-- open, the RFC is saved, and its diagnostics change; a config that does not parse is
-- reported on the config file and the last good settings stay; removing it restores the
-- defaults. (Neovim has no handler for workspace/diagnostic/refresh: the module's own
-- re-pulls.)
-- Usage: nvim --headless --clean -l config.lua <rfc-lsp> <root>/rfcs/<file.md> <out.json>
local bin, file, out = arg[1], arg[2], arg[3]
local attach = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h") .. "/attach.lua")
local buf = attach(bin, file)
local config = vim.fn.fnamemodify(file, ":p:h:h") .. "/.rfc-lsp.yaml"

local function count(b, code)
  local n = 0
  for _, d in ipairs(vim.diagnostic.get(b)) do
    if d.code == code then n = n + 1 end
  end
  return n
end

local result = {}
vim.wait(5000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
result.before = count(buf, "status-invalid")

vim.fn.writefile({ "severity:", "  status-invalid: off" }, config)
vim.cmd("silent write")
vim.wait(5000, function() return count(buf, "status-invalid") == 0 end, 20)
result.turned_off = count(buf, "status-invalid")

local ybuf = vim.fn.bufadd(config)
vim.fn.writefile({ "severity:", "  status-invalid: [off" }, config)
vim.cmd("silent write")
vim.wait(5000, function() return #vim.diagnostic.get(ybuf) > 0 end, 20)
result.config_problems = #vim.diagnostic.get(ybuf)
vim.wait(300)
result.kept = count(buf, "status-invalid")

os.remove(config)
vim.cmd("silent write")
vim.wait(5000, function() return count(buf, "status-invalid") == 1 end, 20)
result.defaults = count(buf, "status-invalid")
vim.wait(5000, function() return #vim.diagnostic.get(ybuf) == 0 end, 20)
result.config_problems_after = #vim.diagnostic.get(ybuf)

vim.fn.writefile({ vim.json.encode(result) }, out)
vim.cmd("qa!")
