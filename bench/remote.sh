#!/usr/bin/env bash
# Benchmark one search over several parts: the pages split into 1, 2 and 4 folders, each folder
# indexed alone, searched local (index directories) and remote (one xapian-tcpsrv per shard on
# 127.0.0.1), against one index of everything. Prints numbers only; never fails on timing.
#
# usage: bench/remote.sh [--bin DIR] [--runs N] [--pages N] PAGES_DIR
#
#   --bin DIR    directory holding shiryo-index and shiryo-query (default: <repo>/build)
#   --runs N     timed runs per query and configuration (default: 10), after one warm-up
#   --pages N    use only the first N files of PAGES_DIR (default: all)
#
# For each configuration and each kind of query (top-10, --all --count, --facets) it prints the
# p50 wall time of whole shiryo-query processes (connecting and checking every part included)
# and the in-process p50 of --bench (the query alone over open connections), both in ms, and
# the index bytes per part. Exits 0 when the benchmark ran, 1 on usage errors or failed indexing.
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin_dir="$script_dir/../build"
runs=10
max_pages=0
pages_dir=""
die() { printf 'bench/remote: %s\n' "$*" >&2; exit 1; }
while (($#)); do
  case $1 in
    --bin) bin_dir=${2:?--bin needs a value}; shift 2 ;;
    --runs) runs=${2:?--runs needs a value}; shift 2 ;;
    --pages) max_pages=${2:?--pages needs a value}; shift 2 ;;
    -h|--help) sed -n '6,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    -*) die "unknown option: $1" ;;
    *) [[ -z $pages_dir ]] || die "more than one PAGES_DIR"; pages_dir=$1; shift ;;
  esac
done
[[ -d $pages_dir ]] || die "PAGES_DIR is required (a directory of page files)"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer"
[[ $max_pages =~ ^[0-9]+$ ]] || die "--pages must be a number"
indexer="$bin_dir/shiryo-index" querier="$bin_dir/shiryo-query"
[[ -x $indexer && -x $querier ]] || die "build first (or pass --bin DIR): $indexer, $querier"
command -v xapian-tcpsrv >/dev/null || die "xapian-tcpsrv missing: apt-get install xapian-tools"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/shiryo-remote-bench.XXXXXX")
server_pids=()
cleanup() {
  local p
  for p in "${server_pids[@]}"; do kill -KILL -- "-$p" 2>/dev/null || true; done
  rm -rf -- "$tmp"
}
trap cleanup EXIT

now() { NOW=${EPOCHREALTIME//[!0-9]/}; }
p50() { sort -n "$1" | awk '{ v[NR] = $1 } END { i = int(NR / 2 + 0.5); if (i < 1) i = 1; printf "%.1f", v[i] / 1000 }'; }

# ---- pages split round-robin into 1, 2 and 4 folders, each indexed alone ----
mapfile -t files < <(find "$(realpath "$pages_dir")" -type f -name '*.txt' | sort)
((max_pages == 0 || max_pages >= ${#files[@]})) || files=("${files[@]:0:max_pages}")
((${#files[@]} > 0)) || die "no *.txt files under $pages_dir"
bytes=$(cat "${files[@]}" | wc -c)
printf '# shiryo: one search over several parts\n\n'
printf 'date: %s; host: %s cores; pages: %d files, %.1f MB; runs: %d per query\n\n' \
  "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(nproc)" "${#files[@]}" "$(awk -v b="$bytes" 'BEGIN { print b / 1e6 }')" "$runs"
for n in 1 2 4; do
  for ((k = 0; k < n; k++)); do mkdir -p "$tmp/pages$n/$k"; done
  for i in "${!files[@]}"; do ln -s "${files[$i]}" "$tmp/pages$n/$((i % n))/p$i.txt"; done
  for ((k = 0; k < n; k++)); do
    now; t0=$NOW
    "$indexer" --quiet --index "$tmp/idx$n.$k" "$tmp/pages$n/$k" || die "indexing $tmp/pages$n/$k failed"
    now; echo "$(((NOW - t0) / 1000))" >>"$tmp/build$n"
  done
done

# ---- servers: one per shard of every part ----
port=$((30000 + RANDOM % 20000))
serve() { # serve DB: appends tcp://127.0.0.1:PORT to $2
  local db=$1 list=$2 pid
  while :; do
    port=$((port + 1))
    setsid xapian-tcpsrv --quiet --interface 127.0.0.1 --port "$port" --timeout 60000 "$db" >/dev/null 2>&1 &
    pid=$!
    disown "$pid"
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        server_pids+=("$pid")
        echo "tcp://127.0.0.1:$port" >>"$list"
        return 0
      fi
      sleep 0.05
    done
  done
}
for n in 1 2 4; do
  : >"$tmp/local$n" && : >"$tmp/remote$n"
  for ((k = 0; k < n; k++)); do
    echo "$tmp/idx$n.$k" >>"$tmp/local$n"
    while read -r _ shard; do serve "$tmp/idx$n.$k/$shard" "$tmp/remote$n"; done <"$tmp/idx$n.$k/XAPIANDB"
  done
done

# ---- queries ----
top_queries=(政令 都道府県知事 第三条 電磁的記録)
kinds=("top-10" "--all --count" "--facets")
kind_args() {
  case $1 in
    "top-10") args=(-f jsonl -n 10) ;;
    "--all --count") args=(--all --count) ;;
    *) args=(--facets -f json) ;;
  esac
}
printf '| parts | where | servers | index MB per part | build s per part (max) | kind | process p50 ms | in-process p50 ms |\n'
printf '|---|---|---|---|---|---|---|---|\n'
for n in 1 2 4; do
  part_mb=$(du -sb "$tmp"/idx$n.* | awk '{ s += $1; n++ } END { printf "%.1f", s / n / 1e6 }')
  build_s=$(sort -n "$tmp/build$n" | tail -1 | awk '{ printf "%.1f", $1 / 1000 }')
  for where in local remote; do
    cluster="$tmp/$where$n"
    servers=$([[ $where == remote ]] && wc -l <"$cluster" || echo 0)
    for kind in "${kinds[@]}"; do
      kind_args "$kind"
      : >"$tmp/samples"
      : >"$tmp/inproc"
      for q in "${top_queries[@]}"; do
        "$querier" --index "$cluster" "${args[@]}" "$q" >/dev/null || (($? == 1)) || echo "query failed: $q" >&2
        for ((r = 0; r < runs; r++)); do
          now; t0=$NOW
          "$querier" --index "$cluster" "${args[@]}" "$q" >/dev/null || true
          now; echo $((NOW - t0)) >>"$tmp/samples"
        done
        "$querier" --index "$cluster" "${args[@]}" --bench "$runs" "$q" |
          sed -n 's/.*p50_ms=\([0-9.]*\).*/\1/p' | awk '{ printf "%d\n", $1 * 1000 }' >>"$tmp/inproc"
      done
      printf '| %d | %s | %d | %s | %s | %s | %s | %s |\n' "$n" "$where" "$servers" "$part_mb" "$build_s" \
        "$kind" "$(p50 "$tmp/samples")" "$(p50 "$tmp/inproc")"
    done
  done
done
printf '\nqueries: %s; each p50 is over all of their runs (in-process: the median of per-query p50s).\n' "${top_queries[*]}"
