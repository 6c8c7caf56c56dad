# count.sh — --count of strings that every candidate's text must prove, over enough passages
# that the proof runs in several batches on several threads (query/prover.c): passages,
# mentions and per-form mentions equal what the pages hold and the listing's own count.
source "$(dirname "$0")/lib.bash"

pages="$TMP/pages"
mkdir -p "$pages"
# Page i holds 資料検索 (i % 4) times and 試験項目 (i % 3) times; 資料 and 検索 apart in every page
# (candidates for 資料検索's bigrams that the proof must reject).
want_passages=0 want_a=0 want_b=0
for i in $(seq 1 1300); do
  a=$((i % 4)) b=$((i % 3))
  {
    printf '文書%d\n' "$i"
    printf '資料の一覧と検索の手引き。'
    for ((k = 0; k < a; k++)); do printf '資料検索の記録。'; done
    for ((k = 0; k < b; k++)); do printf '試験項目の記録。'; done
    printf '\n'
  } >"$pages/p$i.txt"
  ((a + b > 0)) && want_passages=$((want_passages + 1))
  want_a=$((want_a + a)) want_b=$((want_b + b))
done
index --quiet "$pages"
check "indexing 1,300 pages succeeds" test $? -eq 0

c=$(query -a -c -f jsonl '資料検索 OR 試験項目')
check "passages: $c (want $want_passages)" test "$(jq .passages <<<"$c")" -eq "$want_passages"
check "mentions: $c (want $((want_a + want_b)))" test "$(jq .mentions <<<"$c")" -eq $((want_a + want_b))
check "per form: $c" jq -e ".form_mentions[\"資料検索\"] == $want_a and .form_mentions[\"試験項目\"] == $want_b" <<<"$c" >/dev/null
one=$(query -a -c -f jsonl 資料検索)
check "one string: $one" jq -e ".passages == $(seq 1 1300 | awk '$1 % 4 > 0' | wc -l) and .mentions == $want_a" <<<"$one" >/dev/null
listed=$(query -a -f jsonl 資料検索 | wc -l)
check "the listing holds as many passages as the count ($listed)" test "$listed" -eq "$(jq .passages <<<"$one")"
check "nothing matches a string the pages hold only apart" test "$(query -a -c -f jsonl 資料と検索の記録 | jq .passages)" -eq 0

finish
