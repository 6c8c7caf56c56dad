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

finish
