#!/usr/bin/env bash
# `npm test`: everything a fresh clone needs, then the type check and the jest suites.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-deps.sh
# The Redis backend's tests start their own redis-server on a free loopback port.
bash scripts/ensure-system-packages.sh redis-server

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
