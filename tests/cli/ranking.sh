# ranking.sh — nDCG@5 over the judged query set on the sample page
# (tests/fixtures/judged/sample_queries.tsv). Prints the score of every query and the mean;
# fails if the mean falls below what the ranking reached when this test was written.
source "$(dirname "$0")/lib.bash"
MIN_NDCG=${SHIRYO_MIN_NDCG:-0.97}

index "$SRC/corpus" >/dev/null 2>&1 || fail "indexing corpus/"

# jq program: given the grade:snippet judgments, the top-5 and all matching passages, nDCG@5.
ndcg='
  def gain($text): [$judg[] | . as $j | select($text | contains($j.snippet))] | map(.grade) | max // 0;
  def dcg(gains): [range(0; [gains | length, 5] | min) as $i | (gains[$i] / ((($i + 2) | log) / (2 | log)))] | add // 0;
  (dcg([$top[] | gain(.text)])) as $dcg
  | (dcg([$all[] | gain(.text)] | sort | reverse)) as $ideal
  | if $ideal == 0 then 0 else $dcg / $ideal end'

sum=0
n=0
while IFS=$'\t' read -r q rest; do
  [[ -z $q || $q == \#* ]] && continue
  judg=$(tr '\t' '\n' <<<"$rest" | jq -R 'split(":") | {grade: (.[0] | tonumber), snippet: (.[1:] | join(":"))}' | jq -s .)
  # --strict: the exact ranking is judged against the ideal order of --all (exact matches)
  query --limit 5 --strict --format jsonl "$q" | jq -s . >"$TMP/top.json"
  query --all --format jsonl "$q" | jq -s . >"$TMP/all.json"
  score=$(jq -n --argjson judg "$judg" --slurpfile top "$TMP/top.json" --slurpfile all "$TMP/all.json" \
            "\$top[0] as \$top | \$all[0] as \$all | $ndcg")
  printf 'nDCG@5 %.3f  %s\n' "$score" "$q"
  check "$q: some relevant passage in the top 5 (nDCG@5 $score)" jq -en "$score > 0" >/dev/null
  sum=$(jq -n "$sum + $score")
  n=$((n + 1))
done <"$SRC/tests/fixtures/judged/sample_queries.tsv"
mean=$(jq -n "$sum / $n")
printf 'mean nDCG@5 over %d judged queries: %.3f (floor %s)\n' "$n" "$mean" "$MIN_NDCG"
check "at least 20 judged queries" test "$n" -ge 20
check "mean nDCG@5 $mean >= $MIN_NDCG" jq -en "$mean >= $MIN_NDCG" >/dev/null
finish
