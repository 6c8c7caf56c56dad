# ties.sh — a ranked list orders passages of equal weight by page and passage, however the index
# is split into shards: a top-N list is exactly the first N of the whole ranking (--all --sort
# rank), where the equal weights straddle the N-th place, run far past it, or all matches fit.
source "$(dirname "$0")/lib.bash"

pages="$TMP/pages"
mkdir -p "$pages"
# page NAME K WORD: a page whose body holds the sentence with WORD K times out of 4 (same length).
page() {
  local name=$1 k=$2 body="" i
  for ((i = 0; i < 4; i++)); do
    if ((i < k)); then body+="鯨類の${3}調査を行う。"; else body+="海洋の環境を調べる。"; fi
  done
  printf '調査報告 第%s号\n\n%s\n' "$name" "$body" >"$pages/$name.txt"
}
# 捕獲: 5 heavy, 25 tied in the middle (across the 10th place and more), 30 lighter.
for i in $(seq 1 5); do page "h$i" 3 捕獲; done
for i in $(seq 1 25); do page "m$i" 2 捕獲; done
for i in $(seq 1 30); do page "l$i" 1 捕獲; done
# 観測: 70 passages of one weight; half of them (the first by page) come in a second run, so
# their docids are the highest: docid order is not the page order.
for i in $(seq 36 70); do page "t$i" 1 観測; done
for jobs in 1 2 3; do
  "$BIN/shiryo-index" --quiet --jobs "$jobs" --index "$TMP/idx$jobs" "$pages" ||
    fail "indexing with --jobs $jobs"
done
for i in $(seq 1 35); do page "t$i" 1 観測; done
for jobs in 1 2 3; do
  "$BIN/shiryo-index" --quiet --index "$TMP/idx$jobs" "$pages" || fail "adding pages (--jobs $jobs)"
done
list() { # list IDX ARGS...: file and score of each result
  "$BIN/shiryo-query" --index "$@" --format jsonl | jq -r '[(.file | sub(".*/"; "")), .score] | @tsv'
}
for word in 捕獲 観測; do
  list "$TMP/idx1" --all --sort rank "$word" >"$TMP/whole"
  check "$word: --all --sort rank lists every match" [ "$(wc -l <"$TMP/whole")" -ge 60 ]
  for jobs in 1 2 3; do
    list "$TMP/idx$jobs" --all --sort rank "$word" >"$TMP/got"
    check "$word: --all --sort rank the same over $jobs shards" cmp -s "$TMP/whole" "$TMP/got"
    for n in 1 10 24 30 100; do
      list "$TMP/idx$jobs" --limit "$n" "$word" >"$TMP/got"
      check "$word: --limit $n over $jobs shards is the first $n of the whole ranking" \
        cmp -s <(head -n "$n" "$TMP/whole") "$TMP/got"
    done
  done
done
finish
