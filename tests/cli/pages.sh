# pages.sh — every header rendering and body kind fixture, end to end: every piece of a body line
# (each space-separated segment, whole and a 3-character middle piece) is found by an exact
# search in its own file, and no search for site boilerplate finds anything.
source "$(dirname "$0")/lib.bash"

index "$SRC/tests/fixtures/pages" >/dev/null 2>&1 || fail "indexing tests/fixtures/pages"

# Lines of the site's header and boilerplate: not body text, so not sampled.
is_site_line() {
  case "$1" in
    ''|よむ、つかう、まなぶ。|出典|ページ画像|プレーンテキスト|低解像度画像をダウンロード) return 0 ;;
    ダウンロードした画像を利用する際は*|資料テキストはコンピュータ*|テキストをコピーして*) return 0 ;;
    'MC plus'*|資料、研修などをパッケージ*|公開元URL*|出典情報*|'|'*|*'ページ)') return 0 ;;
  esac
  [[ $1 =~ ^[0-9]+$ ]]
}

found_in() { # found_in FILE STRING: an exact search for STRING lists FILE
  query --all --format tsv --fields file "\"$2\"" 2>/dev/null | grep -qxF "$1"
}

samples=0
for file in "$SRC"/tests/fixtures/pages/header/*.txt "$SRC"/tests/fixtures/pages/body/*.txt; do
  abs=$(realpath "$file")
  while IFS= read -r line || [[ -n $line ]]; do
    line=${line%$'\r'}
    trimmed=$(sed 's/^[[:space:]]*//; s/[[:space:]]*$//' <<<"$line")
    is_site_line "$trimmed" && continue
    for seg in $trimmed; do
      [[ $seg == *'"'* || $seg == *'\'* ]] && continue
      n=${#seg}
      (( n >= 1 )) || continue
      check "${file##*/}: \"$seg\" found in its file" found_in "$abs" "${seg:0:12}"
      if (( n >= 5 )); then
        mid=${seg:$((n / 2 - 1)):3}
        check "${file##*/}: \"$mid\" (from \"$seg\") found in its file" found_in "$abs" "$mid"
      fi
      samples=$((samples + 1))
    done
  done <"$file"
done
check "sampled at least 100 segments ($samples)" test "$samples" -ge 100

for boiler in よむ、つかう、まなぶ ダウンロードした画像を利用する際は 資料テキストはコンピュータによる自動処理 \
              テキストをコピーしてご利用いただく際は エムシープラス 資料、研修などをパッケージした 低解像度画像; do
  check "boilerplate \"$boiler\" is in no passage" \
    test "$(query --count --format jsonl "\"$boiler\"" | jq .passages)" -eq 0
done

# The joint meeting's remainder is a field.
check "joint field" test "$(query --all --format jsonl 薬価制度改革の骨子 | jq -r '.joint' | sort -u)" == \
  "中央社会保険医療協議会 費用対効果評価専門部会(第4回 12/11)(合同開催)"
check "session with a fiscal year" test "$(query --all --format jsonl 意見交換の主な内容 | jq -r '.session' | sort -u)" == \
  "令和5年度第1回"
# CID-font radicals match the ordinary kanji.
check "⽇本の⼈⼝ is found as 日本の人口" found_in "$(realpath "$SRC/tests/fixtures/pages/body/cid_kangxi.txt")" 日本の人口
check "a page written with radicals" bash -c "printf 'よむ、つかう、まなぶ。\n資料 (1 ページ)\n出典情報 | 会議(5/1)《省》 |\n⻑期的な⾒通し\n1\n' >'$TMP/rad.txt'"
index "$TMP/rad.txt" >/dev/null 2>&1
check "⻑期 is found as 長期" found_in "$TMP/rad.txt" 長期的な見通し
finish
