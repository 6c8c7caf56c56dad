# errors.sh — every situation of the README's error table: each message is one line, names what is
# at fault and gives the right way out (repair for damage, permission for permissions, space for
# a full disk), and the way out works. Also: file names are bytes, links keep their own path.
source "$(dirname "$0")/lib.bash"

IX="$BIN/shiryo-index"
QY="$BIN/shiryo-query"
in="$TMP/in"
mkdir -p "$in"
cp "$SRC/corpus/"*.txt "$in/sample.txt"
cp "$SRC/tests/fixtures/pages/law_egov.txt" "$in/law.txt"
one_line() { test "$(printf '%s\n' "$1" | wc -l)" -eq 1; }
expect() { # expect DESCRIPTION WANT_RC REGEX COMMAND... : exit status, one line on stderr, wording
  local what=$1 want=$2 re=$3; shift 3
  local err rc
  err=$("$@" 2>&1 >/dev/null)
  rc=$?
  check "$what: exit $want (got $rc): $err" test $rc -eq "$want"
  check "$what: one line: $err" one_line "$err"
  check "$what: says /$re/: $err" grep -Eq -- "$re" <<<"$err"
}
count() { "$QY" --index "$1" -c -f jsonl 'page:1 OR -page:1' | jq .passages; }

# ---- options ----
expect "indexer --index ''" 2 "--index is empty: name the index directory" "$IX" --index "" "$in"
expect "query --index ''" 2 "--index is empty: name the index directory" "$QY" --index "" 連携
expect "unknown long option" 2 "unknown option --frob \(try 'shiryo-index --help'\)" "$IX" --frob "$in"
expect "unknown short option" 2 "unknown option -z \(try 'shiryo-query --help'\)" "$QY" -z 連携
expect "option missing its value" 2 "option --index needs a value" "$QY" 連携 --index
expect "value given to a flag" 2 "option --rebuild takes no value" "$IX" --rebuild=yes "$in"
expect "a PATH that does not exist" 2 "cannot index $TMP/nowhere: No such file or directory: check the PATH given" "$IX" --index "$TMP/x" "$TMP/nowhere"
expect "no PATH" 2 "no PATH given: name the files or folders" "$IX" --index "$TMP/x"
long=$(printf '連携%.0s' $(seq 1 1400))
"$IX" --quiet --index "$INDEX" "$in"
expect "query over 4 KB" 2 "query is 8400 bytes, over the limit of 4096 bytes.*shorten it" "$QY" --index "$INDEX" "$long"
check "the README documents the query limit" grep -q '4096 bytes' "$SRC/README.md"

# ---- what --index names ----
expect "query: no index" 2 "no index at $TMP/none: create it with shiryo-index --index" "$QY" --index "$TMP/none" 連携
mkdir -p "$TMP/empty"
expect "query: an empty directory" 2 "index $TMP/empty is empty \(nothing indexed yet\): fill it with shiryo-index" "$QY" --index "$TMP/empty" 連携
echo text >"$TMP/afile"
expect "indexer: a file as --index" 2 "--index $TMP/afile is not a directory" "$IX" --index "$TMP/afile" "$in"
expect "query: a file as --index" 2 "--index $TMP/afile is a file, not an index directory" "$QY" --index "$TMP/afile" 連携
mkdir -p "$TMP/foreign/shard0" && echo notes >"$TMP/foreign/notes.md" && echo x >"$TMP/foreign/shard0/f"
expect "indexer: a foreign directory" 2 "$TMP/foreign is not a shiryo index .*will not write to it, even with --rebuild" "$IX" --index "$TMP/foreign" "$in"
expect "indexer --rebuild: a foreign directory" 2 "$TMP/foreign is not a shiryo index" "$IX" --rebuild --index "$TMP/foreign" "$in"
check "the foreign directory is untouched" test "$(cd "$TMP/foreign" && find . | sort | tr '\n' ' ')" == ". ./notes.md ./shard0 ./shard0/f "
expect "query: a foreign directory" 2 "$TMP/foreign is not a shiryo index" "$QY" --index "$TMP/foreign" 連携
check "a new index holds the marker" test -s "$INDEX/SHIRYO"

