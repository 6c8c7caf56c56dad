# longpath.sh — an index directory whose name leaves no room for the paths inside it (shard
# directories, their files, the stub, the lock) is refused with one line before anything is
# written; one just short of that works end to end (no path inside it is truncated).
source "$(dirname "$0")/lib.bash"

# long_dir LENGTH — a directory path of exactly LENGTH bytes under $TMP (components of <= 200).
long_dir() {
  local want=$1 dir=$TMP/d
  while (( ${#dir} + 201 < want )); do dir+=/$(printf 'a%.0s' {1..200}); done
  dir+=/$(printf 'b%.0s' $(seq $((want - ${#dir} - 1))))
  printf '%s' "$dir"
}
limit=$((4096 - 2 - 64 - 256))

ok_dir=$(long_dir $limit)
check "path of $limit bytes" test ${#ok_dir} -eq $limit
mkdir -p "$ok_dir"
out=$("$BIN/shiryo-index" --index "$ok_dir" "$SRC/corpus" 2>&1)
check "a $limit-byte index directory works: $out" test $? -eq 0
n=$("$BIN/shiryo-query" --index "$ok_dir" --count --format jsonl 連携 | jq .passages)
check "and answers queries: $n passages" test "${n:-0}" -gt 0

bad_dir=$(long_dir $((limit + 1)))
mkdir -p "$(dirname "$bad_dir")"
"$BIN/shiryo-index" --index "$bad_dir" "$SRC/corpus" >/dev/null 2>"$TMP/err"
rc=$?
check "a $((limit + 1))-byte index directory: exit 2 (got $rc)" test $rc -eq 2
check "one line: $(cat "$TMP/err")" test "$(wc -l <"$TMP/err")" -eq 1
check "says what to do" grep -q 'give a shorter --index' "$TMP/err"
check "nothing created" test ! -e "$bad_dir"
finish
