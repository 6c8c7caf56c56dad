# e2e.sh — end to end on corpus/: index, then queries whose results must contain the
# normalized query in `text` and point at file lines that really hold it; JSON parses;
# re-indexing duplicates nothing; grep-like exit codes.
source "$(dirname "$0")/lib.bash"

out=$(index "$SRC/corpus" 2>&1)
check "indexing corpus/ succeeds: $out" test $? -eq 0
check "summary names files and passages: $out" grep -Eq 'indexed 1 files, [0-9]+ passages' <<<"$out"

# lines_hold FILE QUERY LINE... — QUERY lies on one listed line, or starts on one listed line
# and continues on a later listed line (a PDF line break inside the word).
lines_hold() {
  local file=$1 q=$2; shift 2
  local -a text=()
  local l
  for l in "$@"; do text+=("$(sed -n "${l}p" "$file")"); done
  local i j k
  for ((i = 0; i < ${#text[@]}; i++)); do
    [[ ${text[i]} == *"$q"* ]] && return 0
    for ((k = 1; k < ${#q}; k++)); do
      [[ ${text[i]} == *"${q:0:k}"* ]] || continue
      for ((j = i + 1; j < ${#text[@]}; j++)); do
        [[ ${text[j]} == *"${q:k}"* ]] && return 0
      done
    done
  done
  return 1
}

# query → the form the text holds after NFKC (case kept: the sample writes MEDIC, CRB).
declare -A expect=([地域連携拠点]=地域連携拠点 [ＭＥＤＩＣ]=MEDIC [連携]=連携 [CRB]=CRB [医工連携グローバル展開事業]=医工連携グローバル展開事業)
for q in 地域連携拠点 ＭＥＤＩＣ 連携 CRB 医工連携グローバル展開事業; do
  want=${expect[$q]}
  query --all --format jsonl "$q" >"$TMP/out.jsonl"
  rc=$?
  check "$q: exit 0" test $rc -eq 0
  n=$(wc -l <"$TMP/out.jsonl")
  check "$q: at least one passage" test "$n" -ge 1
  while IFS= read -r line; do
    text=$(jq -r .text <<<"$line")
    file=$(jq -r .file <<<"$line")
    mapfile -t lines < <(jq -r '.lines[]' <<<"$line")
    check "$q: text contains $want: $text" grep -qF "$want" <<<"$text"
    check "$q: lines ${lines[*]} of $file hold $want" lines_hold "$file" "$want" "${lines[@]}"
    start=$(jq -r .line_start <<<"$line"); end=$(jq -r .line_end <<<"$line")
    check "$q: line_start/line_end bound lines" test "$start" -eq "${lines[0]}" -a "$end" -eq "${lines[-1]}"
    # highlights are code-point offsets of the mention in text
    hl=$(jq -r '.highlights[0] | "\(.[0]) \(.[1])"' <<<"$line")
    read -r hs he <<<"$hl"
    check "$q: first highlight marks $want" test "${text:hs:he-hs}" == "$want"
  done <"$TMP/out.jsonl"
done

# Every field the README documents is present in JSON Lines.
query --limit 1 --format jsonl 連携 >"$TMP/one.jsonl"
for field in rank score file line_start line_end lines title material page url source meeting \
             session date publisher joint section measure column column_label fiscal_year \
             fiscal_year_label ministries text highlights; do
  check "jsonl has field $field" jq -e "has(\"$field\")" "$TMP/one.jsonl" >/dev/null
done
check "jsonl keys are exactly the documented schema (docs/result.schema.json)" \
  jq -e --slurpfile s "$SRC/docs/result.schema.json" '(keys | sort) == ($s[0].required | sort)' "$TMP/one.jsonl" >/dev/null
check "title parsed" test "$(jq -r .title "$TMP/one.jsonl")" == "資料2-1 医療機器基本計画に関する各省における取り組みの状況について"
check "page parsed" test "$(jq -r .page "$TMP/one.jsonl")" == 3
check "publisher parsed" test "$(jq -r .publisher "$TMP/one.jsonl")" == 厚生労働省

# json wraps the objects with the query and the total; it parses.
query --format json --limit 3 連携 >"$TMP/out.json"
check "json parses" jq -e . "$TMP/out.json" >/dev/null
check "json has query" test "$(jq -r .query "$TMP/out.json")" == 連携
check "json results <= limit" test "$(jq '.results | length' "$TMP/out.json")" -le 3
check "json total >= results" jq -e '.total >= (.results | length)' "$TMP/out.json" >/dev/null

# tsv has a header line and one row per passage.
query --format tsv --limit 2 連携 >"$TMP/out.tsv"
check "tsv header" grep -q $'^rank\tscore\tfile' "$TMP/out.tsv"
check "tsv rows" test "$(wc -l <"$TMP/out.tsv")" -eq 3

# Text output: reference line with title, page, file:line and URL.
query --limit 1 CRB >"$TMP/out.txt"
check "text shows title and page" grep -q '資料2-1 .* p\.3' "$TMP/out.txt"
check "text shows file:line" grep -Eq '000_68858178ce9f1934\.txt:[0-9]+' "$TMP/out.txt"
check "text marks the mention" grep -q '«CRB»' "$TMP/out.txt"
check "no colour when not a terminal" bash -c "! grep -q $'\033' '$TMP/out.txt'"

# --context: a snippet around the mentions, elided with … on both sides of a long passage.
query --limit 1 --context 4 医工連携グローバル展開事業 >"$TMP/ctx.txt"
check "--context elides the long passage" grep -q '….*«医工連携グローバル展開事業».*…' "$TMP/ctx.txt"
full=$(query --limit 1 医工連携グローバル展開事業 | sed -n 3p | wc -c)
short=$(sed -n 3p "$TMP/ctx.txt" | wc -c)
check "--context shortens the text ($short < $full)" test "$short" -lt "$full"

# --all --sort rank: every match, scores not increasing; --all alone: document order.
check "--sort rank orders by score" bash -c "'$BIN/shiryo-query' --index '$INDEX' --all --sort rank -f jsonl 連携 | jq -s '[.[].score] as \$s | \$s == (\$s | sort | reverse) and (\$s | length) > 3' | grep -q true"
check "--all without --sort lists in document order (that of the page's passages)" test \
  "$(query --all -f jsonl 連携 | jq -r '"\(.line_start) \(.column)"')" == \
  "$(query --all -f jsonl 'page:3' | jq -r 'select(.text | contains("連携")) | "\(.line_start) \(.column)"')"
check "--sort rank and --all agree on the set" test \
  "$(query --all --sort rank -f jsonl 連携 | jq -r '"\(.line_start) \(.column)"' | sort | md5sum)" == \
  "$(query --all -f jsonl 連携 | jq -r '"\(.line_start) \(.column)"' | sort | md5sum)"

# csv: header, quoting of commas and quotes (RFC 4180), --fields order kept.
query --format csv --fields text,rank --limit 2 連携 >"$TMP/out.csv"
check "csv header in --fields order" test "$(head -1 "$TMP/out.csv")" == "text,rank"
check "csv has a row per passage" test "$(wc -l <"$TMP/out.csv")" -eq 3
err=$(query --format tsv --fields rank,nonsense 連携 2>&1 >/dev/null)
check "unknown --fields column exits 2 naming it: $err" bash -c "[[ '$err' == *nonsense* ]]"

# Queries with operators and fields as users type them.
check "OR" test "$(query -c -f jsonl 'MEDIC OR CRB' | jq .passages)" -ge 3
check "NOT" test "$(query -c -f jsonl '連携 NOT 拠点' | jq .passages)" -ge 1
check "「phrase」" test "$(query -c -f jsonl '「地域連携拠点」' | jq .passages)" -ge 1
check "full-width space separates words" test "$(query -c -f jsonl '地域連携拠点　令和7年度' | jq .passages)" -ge 1
check "page: and title: fields" test "$(query -c -f jsonl 'page:3 title:医療機器基本計画 CRB' | jq .passages)" -ge 1
err=$(query '連携 (拠点' 2>&1 >/dev/null)
check "unbalanced parenthesis points at it: $err" grep -q 'column 4: unbalanced parenthesis' <<<"$err"
err=$(query 'foo:bar' 2>&1 >/dev/null)
check "unknown field: $err" grep -q 'unknown field' <<<"$err"
err=$(query '""' 2>&1 >/dev/null)
check "a query empty once operators are removed is an error: $err" grep -q 'no searchable text' <<<"$err"
check "punctuation is searchable text like any other" test "$(query -c -f jsonl '・' | jq .passages)" -ge 10

# Re-indexing the same files duplicates nothing.
before=$(query --all --format jsonl 連携 | wc -l)
out=$(index "$SRC/corpus" 2>&1)
check "re-index reports unchanged: $out" grep -q '1 unchanged' <<<"$out"
after=$(query --all --format jsonl 連携 | wc -l)
check "re-index keeps $before passages (got $after)" test "$before" -eq "$after"
out=$(index --rebuild "$SRC/corpus" 2>&1)
after=$(query --all --format jsonl 連携 | wc -l)
check "rebuild keeps $before passages (got $after)" test "$before" -eq "$after"

# Exit codes like grep.
query 存在しない語句ぬぬぬ >/dev/null 2>&1
check "no match exits 1" test $? -eq 1
query -q CRB
check "-q with a match exits 0" test $? -eq 0
check "-q prints nothing" test -z "$(query -q CRB)"
err=$("$BIN/shiryo-query" --index "$TMP/missing" CRB 2>&1 >/dev/null)
rc=$?
check "missing index exits 2" test $rc -eq 2
check "missing index: one line naming it and what to do: $err" \
  bash -c "[[ \$(wc -l <<<'$err') -eq 1 && '$err' == *'$TMP/missing'* && '$err' == *shiryo-index* ]]"
err=$(query --bogus CRB 2>&1 >/dev/null)
check "bad option exits 2" test $? -eq 2
check "bad option message: $err" grep -q 'shiryo-query' <<<"$err"
err=$(query --format xml CRB 2>&1 >/dev/null)
check "bad format exits 2" test $? -eq 2
err=$(query '"unbalanced' 2>&1 >/dev/null)
check "malformed query exits 2" test $? -eq 2
check "malformed query points at the column: $err" grep -q 'column 1' <<<"$err"
err=$("$BIN/shiryo-index" --index "$TMP/i2" "$TMP/nonexistent" 2>&1)
check "indexing a missing path exits 2" test $? -eq 2
check "missing path named: $err" grep -q "$TMP/nonexistent" <<<"$err"
mkdir -p "$TMP/unreadable"
printf '\x00\x01\x02\x00\x00binary\x00\x00\x00' >"$TMP/unreadable/blob.txt"
cp "$SRC/corpus/"*.txt "$TMP/unreadable/"
err=$("$BIN/shiryo-index" --index "$TMP/i3" "$TMP/unreadable" 2>&1)
check "a binary file is skipped with a warning, run succeeds: $err" test $? -eq 0
check "warning names the file: $err" grep -q 'warning: .*blob.txt' <<<"$err"

finish
