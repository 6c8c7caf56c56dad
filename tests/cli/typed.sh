# typed.sh — searching the way people type, on the sample page: full-width operators, exclusion as
# its own argument, agency short names and year spellings (expansion, --exact, =word,
# matched_forms, per-form counts, the one-line note), help on zero hits, numbers that add up
# (a string counted once, facets with "none", conflicting options refused).
source "$(dirname "$0")/lib.bash"

index "$SRC/corpus" >/dev/null 2>&1
check "indexing corpus/ succeeds" test $? -eq 0
passages() { query -c -f jsonl "$@" | jq .passages; }

# Typed as people type.
check "ＭＥＤＩＣ ＯＲ ＣＲＢ is MEDIC OR CRB" test "$(passages 'ＭＥＤＩＣ ＯＲ ＣＲＢ')" -eq "$(passages 'MEDIC OR CRB')"
check "連携 －地域 is 連携 -地域" test "$(passages '連携 －地域')" -eq "$(passages '連携 -地域')"
check "連携 -地域 excludes" test "$(passages '連携 -地域')" -lt "$(passages 連携)"
check "（…） groups" test "$(passages '（ＭＥＤＩＣ ＯＲ ＣＲＢ） 連携')" -eq "$(passages '(MEDIC OR CRB) 連携')"
check "AND is the implicit AND" test "$(passages 'MEDIC AND CRB')" -eq "$(passages 'MEDIC CRB')"
check "『』 quotes a phrase" test "$(passages '『地域連携拠点』')" -eq "$(passages '「地域連携拠点」')"
check "“” quotes a phrase" test "$(passages '“地域連携拠点”')" -ge 1
check "full-width field colon" test "$(passages 'ｐａｇｅ：3 CRB')" -eq "$(passages 'page:3 CRB')"
out=$(query -c -f jsonl 医工連携 -地域 2>&1)
check "exclusion as its own argument is a query word, not an option: $out" test "$(jq .passages <<<"$out")" -lt "$(passages 医工連携)"
check "  ... and equals the quoted form" test "$(jq .passages <<<"$out")" -eq "$(passages '医工連携 -地域')"

# Agency names and years: expansion on by default, off with --exact or =word.
check "経産省 finds nothing exactly" test "$(passages --exact 経産省)" -eq 0
check "経産省 finds the 経済産業省 passage and those tagged ◎経" test "$(passages 経産省)" -ge 26
check "=経産省 is exact" test "$(passages =経産省)" -eq 0
check "経産省 equals ministry:経済産業省 OR 経済産業省" test "$(passages 経産省)" -eq "$(passages '=経済産業省 OR ministry:経済産業省')"
check "2025年度 exactly finds nothing" test "$(passages --exact 2025年度)" -eq 0
n7=$(passages --exact 令和7年度)
check "令和7年度 finds passages ($n7)" test "$n7" -ge 7
for form in 2025年度 R7年度 令和７年度 令和七年度 FY2025; do
  check "$form finds what 令和7年度 finds" test "$(passages "$form")" -eq "$n7"
done
check "2025年 (calendar) is not 2025年度's forms" bash -c "! '$BIN/shiryo-query' --index '$INDEX' -c -f jsonl 2025年 | jq -e '.expanded[\"2025年\"] | index(\"令和7年度\")' >/dev/null"
check "第2条 is expanded to 第二条" bash -c "'$BIN/shiryo-query' --index '$INDEX' -c -f jsonl 第2条 | jq -e '.expanded[\"第2条\"] == [\"第二条\"]' >/dev/null"

