# faults.sh — every failure point of a small indexing run, one at a time, as SQLite's fault tests
# do: the shim's SHIRYO_FAULT hook (test builds only) makes the Nth open, write, commit or
# compaction fail with the error a real failure raises. After each one: the message names the
# index and says what to do, the index opens and answers exactly as before the run or as after
# it, and a rerun completes it.
source "$(dirname "$0")/lib.bash"

in="$TMP/in"
mkdir -p "$in"
page() { printf '資料%s 会議資料 (1 ページ)\n%s\n' "$1" "$2" >"$in/$1.txt"; }
page a "連携の推進について一つ目の行です。"
page b "連携を強化する二つ目の資料です。"
page c "消える予定の資料です。連携。"
page d "変わらない資料です。"
base="$TMP/base"
"$BIN/shiryo-index" --quiet --jobs 1 --index "$base" "$in" || { fail "base build"; finish; exit 1; }

# The run under test: one file changed, one removed, two added.
page b "連携を強化する二つ目の資料です。書き換えました。"
rm "$in/c.txt"
page e "新しく加わる資料です。連携。"
page f "もう一つ新しい資料です。"

listing() { # every passage of the index, as file and text: the index's whole answer
  "$BIN/shiryo-query" --index "$1" -a -f tsv --fields file,text 'page:1 OR -page:1' 2>&1 | sort
}
before=$(listing "$base")
cp -a "$base" "$TMP/expected"
"$BIN/shiryo-index" --quiet --index "$TMP/expected" "$in" || fail "the run without faults"
after=$(listing "$TMP/expected")
check "the run changes the answer (before and after differ)" test "$before" != "$after"

work="$TMP/work"
points=0
for kind in open write commit compact; do
  for n in $(seq 1 200); do
    rm -rf "$work" && cp -a "$base" "$work"
    err=$(SHIRYO_FAULT="$kind:$n" "$BIN/shiryo-index" --quiet --index "$work" "$in" 2>&1)
    rc=$?
    if ! grep -q 'injected fault' <<<"$err"; then
      check "$kind:$n is past the last $kind: the run completes (rc $rc): $err" test $rc -eq 0
      break
    fi
    points=$((points + 1))
    now=$(listing "$work")
    check "$kind:$n: the index answers as before the run or as after it" \
      test "$now" == "$before" -o "$now" == "$after"
    check "$kind:$n: one line: $err" test "$(wc -l <<<"$err")" -eq 1
    check "$kind:$n: names the index: $err" grep -qF "index $work" <<<"$err"
    if [[ $kind == compact ]]; then
      check "compact:$n: every passage committed: exit 0 (got $rc)" test $rc -eq 0
      check "compact:$n: says it is kept and retried: $err" grep -q 'not compacted.*next run compacts it' <<<"$err"
      check "compact:$n: full disk: space advice: $err" grep -q 'free space on the disk' <<<"$err"
      stub=$(cat "$work/XAPIANDB")
    else
      check "$kind:$n: exits 2 (got $rc)" test $rc -eq 2
      check "$kind:$n: a full disk is called so, with the way out: $err" \
        grep -q 'the disk is full.*intact at its last commit: free space on the disk' <<<"$err"
      check "$kind:$n: never called damage: $err" bash -c "! grep -q damaged <<<\"\$1\"" _ "$err"
    fi
    out=$("$BIN/shiryo-index" --quiet --index "$work" "$in" 2>&1)
    check "$kind:$n: the rerun completes: $out" test $? -eq 0 -a -z "$out"
    check "$kind:$n: after the rerun the index answers as after the run" test "$(listing "$work")" == "$after"
    if [[ $kind == compact ]]; then
      check "compact:$n: the rerun compacts the shard it could not ($stub)" test "$(cat "$work/XAPIANDB")" != "$stub"
      check "compact:$n: no flag or partial copy left" test -z "$(ls "$work" | grep -e '\.compact$' -e 'shard.*\.g.*\.g')"
    fi
    check "$kind:$n: the index is sound" "$BIN/shiryo-index" --check --index "$work" >/dev/null
  done
done
echo "walked $points failure points"
check "the walk met every kind of failure point ($points)" test "$points" -ge 8

# Other errors than a full disk are reported for what they are.
rm -rf "$work" && cp -a "$base" "$work"
err=$(SHIRYO_FAULT="commit:2:EIO" "$BIN/shiryo-index" --quiet --index "$work" "$in" 2>&1)
check "an I/O error: exit 2, the index intact, check the disk: $err" \
  grep -q "index $work: .*Input/output error.*intact at its last commit: check the disk" <<<"$err"
err=$(SHIRYO_FAULT="open:1:EACCES" "$BIN/shiryo-index" --quiet --index "$work" "$in" 2>&1)
check "a permission error is not damage: $err" grep -q "index $work: permission denied.*run shiryo-index as the user who owns" <<<"$err"
check "the index still answers as before" test "$(listing "$work")" == "$before"

finish
