--- rfc-lsp for Neovim 0.11+.
---
--- Usage:
---   require("rfc_lsp").setup({ ... })   -- vim.lsp.config + vim.lsp.enable, commands, keymaps
---   require("rfc_lsp").config({ ... })  -- a plain config table for vim.lsp.start / lspconfig
---
--- The server's settings contract is the one of the VS Code extension
--- (editors/vscode/README.md, "What the server receives"): the settings object
--- `{ configFile, severity, rfcGlobs, defaultTemplate }` goes to the server as
--- initializationOptions, and under the section `rfcLsp` for workspace/configuration.

local M = {}

--- The name of the client, for vim.lsp.config / vim.lsp.enable / vim.lsp.get_clients.
M.name = "rfc_lsp"

local NAME = M.name
local SEVERITIES = { error = true, warning = true, information = true, hint = true, off = true }
local SETTING_KEYS = {
  configFile = "string",
  severity = "table",
  rfcGlobs = "table",
  defaultTemplate = "string",
  inlayHints = "boolean",
}
local OPTION_KEYS = {
  cmd = true,
  filetypes = true,
  root_markers = true,
  settings = true,
  on_attach = true,
  keymaps = true,
  folding = true,
}

--- How long after a keystroke Neovim sends the change (its default is 150 ms).
local DEBOUNCE_MS = 20

local defaults = {
  cmd = { "rfc-lsp" },
  -- YAML: a metadata file beside an RFC (`kep.yaml` next to its README.md), checked too.
  filetypes = { "markdown", "yaml" },
  root_markers = { ".rfc-lsp.yaml", ".git" },
  settings = {},
  on_attach = nil,
  keymaps = true,
  folding = false,
}

-- What the last setup()/config() call decided; the commands read it.
local state = {
  mode = nil, ---@type "setup"|"config"|nil which of the two the user called
  opts = nil, ---@type table? the merged options
  config = nil, ---@type table? the config table config() returned (not after setup())
}

local function notify(msg, level)
  vim.notify("rfc-lsp: " .. msg, level or vim.log.levels.INFO)
end

local function warn_once(msg)
  vim.notify_once("rfc-lsp: " .. msg, vim.log.levels.WARN)
end

--- Whether the server binary can be run. Notifies once per session (or every time when
--- `loud`, for commands the user runs on purpose).
local function check_cmd(cmd, loud)
  if type(cmd) ~= "table" or type(cmd[1]) ~= "string" then
    return true -- a function cmd (e.g. vim.lsp.rpc.connect) is the user's business
  end
  if vim.fn.executable(cmd[1]) == 1 then
    return true
  end
  local msg = ("the server `%s` was not found or is not executable. Install it with "
    .. "`cargo install --path .` in the rfc-lsp repository (it goes to ~/.cargo/bin, which "
    .. "must be on PATH), or set cmd, e.g. require(\"rfc_lsp\").setup({ cmd = "
    .. "{ \"/path/to/rfc-lsp\" } }).")
    :format(cmd[1])
  if loud then
    notify(msg, vim.log.levels.ERROR)
  else
    vim.notify_once("rfc-lsp: " .. msg, vim.log.levels.ERROR)
  end
  return false
end

--- The settings object the server reads: only the four known keys, empty ones left out
--- (an empty Lua table would be sent as a JSON array, which the server rejects).
local function normalize_settings(settings)
  settings = settings or {}
  if type(settings) ~= "table" then
    warn_once("`settings` must be a table; ignoring it")
    return {}
  end
  if type(settings.rfcLsp) == "table" then
    settings = settings.rfcLsp -- accept the nested form as well
  end
  local out = {}
  for key, value in pairs(settings) do
    local kind = SETTING_KEYS[key]
    if not kind then
      warn_once(("unknown setting `%s` (known: configFile, severity, rfcGlobs, defaultTemplate, inlayHints)"):format(key))
    elseif type(value) ~= kind then
      warn_once(("setting `%s` must be a %s; ignoring it"):format(key, kind))
    elseif key == "severity" then
      local sev = {}
      for code, level in pairs(value) do
        if type(code) == "string" and type(level) == "string" and SEVERITIES[level] then
          sev[code] = level
        else
          warn_once(("severity[%s] = %s: use error, warning, information, hint or off")
            :format(vim.inspect(code), vim.inspect(level)))
        end
      end
      if next(sev) then
        out.severity = sev
      end
    elseif key == "rfcGlobs" then
      local globs = vim.tbl_filter(function(g)
        return type(g) == "string"
      end, value)
      if #globs > 0 then
        out.rfcGlobs = globs
      end
    elseif value ~= "" then
      out[key] = value
    end
  end
  return out
