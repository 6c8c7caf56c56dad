# robust.sh — bad input and interrupted runs: encodings, line ends, binary/empty/huge files,
# unreadable paths, symlink loops; kill -9 at random points leaves an index that opens, answers,
# and completes on the next run with no duplicates; a second writer gets a clear lock error;
# queries work while the index is being written.
source "$(dirname "$0")/lib.bash"

# ---- a folder of surprises ----
in="$TMP/in"
mkdir -p "$in/sub"
cp "$SRC/corpus/"*.txt "$in/sample.txt"
iconv -f UTF-8 -t SHIFT_JIS "$SRC/tests/fixtures/pages/law_egov.txt" >"$in/sjis.txt"
iconv -f UTF-8 -t EUC-JP "$SRC/tests/fixtures/pages/no_repeat.txt" >"$in/eucjp.txt"
printf '\xef\xbb\xbf%s\r\n%s\r\n' "BOM付きのページです。" "ＣＲＬＦの行末です。" >"$in/bom_crlf.txt"
printf '%s\r%s\r' "古い改行の行です。" "CR区切りの二行目です。" >"$in/cr.txt"
: >"$in/empty.txt"
head -c 4096 /dev/urandom >"$in/random.txt"
printf 'NULを含む\x00行です。\n普通の行。\n' >"$in/nul.txt"
printf '全角　スペースとNBSP\xc2\xa0を含む行。\n' >"$in/spaces.txt"
printf '正しい行。\n壊れた\xff\xfe列。\n' >"$in/invalid_utf8.txt"
printf '前の行。\n孤立サロゲート\xed\xa0\x80の行。後ろの行もあります。\n' >"$in/surrogate.txt"
printf '資料1 タイトルだけ (2 ページ)\n' >"$in/header_only.txt"
awk 'BEGIN { for (i = 0; i < 1200000; i++) printf "長い行"; printf "\n" }' >"$in/long_line.txt"  # 10.8 MB
ln -s .. "$in/sub/loop"
ln -s "$in/nowhere.txt" "$in/dangling.txt"

out=$("$BIN/shiryo-index" --verbose --index "$INDEX" "$in" 2>&1)
rc=$?
check "indexing a folder of surprises exits 0: $out" test $rc -eq 0
check "Shift_JIS detected and named in --verbose" grep -q 'sjis.txt: added, .*Shift_JIS' <<<"$out"
check "EUC-JP detected and named in --verbose" grep -q 'eucjp.txt: added, .*EUC-JP' <<<"$out"
check "random bytes skipped with a warning naming the file" grep -q 'warning: .*random.txt: not text' <<<"$out"
check "a few invalid UTF-8 bytes are replaced, the file indexed, with a warning" \
  grep -q 'warning: .*invalid_utf8.txt: 2 invalid UTF-8 sequences replaced by U+FFFD' <<<"$out"
check "a lone surrogate (CESU bytes) is replaced, the file indexed" grep -q 'warning: .*surrogate.txt: .* replaced by U+FFFD' <<<"$out"
check "text after the lone surrogate is searchable" test "$(query -c -f jsonl 後ろの行 | jq .passages)" -eq 1
check "text around the invalid bytes is searchable" test "$(query -c -f jsonl 正しい行 | jq .passages)" -eq 1
check "dangling symlink warned" grep -q 'warning: .*dangling.txt' <<<"$out"
check "symlink loop warned, not followed" grep -q 'warning: .*loop: symbolic link loop' <<<"$out"
check "summary counts skipped files" grep -Eq 'indexed [0-9]+ files.*[1-9][0-9]* skipped' <<<"$out"
check "Shift_JIS text searchable" test "$(query -c -f jsonl 'file:sjis' | jq .passages)" -gt 0
check "CRLF page searchable without CR" bash -c "[[ \$('$BIN/shiryo-query' --index '$INDEX' -f jsonl 行末 | jq -r .text) == 'ＣＲＬＦの行末です。' ]]"
check "CR-only line ends split lines" test "$(query -f jsonl CR区切り | jq '.lines[0]')" -eq 2
check "NUL byte file indexed" test "$(query -c -f jsonl NULを含む | jq .passages)" -eq 1
check "full-width space searchable as a space" test "$(query -c -f jsonl '"全角 スペース"' | jq .passages)" -eq 1
check "10 MB-class single line indexed (cut into passages)" test "$(query -c -f jsonl 'file:long_line 長い行' | jq .passages)" -ge 2
check "header-only file gives no passage but no error" grep -q 'header_only.txt: added, 0 passages' <<<"$out"

