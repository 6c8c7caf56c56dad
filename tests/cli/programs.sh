# programs.sh — programs and budgets end to end on corpus/: --programs lists exactly the budget
# lines of the hand-checked fixture (tests/fixtures/programs/sample_programs.tsv), with yen,
# fiscal year, kind, 内数 and parent; every mention of each program is found by --all --program;
# successor relations; "did you mean" for unknown names.
source "$(dirname "$0")/lib.bash"

index "$SRC/corpus" >/dev/null 2>&1 || fail "indexing corpus/"
fixture="$SRC/tests/fixtures/programs/sample_programs.tsv"

# Distinct budget lines, as "name|fy|kind|amount|within|parent", from the fixture and from --programs.
grep -v '^#' "$fixture" | awk -F'\t' 'NF >= 9 && $4 != "-" {
  parent = ($9 == "-") ? "" : $9; print $2 "|" $4 "|" $6 "|" $7 "|" ($8 == "1" ? "true" : "false") "|" parent }' |
  sort -u >"$TMP/want"
query --programs --format jsonl |
  jq -r '.program as $p | .budgets[] | "\($p)|\(.fiscal_year)|\(.kind)|\(.amount_yen)|\(.within)|\(.parent // "")"' |
  sort -u >"$TMP/got"
check "fixture lists budget lines ($(wc -l <"$TMP/want"))" test "$(wc -l <"$TMP/want")" -ge 8
missing=$(comm -23 "$TMP/want" "$TMP/got")
extra=$(comm -13 "$TMP/want" "$TMP/got")
check "no budget line of the fixture is missing: $missing" test -z "$missing"
check "no budget line beyond the fixture: $extra" test -z "$extra"

# Every program with an amount is listed, and every mention of it is found by --all --program:
# the passages holding its name, counted by brute force over all passages.
query --all --format jsonl 'page:3' | jq -r .text >"$TMP/passages.txt"
grep -v '^#' "$fixture" | awk -F'\t' 'NF >= 9 { print $2 }' | sort -u | while IFS= read -r name; do
  want=$(grep -oF -- "$name" "$TMP/passages.txt" | wc -l)
  got=$(query --all --count --format jsonl --program "$name" | jq .mentions)
  check "--program $name: $want mentions (got $got)" test "$got" -eq "$want"
  got_all=$(query --all --format jsonl "program:\"$name\"" | jq -s 'map(.highlights | length) | add // 0')
  check "program:$name in a query highlights $want mentions (got $got_all)" test "$got_all" -eq "$want"
done

# Relations and the listing's fields.
query --programs --format jsonl 医工連携 >"$TMP/p.jsonl"
check "医工連携グローバル展開事業 succeeds 医工連携イノベーション推進事業" \
  jq -se 'map(select(.program == "医工連携グローバル展開事業")) | .[0].successor_of == ["医工連携イノベーション推進事業"]' "$TMP/p.jsonl" >/dev/null
check "and the older one is succeeded by it" \
  jq -se 'map(select(.program == "医工連携イノベーション推進事業")) | .[0].succeeded_by == ["医工連携グローバル展開事業"]' "$TMP/p.jsonl" >/dev/null
check "budget lines carry file and lines" \
  jq -se 'all(.[].budgets[]; (.file | endswith(".txt")) and (.lines | length) >= 1)' "$TMP/p.jsonl" >/dev/null
check "budget lines carry their passage's measure, column and column fiscal year" \
  bash -c "'$BIN/shiryo-query' --index '$INDEX' --programs --format jsonl 若手研究者 | jq -e '.budgets[0] | .measure == \"産学連携の強化によるニーズ・シーズマッチング及び事業化の促進\" and .column == 2 and .column_fiscal_year == 2024' >/dev/null"
check "materials name the page" \
  jq -se 'all(.[]; (.materials | length) == 1 and .materials[0].page == 3)' "$TMP/p.jsonl" >/dev/null
check "json wraps programs" bash -c "'$BIN/shiryo-query' --index '$INDEX' --programs --format json | jq -e '.total == (.programs | length) and .total >= 8' >/dev/null"
check "text listing shows amounts as written" grep -q '13億円' <(query --programs 若手研究者)
check "text listing shows 内数 and parent" grep -q '内数 of 医工連携イノベーション推進事業' <(query --programs 地域連携拠点)
check "tsv has a header and one row per budget line" \
  test "$(query --programs --format tsv 次世代 | wc -l)" -eq 3

# Full-width and case: the name as typed in another width still finds the program.
check "--program in full-width finds MEDIC" test "$(query --all -c -f jsonl --program ＭＥＤＩＣ | jq .passages)" -ge 1

# Unknown names: did you mean, exit 2, one line.
err=$(query --program 地域連携拠 2>&1 >/dev/null)
rc=$?
check "unknown program exits 2 (got $rc)" test $rc -eq 2
check "did you mean lists the closest name: $err" grep -q 'did you mean: 地域連携拠点' <<<"$err"
check "one line" test "$(wc -l <<<"$err")" -eq 1
err=$(query 'program:医工連携グローバル展開' 2>&1 >/dev/null)
check "program: in a query also suggests: $err" grep -q 'did you mean: 医工連携グローバル展開事業' <<<"$err"

