# layout.sh — the sample page's table read as a reader of the PDF sees it: every mention of the
# programs named in 「」 is found (including those the PDF broke across lines) and lands in a
# passage of the right column and fiscal year; filters and facets by key.
source "$(dirname "$0")/lib.bash"

index "$SRC/corpus" >/dev/null 2>&1 || fail "indexing corpus/"

# name | column | fiscal year | passages with it in that column (first copy of the body)
expect() {
  local name=$1 column=$2 fy=$3 want=$4
  local got
  got=$(query --all --format jsonl "\"$name\"" |
        jq -s --argjson c "$column" --argjson fy "$fy" \
          '[.[] | select(.column == $c and .fiscal_year == $fy) | (.highlights | length)] | add // 0')
  check "$name: $want mentions in column $column ($fy), got $got" test "$got" -eq "$want"
}
total_mentions() {
  query --count --format jsonl "\"$1\"" | jq .mentions
}

expect 医工連携グローバル展開事業 3 2025 6
check "医工連携グローバル展開事業: 6 mentions in all" test "$(total_mentions 医工連携グローバル展開事業)" -eq 6
check "grep finds only 1 of the 6 in the first copy (5 are broken across lines)" \
  test "$(sed -n '12,94p' "$SRC/corpus/000_68858178ce9f1934.txt" | grep -c 医工連携グローバル展開事業)" -eq 1
expect 官民による若手研究者発掘支援事業 2 2024 1
expect 次世代ヘルステック・スタートアップ育成支援事業 2 2024 1
expect 次世代ヘルステック・スタートアップ育成支援事業 3 2025 1
expect 「地域連携拠点」 2 2024 5
expect 「地域連携拠点」 3 2025 5
expect 医療機器開発支援ネットワーク 2 2024 2
expect MEDIC 3 2025 2
expect 優れた医療機器の創出に係る産業振興拠点強化事業 2 2024 3
expect "MedTech ROUND ~MedTech Startups acceleration program~" 2 2024 1
expect 「CRB」 2 2024 1
expect 臨床研究法施行5年後の見直しに係る検討のとりまとめ 2 2024 1
expect 臨床研究法に基づく研究手続の合理化等に向けた法改正を含めた検討を進める 2 2024 1

# Keys: labels and fiscal years from the table header; ministries from the measure's tag.
query --all --format jsonl 'fy:2025' >"$TMP/fy.jsonl"
check "fy:2025 gives column-3 passages only" test "$(jq -s 'map(.column) | unique' -c "$TMP/fy.jsonl")" == "[3]"
check "column 3 label" test "$(jq -rs '.[0].column_label' "$TMP/fy.jsonl")" == 令和7年度の取組予定
check "fiscal year label" test "$(jq -rs '.[0].fiscal_year_label' "$TMP/fy.jsonl")" == 令和7年度
for form in 2025 令和7 令和7年度 R7 ２０２５; do
  check "--fy $form = fy:2025" test "$(query --all --format jsonl --fy "$form" | wc -l)" -eq "$(wc -l <"$TMP/fy.jsonl")"
done
check "--fy 2024 differs" test "$(query --all --format jsonl --fy 令和6年度 | jq -s 'map(.fiscal_year) | unique' -c)" == "[2024]"
query --all --format jsonl --measure 産学連携 >"$TMP/m.jsonl"
check "--measure substring selects one measure" test "$(jq -rs 'map(.measure) | unique | length' "$TMP/m.jsonl")" -eq 1
check "--measure heading" test "$(jq -rs '.[0].measure' "$TMP/m.jsonl")" == 産学連携の強化によるニーズ・シーズマッチング及び事業化の促進
check "measure heading is a passage of its own (searchable), without ministries" \
  test "$(jq -cs 'map(select(.text == .measure)) | map(.ministries)' "$TMP/m.jsonl")" == '[[]]'
check "measure ministries: lead 経済産業省" \
  test "$(jq -cs 'map(select(.text != .measure)) | .[0].ministries' "$TMP/m.jsonl")" == '[{"name":"経済産業省","lead":true}]'
check "section heading without brackets" test "$(jq -rs '.[0].section' "$TMP/m.jsonl")" == 研究開発拠点、開発支援拠点や企業の連携強化
for name in 経済産業省 経産省 経; do
  check "--ministry $name" test "$(query --all --format jsonl --ministry "$name" | wc -l)" -gt 0
