#!/usr/bin/env bash
# Build and serve the app with live reload: http://127.0.0.1:8080
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash scripts/setup.sh
# trunk looks wasm-bindgen and wasm-opt up on PATH (Trunk.toml: offline, versions pinned).
export PATH="$ROOT/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

echo "[serve] Hindsight on http://127.0.0.1:8080 (release build; Ctrl-C to stop)"
exec trunk serve --release
