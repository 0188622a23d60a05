#!/usr/bin/env bash
# `npm test`: everything a fresh clone needs, then the type check and the jest suites.
set -euo pipefail
cd "$(dirname "$0")/.."

# Install exactly what package-lock.json says, once per lock-file change (npm ci takes ~40 s; later runs skip it).
stamp=node_modules/.perf-optimizer-lock.sha256
wanted=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
	echo "Installing dependencies (npm ci)..."
	npm ci --no-audit --no-fund
	echo "$wanted" > "$stamp"
fi

npm run --silent typecheck

results=$(mktemp)
trap 'rm -f "$results"' EXIT
status=0
npx jest --json --outputFile="$results" "$@" || status=$?
node -e '
	const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
	console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
' "$results" || true
exit $status