done
check "ministry 文 (文部科学省, not lead) on a [文、◎厚、◎経] row" \
  test "$(query --all --format jsonl --ministry 文 | jq -c 'select(.ministries[0].name == "文部科学省") | .ministries' | head -1)" == \
  '[{"name":"文部科学省","lead":false},{"name":"厚生労働省","lead":true},{"name":"経済産業省","lead":true}]'
check "filters with no words list in document order" \
  bash -c "'$BIN/shiryo-query' --index '$INDEX' --all -f jsonl --column 2 | jq -s '[.[].line_start] == ([.[].line_start] | sort)' | grep -q true"
check "--column 1 passages have no fiscal year" test "$(query --all -f jsonl --column 1 | jq -s 'map(.fiscal_year) | unique' -c)" == "[null]"

# Facets and the measure list.
query --facets --format json --all 地域連携拠点 >"$TMP/facets.json"
check "facets by fiscal year" jq -e '.facets.fiscal_year["2024"] > 0 and .facets.fiscal_year["2025"] > 0' "$TMP/facets.json" >/dev/null
check "facets by ministry" jq -e '.facets.ministry["経済産業省"] > 0' "$TMP/facets.json" >/dev/null
check "facets by measure" jq -e '(.facets.measure | length) > 1' "$TMP/facets.json" >/dev/null
query --list measures --format jsonl >"$TMP/measures.jsonl"
check "four measures listed" test "$(wc -l <"$TMP/measures.jsonl")" -eq 4
check "measure has passages per fiscal year" jq -se '.[0].fiscal_years["2024"] > 0 and .[0].fiscal_years["2025"] > 0' "$TMP/measures.jsonl" >/dev/null
check "measure has page and section" jq -se '.[0].page == 3 and (.[0].section | length) > 0' "$TMP/measures.jsonl" >/dev/null
check "--list measures json" bash -c "'$BIN/shiryo-query' --index '$INDEX' --list measures --format json | jq -e '.total == 4 and (.measures | length) == 4' >/dev/null"
check "--list measures text" grep -q '令和7年度' <(query --list measures)

# A page without a table (law text wrapped at 60 characters, as in ../shared/corpora): wrapped
# lines join into paragraphs, so a word the wrap broke is found, on both of its lines.
law="$TMP/law"
mkdir -p "$law"
sentence="第十条　国及び地方公共団体は、医療機器の研究開発及び普及の促進に関する施策を総合的かつ計画的に推進するため、関係行政機関相互の緊密な連携を確保するとともに、医療機関、研究機関、事業者その他の関係者との連携の強化に必要な措置を講ずるものとする。"
{
  printf '%s\n' 'よむ、つかう、まなぶ。' '医療機器促進法 (4 ページ)' '出典' '公開元URL | https://laws.e-gov.go.jp/law/x |' \
    '出典情報 | e-Gov法令検索《デジタル庁》 |' 'ページ画像' 'プレーンテキスト'
  for ((i = 0; i < ${#sentence}; i += 60)); do printf '%s\n' "${sentence:i:60}"; done
  printf '4\n'
} >"$law/law.txt"
"$BIN/shiryo-index" --index "$TMP/law-index" "$law" >/dev/null 2>&1
first_body=$(grep -n '^第十条' "$law/law.txt" | cut -d: -f1)
for ((i = 60; i < ${#sentence}; i += 60)); do
  span=${sentence:i-2:4}
  line=$((first_body + i / 60 - 1))
  got=$("$BIN/shiryo-query" --index "$TMP/law-index" --all --format jsonl "\"$span\"" |
        jq -s --argjson a "$line" --argjson b "$((line + 1))" 'map(select((.lines | index($a)) != null and (.lines | index($b)) != null)) | length')
  check "wrapped word \"$span\" (lines $line-$((line + 1))) found in one passage" test "$got" -ge 1
done
check "the law page is one column without a fiscal year" \
  test "$("$BIN/shiryo-query" --index "$TMP/law-index" --all --format jsonl 'page:4' | jq -s 'map([.column, .fiscal_year]) | unique' -c)" == '[[1,null]]'

finish
