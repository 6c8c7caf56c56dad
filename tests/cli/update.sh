#!/usr/bin/env bash
# update.sh — incremental updates are exact: after files are edited, deleted, renamed and added
# (twice over, so that replaced passages pile up in the deletion lists), every answer of a query
# list — matching passages in document order with their text and mentions, counts, facets, -q —
# equals that of a clean build of the same files. The shards have no termlist table: replaced
# passages stay in them, listed as deleted, until the shard is rebuilt.
source "$(dirname "$0")/lib.bash"

pages="$TMP/pages"
mkdir -p "$pages"
corpus_tar="$SRC/../shared/corpora/egov-law-20mb.tar.xz"
if [[ -r $corpus_tar ]]; then
  tar -xJf "$corpus_tar" -C "$TMP" egov-law-20mb/pages
  ls "$TMP/egov-law-20mb/pages" | head -120 | while read -r f; do mv "$TMP/egov-law-20mb/pages/$f" "$pages/"; done
  rm -rf "$TMP/egov-law-20mb"
else
  for i in $(seq 1 120); do { cat "$SRC/tests/fixtures/pages/law_egov.txt"; echo "第${i}号の追加行。"; } >"$pages/p$i.txt"; done
fi
cp "$SRC"/corpus/*.txt "$SRC"/tests/fixtures/pages/*.txt "$pages/"
mapfile -t files < <(ls "$pages" | sort)

incremental="$TMP/incremental"
clean="$TMP/clean"
"$BIN/shiryo-index" --quiet --jobs 2 --index "$incremental" "$pages"
check "first build" test $? -eq 0

# Round 1: edit, delete, rename, add.
edit() { # edit FILE: change a common word, add a line with a new word, drop the last line
  sed -i -e 's/政令/改正政令/g' -e '$d' "$1" && echo "更新語を含む新しい行、医工連携グローバル展開事業。" >>"$1"
}
for i in 3 10 17 000_68858178ce9f1934.txt; do
  if [[ $i == *.txt ]]; then f=$i; else f=${files[$i]:-}; fi
  [[ -n $f && -e $pages/$f ]] && edit "$pages/$f"
done
for i in 5 12 19; do rm -f "$pages/${files[$i]}"; done
for i in 7 14 21; do mv "$pages/${files[$i]}" "$pages/renamed_${files[$i]}"; done
{ head -n 12 "$pages/${files[30]}"; echo "追加された頁。国土交通省令で定める基準による。"; } >"$pages/added1.txt"
cp "$pages/${files[31]}" "$pages/added2.txt"
out=$("$BIN/shiryo-index" --index "$incremental" "$pages" 2>&1)
check "update run 1 exits 0: $out" test $? -eq 0
check "update run 1 reports the changes: $out" grep -Eq '[1-9][0-9]* updated, .*[1-9][0-9]* removed' <<<"$out"

# Round 2: edit an edited file and a renamed one again, delete an added one, revert an edit.
edit "$pages/${files[3]}"
edit "$pages/renamed_${files[7]}"
rm -f "$pages/added2.txt"
cp "$pages/${files[40]}" "$pages/added3.txt"
out=$("$BIN/shiryo-index" --index "$incremental" "$pages" 2>&1)
check "update run 2 exits 0: $out" test $? -eq 0

"$BIN/shiryo-index" --quiet --jobs 2 --index "$clean" "$pages"
check "clean build" test $? -eq 0

docs() { xapian-delve "$1" | awk -F' = ' '/number of documents/ { print $2 }'; }
check "the incremental index still holds the replaced passages ($(docs "$incremental") vs $(docs "$clean"))" \
  test "$(docs "$incremental")" -gt "$(docs "$clean")"

queries=(
  'page:1 OR -page:1' 政令 改正政令 更新語 医工連携グローバル展開事業 国土交通省令で定める 法 条 案 の
  '"この法律"' 施行 '国土交通大臣 許可' '罰金 OR 懲役' '政令 -改正政令' '-政令 施行' 第三条
  'fy:2025' 'fy:2025 連携' 'ministry:経 OR 政令' 'file:renamed' 'file:added 基準' 'page:2 法律'
  '(改正 OR 更新) 行' 'ＭＥＤＩＣ' 令和 ブロックチェーン
)
same() { # same DESCRIPTION ARGS...: both indexes answer ARGS alike
  local what=$1; shift
  local a b
  a=$("$BIN/shiryo-query" --index "$incremental" "$@" 2>&1; echo "rc=$?")
  b=$("$BIN/shiryo-query" --index "$clean" "$@" 2>&1; echo "rc=$?")
  if [[ $a == "$b" ]]; then ok; else
    fail "$what: incremental and clean builds differ"
    diff <(echo "$b") <(echo "$a") | head -5 >&2
  fi
}
compare_all() { # compare_all ROUND: every answer of the query list, both indexes
  passages_seen=0
  for q in "${queries[@]}"; do
    same "$1: --all $q" --all -f jsonl --fields file,lines,text,highlights "$q"
    same "$1: --count $q" --all --count -f jsonl "$q"
    same "$1: --facets $q" --count --facets -f json "$q"
    same "$1: -q $q" -q "$q"
    n=$("$BIN/shiryo-query" --index "$clean" --all --count -f jsonl "$q" | jq .passages)
    passages_seen=$((passages_seen + ${n:-0}))
  done
  check "$1: the query list matches passages ($passages_seen)" test "$passages_seen" -gt 1000
}
compare_all "after 2 updates"
check "the new word of the edited files is found" test \
  "$("$BIN/shiryo-query" --index "$incremental" -c -f jsonl 更新語 | jq .passages)" -ge 3
check "a deleted file is gone" test -z "$("$BIN/shiryo-query" --index "$incremental" --all -f jsonl \
  "file:${files[5]%.txt}" 2>/dev/null)"


# Round 3: most files change, so replaced passages outnumber a quarter of each shard: the run
# rebuilds those shards from their files, and the deletion lists are gone with them.
for f in "$pages"/*.txt; do
  ((RANDOM % 10 < 7)) && edit "$f"
done
out=$("$BIN/shiryo-index" --index "$incremental" "$pages" 2>&1)
check "update run 3 exits 0: $out" test $? -eq 0
"$BIN/shiryo-index" --quiet --rebuild --jobs 2 --index "$clean" "$pages"
check "the rebuilt shards hold no replaced passage ($(docs "$incremental") vs $(docs "$clean"))" \
  test "$(docs "$incremental")" -eq "$(docs "$clean")"
compare_all "after a rebuild"

finish
