#!/usr/bin/env bash
# `npm run test:e2e:matrix`: the end-to-end suite once per n8n version, each provisioned and cached like the pinned one
# (scripts/e2e/provision.sh), then one summary line per version. `.ci/run` keeps to the pinned version (`npm run test:e2e`).
#   N8N_MATRIX="1.123 2.0 2.40.7 2.41.1"   versions or minors to run (a minor means its latest patch on the registry)
#   extra arguments go to jest, e.g. `npm run test:e2e:matrix -- test/e2e/package`
# The default list: the last 1.x minor; the first 2.x minor that installs here; the pinned version; the newest 2.x that
# installs from the registry (2.41.3, the newest release, does not: it needs @n8n/agents@0.26.2, which was never
# published; 2.41.1 needs 0.26.1, which was).
set -uo pipefail
cd "$(dirname "$0")/.."
read -r -a SPECS <<<"${N8N_MATRIX:-1.123 2.0 2.40.7 2.41.1}"

bash scripts/ensure-deps.sh || exit 1
bash scripts/ensure-system-packages.sh chromium redis-server 'postgresql=/usr/lib/postgresql/*/bin/initdb' || exit 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A minor (2.0) is its newest patch on the registry; an exact version is itself.
resolve_version() {
	if [[ "$1" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then echo "$1"; return; fi
	npm view "n8n@~$1.0" version --json 2>/dev/null |
		node -e 'const v = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(require("semver").rsort([v].flat())[0] ?? "")'
}

summaries=()
status=0
for spec in "${SPECS[@]}"; do
	version=$(resolve_version "$spec")
	if [ -z "$version" ]; then
		summaries+=("n8n $spec: no such version on the registry")
		status=1
		continue
	fi
	echo "== n8n $version (from '$spec')"
	started=$SECONDS
	N8N_VERSION="$version" bash scripts/e2e/provision.sh >"$work/provision-$version.out" 2>"$work/provision-$version.err"
	provisioned=$?
	cat "$work/provision-$version.err" >&2
	install_s=$((SECONDS - started))
	# Whether this run installed n8n, or found it ready in the cache.
	install_kind=cached
	grep -q "installing n8n@$version" "$work/provision-$version.err" && install_kind=installed
	if [ $provisioned -ne 0 ]; then
		summaries+=("n8n $version: NOT INSTALLED after ${install_s} s ($(grep -m1 FAILED "$work/provision-$version.err" | sed 's/^\[provision\] FAILED: //'))")
		status=1
		continue
	fi
	node_version=$(sed -n 's/^NODE_VERSION=//p' "$work/provision-$version.out")
	started=$SECONDS
	N8N_VERSION="$version" npx jest --config jest.e2e.config.js --verbose --json --outputFile="$work/results-$version.json" "$@" || status=1
	run_s=$((SECONDS - started))
	summaries+=("$(node -e '
		const [file, version, node, kind, installS, runS] = process.argv.slice(1);
		let r;
		try { r = JSON.parse(require("node:fs").readFileSync(file, "utf8")); } catch { console.log(`n8n ${version}: the suite did not report (see its output above)`); process.exit(); }
		const skipped = r.numPendingTests + r.numTodoTests;
		const failedFiles = r.testResults.filter((file) => file.status === "failed" && file.assertionResults.length === 0).length;
		console.log(`n8n ${version} on Node ${node}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped${failedFiles ? `, ${failedFiles} test file(s) failed to run` : ""}; provisioning ${installS} s (${kind}), suite ${runS} s`);
	' "$work/results-$version.json" "$version" "$node_version" "$install_kind" "$install_s" "$run_s")")
done

echo
echo "== n8n version matrix"
printf '%s\n' "${summaries[@]}"
exit $status