# Unreadable file and directory (run as an unprivileged user when we are root). The user must
# reach the folder: it lives in its own directory under /tmp, not under the test's private tree.
PERM=$(mktemp -d /tmp/shiryo-perm.XXXXXX)
trap 'chmod -R u+rwx "$PERM" 2>/dev/null; rm -rf "$TMP" "$PERM"' EXIT
mkdir -p "$PERM/in/closed" && cp "$SRC/corpus/"*.txt "$PERM/in/ok.txt"
cp "$SRC/corpus/"*.txt "$PERM/in/secret.txt" && chmod 000 "$PERM/in/secret.txt"
cp "$SRC/corpus/"*.txt "$PERM/in/closed/a.txt" && chmod 000 "$PERM/in/closed"
as_user=()
if [[ $(id -u) -eq 0 ]]; then
  chmod 777 "$PERM" "$PERM/in"
  as_user=(runuser -u nobody --)
fi
out=$("${as_user[@]}" "$BIN/shiryo-index" --index "$PERM/index" "$PERM/in" 2>&1)
check "unreadable file and folder: run goes on, exit 0: $out" test $? -eq 0
check "unreadable file warned: $out" grep -q 'warning: .*secret.txt: cannot open: Permission denied' <<<"$out"
check "unreadable folder warned: $out" grep -q 'warning: .*closed: Permission denied' <<<"$out"
check "the readable file was indexed: $out" grep -q 'indexed 1 files' <<<"$out"
chmod 755 "$PERM/in/closed"

# Everything skipped: exit 1 and a count.
mkdir -p "$TMP/allbad" && head -c 2048 /dev/urandom >"$TMP/allbad/x.txt"
"$BIN/shiryo-index" --index "$TMP/allbad-index" "$TMP/allbad" >/dev/null 2>&1
check "all files skipped exits 1" test $? -eq 1

# ---- corrupt and foreign index directories ----
mkdir -p "$TMP/foreign" && echo notes >"$TMP/foreign/notes.md"
err=$("$BIN/shiryo-index" --index "$TMP/foreign" "$in/sample.txt" 2>&1)
check "foreign directory refused with exit 2" test $? -eq 2
check "foreign directory message: $err" grep -q 'is not a shiryo index' <<<"$err"
check "foreign directory untouched" test "$(ls "$TMP/foreign")" == notes.md
mkdir -p "$TMP/broken" && echo garbage >"$TMP/broken/iamglass"
err=$("$BIN/shiryo-index" --index "$TMP/broken" "$in/sample.txt" 2>&1)
check "damaged index refused by the indexer with exit 2: $err" test $? -eq 2
err=$("$BIN/shiryo-query" --index "$TMP/broken" 連携 2>&1)
check "damaged index refused by the query with exit 2: $err" test $? -eq 2
check "a damaged database shiryo did not make is called foreign, named: $err" grep -q "$TMP/broken is not a shiryo index" <<<"$err"

# ---- a larger run for kills, locks and concurrent reads ----
pages="$TMP/pages"
mkdir -p "$pages"
corpus_tar="$SRC/../shared/corpora/egov-law-20mb.tar.xz"
if [[ -r $corpus_tar ]]; then
  tar -xJf "$corpus_tar" -C "$TMP" egov-law-20mb/pages
  ls "$TMP/egov-law-20mb/pages" | head -600 | while read -r f; do mv "$TMP/egov-law-20mb/pages/$f" "$pages/"; done
else
  for i in $(seq 1 600); do { cat "$SRC/tests/fixtures/pages/law_egov.txt"; echo "第${i}号の追加行。"; } >"$pages/p$i.txt"; done
fi
big="$TMP/big-index"
fresh="$TMP/fresh-index"
started=$(date +%s%N)
"$BIN/shiryo-index" --quiet --index "$fresh" "$pages"
# Kills land at a random point of a build's duration, measured here: a fixed window misses every
# run when the build is quick (the fallback pages, an optimized package build).
build_ms=$(( ($(date +%s%N) - started) / 1000000 ))
(( build_ms >= 20 )) || build_ms=20
want=$("$BIN/shiryo-query" --index "$fresh" -c -f jsonl 'page:1 OR -page:1' | jq .passages)
check "fresh build has passages ($want)" test "$want" -gt 0