# A word's spellings weigh as the best one, not their sum: a passage holding 第二条 and 第2条
# scores as it does for the better of =第二条 and =第2条 alone (an OR would add them up).
mkdir -p "$TMP/forms"
printf '規定集\n第二条及び第2条の届出。\n' >"$TMP/forms/both.txt"
printf '規定集\n第二条及び第二条の届出。\n' >"$TMP/forms/kanji.txt"
printf '規定集\n第2条及び第2条の届出。\n' >"$TMP/forms/digits.txt"
"$BIN/shiryo-index" --quiet --index "$TMP/forms.ix" "$TMP/forms"
scores() { "$BIN/shiryo-query" --index "$TMP/forms.ix" -f jsonl "$@" | jq -r '"\(.file) \(.score)"' | sort; }
best=$({ scores =第二条; scores =第2条; } | sort -k1,1 -k2,2gr | sort -u -k1,1)
got=$(scores 第二条)
check "three passages match 第二条: $got" test "$(wc -l <<<"$got")" -eq 3
check "each scores as its best spelling: got [$got] best [$best]" test "$got" == "$best"

# Shown: matched_forms, per-form counts, the note in text output.
query -f jsonl --limit 50 2025年度 >"$TMP/fy.jsonl"
check "matched_forms names the form found" jq -e 'select(.matched_forms | index("令和7年度"))' "$TMP/fy.jsonl" >/dev/null
check "every result has matched_forms" jq -e -s 'all(.[]; (.matched_forms | length) > 0)' "$TMP/fy.jsonl" >/dev/null
query -f jsonl --limit 50 経産省 >"$TMP/meti.jsonl"
check "a tagged passage says ministry:経済産業省" jq -e -s 'any(.[]; .matched_forms | index("ministry:経済産業省"))' "$TMP/meti.jsonl" >/dev/null
c=$(query -c -f jsonl 2025年度)
check "--count says mentions of each form: $c" jq -e '.form_mentions["令和7年度"] == .mentions and .form_mentions["2025年度"] == 0' <<<"$c" >/dev/null
check "--count text lists the forms" bash -c "'$BIN/shiryo-query' --index '$INDEX' -c 2025年度 | grep -q '令和7年度 [0-9]'"
t=$(query --limit 1 2025年度)
check "text output says once what was expanded" test "$(grep -c '^expanded: 2025年度 → ' <<<"$t")" -eq 1
check "--exact: no note" bash -c "! '$BIN/shiryo-query' --index '$INDEX' --exact --limit 1 令和7年度 | grep -q '^expanded:'"
check "json carries the expansion" bash -c "'$BIN/shiryo-query' --index '$INDEX' -f json --limit 1 経産省 | jq -e '.expanded[\"経産省\"] | index(\"経済産業省\")' >/dev/null"

# Zero hits: help on stderr, exit 1.
err=$(query 治験ネットワーク構築 2>&1 >/dev/null)
rc=$?
check "zero hits exit 1" test $rc -eq 1
check "zero hits: the MeCab words, how many passages hold them, the command: $err" \
  grep -q "治験 ネットワーク 構築 are all in [1-9][0-9]* passage.*shiryo-query '治験 ネットワーク 構築'" <<<"$err"
err=$(query 連隽 2>&1 >/dev/null)
check "zero hits: near spellings from the index: $err" grep -q 'near spellings of 連隽 in the index: 連携' <<<"$err"
near=$(sed -n 's/.*in the index: 連携 (\([0-9]*\) passage.*/\1/p' <<<"$err")
found=$(query -c -f jsonl =連携 | jq .passages)
check "a near spelling's passages are what a search for it finds: $near, $found" test "$near" = "$found"
check "-q stays silent on zero hits" test -z "$(query -q 連隽 2>&1)"

# Partial matches after the exact ones, in ranked lists only.
query -f json --limit 5 'CRB 質向上' >"$TMP/crb.json"
exact=$(query -c -f jsonl 'CRB 質向上' | jq .passages)
# (the sample is one page, which holds every word: its fill is all page matches)
check "CRB 質向上: exact ones first, then the fill" jq -e --argjson n "$exact" \
  '[.results[].match] == ([range($n)] | map("exact")) + ([range((.results | length) - $n)] | map("page")) and (.results | length) > $n' "$TMP/crb.json" >/dev/null
check "  ... the summary counts the filled ones" jq -e '.page == ([.results[] | select(.match == "page")] | length) and .total == '"$exact" "$TMP/crb.json" >/dev/null
check "  ... an exact one misses nothing, a partial one names what it misses" \
  jq -e 'all(.results[]; (.match == "exact") == ((.missing | length) == 0))' "$TMP/crb.json" >/dev/null
