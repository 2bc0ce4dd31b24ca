#!/usr/bin/env bash
# Idempotent installer for everything the build and the tests need:
#   - Debian chromium + chromium-driver (browser tests, Playwright e2e)
#   - the wasm32-unknown-unknown Rust target
#   - trunk (pinned), wasm-bindgen-cli (= the wasm-bindgen version in Cargo.lock)
#   - npm devDependencies (Playwright test runner, binaryen's wasm-opt) from package-lock.json
# Each step is skipped when what it installs is already there at the right version,
# so a second run installs nothing and takes a few seconds.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TRUNK_VERSION="0.21.14" # 0.22 needs a newer rustc than the machine has
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$ROOT/node_modules/.bin:$CARGO_BIN:$PATH"

log() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }
step_start() { STEP_T0=$SECONDS; log "$*"; }
step_done() { log "  done in $((SECONDS - STEP_T0))s"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# --- wasm-bindgen version: single source of truth is Cargo.lock ----------------------------
WASM_BINDGEN_VERSION="$(awk '
  /^\[\[package\]\]/ { in_wb = 0 }
  /^name = "wasm-bindgen"$/ { in_wb = 1; next }
  in_wb && /^version = / { gsub(/"/, "", $3); print $3; exit }
' Cargo.lock)"
[ -n "$WASM_BINDGEN_VERSION" ] || die "could not read the wasm-bindgen version from Cargo.lock"
TRUNK_TOML_WB="$(sed -n 's/^wasm_bindgen *= *"\(.*\)".*/\1/p' Trunk.toml)"
if [ "$TRUNK_TOML_WB" != "$WASM_BINDGEN_VERSION" ]; then
  die "Trunk.toml [tools] wasm_bindgen = \"$TRUNK_TOML_WB\" but Cargo.lock has wasm-bindgen $WASM_BINDGEN_VERSION; update Trunk.toml"
fi

# --- basic toolchain presence --------------------------------------------------------------
command -v cargo >/dev/null || die "cargo not found (install Rust with rustup first)"
command -v rustup >/dev/null || die "rustup not found"
command -v node >/dev/null || die "node not found"
command -v npm >/dev/null || die "npm not found"

# --- Chromium + ChromeDriver (Debian packages) ---------------------------------------------
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  log "chromium + chromedriver present: $(/usr/bin/chromedriver --version 2>/dev/null | cut -d' ' -f1-2)"
else
  step_start "installing chromium + chromium-driver with apt-get"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium chromium-driver
  step_done
fi

# --- Rust wasm target ----------------------------------------------------------------------
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "rust target wasm32-unknown-unknown present"
else
  step_start "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
  step_done
fi

# --- trunk ---------------------------------------------------------------------------------
have_trunk="$(trunk --version 2>/dev/null || true)"
if [ "$have_trunk" = "trunk $TRUNK_VERSION" ]; then
  log "trunk $TRUNK_VERSION present"
else
  step_start "cargo install --locked trunk --version $TRUNK_VERSION (found: '${have_trunk:-none}'; takes ~10 min on 2 cores)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
  step_done
fi

# --- wasm-bindgen-cli (wasm-bindgen + wasm-bindgen-test-runner) ----------------------------
have_wb="$(wasm-bindgen --version 2>/dev/null || true)"
have_wbtr="$(wasm-bindgen-test-runner --version 2>/dev/null || true)"
if [ "$have_wb" = "wasm-bindgen $WASM_BINDGEN_VERSION" ] && [ -n "$have_wbtr" ]; then
  log "wasm-bindgen-cli $WASM_BINDGEN_VERSION present"
else
  # Deliberately without --locked: the crate's published lockfile does not build here.
  step_start "cargo install wasm-bindgen-cli --version $WASM_BINDGEN_VERSION (found: '${have_wb:-none}')"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  step_done
fi

# --- npm devDependencies (never downloads browsers) ----------------------------------------
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
lock_sum="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)"
stamp="node_modules/.hindsight-setup.sha256"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_sum" ] \
   && [ -x node_modules/.bin/wasm-opt ] && [ -x node_modules/.bin/playwright ]; then
  log "node_modules up to date with package-lock.json"
else
  # package.json overrides cbor-extract to 2.2.2: the registry here lacks the 2.2.3 platform packages,
  # and without them npm leaves them out of the lockfile and `npm ci` refuses the lockfile.
  step_start "npm ci (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1)"
  npm ci --no-audit --no-fund
  printf '%s\n' "$lock_sum" > "$stamp"
  step_done
fi

# --- crate sources ----------------------------------------------------------------------------
# Trunk.toml sets offline = true, which makes trunk run `cargo build --offline`: every crate
# in Cargo.lock (including the wasm-only ones) must already be in the local cargo cache.
step_start "cargo fetch (all targets; no-op when the cache is complete)"
cargo fetch --quiet
step_done

# --- final check: trunk must find exactly these on PATH --------------------------------------
log "tools: $(trunk --version), $(wasm-bindgen --version), $(wasm-opt --version 2>&1 | head -n1) [$(command -v wasm-opt)]"
log "       $(chromedriver --version | cut -d' ' -f1-2), $(chromium --version 2>/dev/null | head -n1), playwright $(node -p 'require("@playwright/test/package.json").version')"
