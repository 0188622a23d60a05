#!/usr/bin/env bash
# `npm start`: the demo (see scripts/demo.ts). Installs what it needs on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
export TS_NODE_PROJECT=tsconfig.test.json TS_NODE_PREFER_TS_EXTS=true
exec node -r ts-node/register/transpile-only scripts/demo.ts
