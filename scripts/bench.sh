#!/usr/bin/env bash
# Benchmarks (not tests): builds the release version and measures it in headless
# Chromium; writes bench/REPORT.md. Usage: bash scripts/bench.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
export PATH="$ROOT/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
trunk build --release
node bench/dashboard.bench.mjs
node bench/latency.bench.mjs
