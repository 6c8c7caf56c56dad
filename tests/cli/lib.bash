# lib.sh — shared helpers for the CLI tests (sourced): temp dirs, binaries, assertions that
# count passes and failures and end with the "N passed, M failed" line.
set -uo pipefail
export LC_ALL=C.UTF-8
BIN=${SHIRYO_BIN:?SHIRYO_BIN must point at the build directory}
SRC=${SHIRYO_SOURCE_DIR:?SHIRYO_SOURCE_DIR must point at the source tree}
TMP=$(mktemp -d "${SHIRYO_TEST_TMP:-/tmp}/cli.XXXXXX" 2>/dev/null || mktemp -d)
trap 'rm -rf "$TMP"' EXIT
INDEX="$TMP/index"
passed=0
failed=0

ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }
check() { # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then ok; else fail "$what"; fi
}
finish() {
  echo "$passed passed, $failed failed"
  [[ $failed -eq 0 ]]
}
index() { "$BIN/shiryo-index" --index "$INDEX" "$@"; }
query() { "$BIN/shiryo-query" --index "$INDEX" "$@"; }
