# valgrind.sh — the end-to-end path under valgrind: indexing corpus/ (parent and shard workers)
# and queries in every output format, with --error-exitcode=1 and no definite or indirect leaks.
source "$(dirname "$0")/lib.bash"

command -v valgrind >/dev/null || { fail "valgrind is not installed (scripts/deps.sh --test installs it)"; finish; exit 1; }
VG=(valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect
    --show-leak-kinds=definite,indirect --trace-children=yes --child-silent-after-fork=no)

"${VG[@]}" "$BIN/shiryo-index" --index "$INDEX" "$SRC/corpus" "$SRC/tests/fixtures/pages" \
  "$SRC/tests/fixtures/programs/sheets" >"$TMP/out" 2>"$TMP/err"
rc=$?
check "index under valgrind exits 0 (got $rc): $(head -c 2000 "$TMP/err")" test $rc -eq 0
"${VG[@]}" "$BIN/shiryo-index" --index "$INDEX" "$SRC/corpus" >"$TMP/out" 2>"$TMP/err"
rc=$?
check "re-index under valgrind exits 0 (got $rc): $(head -c 2000 "$TMP/err")" test $rc -eq 0

run_q() { # expected-status args...
  local want=$1; shift
  "${VG[@]}" "$BIN/shiryo-query" --index "$INDEX" "$@" >"$TMP/out" 2>"$TMP/err"
  local rc=$?
  check "query $* under valgrind exits $want (got $rc): $(head -c 2000 "$TMP/err")" test $rc -eq "$want"
}
run_q 0 地域連携拠点
run_q 0 --format jsonl --all ＭＥＤＩＣ
run_q 0 --format json --facets 連携
run_q 0 --format tsv --fields rank,file,text CRB
run_q 0 --format csv '"医工連携 グロー" OR 事業 -予算'
run_q 0 --count --facets 案
run_q 0 --list measures
run_q 0 --programs
run_q 0 --programs 読書活動 --format json
run_q 0 --programs --format csv
run_q 0 --fy 令和7 --ministry 経産省 --all
run_q 1 存在しない語句
run_q 2 '"unbalanced'
run_q 2 'bogus:field'
"${VG[@]}" "$BIN/shiryo-query" --index "$TMP/missing" x >"$TMP/out" 2>"$TMP/err"
rc=$?
check "missing index under valgrind exits 2 (got $rc): $(head -c 2000 "$TMP/err")" test $rc -eq 2

finish