query -f json --limit 10 'MEDIC 拠点 研究' >"$TMP/three.json"
check "filled ones holding more words come first" jq -e '[.results[] | select(.match != "exact") | .missing | length] as $m | $m == ($m | sort) and ($m | length) > 3' "$TMP/three.json" >/dev/null
bad=$(jq -r '.results[] | select(.match != "exact") | . as $r | .missing[] as $w | select(($r.text | ascii_downcase) | contains($w | ascii_downcase)) | $w' "$TMP/three.json")
check "a partial passage really lacks its missing words: $bad" test -z "$bad"
check "text marks filled passages" bash -c "'$BIN/shiryo-query' --index '$INDEX' --limit 5 'CRB 質向上' | grep -q '\[page holds all, passage: without 質向上\]'"
check "text summary counts them" bash -c "'$BIN/shiryo-query' --index '$INDEX' --limit 5 'CRB 質向上' | grep -q 'then [1-9][0-9]* page and 0 partial'"
check "--strict: exact ones only" jq -e -n --argjson n "$exact" "$("$BIN/shiryo-query" --index "$INDEX" --strict -f json --limit 5 'CRB 質向上' | jq '.results | length') == \$n"
check "--all stays exact" test "$(query --all -f jsonl 'CRB 質向上' | jq -s 'map(select(.match != "exact")) | length')" -eq 0
check "--all lists exactly the exact ones" test "$(query --all -f jsonl 'CRB 質向上' | wc -l)" -eq "$exact"
check "a filled list's exit status counts exact matches" bash -c "'$BIN/shiryo-query' --index '$INDEX' 'MEDIC 拠点 研究' >/dev/null 2>&1; test \$? -eq 1"

# Page matches: words a page holds in different passages come after the exact passages and
# before the partial ones (index of the sample page and the page fixtures).
I2="$TMP/index2"
# A page whose passages hold every bigram of 鳩山町役場 but never the word itself: a page match
# must be proven on the text, as every match is, not taken from the bigram candidates.
mkdir -p "$TMP/extra"
printf '%s\n' '・鳩山の山町で町役の役場を見た。' '・珍奇語彙をここに記す。' '・まったく別の話。' >"$TMP/extra/bigram_trap.txt"
"$BIN/shiryo-index" --index "$I2" "$SRC/corpus" "$SRC/tests/fixtures/pages" "$TMP/extra" >/dev/null 2>&1
q2() { "$BIN/shiryo-query" --index "$I2" "$@"; }
# page_holds FILE WORD...: some passage of FILE holds each word
page_holds() {
  local f=$1 w; shift
  for w in "$@"; do
    [[ $(q2 -c -f jsonl --exact "file:$f" "$w" | jq .passages) -gt 0 ]] || return 1
  done
}
for q in '定款 公益 法人' '法人 連携' 'CRB 質向上' 'MEDIC 拠点 研究' '公益 MEDIC' '鳩山町役場 珍奇語彙'; do
  q2 -f jsonl --limit 10 $q >"$TMP/fill.jsonl"
  check "$q: exact, then page, then partial" bash -c "jq -r .match '$TMP/fill.jsonl' | uniq | tr '\n' ' ' | grep -Eqx '(exact )?(page )?(partial )?'"
  while IFS=$'\t' read -r match file; do
    # shellcheck disable=SC2086
    if page_holds "$file" $q; then want=page; else want=partial; fi
    [[ $match == exact ]] && continue
    check "$q: $match result in $file is $want" test "$match" == "$want"
  done < <(jq -r '[.match, .file] | @tsv' "$TMP/fill.jsonl")