end

local function merge_opts(opts)
  opts = opts or {}
  for key in pairs(opts) do
    if not OPTION_KEYS[key] then
      warn_once(("unknown option `%s` in setup()/config()"):format(key))
    end
  end
  local merged = vim.tbl_extend("force", {}, defaults, opts)
  if type(merged.cmd) == "string" then
    merged.cmd = { merged.cmd }
  end
  return merged
end

--- Sets foldmethod=expr with the LSP's folds in every window showing `bufnr`, now and later.
local function enable_folding(bufnr)
  local function apply(win)
    vim.wo[win][0].foldmethod = "expr"
    vim.wo[win][0].foldexpr = "v:lua.vim.lsp.foldexpr()"
  end
  for _, win in ipairs(vim.fn.win_findbuf(bufnr)) do
    apply(win)
  end
  local group = vim.api.nvim_create_augroup("rfc_lsp_folding_" .. bufnr, { clear = true })
  vim.api.nvim_create_autocmd("BufWinEnter", {
    group = group,
    buffer = bufnr,
    callback = function()
      apply(vim.api.nvim_get_current_win())
    end,
  })
end

local function set_keymaps(bufnr)
  local function map(modes, lhs, rhs, desc)
    vim.keymap.set(modes, lhs, rhs, { buffer = bufnr, silent = true, desc = "rfc-lsp: " .. desc })
  end
  map({ "n", "x" }, "<leader>ca", vim.lsp.buf.code_action, "code actions")
  map("n", "<leader>o", vim.lsp.buf.document_symbol, "outline (document symbols)")
  map("n", "<leader>rn", "<cmd>RfcNew<cr>", "new RFC from a template")
  -- Hover is Neovim's default `K`; it is left alone.
end

-- Commands -----------------------------------------------------------------------------

--- Calls workspace/executeCommand. Not client:exec_cmd(): that one refuses commands the
--- server does not list in executeCommandProvider, and rfc-lsp may not list them.
local function execute(client, command, arguments, bufnr, on_result)
  local ok = client:request("workspace/executeCommand", {
    command = command,
    arguments = arguments,
  }, function(err, result)
    if err then
      local msg = err.message or vim.inspect(err)
      if err.code == -32601 then
        msg = msg .. " (the server is older than this command: update it with `cargo install --path .`)"
      end
      notify(("%s failed: %s"):format(command, msg), vim.log.levels.ERROR)
      return
    end
    if on_result then
      on_result(result)
    end
  end, bufnr)
  if not ok then
    notify(("%s: the server has shut down; try :RfcRestart"):format(command), vim.log.levels.ERROR)
  end
end

