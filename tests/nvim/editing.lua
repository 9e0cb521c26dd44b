-- Headless Neovim uses rfc-lsp's completion, code actions, hover and the
-- insert-missing-sections command on a broken RFC, as a writer would.
-- Usage: nvim --headless --clean -l editing.lua <rfc-lsp> <file.md> <out.json>
local bin, file, out = arg[1], arg[2], arg[3]
local function fail(msg)
  io.stderr:write("editing.lua: " .. msg .. "\n")
  os.exit(1)
end

local attach = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h") .. "/attach.lua")
local buf, client = attach(bin, file)
vim.wait(3000, function() return #vim.diagnostic.get(buf) > 0 end, 20)

local function request(method, params)
  local res, err = client:request_sync(method, params, 10000, buf)
  if not res then fail(method .. ": " .. tostring(err)) end
  if res.err then fail(method .. " error: " .. vim.inspect(res.err)) end
  return res.result
end
local function doc() return { uri = vim.uri_from_bufnr(buf) } end
local function codes()
  local c = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do c[d.code] = (c[d.code] or 0) + 1 end
  return c
end
local function line_of(pattern)
  for i, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    if l:find(pattern, 1, true) then return i - 1, l end
  end
end

local result = {}

-- 1. Completion after `status: ` (the value cleared first, as a writer would).
local srow, sline = line_of("status: ")
vim.api.nvim_buf_set_text(buf, srow, 8, srow, #sline, { "" })
local items = request("textDocument/completion", { textDocument = doc(), position = { line = srow, character = 8 } })
items = items.items or items
result.status_items = vim.tbl_map(function(i) return i.label end, items)
table.sort(items, function(a, b) return (a.sortText or a.label) < (b.sortText or b.label) end)
-- Accept the first item, as the completion menu would.
vim.lsp.util.apply_text_edits({ items[1].textEdit }, buf, client.offset_encoding)
result.status_line = vim.api.nvim_buf_get_lines(buf, srow, srow + 1, false)[1]

-- 2. Hover on a key.
local h = request("textDocument/hover", { textDocument = doc(), position = { line = srow, character = 2 } })
result.hover = h and h.contents and h.contents.value or ""

-- 3. The quick fix for the invalid uuid: apply it, and the diagnostic goes.
vim.wait(3000, function() return codes()["status-invalid"] == nil end, 20)
local urow = line_of("doc_uuid:")
local before_uuid = codes()["uuid-invalid"] or 0
local diags = vim.tbl_filter(function(d) return d.code == "uuid-invalid" end, vim.diagnostic.get(buf))
local actions = request("textDocument/codeAction", {
  textDocument = doc(),
  range = { start = { line = urow, character = 11 }, ["end"] = { line = urow, character = 11 } },
  context = { diagnostics = vim.lsp.diagnostic.from and {} or {}, only = { "quickfix" } },
})
local uuid_action
for _, a in ipairs(actions or {}) do
  if a.title:find("UUID", 1, true) then uuid_action = a end
end
if not uuid_action then fail("no uuid action among " .. vim.inspect(vim.tbl_map(function(a) return a.title end, actions or {}))) end
vim.lsp.util.apply_workspace_edit(uuid_action.edit, client.offset_encoding)
result.uuid_line = vim.api.nvim_buf_get_lines(buf, urow, urow + 1, false)[1]
vim.wait(3000, function() return codes()["uuid-invalid"] == nil end, 20)
result.uuid_before = before_uuid
result.uuid_after = codes()["uuid-invalid"] or 0
result.uuid_preferred = uuid_action.isPreferred == true

-- 4. Insert one missing section through its quick fix.
local prow = line_of("## Proposal")
actions = request("textDocument/codeAction", {
  textDocument = doc(),
  range = { start = { line = prow, character = 0 }, ["end"] = { line = prow, character = 0 } },
  context = { diagnostics = {} },
})
local goals
for _, a in ipairs(actions or {}) do
  if a.title == "Insert section `### Goals`" then goals = a end
end
if not goals then fail("no insert-section action") end
local missing_before = codes()["section-missing"] or 0
vim.lsp.util.apply_workspace_edit(goals.edit, client.offset_encoding)
vim.wait(3000, function() return (codes()["section-missing"] or 0) < missing_before end, 20)
result.goals_row = line_of("### Goals")
result.proposal_row = line_of("## Proposal")
result.missing_before = missing_before
result.missing_after_one = codes()["section-missing"] or 0

-- 5. The command that inserts every missing section.
request("workspace/executeCommand", { command = "rfc-lsp.insertMissingSections", arguments = { vim.uri_from_bufnr(buf) } })
vim.wait(3000, function() return codes()["section-missing"] == nil end, 20)
result.missing_after_all = codes()["section-missing"] or 0
result.text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n") .. "\n"

local f = assert(io.open(out, "w"))
f:write(vim.json.encode(result))
f:close()
client:stop()
vim.wait(2000, function() return client:is_stopped() end, 10)
os.exit(0)
