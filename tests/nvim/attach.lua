-- Shared by the Neovim test scripts: set rfc-lsp up through editors/neovim's module, as a
-- user does, open a file, and wait for the client to attach.
-- Returns the buffer and the client; exits with an error when it does not attach.
return function(bin, file, settings)
  local here = debug.getinfo(1, "S").source:sub(2)
  local root = vim.fn.fnamemodify(here, ":p:h:h:h")
  vim.opt.rtp:prepend(root .. "/editors/neovim")
  require("rfc_lsp").setup({ cmd = { bin }, keymaps = false, settings = settings or {} })
  vim.cmd.edit(vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  local client
  local ok = vim.wait(10000, function()
    client = vim.lsp.get_clients({ bufnr = buf, name = "rfc_lsp" })[1]
    return client ~= nil and client.initialized == true
  end, 10)
  if not ok then
    io.stderr:write("the rfc_lsp client did not attach to " .. file .. "\n")
    os.exit(1)
  end
  return buf, client
end