# ---- damage: the query and --check say so, a plain run refuses, --rebuild repairs ----
want=$(count "$INDEX")
damage() { # damage NAME: a fresh index in $TMP/d-NAME, damaged
  local d="$TMP/d-$1"
  "$IX" --quiet --index "$d" "$in"
  local shard
  shard=$(sed -n 's/^auto //p' "$d/XAPIANDB" | tail -1)
  case $1 in
    truncated) truncate -s 100 "$d/$shard/postlist.glass" ;;
    noshard) rm -rf "${d:?}/$shard" ;;
    # garbage, but never a comment line: a stub of only '#' lines is a valid empty database
    stub) { printf 'garbage'; head -c 200 /dev/urandom | tr '\n' x; } >"$d/XAPIANDB" ;;
    legacy) rm "$d/SHIRYO"; truncate -s 100 "$d/$shard/postlist.glass" ;;
  esac
  echo "$d"
}
for kind in truncated noshard stub legacy; do
  d=$(damage $kind)
  expect "query: $kind" 2 "index $d is damaged \(.*\): see what is wrong with shiryo-query --check --index $d, repair it with shiryo-index --rebuild --index $d" "$QY" --index "$d" 連携
  out=$("$QY" --check --index "$d")
  check "query --check: $kind: exit 1 ($out)" test $? -eq 1
  check "query --check: $kind names the part and the repair: $out" grep -q "^problem: $d/.*" <<<"$out"
  check "query --check: $kind: the summary's advice: $out" grep -q "index $d: 1 problem found: repair it with shiryo-index --rebuild --index $d" <<<"$out"
  snapshot=$(cd "$d" && find . -type f -exec md5sum {} + | sort)
  "$IX" --check --index "$d" >/dev/null
  check "indexer --check: $kind: exit 1" test $? -eq 1
  check "--check changed nothing ($kind)" test "$snapshot" == "$(cd "$d" && find . -type f -exec md5sum {} + | sort)"
  expect "indexer: $kind, no --rebuild" 2 "index $d is damaged \(.*\): repair it with shiryo-index --rebuild --index $d PATH" "$IX" --index "$d" "$in"
  out=$("$IX" --rebuild --index "$d" "$in" 2>&1)
  check "--rebuild repairs $kind: $out" test $? -eq 0
  check "after --rebuild ($kind) the index answers as a fresh one" test "$(count "$d")" -eq "$want"
  check "after --rebuild ($kind) --check finds it sound" "$QY" --check --index "$d" >/dev/null
  check "after --rebuild ($kind) the marker is there" test -s "$d/SHIRYO"
done
echo 12345678 >"$INDEX/shiryo-index.lock"
out=$("$IX" --index "$INDEX" "$in" 2>&1)
check "a stale lock file (dead pid) does not stop a run: $out" test $? -eq 0
out=$("$QY" --check --index "$INDEX")
check "--check of a sound index: exit 0: $out" grep -q "index $INDEX is sound: [0-9]* shards* checked" <<<"$out"

# ---- permissions (as an unprivileged user when root): never called damage ----
PERM=$(mktemp -d /tmp/shiryo-errors.XXXXXX)
trap '[[ -n ${disk:-} ]] && umount "$disk" 2>/dev/null; chmod -R u+rwx "$PERM" 2>/dev/null; rm -rf "$TMP" "$PERM"' EXIT
as_user=()
if [[ $(id -u) -eq 0 ]]; then
  as_user=(runuser -u nobody --)
