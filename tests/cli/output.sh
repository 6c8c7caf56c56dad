# output.sh — every output error is an error: a write to a full disk (/dev/full) fails with one
# line on stderr and exit 2 in every format and mode; a reader that goes away (| head) ends the
# run as it ends grep's; NO_COLOR, TERM=dumb and --color; --version names the version in
# CMakeLists.txt's project() and the libraries.
source "$(dirname "$0")/lib.bash"

index "$SRC/corpus" >/dev/null 2>&1
check "index corpus/" test $? -eq 0

# full_fails WHAT COMMAND... — stdout on /dev/full: exit 2, exactly one stderr line naming it.
full_fails() {
  local what=$1; shift
  "$@" >/dev/full 2>"$TMP/err"
  local rc=$?
  check "$what > /dev/full: exit 2 (got $rc)" test $rc -eq 2
  check "$what > /dev/full: one stderr line: $(cat "$TMP/err")" test "$(wc -l <"$TMP/err")" -eq 1
  check "$what > /dev/full: says why" grep -q 'cannot write to standard output: No space left on device' "$TMP/err"
}
for f in text json jsonl tsv csv; do
  full_fails "--format $f" query --format "$f" 連携
  full_fails "--all --format $f" query --all --format "$f" 連携
  full_fails "--count --format $f" query --count --facets --format "$f" 連携
  full_fails "--programs --format $f" query --programs --format "$f"
  full_fails "--list measures --format $f" query --list measures --format "$f"
done
# stdio drops the bytes of a failed write, so when the failure falls at the end of an item the
# final flush has nothing left to fail on: the reason must still be the disk's. File names are
# in the output, so paths of every length up to 32 more bytes move the failure over the items.
pad=""
for k in $(seq 0 32); do
  mkdir -p "$TMP/pad$pad" && cp "$SRC"/corpus/*.txt "$TMP/pad$pad/" &&
    "$BIN/shiryo-index" --index "$TMP/pad-index$k" "$TMP/pad$pad" >/dev/null 2>&1 || fail "index pad $k"
  for f in text tsv csv jsonl; do
    for mode in --programs "--list measures" "--all 連携"; do
      # shellcheck disable=SC2086 # the mode is words
      "$BIN/shiryo-query" --index "$TMP/pad-index$k" --format $f $mode >/dev/full 2>"$TMP/err"
      grep -q 'cannot write to standard output: No space left on device' "$TMP/err" ||
        fail "path +$k, $mode --format $f > /dev/full: says why: $(cat "$TMP/err")"
    done
  done
  pad+=x
done
ok
full_fails "shiryo-query --help" "$BIN/shiryo-query" --help
full_fails "shiryo-query --version" "$BIN/shiryo-query" --version
full_fails "shiryo-index --help" "$BIN/shiryo-index" --help
full_fails "shiryo-index --version" "$BIN/shiryo-index" --version
full_fails "shiryo-index summary" index "$SRC/corpus"
full_fails "shiryo-index --check" "$BIN/shiryo-index" --check --index "$INDEX"
full_fails "shiryo-query --check" query --check
# Nothing to write, nothing to fail.
for mode in "" --count "--list measures" --programs; do
  # shellcheck disable=SC2086 # the mode is words
  query -q $mode 連携 >/dev/full 2>"$TMP/err"
  rc=$?
  check "-q $mode > /dev/full: exit 0 (got $rc), silent: $(cat "$TMP/err")" test $rc -eq 0 -a ! -s "$TMP/err"
done

# A reader that has gone before we write (the sleep lets `true` exit first): like grep, killed
# by SIGPIPE, silent; with SIGPIPE ignored the write fails with EPIPE: exit 2, still silent.
for sig in default ignored; do
  grep_rc=$( (if [[ $sig == ignored ]]; then trap '' PIPE; fi
              { sleep 0.5; grep . "$SRC/README.md" 2>/dev/null; } | true; echo "${PIPESTATUS[0]}") )
  rc=$( (if [[ $sig == ignored ]]; then trap '' PIPE; fi
         { sleep 0.5; query --all 連携 2>"$TMP/err"; } | true; echo "${PIPESTATUS[0]}") )
  check "closed pipe, SIGPIPE $sig: exit $rc as grep's $grep_rc" test "$rc" -eq "$grep_rc"
  check "closed pipe, SIGPIPE $sig: nothing on stderr: $(cat "$TMP/err")" test ! -s "$TMP/err"
done
query --all --format jsonl 連携 2>"$TMP/err" | head -1 >"$TMP/first"
check "| head -1: one line of JSON" jq -e .rank "$TMP/first" >/dev/null
check "| head -1: nothing on stderr" test ! -s "$TMP/err"

# Colour: auto means a terminal (script(1) gives one), not with NO_COLOR set non-empty or
# TERM=dumb; --color always wins over both, --color never over the terminal.
on_tty() { # on_tty ENV... -- ARGS: number of output lines holding an escape sequence
  local -a env=()
  while [[ $1 != -- ]]; do env+=("$1"); shift; done; shift
  local cmd
  printf -v cmd '%q ' "$BIN/shiryo-query" --index "$INDEX" --limit 2 "$@"
  env "${env[@]}" script -qec "$cmd" /dev/null | grep -c $'\033\['
}
check "terminal: colour" test "$(on_tty TERM=xterm -- 連携)" -gt 0
check "terminal, NO_COLOR=1: no colour" test "$(on_tty TERM=xterm NO_COLOR=1 -- 連携)" -eq 0
check "terminal, NO_COLOR='': colour (empty means unset)" test "$(on_tty TERM=xterm NO_COLOR= -- 連携)" -gt 0
check "terminal, TERM=dumb: no colour" test "$(on_tty TERM=dumb -- 連携)" -eq 0
check "NO_COLOR=1 --color always: colour" test "$(on_tty TERM=xterm NO_COLOR=1 -- --color always 連携)" -gt 0
check "TERM=dumb --color always: colour" test "$(on_tty TERM=dumb -- --color always 連携)" -gt 0
check "terminal, --color never: no colour" test "$(on_tty TERM=xterm -- --color never 連携)" -eq 0
check "pipe: no colour" test "$(query 連携 | grep -c $'\033\[')" -eq 0

# --version: the version of project() in CMakeLists.txt, and the libraries'.
want=$(sed -n 's/^project(shiryo VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
for prog in shiryo-query shiryo-index; do
  "$BIN/$prog" --version >"$TMP/version"
  check "$prog --version: exit 0" test $? -eq 0
  check "$prog --version: '$prog $want' first: $(head -1 "$TMP/version")" test "$(head -1 "$TMP/version")" == "$prog $want"
  check "$prog --version: Xapian, ICU, MeCab versions" grep -Eq '^Xapian [0-9.]+, ICU [0-9.]+, MeCab [0-9.]+' "$TMP/version"
  check "$prog --version: the MeCab dictionary" grep -q '^MeCab dictionary: .*sys.dic' "$TMP/version"
done
finish
