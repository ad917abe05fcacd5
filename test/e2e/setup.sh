#!/usr/bin/env bash
# Installs what the end-to-end test needs, outside the project's node_modules so that
# `npm install` stays light: Debian's Chromium (and libkrb5-dev and ripgrep, which
# code-server's install needs), then code-server 4.100.3 and playwright-core in a prefix of
# their own — $LANTERN_E2E_PREFIX, by default ~/.cache/lantern-e2e. Safe to run again: a
# prefix that already holds both is left as it is.
set -euo pipefail

PREFIX="${LANTERN_E2E_PREFIX:-$HOME/.cache/lantern-e2e}"
CODE_SERVER_VERSION=4.100.3   # the last release that runs on Node 20
PLAYWRIGHT_VERSION=1.65.1

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v rg >/dev/null || need_apt+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ "${#need_apt[@]}" -gt 0 ]; then
  echo "e2e setup: apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ -x "$PREFIX/node_modules/.bin/code-server" ] && [ -d "$PREFIX/node_modules/playwright-core" ] \
  && grep -q "\"version\": \"$CODE_SERVER_VERSION\"" "$PREFIX/node_modules/code-server/package.json"; then
  echo "e2e setup: code-server $CODE_SERVER_VERSION and playwright-core already in $PREFIX"
  exit 0
fi

mkdir -p "$PREFIX"
# @vscode/ripgrep's postinstall would download rg; it first looks for this cached tarball,
# which we fill with Debian's rg (a tarball it finds wanting, it deletes).
export TMPDIR="${TMPDIR:-/tmp}"
cache="$TMPDIR/vscode-ripgrep-cache-1.15.11"
tarball="$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -f "$tarball" ]; then
  staging="$(mktemp -d)"
  mkdir -p "$cache"
  cp "$(command -v rg)" "$staging/rg"
  # It unpacks with `tar xvf` into its bin/: rg sits at the tarball's top.
  tar -czf "$tarball" -C "$staging" rg
  rm -rf "$staging"
fi

# A package.json of the prefix's own: npm 11 runs only the install scripts it allows.
cat > "$PREFIX/package.json" <<JSON
{
  "name": "lantern-e2e-tools",
  "private": true,
  "description": "code-server and playwright-core for Lantern's end-to-end test (test/e2e/setup.sh)",
  "allowScripts": { "code-server": true }
}
JSON
echo "e2e setup: npm install code-server@$CODE_SERVER_VERSION playwright-core@$PLAYWRIGHT_VERSION in $PREFIX (about 70 s)"
(
  cd "$PREFIX"
  # code-server's postinstall refuses root without unsafe_perm; node-pty's runs `npx node-gyp`.
  npm_config_unsafe_perm=true npm_config_yes=true \
    npm install --no-audit --no-fund --loglevel=error \
    "code-server@$CODE_SERVER_VERSION" "playwright-core@$PLAYWRIGHT_VERSION"
)
echo "e2e setup: code-server $(node -p "require('$PREFIX/node_modules/code-server/package.json').version") ready in $PREFIX"
