#!/usr/bin/env bash
# Installs the peers of the purchase-rule comparison (json-rules-engine, @gorules/zen-engine) into
# bench/peers/node_modules. Not part of scripts/setup: only bench/peers needs Node.js and npm.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npm >/dev/null; then
  echo "install.sh: npm not found; install Node.js 18+ first" >&2
  exit 2
fi
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
node -e 'import("json-rules-engine").then(() => import("@gorules/zen-engine")).then(() => console.log("peers installed"))'
