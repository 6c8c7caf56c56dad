# remote.sh — several parts searched as one index: pages split into three folders, each indexed
# alone exactly as users index (the default, lean index); two served by xapian-tcpsrv on 127.0.0.1 (one server per shard), one kept local. Every
# output of a list of queries (all formats, filters, --count, --facets, --list measures,
# --programs) must equal, byte for byte, that of one index built over all three folders. Then
# the cluster file, and faults: a server down, stopped (timeout), killed during a query; --partial.
source "$(dirname "$0")/lib.bash"

# ---- pages: the 20 MB law corpus (a spread-out sample) plus the meeting-material sample ----
pages="$TMP/pages"
mkdir -p "$pages/a" "$pages/b" "$pages/c"
corpus_tar="$SRC/../shared/corpora/egov-law-20mb.tar.xz"
if [[ -r $corpus_tar ]]; then
  tar -xJf "$corpus_tar" -C "$TMP" egov-law-20mb/pages
  src_pages=$(ls "$TMP/egov-law-20mb/pages" | awk 'NR % 12 == 1' | head -420 | sed "s|^|$TMP/egov-law-20mb/pages/|")
else
  echo "remote.sh: $corpus_tar is not there: splitting generated pages instead"
  for i in $(seq 1 150); do { cat "$SRC/tests/fixtures/pages/law_egov.txt"; echo "第${i}号の追加行。"; } >"$TMP/p$i.txt"; done
  src_pages=$(ls "$TMP"/p*.txt)
fi
i=0
for f in $src_pages; do
  case $((i % 3)) in 0) d=a ;; 1) d=b ;; *) d=c ;; esac
  cp "$f" "$pages/$d/"
  i=$((i + 1))
done
# The same meeting material in every folder: programs, budgets and measures spread over all the
# parts, and passages of equal score in different parts (ties broken by file and position).
for d in a b c; do cp "$SRC/corpus/"*.txt "$pages/$d/material_$d.txt"; done

for d in a b c; do
  "$BIN/shiryo-index" --quiet --index "$TMP/part_$d" "$pages/$d" || fail "indexing folder $d"
done
"$BIN/shiryo-index" --quiet --index "$TMP/whole" "$pages/a" "$pages/b" "$pages/c" || fail "indexing all folders"

# ---- servers: one xapian-tcpsrv per shard, loopback only, each in a session of its own ----
# (xapian-tcpsrv stopped by SIGTERM signals its whole process group: never ours.)
server_pids=()
stop_servers() {
  local p
  for p in "${server_pids[@]}"; do kill -KILL -- "-$p" 2>/dev/null; done
  server_pids=()
}
trap 'stop_servers; rm -rf "$TMP"' EXIT
port_base=$((20000 + RANDOM % 20000))
# serve DB: starts a server for DB on the next free port; sets $served (tcp://…) and $served_pid.
serve() {
  local db=$1 port pid try
  for try in $(seq 1 50); do
    port=$((port_base++))
    setsid xapian-tcpsrv --quiet --interface 127.0.0.1 --port "$port" --timeout 60000 "$db" >/dev/null 2>&1 &
    pid=$!
    disown "$pid"  # killed on purpose below: no job notices
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break  # port taken: the server gave up
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        server_pids+=("$pid")
        served="tcp://127.0.0.1:$port"
        served_pid=$pid
        return 0
      fi
      sleep 0.05
    done
    kill -KILL -- "-$pid" 2>/dev/null
  done
  return 1
}
cluster="$TMP/cluster"
{
  echo "# one local part, two served (a line per shard)"
  echo "part_a   # relative to this file"
} >"$cluster"
declare -A pid_of
for d in b c; do
  while read -r _ shard; do
    serve "$TMP/part_$d/$shard" || fail "starting xapian-tcpsrv for part $d"
    echo "$served" >>"$cluster"
    pid_of[$served]=$served_pid
  done <"$TMP/part_$d/XAPIANDB"
done
check "four servers started (two shards per served part)" test "${#server_pids[@]}" -eq 4

