# golden.sh — every output format, byte for byte: each case's output must equal its expected file
# in tests/golden/ (a difference fails and is printed as a diff). Cases: ranked results, --all,
# --count --facets and of several forms, --scope page, --list measures, --programs, --fields,
# --context, --color, in text, json, jsonl, tsv and csv, over corpus/ and over
# tests/fixtures/golden/quoting.txt, whose title, section, measure, text and program names hold
# commas, double quotes and a tab and whose directory name holds a comma, a double quote and a
# newline; the csv of that fixture is parsed back with Python's csv module and compared, field by
# field, with the json of the same query.
# Paths in the output are the temporary directory's: they are written as @TMP@.
# SHIRYO_GOLDEN_UPDATE=1 rewrites the expected files from the current binaries (review the diff).
source "$(dirname "$0")/lib.bash"

GOLDEN=$SRC/tests/golden
mkdir -p "$TMP/corpus"
cp "$SRC"/corpus/*.txt "$TMP/corpus/"
index "$TMP/corpus" >/dev/null 2>&1
check "index corpus/" test $? -eq 0
QDIR="$TMP/q \"dir\", with
newline"
mkdir -p "$QDIR"
cp "$SRC/tests/fixtures/golden/quoting.txt" "$QDIR/"
"$BIN/shiryo-index" --index "$TMP/qindex" "$QDIR" >/dev/null 2>&1
check "index the quoting fixture" test $? -eq 0

# golden NAME INDEX ARGS... — runs shiryo-query and compares its stdout with tests/golden/NAME.
golden() {
  local name=$1 idx=$2; shift 2
  local out
  out=$("$BIN/shiryo-query" --index "$idx" "$@"; echo "exit $?")
  out=${out//"$TMP"/@TMP@}
  if [[ -n ${SHIRYO_GOLDEN_UPDATE:-} ]]; then
    printf '%s\n' "$out" >"$GOLDEN/$name"
  fi
  if printf '%s\n' "$out" | cmp -s - "$GOLDEN/$name"; then
    ok
  else
    fail "$name: output differs from tests/golden/$name (shiryo-query $*):"
    printf '%s\n' "$out" | diff -u "$GOLDEN/$name" - | head -40 >&2
  fi
}

for f in text json jsonl tsv csv; do
  golden "corpus.search.$f" "$INDEX" --format "$f" 連携
  golden "corpus.all.$f" "$INDEX" --all --format "$f" 連携 支援
  golden "corpus.partial.$f" "$INDEX" --limit 12 --format "$f" 臨床研究 MEDIC
  golden "corpus.count.$f" "$INDEX" --count --facets --format "$f" 連携 事業
  golden "corpus.forms.$f" "$INDEX" --count --format "$f" 'MEDIC OR 連携' 令和7年度
  golden "corpus.scope.$f" "$INDEX" --scope page --limit 4 --format "$f" 臨床研究 MEDIC
  golden "corpus.measures.$f" "$INDEX" --list measures --format "$f"
  golden "corpus.programs.$f" "$INDEX" --programs --format "$f"
  golden "quoting.all.$f" "$TMP/qindex" --all --format "$f" 連携
  golden "quoting.count.$f" "$TMP/qindex" --count --facets --format "$f" 連携
  golden "quoting.measures.$f" "$TMP/qindex" --list measures --format "$f"
  golden "quoting.programs.$f" "$TMP/qindex" --programs --format "$f"
done
golden corpus.expanded.text "$INDEX" --limit 3 --format text 経産省
golden corpus.expanded.json "$INDEX" --limit 3 --format json 経産省
golden corpus.context.text "$INDEX" --context 8 --format text 連携
golden corpus.color.text "$INDEX" --limit 3 --color always --format text 連携
golden corpus.color.measures "$INDEX" --color always --list measures 連携
golden corpus.color.programs "$INDEX" --color always --programs MEDIC
golden corpus.fields.tsv "$INDEX" --fields measure,rank,lines,highlights,ministries --format tsv 連携
golden corpus.fields.csv "$INDEX" --fields text,page,fiscal_year --format csv 連携
golden corpus.none.json "$INDEX" --format json 存在しない語彙
golden corpus.none.tsv "$INDEX" --format tsv 存在しない語彙

# The csv of the quoting fixture, parsed as RFC 4180, holds the json's strings exactly (a tab
# kept, quotes undoubled, the newline of the directory name inside a quoted field).
csv_matches_json() { # WHAT ARGS... — the query's csv rows against its jsonl records
  local what=$1; shift
  "$BIN/shiryo-query" --index "$TMP/qindex" --format csv "$@" >"$TMP/out.csv"
  "$BIN/shiryo-query" --index "$TMP/qindex" --format jsonl "$@" >"$TMP/out.jsonl"
  if python3 - "$TMP/out.csv" "$TMP/out.jsonl" "$what" <<'EOF'; then ok; else fail "$what: csv does not parse back to the json's fields"; fi
import csv, json, sys
csv_path, jsonl_path, what = sys.argv[1:4]
with open(csv_path, newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f, strict=True))
records = [json.loads(line) for line in open(jsonl_path, encoding="utf-8")]
header, rows = rows[0], rows[1:]
if what == "programs":
    # one csv row per budget line
    records = [dict(r, **b) for r in records for b in r["budgets"]]
if len(rows) != len(records) or not rows:
    sys.exit(f"{what}: {len(rows)} csv rows, {len(records)} json records")
special = 0
for row, rec in zip(rows, records):
    if len(row) != len(header):
        sys.exit(f"{what}: row of {len(row)} fields under a header of {len(header)}: {row}")
    for name, value in zip(header, row):
        if name in rec and isinstance(rec[name], str):
            if value != rec[name]:
                sys.exit(f"{what}: {name}: csv {value!r}, json {rec[name]!r}")
            special += any(c in value for c in ',"\n\t')
if special < len(rows):
    sys.exit(f"{what}: only {special} fields hold a comma, quote, tab or newline")
EOF
}
csv_matches_json results --all 連携
csv_matches_json measures --list measures
csv_matches_json programs --programs
finish