fi
mkdir -p "$PERM/in" && cp "$in/"*.txt "$PERM/in/"
"$IX" --quiet --index "$PERM/ix" "$PERM/in"
chmod -R a+rX "$PERM/in"
chmod 755 "$PERM"
chmod 700 "$PERM/ix"
if [[ ${#as_user[@]} -gt 0 ]] || [[ $(id -u) -ne 0 ]]; then
  [[ $(id -u) -ne 0 ]] && chmod 000 "$PERM/ix"
  expect "query: an index the user may not read" 2 "index $PERM/ix: permission denied.*ask its owner for read access" "${as_user[@]}" "$QY" --index "$PERM/ix" 連携
  expect "indexer: an index the user may not write" 2 "index $PERM/ix: permission denied.*run shiryo-index as the user who owns the index" "${as_user[@]}" "$IX" --index "$PERM/ix" "$PERM/in"
  expect "--check: an index the user may not read" 2 "permission denied.*run the check as a user who may read" "${as_user[@]}" "$QY" --check --index "$PERM/ix"
  chmod 755 "$PERM/ix"
  shard=$(sed -n 's/^auto //p' "$PERM/ix/XAPIANDB" | head -1)
  chmod 700 "$PERM/ix/$shard"
  expect "query: a shard the user may not read" 2 "permission denied" "${as_user[@]}" "$QY" --index "$PERM/ix" 連携
  err=$("${as_user[@]}" "$QY" --index "$PERM/ix" 連携 2>&1)
  check "a permission problem is never called damage: $err" bash -c "! grep -q damaged <<<\"\$1\"" _ "$err"
  chmod 755 "$PERM/ix/$shard"
  check "readable again, the index answers" test "$("$QY" --index "$PERM/ix" -c -f jsonl 連携 | jq .passages)" -gt 0
fi

# ---- file names are bytes; links keep their path ----
odd="$TMP/odd"
mkdir -p "$odd" "$TMP/elsewhere"
nl_name="$odd/new"$'\n'"line.txt"; tab_name="$odd/tab"$'\t'"name.txt"; sjis_name="$odd/$(printf '\x8e\x91\x97\xbf').txt"
printf '改行名 (1 ページ)\n改行を名前に含むファイルです。\n' >"$nl_name"
printf 'タブ名 (1 ページ)\nタブを名前に含むファイルです。\n' >"$tab_name"
printf '資料名 (1 ページ)\nシフトJISの名前でUTF-8の中身です。\n' >"$sjis_name"
printf 'リンク (1 ページ)\nリンクでだけ見つかる本文です。\n' >"$TMP/elsewhere/target.txt"
ln -s ../elsewhere/target.txt "$odd/link.txt"
oix="$TMP/oix"
out=$("$IX" --index "$oix" "$odd" 2>&1)
check "odd names: all four indexed, none removed or skipped: $out" grep -q '(4 added, 0 updated, 0 unchanged, 0 removed, 0 skipped)' <<<"$out"
out=$("$IX" --index "$oix" "$odd" 2>&1)
check "odd names: a second run finds them unchanged: $out" grep -q '(0 added, 0 updated, 4 unchanged, 0 removed, 0 skipped)' <<<"$out"
file_of() { "$QY" --index "$oix" -f json "$1" | jq -j '.results[0].file'; }
check "a newline in a name is stored and printed exactly (JSON)" test "$(file_of 改行を名前)" == "$nl_name"
check "a tab in a name is stored and printed exactly (JSON)" test "$(file_of タブを名前)" == "$tab_name"
got=$("$QY" --index "$oix" -f json シフトJIS | jq -r '.results | length')
check "a Shift_JIS name with UTF-8 content is indexed as UTF-8 ($got result)" test "$got" -eq 1
check "JSON writes the Shift_JIS name's bytes as surrogate escapes (valid JSON, bytes recoverable)" \
  bash -c "'$QY' --index '$oix' -f jsonl シフトJIS | grep -qF '$odd/\\udc8e\\udc91\\udc97\\udcbf.txt'"
check "text output prints the Shift_JIS name's bytes exactly" bash -c "'$QY' --index '$oix' シフトJIS | grep -qaF \"\$1\"" _ "$sjis_name"
check "the JSON with a Shift_JIS name is valid JSON" bash -c "'$QY' --index '$oix' -f json シフトJIS | jq -e .results >/dev/null"
text=$("$QY" --index "$oix" 改行を名前)
check "text output shows the newline of a name visibly: $text" grep -qF "$odd/new\\nline.txt:" <<<"$text"
check "text output keeps the result on its lines" test "$(grep -c 'line.txt' <<<"$text")" -eq 1
check "a file found through a link is recorded under the link's path" test "$(file_of リンクでだけ)" == "$odd/link.txt"
rm "$odd/link.txt"
out=$("$IX" --index "$oix" "$odd" 2>&1)
check "removing the link prunes the file: $out" grep -q ' 1 removed' <<<"$out"
check "the file is no longer found" test "$("$QY" --index "$oix" -c -f jsonl リンクでだけ | jq .passages)" -eq 0

# ---- a signal during a run ----
pages="$TMP/pages"
mkdir -p "$pages"
for i in $(seq 1 300); do { cat "$SRC/tests/fixtures/pages/law_egov.txt"; echo "第${i}号の追加行。"; } >"$pages/p$i.txt"; done
sig="$TMP/sig"
"$IX" --quiet --index "$sig" "$pages" 2>"$TMP/sig.err" &
pid=$!
sleep 0.5
kill -TERM "$pid"
wait "$pid"
rc=$?
err=$(cat "$TMP/sig.err")
if [[ -n $err ]]; then
  check "SIGTERM: exit 2 (got $rc)" test $rc -eq 2
  check "SIGTERM: says the index is at its last commit: $err" grep -q "interrupted (Terminated): index $sig is intact at its last commit: run shiryo-index again" <<<"$err"
else
  echo "note: the run finished before the signal (rc $rc)"
fi
"$QY" --index "$sig" -q 法律
check "after SIGTERM the index opens and answers (status $?)" test $? -le 1
"$IX" --quiet --index "$sig" "$pages"
check "after SIGTERM a rerun completes" test $? -eq 0
"$IX" --quiet --index "$TMP/sig-fresh" "$pages"
check "after SIGTERM and a rerun: as a fresh build" test "$(count "$sig")" -eq "$(count "$TMP/sig-fresh")"

# ---- a full disk (a small tmpfs, smaller than the lean index of these pages; needs root to mount) ----
disk="$TMP/disk"
mkdir -p "$disk"
if [[ $(id -u) -ne 0 ]]; then
  echo "SKIP full-disk checks: mounting a tmpfs needs root (CI runs as root)"
  disk=
elif ! mount -t tmpfs -o size=512k tmpfs "$disk" 2>"$TMP/mount.err"; then
  echo "SKIP full-disk checks: cannot mount a tmpfs here: $(cat "$TMP/mount.err")"
  disk=
fi
if [[ -n $disk ]]; then
  full="$disk/ix"
  err=$("$IX" --quiet --index "$full" "$pages" 2>&1)
  rc=$?
  check "full disk: exit 2 (got $rc)" test $rc -eq 2
  check "full disk: one line: $err" one_line "$err"
  check "full disk: names the index and the disk, says intact, says free space: $err" \
    grep -q "index $full: the disk is full (.*No space left on device.*); the index is intact at its last commit: free space on the disk that holds $full ($disk, [0-9.]* MB free), then run shiryo-index again" <<<"$err"
  check "full disk: never called damage" bash -c "! grep -q damaged <<<\"\$1\"" _ "$err"
  "$QY" --index "$full" -q 法律
  check "full disk: the index opens and answers (status $?)" test $? -le 1
  mount -o remount,size=64m "$disk"
  out=$("$IX" --index "$full" "$pages" 2>&1)
  check "full disk: with space again the next run completes: $out" test $? -eq 0
  check "full disk: then the index answers as a fresh build" test "$(count "$full")" -eq "$(count "$TMP/sig-fresh")"
  check "full disk: then --check finds it sound" "$QY" --check --index "$full" >/dev/null
  umount "$disk"

  # A disk with room for the index but not for its compacted copy: the compaction fails, the
  # run (every passage committed) exits 0 with a warning, and the next run with space compacts.
  "$IX" --quiet --jobs 1 --index "$TMP/measure" "$pages"
  compacted_kb=$(du -sk "$TMP/measure"/shard0.g* | cut -f1)
  mount -t tmpfs -o size=$((compacted_kb * 17 / 10))k tmpfs "$disk"
  tight="$disk/ix"
  out=$("$IX" --jobs 1 --index "$tight" "$pages" 2>&1)
  rc=$?
  check "compaction on a full disk: exit 0, every passage committed (got $rc): $out" test $rc -eq 0
  check "compaction on a full disk: the warning says kept, retried, and free space: $out" \
    grep -q "warning: index $tight: shard $tight/shard0 not compacted (.*No space left on device.*); every passage is committed and searchable, and the next run compacts it: free space" <<<"$out"
  check "compaction on a full disk: the uncompacted shard is in use" test "$(cat "$tight/XAPIANDB")" == "auto shard0"
  check "compaction on a full disk: no partial copy left" test ! -e "$tight/shard0.g1"
  check "compaction on a full disk: the index answers in full" test "$(count "$tight")" -eq "$(count "$TMP/measure")"
  mount -o remount,size=64m "$disk"
  out=$("$IX" --index "$tight" "$pages" 2>&1)
  check "with space again the next run compacts it: $out" test "$(cat "$tight/XAPIANDB")" == "auto shard0.g1"
  check "and the flag is gone" test ! -e "$tight/shard0.compact"
  check "and the index answers as before" test "$(count "$tight")" -eq "$(count "$TMP/measure")"
  umount "$disk"
  disk=
fi

# ---- the MeCab dictionary ----
# Missing: the message says what to install (not "check the disk"), and nothing is left behind,
# for a new index and for an existing one alike.
nodict="$TMP/no-such-dictionary"
expect "no MeCab dictionary, new index" 2 \
  "^shiryo-index: MeCab dictionary not found in $nodict: install mecab-ipadic-utf8" \
  env SHIRYO_MECAB_DICDIR="$nodict" "$IX" --index "$TMP/dictless" "$in"
check "no MeCab dictionary: no index directory made" test ! -e "$TMP/dictless"
"$IX" --quiet --index "$TMP/dicted" "$in" || fail "index for the dictionary check"
before=$(count "$TMP/dicted")
expect "no MeCab dictionary, existing index" 2 "install mecab-ipadic-utf8" \
  env SHIRYO_MECAB_DICDIR="$nodict" "$IX" --rebuild --index "$TMP/dicted" "$in"
check "no MeCab dictionary: the existing index answers as before" test "$(count "$TMP/dicted")" -eq "$before"

finish