--- Calls `cb(client)` with a running, initialised rfc-lsp client: the one attached to the
--- current buffer, else any, else a new one started for the current directory.
local function with_client(cb)
  local client = vim.lsp.get_clients({ name = NAME, bufnr = 0 })[1] or vim.lsp.get_clients({ name = NAME })[1]
  if not client then
    local config
    if state.mode == "setup" then
      config = vim.deepcopy(vim.lsp.config[NAME] or {})
    else
      config = vim.deepcopy(state.config or M.config())
    end
    config.name = NAME
    if not check_cmd(config.cmd, true) then
      return
    end
    -- The same root the buffers of this directory get, so that they reuse this client.
    -- No marker: no root, and the server takes its working directory (Neovim's).
    config.root_dir = vim.fs.root(vim.fn.getcwd(), config.root_markers or defaults.root_markers)
    local id = vim.lsp.start(config, { attach = false })
    client = id and vim.lsp.get_client_by_id(id)
    if not client then
      notify("could not start the server; see the LSP log", vim.log.levels.ERROR)
      return
    end
  end
  local waited = 0
  local function go()
    if client:is_stopped() then
      notify("the server stopped; see the LSP log", vim.log.levels.ERROR)
    elseif client.initialized then
      cb(client)
    elseif waited >= 10000 then
      notify("the server did not initialise within 10 s", vim.log.levels.ERROR)
    else
      waited = waited + 50
      vim.defer_fn(go, 50)
    end
  end
  go()
end

--- :RfcNew — title, then template (from the server), then the server creates the file
--- in the current directory; it is opened.
function M.new_rfc()
  vim.ui.input({ prompt = "RFC title: " }, function(title)
    if not title or vim.trim(title) == "" then
      return
    end
    title = vim.trim(title)
    with_client(function(client)
      -- The templates of the folder the RFC goes in (each workspace folder has its own).
      local here = vim.uri_from_fname(vim.fn.getcwd())
      execute(client, "rfc-lsp.listTemplates", { here }, nil, function(templates)
        templates = type(templates) == "table" and templates or {}
        if #templates == 0 then
          notify("the server listed no templates", vim.log.levels.ERROR)
          return
        end
        -- The configured default template first, as the VS Code extension does.
        local default = state.opts and normalize_settings(state.opts.settings).defaultTemplate
        local ordered = {}
        for _, t in ipairs(templates) do
          table.insert(ordered, t.name == default and 1 or #ordered + 1, t)
        end
        templates = ordered
        vim.ui.select(templates, {
          prompt = "Template:",
          format_item = function(t)
            local d = t.description and t.description ~= vim.NIL and t.description or ""
            return d ~= "" and (t.name .. " — " .. d) or t.name
          end,
        }, function(choice)
          if not choice then
            return
          end
          local args = { { title = title, template = choice.name, dir = vim.fn.getcwd() } }
          execute(client, "rfc-lsp.newRfc", args, nil, function(result)
            local uri = type(result) == "table" and result.uri
            if type(uri) ~= "string" then
              notify("rfc-lsp.newRfc returned no uri", vim.log.levels.ERROR)
              return
            end
            vim.cmd.edit(vim.fn.fnameescape(vim.uri_to_fname(uri)))
          end)
        end)
      end)
    end)
  end)
end

--- :RfcInsertMissingSections — the server edits the buffer itself (workspace/applyEdit).
function M.insert_missing_sections()
  local bufnr = vim.api.nvim_get_current_buf()
  local client = vim.lsp.get_clients({ name = NAME, bufnr = bufnr })[1]
  if not client then
    notify("rfc-lsp is not attached to this buffer (open a Markdown RFC)", vim.log.levels.WARN)
    return
  end
  execute(client, "rfc-lsp.insertMissingSections", { vim.uri_from_bufnr(bufnr) }, bufnr)
end

--- :RfcRestart — stops the rfc_lsp clients, then starts them again.
function M.restart()
  local old = vim.lsp.get_clients({ name = NAME })
  local restarts = {} -- for servers started by hand: their config and buffers
  for _, client in ipairs(old) do
    table.insert(restarts, { config = client.config, buffers = vim.tbl_keys(client.attached_buffers) })
  end
  -- After setup(), vim.lsp.enable starts the clients again (setup() skips it when the
  -- binary is missing; it is enabled here once the binary is there).
  local use_enable = state.mode == "setup"
  local cmd
  if use_enable then
    cmd = (vim.lsp.config[NAME] or {}).cmd
  elseif old[1] then
    cmd = old[1].config.cmd
  else
    cmd = state.config and state.config.cmd
  end
  if not check_cmd(cmd, true) then
    return
  end
  if use_enable then
    vim.lsp.enable(NAME, false) -- stops the clients
  end
  for _, client in ipairs(old) do
    client:stop()
  end

  local waited = 0
  local function start()
    local alive = vim.tbl_filter(function(c)
      return vim.lsp.get_client_by_id(c.id) ~= nil
    end, old)
    if #alive > 0 and waited < 3000 then
      waited = waited + 50
      vim.defer_fn(start, 50)
      return
    end
    for _, c in ipairs(alive) do
      c:stop(true)
    end
    if use_enable then
      vim.lsp.enable(NAME)
      if vim.v.vim_did_enter ~= 1 then
        vim.cmd.doautoall("nvim.lsp.enable FileType")
      end
    else
      for _, r in ipairs(restarts) do
        for _, bufnr in ipairs(r.buffers) do
          if vim.api.nvim_buf_is_loaded(bufnr) then
            vim.lsp.start(r.config, { bufnr = bufnr })
          end
        end
      end
    end
    notify("restarted")
  end
  start()
end

local function create_commands()
  local cmds = {
    RfcNew = { M.new_rfc, "rfc-lsp: create an RFC from one of the server's templates" },
    RfcInsertMissingSections = { M.insert_missing_sections, "rfc-lsp: insert the sections the template requires" },
    RfcRestart = { M.restart, "rfc-lsp: restart the server" },
  }
  for name, c in pairs(cmds) do
    vim.api.nvim_create_user_command(name, function()
      c[1]()
    end, { nargs = 0, desc = c[2], force = true })
  end
end

-- Configuration ------------------------------------------------------------------------

--- workspace/diagnostic/refresh: the server asks for this after its configuration changed
--- (an edited .rfc-lsp.yaml, new settings). Neovim 0.11-0.12 has no handler for it, so
--- the attached buffers would keep stale diagnostics: pull them again.
local function diagnostic_refresh(_, _, ctx)
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  if client then
    for bufnr in pairs(client.attached_buffers or {}) do
      if vim.api.nvim_buf_is_loaded(bufnr) then
        client:request(
          "textDocument/diagnostic",
          { textDocument = vim.lsp.util.make_text_document_params(bufnr) },
          nil,
          bufnr
        )
      end
    end
  end
  return vim.NIL
end

--- A plain client config (vim.lsp.ClientConfig / nvim-lspconfig style) for people who start
--- the server themselves, e.g.
---   vim.lsp.start(vim.tbl_extend("force", require("rfc_lsp").config(opts), { root_dir = ... }))
--- Its on_attach sets the keymaps/folding and creates the :Rfc* commands.
---@param opts? table the same options as setup()
---@return table
function M.config(opts)
  local o = merge_opts(opts)
  check_cmd(o.cmd, false)
  local settings = normalize_settings(o.settings)
  local config = {
    name = NAME,
    cmd = o.cmd,
    filetypes = o.filetypes,
    root_markers = o.root_markers,
    init_options = next(settings) and settings or nil,
    settings = next(settings) and { rfcLsp = settings } or nil,
    handlers = { ["workspace/diagnostic/refresh"] = diagnostic_refresh },
    -- Changes are sent 20 ms after a keystroke, not Neovim's default 150: the server answers
    -- in about a millisecond, so the findings follow the typing.
    flags = { debounce_text_changes = DEBOUNCE_MS },
    on_attach = function(client, bufnr)
      create_commands()
      if o.keymaps then
        set_keymaps(bufnr)
      end
      if o.folding then
        enable_folding(bufnr)
      end
      if type(o.on_attach) == "function" then
        o.on_attach(client, bufnr)
      end
    end,
  }
  -- nvim-lspconfig's `configs` wants `default_config` with a root_dir function.
  config.default_config = {
    cmd = config.cmd,
    filetypes = config.filetypes,
    init_options = config.init_options,
    settings = config.settings,
    handlers = config.handlers,
    flags = config.flags,
    on_attach = config.on_attach,
    root_dir = function(fname)
      return vim.fs.root(fname, o.root_markers)
    end,
  }
  if state.mode ~= "setup" then
    state.mode, state.opts, state.config = "config", o, config
  end
  return config
end

--- Registers the server with vim.lsp.config and enables it for `filetypes`.
---@param opts? table see README.md
function M.setup(opts)
  if vim.fn.has("nvim-0.11") ~= 1 or not vim.lsp.config then
    vim.notify_once(
      "rfc-lsp: setup() needs Neovim 0.11 or newer; with an older Neovim use require(\"rfc_lsp\").config() with nvim-lspconfig",
      vim.log.levels.ERROR
    )
    return
  end
  local config = M.config(opts)
  config.name, config.default_config = nil, nil
  local o = merge_opts(opts)
  -- Markdown buffers, and YAML ones only beside a README.md (an RFC's sidecar); the root
  -- is the nearest marker's folder, else (none) the working directory.
  config.root_dir = function(bufnr, on_dir)
    local name = vim.api.nvim_buf_get_name(bufnr)
    if vim.bo[bufnr].filetype == "yaml" and not vim.uv.fs_stat(vim.fs.joinpath(vim.fs.dirname(name), "README.md")) then
      return
    end
    on_dir(vim.fs.root(bufnr, o.root_markers) or vim.fn.getcwd())
  end
  state.mode, state.opts, state.config = "setup", o, nil
  vim.lsp.config(NAME, config)
  create_commands()
  if check_cmd(o.cmd, false) then
    vim.lsp.enable(NAME)
  else
    -- Do not let every Markdown buffer fail to spawn it; :RfcRestart enables it once the
    -- binary is there.
    if vim.lsp.is_enabled and vim.lsp.is_enabled(NAME) then
      vim.lsp.enable(NAME, false)
    end
  end
end

return M
