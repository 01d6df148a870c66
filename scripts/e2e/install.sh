#!/usr/bin/env bash
# Installs what the in-editor tests need, outside the project's own dependencies:
#   - Debian packages: chromium (the browser Playwright drives), libkrb5-dev + pkg-config (code-server's
#     native `kerberos` build), ripgrep (seeds @vscode/ripgrep, whose postinstall would download rg),
#     unzip (the run unpacks the VSIX to test exactly what ships).
#   - code-server 4.100.3 (VS Code 1.100.3, the newest that runs on Node 20) into .e2e/cs, git-ignored,
#     never in the project's package.json or lockfile.
# Idempotent: a second run with everything in place does nothing and takes well under a second.
set -euo pipefail
cd "$(dirname "$0")/../.."

CODE_SERVER_VERSION=4.100.3
# The @vscode/ripgrep that code-server 4.100.3 pulls in, and the rg release it downloads.
RIPGREP_PKG_VERSION=1.15.11
RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
CS_DIR=.e2e/cs

say() { printf '[e2e install] %s\n' "$*"; }

# 1. Debian packages (apt-get update only when something is missing).
missing=()
for p in chromium libkrb5-dev pkg-config ripgrep unzip; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then as_root=(env);
  elif command -v sudo >/dev/null; then as_root=(sudo env);
  else say "need root or sudo to install: ${missing[*]} (or set HEADROOM_SKIP_E2E=1)"; exit 1; fi
  say "apt-get install ${missing[*]}"
  "${as_root[@]}" DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${as_root[@]}" DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. code-server.
installed=$(node -p "try{require('./$CS_DIR/node_modules/code-server/package.json').version}catch{''}" 2>/dev/null || true)
if [ "$installed" = "$CODE_SERVER_VERSION" ] && [ -f "$CS_DIR/.complete" ]; then
  say "code-server $CODE_SERVER_VERSION already in $CS_DIR"
  exit 0
fi

# @vscode/ripgrep's postinstall looks in <os.tmpdir()>/vscode-ripgrep-cache-<version>/ before
# downloading: put Debian's rg there, as the tarball it expects (rg at the root).
cache_dir="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION"
if [ ! -f "$cache_dir/$RIPGREP_ASSET" ]; then
  say "seeding $cache_dir/$RIPGREP_ASSET with $(command -v rg)"
  mkdir -p "$cache_dir"
  tmp=$(mktemp -d)
  cp "$(command -v rg)" "$tmp/rg"
  tar -czf "$cache_dir/$RIPGREP_ASSET" -C "$tmp" rg
  rm -rf "$tmp"
fi

say "npm install code-server@$CODE_SERVER_VERSION into $CS_DIR (about a minute)"
mkdir -p "$CS_DIR"
[ -f "$CS_DIR/package.json" ] || echo '{ "name": "headroom-e2e-code-server", "private": true }' > "$CS_DIR/package.json"
rm -f "$CS_DIR/.complete"
# unsafe_perm: code-server's postinstall refuses to run as root without it (npm 11 has no flag for it).
# yes: node-pty's postinstall runs `npx node-gyp`, which would otherwise ask.
npm_config_unsafe_perm=true npm_config_yes=true \
  npm install --prefix "$CS_DIR" --no-audit --no-fund --save-exact --loglevel=error "code-server@$CODE_SERVER_VERSION"
# code-server writes a config and a data folder under XDG_* even for --version: keep them in .e2e.
version=$(XDG_CONFIG_HOME="$PWD/.e2e/xdg/config" XDG_DATA_HOME="$PWD/.e2e/xdg/data" "$CS_DIR/node_modules/.bin/code-server" --version | grep -m1 'with Code')
touch "$CS_DIR/.complete"
say "installed code-server $version"