# ---- the same answers as one index ----
whole() { "$BIN/shiryo-query" --index "$TMP/whole" "$@"; }
parts() { "$BIN/shiryo-query" --index "$cluster" "$@"; }
program=$(whole --programs -f jsonl | head -1 | jq -r .program)
queries=(
  "法律"
  "-f json 法律"
  "-f jsonl -n 40 大臣 OR 政令"
  "-f tsv -n 25 規定"
  "-f csv -n 25 規定"
  "-f json --facets 命令"
  "-f json --facets 医工連携"
  "-a -f jsonl 附則"
  "-a --sort rank -f jsonl 公布"
  "-a -f tsv --fields file,line_start,score,text 施行"
  "-c 法律"
  "-c -f json --facets 法"
  "-c -f csv 条"
  "-c -f json この法律 OR 電磁的記録"
  "-f json 経済産業省"
  "-f jsonl --fy 2025 -n 30"
  "-f jsonl --ministry 経産省 -a"
  "-f json --column 2 -n 30 推進"
  "-f jsonl -a 'measure:人材'"
  "-f jsonl 'title:法' 国"
  "-f json '\"公正取引\"'"
  "-f jsonl -C 10 -n 30 省令"
  "--list measures -f json"
  "--list measures -f tsv 推進"
  "--programs -f json"
  "--programs -f jsonl 事業"
  "-f jsonl -a --count 'program:\"$program\"'"
  "-f jsonl -a --program '$program'"
  "-f jsonl -n 20 公正取引 電磁的記録"
  "-f json --scope page -n 20 公布 罰金"
  "-q 法律"
  "-f json 存在しない語句ですよ"
)
# A top-N list's total is Xapian's estimate, which depends on how the passages are spread over
# shards; over several parts shiryo counts it exactly. Where one index only estimates, the
# totals are left out of the comparison (and checked against --count below).
estimate='s/"total":[0-9]*,"total_exact":(true|false)//; s/^\([0-9]+ of (about )?[0-9]+ passages shown.*//'
nonempty=0
for q in "${queries[@]}"; do
  want=$(eval "whole $q" 2>&1; echo "exit $?")
  got=$(eval "parts $q" 2>&1; echo "exit $?")
  [[ ${#want} -gt 300 ]] && nonempty=$((nonempty + 1))
  if grep -Eq '"total_exact":false|passages shown' <<<"$want"; then
    if grep -q '"total_exact":false\|of about' <<<"$got"; then fail "'$q' over the parts: total not exact"; fi
    want=$(sed -E "$estimate" <<<"$want")
    got=$(sed -E "$estimate" <<<"$got")
  fi
  if [[ $want == "$got" ]]; then ok; else
    fail "over the parts, '$q' differs from one index:"
    diff <(echo "$want") <(echo "$got") | head -6 >&2
  fi
done
check "most queries answer with several lines ($nonempty of ${#queries[@]})" test "$nonempty" -ge 18
# A top-10 list over several parts counts its total (one index may only estimate it).
check "top-N total over the parts is exact and equals --count" \
  test "$(parts -f json 法 | jq -c '[.total, .total_exact]')" == "[$(whole -c -f json 法 | jq .passages),true]"
# Scores are those of one index, not of the part (collection statistics over the union).
alone=$("$BIN/shiryo-query" --index "$TMP/part_a" -f jsonl 法律 | jq -s -c 'map(.score)')
check "a part alone scores differently (the statistics matter)" test "$alone" != "$(whole -f jsonl 法律 | jq -s -c 'map(.score)')"

# ---- naming the parts ----
check "repeated --index: same answer as the cluster file" \
  test "$("$BIN/shiryo-query" --index "$TMP/part_a" $(grep -o 'tcp://[^ ]*' "$cluster" | sed 's/^/--index /') -f json 法律)" == "$(whole -f json 法律)"
check "\$SHIRYO_INDEX names a cluster file" test "$(SHIRYO_INDEX=$cluster "$BIN/shiryo-query" -c 法律)" == "$(whole -c 法律)"
printf 'tcp://127.0.0.1\n' >"$TMP/bad1"
err=$("$BIN/shiryo-query" --index "$TMP/bad1" 法律 2>&1)
check "malformed part: exit 2" test $? -eq 2
check "malformed part: names the file and line: $err" grep -q "$TMP/bad1:1: bad remote part \"tcp://127.0.0.1\": write tcp://HOST:PORT" <<<"$err"
err=$("$BIN/shiryo-query" --index "$TMP/part_a" --index "$TMP/part_a" 法律 2>&1)
check "a part listed twice is refused: $err" grep -q "part $TMP/part_a is listed twice" <<<"$err"
printf '# nothing\n\n' >"$TMP/empty_cluster"
err=$("$BIN/shiryo-query" --index "$TMP/empty_cluster" 法律 2>&1)
check "an empty cluster file is refused: $err" grep -q "cluster file $TMP/empty_cluster lists no part" <<<"$err"
err=$("$BIN/shiryo-query" --check --index "$cluster" 2>&1)
check "--check over several parts: exit 2" test $? -eq 2
check "--check over several parts: says to check each part on its host: $err" \
  grep -q 'run it on the host of each part' <<<"$err"
err=$("$BIN/shiryo-query" --index "$TMP/part_a" --index "$TMP/nowhere" 法律 2>&1)
check "a missing local part is named: $err" grep -q "no index at $TMP/nowhere" <<<"$err"

# A server given the index directory (its stub) answers metadata (page and passage records)
# from its first shard only: refused when the part is opened (its document count is larger
# than its first shard's), never an answer with other passages' texts or empty sources.
serve "$TMP/part_b" || fail "starting a server on a stub"
stub_part=$served
for args in "-a -f jsonl 法" "-c 法律"; do
  out=$("$BIN/shiryo-query" --index "$stub_part" $args 2>&1)
  check "a served index directory is refused ($args: exit 2)" test $? -eq 2
  check "…in one line, with advice to serve each shard: $out" \
    grep -q "^shiryo-query: part $stub_part serves several shards as one database.*serve each shard of an index with its own xapian-tcpsrv" <<<"$out"
  check "…one line" test "$(wc -l <<<"$out")" -eq 1
done
kill -KILL -- "-$served_pid"

# Any index can be served: one built with the defaults (one shard, no termlist table, as issue
# 11's lean index is) answers through xapian-tcpsrv exactly as it does read locally, for every
# kind of answer (passages and highlights, proofs, fill, counts, facets, measures, programs).
# --for-remote, which schema 7 needed for this, is accepted and changes nothing.
# It is updated once (a file changed, one removed), so its shard holds replaced passages on its
# deletion list, which a served shard must honour too.
cp -r "$pages/a" "$TMP/lean_pages"
"$BIN/shiryo-index" --quiet --jobs 1 --index "$TMP/lean" "$TMP/lean_pages" || fail "indexing a lean index"
changed=$(ls "$TMP/lean_pages"/*.txt | head -1)
rm "$(ls "$TMP/lean_pages"/*.txt | sed -n 2p)"
{ cat "$changed"; echo "改訂で加えた一文、法律の附則。"; } >"$TMP/changed" && mv "$TMP/changed" "$changed"
out=$("$BIN/shiryo-index" --jobs 1 --index "$TMP/lean" "$TMP/lean_pages" 2>&1)
check "the lean index is updated in place: $out" grep -q "1 updated.* 1 removed" <<<"$out"
"$BIN/shiryo-index" --quiet --jobs 1 --index "$TMP/lean_fresh" "$TMP/lean_pages" || fail "indexing afresh"
"$BIN/shiryo-index" --quiet --jobs 1 --for-remote --index "$TMP/lean_fr" "$pages/a" ||
  fail "indexing with --for-remote"
check "the index has no termlist table (the lean layout)" bash -c "! ls '$TMP'/lean/shard*/termlist.* 2>/dev/null"
check "--for-remote changes nothing: no termlist table either" bash -c "! ls '$TMP'/lean_fr/shard*/termlist.* 2>/dev/null"
check "the index is one shard" test "$(wc -l <"$TMP/lean/XAPIANDB")" -eq 1
lean_shard=$(awk '{print $2; exit}' "$TMP/lean/XAPIANDB")
docs() { xapian-delve "$1" | awk -F' = ' '/number of documents/ { print $2 }'; }
check "the updated shard keeps replaced passages (on its deletion list)" \
  test "$(docs "$TMP/lean/$lean_shard")" -gt "$(docs "$TMP/lean_fresh/$(awk '{print $2; exit}' "$TMP/lean_fresh/XAPIANDB")")"
serve "$TMP/lean/$lean_shard" || fail "starting a server on a lean index"
lean_served=$served
lean_queries=("法律" "-f json --facets 命令" "-c -f json --facets 法" "-a -f jsonl 附則"
              "-f json '\"公正取引\"'" "--list measures -f json" "--programs -f json"
              "-f json --scope page -n 20 公布 罰金" "-f jsonl -n 20 公正取引 電磁的記録")
# Facets of proven matches (strings of three or more characters) come from the passage records.
lean_queries+=("-c -f json 法律" "-f json 改訂で加えた一文" "-f json --facets 医工連携"
               "-c -f json --facets 研究開発")
check "…the served updated index counts as a fresh build of its files" \
  test "$("$BIN/shiryo-query" --index "$lean_served" -c -f json 法 | jq -c '[.passages, .mentions]')" == \
       "$("$BIN/shiryo-query" --index "$TMP/lean_fresh" -c -f json 法 | jq -c '[.passages, .mentions]')"
for q in "${lean_queries[@]}"; do
  want=$(eval "\"\$BIN/shiryo-query\" --index \"\$TMP/lean\" $q" 2>&1; echo "exit $?")
  got=$(eval "\"\$BIN/shiryo-query\" --index \"\$lean_served\" $q" 2>&1; echo "exit $?")
  if [[ $want == "$got" && $want != *"exit 2" ]]; then ok; else
    fail "a served default-built index answers '$q' otherwise than read locally:"
    diff <(echo "$want") <(echo "$got") | head -6 >&2
  fi
done
kill -KILL -- "-$served_pid"

# ---- faults ----
first=$(grep -m1 -o 'tcp://[^ ]*' "$cluster")
down_pid=${pid_of[$first]}
cluster_without="$TMP/cluster_without"
grep -v -F "$first" "$cluster" >"$cluster_without"
partial_want=$("$BIN/shiryo-query" --index "$cluster_without" -f json 法律 | jq -c 'del(.query)')

# A server down before the query.
kill -KILL -- "-$down_pid"
sleep 0.2
start=$(date +%s)
err=$(parts -f json 法律 2>&1 >"$TMP/out")
rc=$?
check "part down: exit 2" test $rc -eq 2
check "part down: one line naming the part: $err" grep -q "^shiryo-query: part $first is not answering" <<<"$err"
check "part down: the message is one line" test "$(wc -l <<<"$err")" -eq 1
check "part down: nothing on stdout" test ! -s "$TMP/out"
out=$(parts --partial -f json 法律 2>"$TMP/err")
check "--partial: exit 0" test $? -eq 0
check "--partial: the envelope says partial and names the missing part" \
  test "$(jq -c '[.partial_answer, .missing_parts]' <<<"$out")" == "[true,[\"$first\"]]"
check "--partial: the answer of the parts that respond" \
  test "$(jq -c 'del(.query, .partial_answer, .missing_parts)' <<<"$out")" == "$partial_want"
check "--partial: stderr names the missing part" grep -q "partial answer: part $first left out" "$TMP/err"
check "--partial --count json marks the answer" test "$(parts --partial -c -f json 法律 2>/dev/null | jq .partial_answer)" == true
check "--partial --programs json marks the answer" test "$(parts --partial --programs -f json 2>/dev/null | jq .partial_answer)" == true

# A server that accepts but never answers (stopped): a timeout, not a hang.
second=$(grep -o 'tcp://[^ ]*' "$cluster" | sed -n 2p)
kill -STOP -- "-${pid_of[$second]}"
start=$(date +%s)
err=$("$BIN/shiryo-query" --index "$cluster_without" --timeout 1000 法律 2>&1 >/dev/null)
rc=$?
check "stopped part: exit 2 within seconds ($(($(date +%s) - start)) s)" test $rc -eq 2 -a $(($(date +%s) - start)) -lt 20
check "stopped part: names it and says it did not answer in time: $err" grep -q "^shiryo-query: part $second did not answer in time" <<<"$err"
out=$("$BIN/shiryo-query" --index "$cluster_without" --timeout 1000 --partial -c -f json 法律 2>/dev/null)
check "stopped part with --partial: answered, marked" test "$(jq -c .missing_parts <<<"$out")" == "[\"$second\"]"
kill -CONT -- "-${pid_of[$second]}"

# A server killed during a query (the query runs many times in-process, so it is certainly
# under way): exit 2 naming the part; with --partial, the answer of the others.
# kill_during PART ARGS...: runs shiryo-query ARGS in the background (stdout to $TMP/out,
# stderr to $TMP/err), kills PART's server once the query is connected to it; sets $rc.
kill_during() {
  local part=$1 qpid
  shift
  "$BIN/shiryo-query" "$@" >"$TMP/out" 2>"$TMP/err" &
  qpid=$!
  for _ in $(seq 1 200); do [[ -n $(pgrep -P "${pid_of[$part]}") ]] && break; sleep 0.05; done
  sleep 0.2
  check "the query is running when the server of $part is killed" kill -0 $qpid
  kill -KILL -- "-${pid_of[$part]}"
  wait $qpid
  rc=$?
}
third=$(grep -o 'tcp://[^ ]*' "$cluster" | sed -n 3p)
kill_during "$third" --index "$cluster_without" --bench 1000000 法律
check "server killed during a query: exit 2" test $rc -eq 2
check "server killed during a query: names the part: $(cat "$TMP/err")" grep -q "^shiryo-query: part $third is not answering" "$TMP/err"
fourth=$(grep -o 'tcp://[^ ]*' "$cluster" | sed -n 4p)
grep -v -F "$third" "$cluster_without" >"$TMP/cluster_left"
want=$("$BIN/shiryo-query" --index "$TMP/part_a" --index "$second" -c -f json 法律 | jq .passages)
kill_during "$fourth" --index "$TMP/cluster_left" --partial --bench 3000 法律
check "server killed during a --partial query: exit 0" test $rc -eq 0
check "…stderr names the missing part: $(cat "$TMP/err")" grep -q "partial answer: part $fourth left out" "$TMP/err"
check "…the answer counts the parts that respond ($want)" \
  test "$(grep -o 'matches=[0-9]*' "$TMP/out")" == "matches=$want"

stop_servers
finish