done
check "鳩山町役場 珍奇語彙: the passage holding 珍奇語彙 is filled in" test "$(q2 -f jsonl '鳩山町役場 珍奇語彙' | jq -s 'map(select(.text | contains("珍奇語彙"))) | length')" -eq 1
check "定款 公益 法人: the 民法 page holds them in different passages" test "$(q2 -f jsonl '定款 公益 法人' | jq -s 'map(select(.match == "page")) | length')" -ge 2
check "json summary counts page matches" test "$(q2 -f json '定款 公益 法人' | jq .page)" -ge 2
check "text marks partial passages" bash -c "'$BIN/shiryo-query' --index '$I2' '法人 連携' | grep -q '\[partial: without 連携\]'"
check "json summary counts partial matches" test "$(q2 -f json '法人 連携' | jq .partial)" -ge 3
check "text marks page matches" bash -c "'$BIN/shiryo-query' --index '$I2' '定款 公益 法人' | grep -q '\[page holds all, passage: without'"

# --scope page: --all returns exactly the passages holding any of the words on the pages whose
# passages together hold all of them (brute force over every passage of the index).
q2 --all -f jsonl 'page:1 OR -page:1' | jq -s . >"$TMP/every.json"
for q in '定款 公益 法人' '法人 連携' 'CRB 質向上' 'MEDIC 拠点 研究' '連携 拠点' '公益 MEDIC'; do
  want=$(jq -r --arg q "$q" '
    ($q | ascii_downcase | split(" ")) as $w
    | group_by(.file)
    | map(select(. as $page | all($w[]; . as $x | any($page[]; .text | ascii_downcase | contains($x)))))
    | flatten | map(select(. as $p | any($w[]; . as $x | $p.text | ascii_downcase | contains($x))))
    | map("\(.file):\(.line_start):\(.column)") | sort | .[]' "$TMP/every.json" | md5sum)
  # shellcheck disable=SC2086
  got=$(q2 --exact --scope page --all -f jsonl $q | jq -r '"\(.file):\(.line_start):\(.column)"' | sort | md5sum)
  check "--scope page --all $q: exactly the passages of pages holding every word" test "$want" == "$got"
  # shellcheck disable=SC2086
  n=$(q2 --exact --scope page -c -f jsonl $q | jq .passages)
  # shellcheck disable=SC2086
  check "--scope page --count $q agrees with --all" test "$n" -eq "$(q2 --exact --scope page --all -f jsonl $q | wc -l)"
done
check "--scope page finds the page that no passage matches" test "$(q2 -c -f jsonl --scope page '定款 公益 法人' | jq .passages)" -ge 3
err=$(q2 --scope pages 連携 2>&1 >/dev/null)
check "--scope takes passage or page: $err" grep -q 'passage or page' <<<"$err"

# Numbers that add up.
for q in 医工連携 令和7年度 '"臨床研究"'; do
  n=$(query -c -f jsonl --exact "$q" | jq .passages)
  check "json total of a top-1 list of $q is exact ($n)" bash -c "'$BIN/shiryo-query' --index '$INDEX' --exact -f json --limit 1 '$q' | jq -e '.total == $n and .total_exact' >/dev/null"
  check "text footer of $q says $n, not about" bash -c "'$BIN/shiryo-query' --index '$INDEX' --exact --limit 1 '$q' | grep -q '^(1 of $n passages shown'"
done
check "MEDIC MEDIC counts each mention once" test "$(query -c -f jsonl 'MEDIC MEDIC' | jq .mentions)" -eq "$(query -c -f jsonl MEDIC | jq .mentions)"
f=$(query -c --facets -f jsonl 連携)
check "every facet sums to the passage count (a none bucket): $f" \
  jq -e '.passages as $n | (.facets.fiscal_year | add) == $n and (.facets.measure | add) == $n' <<<"$f" >/dev/null
check "facets have a none bucket" jq -e '.facets.fiscal_year.none > 0' <<<"$f" >/dev/null
for args in "--all --limit 3" "--sort rank" "--fields rank -f jsonl" "--fy 2024 --fy 2025" "--column 2 --column 3"; do
  # shellcheck disable=SC2086
  err=$(query $args 連携 2>&1 >/dev/null)
  rc=$?
  check "conflicting options $args exit 2: $err" test $rc -eq 2
  check "  ... with one line saying what to do" test "$(wc -l <<<"$err")" -eq 1
done

finish