kills=0
# Every other run is a --rebuild, so that each kill has a whole build to land in (an incremental
# run after a completed one has nothing left to do), and the kill comes in the first 80 % of it.
for attempt in 1 2 3 4 5 6 7 8; do
  rebuild=()
  (( attempt % 2 == 0 )) && rebuild=(--rebuild)
  "$BIN/shiryo-index" --quiet "${rebuild[@]}" --index "$big" "$pages" &
  pid=$!
  at_ms=$(( RANDOM % (build_ms * 8 / 10) + 1 ))
  sleep "$(printf '%d.%03d' $((at_ms / 1000)) $((at_ms % 1000)))"
  if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
  wait "$pid" 2>/dev/null
  "$BIN/shiryo-query" --index "$big" -q 'page:1 OR -page:1'
  qrc=$?
  check "after kill -9 #$attempt the index opens and answers (status $qrc)" test $qrc -le 1
done
check "at least one run was really killed" test $kills -ge 1
out=$("$BIN/shiryo-index" --index "$big" "$pages" 2>&1)
check "the run after the kills completes: $out" test $? -eq 0
got=$("$BIN/shiryo-query" --index "$big" -c -f jsonl 'page:1 OR -page:1' | jq .passages)
check "no duplicates, nothing lost after kills ($got vs $want)" test "$got" -eq "$want"
check "same mentions as a fresh build" test \
  "$("$BIN/shiryo-query" --index "$big" -c -f jsonl 法律 | jq -c '[.passages,.mentions]')" == \
  "$("$BIN/shiryo-query" --index "$fresh" -c -f jsonl 法律 | jq -c '[.passages,.mentions]')"

# A second writer while the first runs: one clear line naming the pid, exit 2. Queries meanwhile work.
"$BIN/shiryo-index" --quiet --rebuild --index "$big" "$pages" &
pid=$!
sleep 0.3
err=$("$BIN/shiryo-index" --index "$big" "$pages" 2>&1)
rc=$?
check "second writer exits 2 (got $rc): $err" test $rc -eq 2
check "lock message names the pid: $err" grep -q "is locked by another shiryo-index (pid $pid)" <<<"$err"
check "lock message is one line" test "$(wc -l <<<"$err")" -eq 1
readers_ok=1
for i in 1 2 3 4 5 6 7 8 9 10; do
  "$BIN/shiryo-query" --index "$big" -q 法律
  [[ $? -le 1 ]] || readers_ok=0
  sleep 0.1
done
check "queries work while the index is written" test $readers_ok -eq 1
wait "$pid"
check "the writer finished" test $? -eq 0
check "the lock file no longer names a writer after the run" test ! -s "$big/shiryo-index.lock"

# Incremental: change one file, remove one, add one.
first=$(ls "$pages" | head -1); second=$(ls "$pages" | sed -n 2p)
echo "追記された一行。" >>"$pages/$first"
rm "$pages/$second"
cp "$SRC/corpus/"*.txt "$pages/zz_new.txt"
out=$("$BIN/shiryo-index" --index "$big" "$pages" 2>&1)
check "incremental run: 1 added, 1 updated, 1 removed: $out" grep -q '(1 added, 1 updated, [0-9]* unchanged, 1 removed, 0 skipped)' <<<"$out"
check "removed file no longer found" bash -c "! '$BIN/shiryo-query' --index '$big' -q 'file:$second'"
check "updated text found" test "$("$BIN/shiryo-query" --index "$big" -c -f jsonl 追記された一行 | jq .passages)" -eq 1

# Compaction: a run that writes a good part of a shard compacts it and switches the stub to the
# new generation; a small update does not; leftovers of a killed compaction are removed.
check "the full build left compacted shards in the stub" grep -q '^auto shard[0-9]*\.g[0-9]*$' "$big/XAPIANDB"
stub_before=$(cat "$big/XAPIANDB")
echo "もう一行。" >>"$pages/$first"
"$BIN/shiryo-index" --quiet --index "$big" "$pages"
check "a one-file update does not recompact" test "$(cat "$big/XAPIANDB")" == "$stub_before"
mkdir -p "$big/shard7.g9" && echo junk >"$big/shard7.g9/iamglass"
"$BIN/shiryo-index" --quiet --index "$big" "$pages"
check "an unlisted shard directory left by a killed run is removed" test ! -e "$big/shard7.g9"
check "only the listed shards remain" test "$(ls -d "$big"/shard* | wc -l)" -eq "$(wc -l <"$big/XAPIANDB")"
check "the index still answers after all that" test "$("$BIN/shiryo-query" --index "$big" -c -f jsonl 追記された一行 | jq .passages)" -eq 1

finish
