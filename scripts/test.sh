#!/usr/bin/env bash
# Every test of the project, in order:
#   1. native:  cargo test for every workspace crate except the wasm app (hindsight-core, ...)
#   2. browser: cargo test -p hindsight --target wasm32-unknown-unknown
#               (wasm-bindgen-test-runner + chromedriver + headless Chromium)
#   3. build:   trunk build --release (offline, pinned wasm-bindgen / wasm-opt)
#   4. e2e:     Playwright (tests/e2e) against dist/ served on http://127.0.0.1:8081
# Every stage runs even when an earlier one failed (e2e needs the build); the script exits
# non-zero if any stage failed and closes with one line 'summary: N passed, M failed'.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash scripts/setup.sh

export PATH="$ROOT/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ -z "${CHROMEDRIVER:-}" ] && [ -x /usr/bin/chromedriver ]; then
  export CHROMEDRIVER=/usr/bin/chromedriver
fi
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="$ROOT/webdriver.json"
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

LOGDIR="$(mktemp -d "${TMPDIR:-/tmp}/hindsight-test.XXXXXX")"
trap 'rm -rf "$LOGDIR"' EXIT

TOTAL_PASSED=0
TOTAL_FAILED=0
FAILED_STAGES=()
STAGE_LINES=()

# Counts from cargo / wasm-bindgen-test-runner ("test result: ok. 3 passed; 0 failed; ...").
count_cargo() { # $1 = log, $2 = passed|failed
  { grep -E '^test result: ' "$1" || true; } | { grep -oE "[0-9]+ $2" || true; } | awk '{s += $1} END {print s + 0}'
}
# Counts from Playwright's list reporter ("  3 passed (4.1s)", "  1 failed", "  1 flaky").
count_pw() { # $1 = log, $2 = regex of outcomes
  { grep -E "^ +[0-9]+ ($2)( |\$)" "$1" || true; } | awk '{s += $1} END {print s + 0}'
}

# run_stage NAME KIND CMD... : runs CMD, tees its output, adds its counts to the totals.
run_stage() {
  local name="$1" kind="$2"; shift 2
  local log="$LOGDIR/$name.log" rc t0=$SECONDS passed failed
  echo
  echo "=== [$name] $* ==="
  set +e
  "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  set -e
  case "$kind" in
    cargo) passed=$(count_cargo "$log" passed); failed=$(count_cargo "$log" failed) ;;
    playwright) passed=$(count_pw "$log" 'passed|flaky'); failed=$(count_pw "$log" 'failed|interrupted') ;;
    *) passed=0; failed=0 ;;
  esac
  if [ "$rc" -ne 0 ]; then
    FAILED_STAGES+=("$name")
    # a stage that failed without a failing test (compile error, crash) counts as one failure
    [ "$failed" -gt 0 ] || failed=1
  fi
  TOTAL_PASSED=$((TOTAL_PASSED + passed))
  TOTAL_FAILED=$((TOTAL_FAILED + failed))
  STAGE_LINES+=("$(printf '%-8s exit %-3s %4s passed %4s failed  %4ss' "$name" "$rc" "$passed" "$failed" "$((SECONDS - t0))")")
  return 0
}

# 1. Native tests: every workspace member except the wasm app crate, whose tests are
#    browser-only (wasm_bindgen_test_configure!(run_in_browser)).
run_stage native cargo cargo test --workspace --exclude hindsight --no-fail-fast

# 2. Browser tests of the app crate, in headless Chromium.
run_stage browser cargo cargo test -p hindsight --target wasm32-unknown-unknown --no-fail-fast

# 3. Release build with trunk into dist/.
run_stage build none trunk build --release

# 4. End-to-end tests against dist/ (playwright.config.ts starts tests/e2e/serve-dist.mjs).
if [[ " ${FAILED_STAGES[*]-} " == *" build "* ]]; then
  echo
  echo "=== [e2e] skipped: trunk build failed ==="
  FAILED_STAGES+=("e2e")
  TOTAL_FAILED=$((TOTAL_FAILED + 1))
  STAGE_LINES+=("$(printf '%-8s skipped (no build)' e2e)")
else
  run_stage e2e playwright playwright test
fi

echo
echo "=== results ==="
printf '%s\n' "${STAGE_LINES[@]}"
if [ "${#FAILED_STAGES[@]}" -gt 0 ]; then
  echo "failed stages: ${FAILED_STAGES[*]}"
fi
echo "summary: $TOTAL_PASSED passed, $TOTAL_FAILED failed"
[ "${#FAILED_STAGES[@]}" -eq 0 ]
