#!/usr/bin/env bash
# Installs exactly what package-lock.json says (npm ci), once per lock-file change; later calls return at once.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=node_modules/.perf-optimizer-lock.sha256
wanted=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
	echo "Installing dependencies (npm ci)..."
	npm ci --no-audit --no-fund
	echo "$wanted" > "$stamp"
fi
