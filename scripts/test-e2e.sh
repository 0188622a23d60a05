#!/usr/bin/env bash
# `npm run test:e2e`: the package inside a real n8n 2.40.7, or N8N_VERSION (provisioned once per machine and version,
# see scripts/e2e/provision.sh). `npm run test:e2e:matrix` runs it on several versions.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
# Chromium for the editor smoke test; Redis and PostgreSQL for queue mode (n8n's workers need a real database).
bash scripts/ensure-system-packages.sh chromium redis-server 'postgresql=/usr/lib/postgresql/*/bin/initdb'
results=$(mktemp)
trap 'rm -f "$results"' EXIT
status=0
npx jest --config jest.e2e.config.js --json --outputFile="$results" "$@" || status=$?
node -e '
	const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
	console.log(`e2e: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
' "$results" || true
exit $status
