#!/usr/bin/env bash
# Benchmark shiryo: index a directory of page files, then time queries.
#
# usage: bench/run.sh [--bin DIR] [--index DIR] [--reuse] [--queries FILE] [--runs N] PAGES_DIR
#
#   --bin DIR       directory holding shiryo-index and shiryo-query (default: <repo>/build)
#   --index DIR     index directory (default: a temporary directory, removed at exit)
#   --reuse         skip indexing and query the existing index given with --index
#   --queries FILE  one query per line, UTF-8; blank lines and '#' lines skipped
#                   (default: bench/queries.txt)
#   --runs N        timed runs per query (default: 20), after one untimed warm-up run
#
# Timing never fails the script: it exits 0 when the benchmark ran, 1 on usage errors, a missing binary
# or a failed indexing run, 2 when some query runs failed (exit status other than 0 = hits, 1 = no hits).
# MB means 10^6 bytes throughout.
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/.." && pwd)

bin_dir="$repo_root/build"
index_dir=""
reuse=0
queries_file="$script_dir/queries.txt"
runs=20
pages_dir=""

die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
warn() { printf 'bench: warning: %s\n' "$*" >&2; }
usage() { sed -n '4,11s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

while (($#)); do
  case $1 in
    --bin) (($# >= 2)) || die "--bin needs a value"; bin_dir=$2; shift 2 ;;
    --bin=*) bin_dir=${1#*=}; shift ;;
    --index) (($# >= 2)) || die "--index needs a value"; index_dir=$2; shift 2 ;;
    --index=*) index_dir=${1#*=}; shift ;;
    --reuse) reuse=1; shift ;;
    --queries) (($# >= 2)) || die "--queries needs a value"; queries_file=$2; shift 2 ;;
    --queries=*) queries_file=${1#*=}; shift ;;
    --runs) (($# >= 2)) || die "--runs needs a value"; runs=$2; shift 2 ;;
    --runs=*) runs=${1#*=}; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; break ;;
    -*) usage >&2; die "unknown option: $1" ;;
    *) [[ -z $pages_dir ]] || die "more than one PAGES_DIR given"; pages_dir=$1; shift ;;
  esac
done
if (($#)); then
  [[ -z $pages_dir && $# -eq 1 ]] || die "more than one PAGES_DIR given"
  pages_dir=$1
fi

[[ -n $pages_dir ]] || { usage >&2; die "PAGES_DIR is required"; }
[[ -d $pages_dir ]] || die "not a directory: $pages_dir"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, got '$runs'"
[[ -f $queries_file && -r $queries_file ]] || die "cannot read queries file: $queries_file"
if ((reuse)); then
  [[ -n $index_dir ]] || die "--reuse needs --index DIR"
  [[ -d $index_dir ]] || die "--reuse: index directory does not exist: $index_dir"
fi

indexer="$bin_dir/shiryo-index"
querier="$bin_dir/shiryo-query"
((reuse)) || [[ -x $indexer ]] || die "missing or not executable: $indexer (build first, or pass --bin DIR)"
[[ -x $querier ]] || die "missing or not executable: $querier (build first, or pass --bin DIR)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/shiryo-bench.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT
# Default index: a directory inside the temp dir that does not exist yet (the indexer creates it).
[[ -n $index_dir ]] || index_dir="$tmp/index"

# ---------------------------------------------------------------------------------------------
# Helpers

# now: set NOW to the current time in microseconds, without forking when bash has EPOCHREALTIME.
if [[ -n ${EPOCHREALTIME:-} ]]; then
  now() { NOW=${EPOCHREALTIME//[!0-9]/}; }
else
  [[ $(date +%N) =~ ^[0-9]+$ ]] || die "need bash >= 5 (EPOCHREALTIME) or GNU date (+%N)"
  now() { NOW=$(date +%s%N); NOW=${NOW:0:${#NOW}-3}; }
fi

# percentiles FILE: print "p50 p95" in ms (nearest rank) of the microsecond values in FILE, or "n/a n/a".
percentiles() {
  sort -n "$1" | awk '
    { v[NR] = $1 }
    function rank(p,   i) { i = int(p * NR); if (i < p * NR) i++; if (i < 1) i = 1; return v[i] }
    END { if (NR == 0) { print "n/a n/a"; exit }
          printf "%.2f %.2f\n", rank(0.50) / 1000, rank(0.95) / 1000 }'
}

# fmt_div A B DIGITS: A / B with DIGITS decimals, "n/a" if B is 0 or either is not a number.
fmt_div() {
  awk -v a="$1" -v b="$2" -v d="$3" 'BEGIN {
    if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || b + 0 == 0) { print "n/a"; exit }
    printf "%.*f\n", d, a / b }'
}

# ---------------------------------------------------------------------------------------------
# Environment

printf '# shiryo benchmark\n\n'
printf 'date:     %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
printf 'host:     %s, %s cores, %s\n' "$(uname -sm)" "$(nproc 2>/dev/null || echo '?')" \
  "$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
if rev=$(git -C "$repo_root" rev-parse --short HEAD 2>/dev/null); then
  git -C "$repo_root" diff --quiet HEAD -- 2>/dev/null || rev="$rev (dirty)"
  printf 'commit:   %s\n' "$rev"
fi
printf 'bin:      %s\n' "$bin_dir"
printf 'pages:    %s\n' "$pages_dir"
printf 'index:    %s\n' "$index_dir"
printf 'queries:  %s\n' "$queries_file"
printf 'runs:     %s per query (+1 warm-up)\n\n' "$runs"

# ---------------------------------------------------------------------------------------------
# Corpus

read -r corpus_bytes corpus_files < <(
  find "$pages_dir" -type f -name '*.txt' -printf '%s\n' | awk '{ s += $1; n++ } END { printf "%d %d\n", s, n }')
((corpus_files > 0)) || die "no *.txt files under $pages_dir"
corpus_mb=$(fmt_div "$corpus_bytes" 1000000 1)

# ---------------------------------------------------------------------------------------------
# Indexing

index_s="n/a" index_mbps="n/a" passages="n/a" passages_ps="n/a" rss_mb="n/a" index_mb="n/a"

if ((reuse)); then
  printf '## Indexing\n\nskipped (--reuse): querying the existing index %s\n\n' "$index_dir"
else
  time_cmd=()
  if [[ ! -x /usr/bin/time ]] && command -v apt-get >/dev/null && ((EUID == 0)); then
    printf 'bench: /usr/bin/time missing, installing the Debian package "time"\n' >&2
    { apt-get install -y time || { apt-get update && apt-get install -y time; }; } >"$tmp/apt.log" 2>&1 ||
      warn "could not install time (see below); peak RSS will be n/a"$'\n'"$(tail -5 "$tmp/apt.log")"
  fi
  if [[ -x /usr/bin/time ]] && /usr/bin/time -v -o "$tmp/probe" true 2>/dev/null; then
    time_cmd=(/usr/bin/time -v -o "$tmp/time.txt")
  else
    warn "GNU /usr/bin/time not available; peak RSS will be n/a"
  fi

  printf '## Indexing\n\n'
  printf '$ %s --index %s %s\n' "$indexer" "$index_dir" "$pages_dir"
  now; t0=$NOW
  set +e
  "${time_cmd[@]}" "$indexer" --index "$index_dir" "$pages_dir" >"$tmp/index.out" 2>"$tmp/index.err"
  rc=$?
  set -e
  now; t1=$NOW
  if ((rc != 0)); then
    printf '\n--- shiryo-index stdout (last 20 lines) ---\n' >&2; tail -n 20 "$tmp/index.out" >&2
    printf -- '--- shiryo-index stderr (last 20 lines) ---\n' >&2; tail -n 20 "$tmp/index.err" >&2
    [[ -s $tmp/time.txt ]] && grep -E 'Command (exited|terminated)' "$tmp/time.txt" >&2
    die "indexing failed (exit status $rc)"
  fi
  # Echo the indexer's own output (summary line etc.), briefly.
  cat "$tmp/index.out" "$tmp/index.err" | tail -n 5 | sed 's/^/  | /'

  index_us=$((t1 - t0))
  index_s=$(fmt_div "$index_us" 1000000 2)
  index_mbps=$(fmt_div "$corpus_bytes" "$index_us" 2)   # bytes per µs = MB/s
  # "indexed 5253 files, 41234 passages in 12.3 s": the last number directly before "passage(s)".
  passages=$(cat "$tmp/index.out" "$tmp/index.err" |
    grep -oE '[0-9][0-9,]*[[:space:]]+passages?\b' | tail -n 1 | tr -dc '0-9' || true)
  if [[ -n $passages ]]; then
    passages_ps=$(fmt_div "$((passages * 1000000))" "$index_us" 0)
  else
    passages="n/a"
    warn "no 'N passages' in shiryo-index output; passages n/a"
  fi
  if [[ -s $tmp/time.txt ]]; then
    rss_kb=$(awk -F': *' '/Maximum resident set size/ { print $2 }' "$tmp/time.txt")
    [[ -n $rss_kb ]] && rss_mb=$(fmt_div "$((rss_kb * 1024))" 1000000 1)
  fi
fi
if [[ -e $index_dir ]]; then
  index_mb=$(fmt_div "$(du -sb -- "$index_dir" | cut -f1)" 1000000 1)
else
  warn "index directory $index_dir does not exist after indexing"
fi

printf '\n'
printf '%-22s %s\n' "corpus MB" "$corpus_mb" "files" "$corpus_files" "wall s" "$index_s" \
  "indexing MB/s" "$index_mbps" "passages" "$passages" "passages/s" "$passages_ps" \
  "peak RSS MB" "$rss_mb" "index size MB" "$index_mb"
printf '\n'

# ---------------------------------------------------------------------------------------------
# Queries

queries=()
while IFS= read -r line || [[ -n $line ]]; do
  line=${line%$'\r'}
  [[ -z ${line//[[:space:]]/} || $line == \#* ]] && continue
  queries+=("$line")
done <"$queries_file"
((${#queries[@]} > 0)) || die "no queries in $queries_file"

help_text=$("$querier" --help 2>&1 || true)
have_bench=0 have_count=0
[[ $help_text == *--bench* ]] && have_bench=1
[[ $help_text == *--count* ]] && have_count=1

query_failures=0
: >"$tmp/all.us"
: >"$tmp/count_all.us"
: >"$tmp/bench.txt"

# run_query OUTFILE ARGS...: run shiryo-query with ARGS, stdout to OUTFILE; sets LAST_US (wall µs).
# Returns 0 when it exited 0 or 1 (hits / no hits), otherwise records a failure and returns 1.
run_query() {
  local out=$1 rc
  shift
  now; local a=$NOW
  set +e
  "$querier" "$@" >"$out" 2>"$tmp/q.err"
  rc=$?
  set -e
  now
  LAST_US=$((NOW - a))
  if ((rc > 1)); then
    # Warn once per query (WARNED is reset for each query by the loop below).
    ((WARNED)) || warn "shiryo-query $* exited $rc: $(head -c 300 "$tmp/q.err")"
    WARNED=1
    return 1
  fi
  return 0
}

printf '## Queries (whole process: shiryo-query --index IDX --limit 10 --format jsonl QUERY)\n\n'
printf -- '--bench (in-process timing): %s; --count: %s\n\n' \
  "$( ((have_bench)) && echo "yes, $runs iterations" || echo "not supported, skipped")" \
  "$( ((have_count)) && echo "yes, --all --count timed too" || echo "not supported, skipped")"

hdr='| query | hits (top 10) | p50 ms | p95 ms |'
sep='|---|---:|---:|---:|'
((have_count)) && { hdr+=' count | count p50 ms | count p95 ms |'; sep+='---:|---:|---:|'; }
((have_bench)) && { hdr+=' in-process p50 ms | in-process p95 ms |'; sep+='---:|---:|'; }
printf '%s\n%s\n' "$hdr" "$sep"

for q in "${queries[@]}"; do
  failed=0 WARNED=0
  # Warm-up run (untimed); its output gives the number of hits returned.
  if run_query "$tmp/q.out" --index "$index_dir" --limit 10 --format jsonl "$q"; then
    hits=$(grep -c . "$tmp/q.out" || true)
  else
    hits="ERR"; failed=1
  fi
  : >"$tmp/cur.us"
  for ((i = 0; i < runs; i++)); do
    run_query /dev/null --index "$index_dir" --limit 10 --format jsonl "$q" || failed=1
    printf '%s\n' "$LAST_US" >>"$tmp/cur.us"
  done
  cat "$tmp/cur.us" >>"$tmp/all.us"
  read -r p50 p95 < <(percentiles "$tmp/cur.us")
  row="| $q | $hits | $p50 | $p95 |"

  if ((have_count)); then
    count="n/a"
    if run_query "$tmp/c.out" --index "$index_dir" --all --count "$q"; then
      count=$(grep -oE '[0-9]+' "$tmp/c.out" | head -n 1 || true)
      [[ -n $count ]] || count="?"
    else
      count="ERR"; failed=1
    fi
    : >"$tmp/cur.us"
    for ((i = 0; i < runs; i++)); do
      run_query /dev/null --index "$index_dir" --all --count "$q" || failed=1
      printf '%s\n' "$LAST_US" >>"$tmp/cur.us"
    done
    cat "$tmp/cur.us" >>"$tmp/count_all.us"
    read -r c50 c95 < <(percentiles "$tmp/cur.us")
    row+=" $count | $c50 | $c95 |"
  fi

  if ((have_bench)); then
    b50="n/a" b95="n/a"
    if run_query "$tmp/b.out" --index "$index_dir" --bench "$runs" "$q"; then
      b50=$(grep -oE 'p50_ms=[0-9.]+' "$tmp/b.out" | tail -n 1 | cut -d= -f2 || true)
      b95=$(grep -oE 'p95_ms=[0-9.]+' "$tmp/b.out" | tail -n 1 | cut -d= -f2 || true)
      [[ -n $b50 ]] || b50="n/a"
      [[ -n $b95 ]] || b95="n/a"
      [[ $b50 != n/a ]] && printf '%s\n' "$b50" >>"$tmp/bench.txt"
    else
      failed=1
    fi
    row+=" $b50 | $b95 |"
  fi

  ((failed)) && query_failures=$((query_failures + 1))
  printf '%s\n' "$row"
done

read -r all50 all95 < <(percentiles "$tmp/all.us")
overall="| **all ${#queries[@]} queries** | | **$all50** | **$all95** |"
if ((have_count)); then
  read -r call50 call95 < <(percentiles "$tmp/count_all.us")
  overall+=" | **$call50** | **$call95** |"
fi
if ((have_bench)); then
  # Per-query in-process p50s: report their median (samples of the --bench runs are not available).
  bench_med=$(sort -n "$tmp/bench.txt" | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "n/a"; exit } i = int((NR + 1) / 2); print v[i] }')
  overall+=" **$bench_med** (median of p50s) | |"
fi
printf '%s\n\n' "$overall"
printf 'overall p50 / p95 over %d samples (%d queries x %d runs): %s / %s ms\n\n' \
  "$((${#queries[@]} * runs))" "${#queries[@]}" "$runs" "$all50" "$all95"

# ---------------------------------------------------------------------------------------------
# Summary (Markdown, for the README)

printf '## Summary\n\n'
s_hdr='| corpus | files | MB | index s | MB/s | passages | passages/s | peak RSS MB | index MB | query p50 / p95 ms (process) |'
s_sep='|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|'
s_row="| $(basename -- "$(dirname -- "$(cd "$pages_dir" && pwd)")")/$(basename -- "$pages_dir") | $corpus_files"
s_row+=" | $corpus_mb | $index_s | $index_mbps | $passages | $passages_ps | $rss_mb | $index_mb | $all50 / $all95 |"
if ((have_count)); then
  s_hdr+=' count p50 / p95 ms |'; s_sep+='---:|'; s_row+=" $call50 / $call95 |"
fi
if ((have_bench)); then
  s_hdr+=' in-process p50 ms |'; s_sep+='---:|'; s_row+=" $bench_med |"
fi
printf '%s\n%s\n%s\n' "$s_hdr" "$s_sep" "$s_row"

if ((query_failures)); then
  printf '\nbench: %d queries had failing runs (exit status > 1), see warnings above\n' "$query_failures" >&2
  exit 2
fi
exit 0