# Budget sheets (tests/fixtures/programs/sheets/): every form's budget lines field by field,
# none missing and none extra (so no total row, header, people or case figure, percentage).
SHEETS="$TMP/sheets"
"$BIN/shiryo-index" --index "$SHEETS" "$SRC/tests/fixtures/programs/sheets" >/dev/null 2>&1 || fail "indexing sheets/"
sq() { "$BIN/shiryo-query" --index "$SHEETS" "$@"; }
grep -v '^#' "$SRC/tests/fixtures/programs/sheets_expected.tsv" | sort >"$TMP/sheets_want"
sq --programs --format jsonl | jq -r '.program as $p | .budgets[] | [$p, .fiscal_year, .kind,
  .amount_yen, .unit, .within, (.file | split("/") | last), (.lines | map(tostring) | join(","))] | @tsv' |
  sort >"$TMP/sheets_got"
missing=$(comm -23 "$TMP/sheets_want" "$TMP/sheets_got")
extra=$(comm -13 "$TMP/sheets_want" "$TMP/sheets_got")
check "sheets: the fixture lists the forms ($(wc -l <"$TMP/sheets_want") lines)" test "$(wc -l <"$TMP/sheets_want")" -ge 20
check "sheets: no budget line missing: $missing" test -z "$missing"
check "sheets: no budget line beyond the fixture: $extra" test -z "$extra"
for fp in 計 合計 件数 相談支援件数 がん研究推進事業 がん検診推進事業 がん診療連携拠点病院機能強化事業; do
  got=$(sq --programs --format jsonl | jq -r --arg n "$fp" 'select(.program == $n) | .budgets | length')
  check "sheets: $fp has no budget line (got ${got:-none})" test -z "$got" -o "${got:-0}" = 0
done

# History: by fiscal year, one step per figure (the summary's 44百万円 and 85百万円 are the
# sheets' 44,550千円 and 85,485千円), the change from the year before, materials by date.
sq --programs 読書活動総合推進事業 --format json >"$TMP/hist.json"
check "history of 読書活動総合推進事業" jq -e '.programs[0].history | map([.fiscal_year, .kind, .amount_yen, .sources, .change_yen]) ==
  [[2023, "budget", 40000000, 1, null], [2024, "budget", 44550000, 3, 4550000], [2025, "request", 85485000, 2, 40935000]]' "$TMP/hist.json"
check "history: a cut from the year before is negative" \
  bash -c "'$BIN/shiryo-query' --index '$SHEETS' --programs 医療系ベンチャー育成支援事業 --format jsonl | jq -e '.history | map([.fiscal_year, .kind, .amount_yen, .change_yen]) == [[2024, \"budget\", 46000000, null], [2025, \"proposal\", 30000000, -16000000]]' >/dev/null"
check "budget lines ordered by fiscal year" jq -e '.programs[0].budgets | map(.fiscal_year) == (map(.fiscal_year) | sort)' "$TMP/hist.json"
check "one program across writings ((3)…, plain) in three materials, by date" jq -e '.programs | length == 1 and
  (.[0].materials | map(.date) == ["令和6年4月25日", "令和6年9月10日", "令和6年9月10日"]) and
  (.[0].materials[0].meeting == "子供の読書活動推進に関する有識者会議")' "$TMP/hist.json"
check "budget lines carry title, url and meeting" jq -e '.programs[0].budgets | all(.title != "" and (.url | startswith("https://")) and .meeting != "")' "$TMP/hist.json"
check "施策名: and 「」 writings are one program" \
  bash -c "'$BIN/shiryo-query' --index '$SHEETS' --programs 優れた医療機器 --format json | jq -e '.total == 1 and (.programs[0].materials | length) == 2' >/dev/null"
text=$(sq --programs 読書活動総合推進事業)
check "text history table: $text" grep -q 'FY2025  request .*8548万5千円\|FY2025  request .*85485千円 *+40935千円' <<<"$text"
check "text shows meetings" grep -q '生涯学習分科会 令和6年9月10日' <<<"$text"

# csv/tsv: a budget table, RFC 4180 quoting.
sq --programs 読書活動総合推進事業 --format csv >"$TMP/b.csv"
check "csv header" test "$(head -1 "$TMP/b.csv")" = "program,fiscal_year,kind,amount_yen,unit,within,parent,file,lines,title,url,meeting,date,mentions,passages"
check "csv: one row per budget line" test "$(wc -l <"$TMP/b.csv")" -eq 7
check "csv row field by field (lines quoted)" grep -qF "読書活動総合推進事業,2025,request,85485000,千円,0,,$SRC/tests/fixtures/programs/sheets/gaisan.txt,\"12,14,16\",令和7年度概算要求主要事項(生涯学習・社会教育関係),https://www.mext.go.jp/a_menu/yosan/r01/0000005.htm,生涯学習分科会,令和6年9月10日," "$TMP/b.csv"
check "tsv row field by field" bash -c "'$BIN/shiryo-query' --index '$SHEETS' --programs 義務教育費 --format tsv | grep -qP '^義務教育費国庫負担金\t2025\trequest\t1580722000000\t千円\t0\t\t.*jikoubetsu.txt\t17,18\t令和7年度文部科学省概算要求 事項別表\t'"

finish
