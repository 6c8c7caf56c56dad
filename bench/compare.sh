#!/usr/bin/env bash
# Compare shiryo with its peers on the same page files, in one run: shiryo as built now, shiryo
# at a base commit (built from git in a temporary directory), Groonga (TokenMecab and
# TokenBigram, the index column created after the load so that Groonga builds it statically),
# SQLite FTS5 trigram, and ripgrep for --all --count.
#
# usage: bench/compare.sh [--base REV] [--bin DIR] [--runs N] [--queries FILE] [--keep DIR] PAGES_DIR
#
#   --base REV      the commit to compare with (default: git merge-base HEAD main)
#   --bin DIR       shiryo binaries of the current tree (default: <repo>/build, built if missing)
#   --runs N        timed runs per query and system (default: 5), after one warm-up run
#   --queries FILE  one query per line (default: bench/queries.txt)
#   --keep DIR      build the indexes in DIR and keep them (default: a temporary directory)
#
# Prints numbers and ratios, never pass/fail. Build = wall time of the indexing command(s) under
# /usr/bin/time -v (peak RSS from it, the largest process); size = du -sb of the index. In-process
# query times: shiryo-query --bench (parse, build, search, decode the top 10) and the elapsed time
# Groonga reports for each select (top 10); per query the median of N runs, then p50 / p95 over
# the queries. --all --count: a fresh shiryo-query process against rg -c -F over the files, per
# query the median of N runs, then p50 over the queries. MB = 10^6 bytes, MiB = 2^20.
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$script_dir/.." && pwd)
base="" bin="$repo/build" runs=5 queries_file="$script_dir/queries.txt" keep="" pages=""
die() { printf 'compare: %s\n' "$*" >&2; exit 1; }
while (($#)); do
  case $1 in
    --base) base=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --queries) queries_file=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    -h|--help) sed -n '2,20s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    -*) die "unknown option: $1" ;;
    *) [[ -z $pages ]] || die "more than one PAGES_DIR"; pages=$1; shift ;;
  esac
done
[[ -n $pages && -d $pages ]] || die "PAGES_DIR is required (a directory of *.txt pages)"
pages=$(cd "$pages" && pwd)
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer"
for tool in groonga sqlite3 rg jq python3 /usr/bin/time git; do
  command -v "$tool" >/dev/null || die "missing $tool: run scripts/deps.sh --bench (installs the peers)"
done
[[ -n $base ]] || base=$(git -C "$repo" merge-base HEAD main 2>/dev/null) || die "give --base REV"

if [[ -n $keep ]]; then work=$keep; mkdir -p "$work"; else
  work=$(mktemp -d "${TMPDIR:-/tmp}/shiryo-compare.XXXXXX"); trap 'rm -rf -- "$work"' EXIT
fi

now() { NOW=${EPOCHREALTIME//[!0-9]/}; }
# a / b with two decimals, three below 0.1 (the --all --count target is 1/20 = 0.05)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0 || a == "n/a" || b == "n/a") print "n/a";
  else printf (a / b < 0.1 ? "%.3f" : "%.2f"), a / b }'; }
# median / pct P of the numbers on stdin (nearest rank)
pct() { sort -g | awk -v p="$1" '{ v[NR] = $1 } END { if (!NR) { print "n/a"; exit }
  i = int(p * NR); if (i < p * NR) i++; if (i < 1) i = 1; print v[i] }'; }

# timed NAME CMD...: runs CMD under /usr/bin/time -v; sets T_S (wall s) and T_RSS (peak MiB).
timed() {
  local name=$1; shift
  now; local a=$NOW
  /usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" ||
    { tail -5 "$work/$name.err" >&2; die "$name failed"; }
  now
  T_S=$(awk -v us=$((NOW - a)) 'BEGIN { printf "%.2f", us / 1e6 }')
  T_RSS=$(awk -F': *' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$work/$name.time")
}
size_mb() { du -s -B1 -- "$@" | awk '{ s += $1 } END { printf "%.1f", s / 1e6 }'; }

queries=()
while IFS= read -r line || [[ -n $line ]]; do
  [[ -z ${line//[[:space:]]/} || $line == \#* ]] && continue
  queries+=("$line")
done <"$queries_file"

read -r corpus_bytes corpus_files < <(find "$pages" -type f -name '*.txt' -printf '%s\n' |
  awk '{ s += $1; n++ } END { printf "%d %d\n", s, n }')
corpus_mb=$(awk -v b="$corpus_bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
printf '# shiryo compared with its peers\n\n'
printf 'date:     %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
printf 'host:     %s cores, load average %s\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'pages:    %s (%s files, %s MB)\n' "$pages" "$corpus_files" "$corpus_mb"
printf 'shiryo:   %s (%s)\n' "$(git -C "$repo" rev-parse --short HEAD)" "$bin"
printf 'base:     %s\n' "$(git -C "$repo" rev-parse --short "$base")"
printf 'peers:    %s; SQLite %s; %s\n' "$(groonga --version 2>/dev/null | sed -n 1p | cut -d' ' -f1-2)" \
  "$(sqlite3 --version | cut -d' ' -f1)" "$(rg --version | sed -n 1p)"
printf 'queries:  %s (%d), %d runs each\n\n' "$queries_file" "${#queries[@]}" "$runs"

# ---- binaries ----
if [[ ! -x $bin/shiryo-index ]]; then
  cmake -S "$repo" -B "$bin" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null && cmake --build "$bin" -j2 >/dev/null
fi
base_src="$work/base-src"
rm -rf "$base_src"; mkdir -p "$base_src"
git -C "$repo" archive "$base" | tar -x -C "$base_src"
cmake -S "$base_src" -B "$base_src/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$base_src/build" -j2 --target shiryo-index shiryo-query >/dev/null
base_bin="$base_src/build"

# ---- builds ----
declare -A build_s rss size
rm -rf "$work/shiryo" "$work/base"
timed shiryo "$bin/shiryo-index" --quiet --index "$work/shiryo" "$pages"
build_s[shiryo]=$T_S rss[shiryo]=$T_RSS size[shiryo]=$(size_mb "$work/shiryo")
timed base "$base_bin/shiryo-index" --quiet --index "$work/base" "$pages"
build_s[base]=$T_S rss[base]=$T_RSS size[base]=$(size_mb "$work/base")

# Groonga: one record per file (key = path), loaded from JSON made beforehand (not timed); the
# lexicon and index column are created after the load (static index construction).
python3 - "$pages" "$work/load.json" <<'EOF'
import json, os, sys
root, out = sys.argv[1], sys.argv[2]
with open(out, "w", encoding="utf-8") as f:
    f.write("table_create Pages TABLE_HASH_KEY ShortText\n")
    f.write("column_create Pages body COLUMN_SCALAR LongText\n")
    f.write("load --table Pages\n[\n")
    first = True
    for dirpath, _, names in os.walk(root):
        for n in sorted(names):
            if not n.endswith(".txt"):
                continue
            p = os.path.join(dirpath, n)
            with open(p, encoding="utf-8", errors="replace") as g:
                body = g.read()
            f.write(("" if first else ",\n") + json.dumps({"_key": p, "body": body}, ensure_ascii=False))
            first = False
    f.write("\n]\n")
EOF
for tok in TokenMecab TokenBigram; do
  g="$work/groonga-$tok"
  rm -rf "$g"; mkdir -p "$g"
  printf 'table_create Terms TABLE_PAT_KEY ShortText --default_tokenizer %s --normalizer NormalizerAuto\ncolumn_create Terms pages_body COLUMN_INDEX|WITH_POSITION Pages body\n' \
    "$tok" >"$work/index-$tok.grn"
  timed "load-$tok" groonga -n "$g/db" <"$work/load.json"
  load_s=$T_S load_rss=$T_RSS
  timed "index-$tok" groonga "$g/db" <"$work/index-$tok.grn"
  build_s[$tok]=$(awk -v a="$load_s" -v b="$T_S" 'BEGIN { printf "%.2f", a + b }')
  rss[$tok]=$((load_rss > T_RSS ? load_rss : T_RSS)) size[$tok]=$(size_mb "$g")
done

# SQLite FTS5 trigram: the files read by the shell's fsdir().
rm -f "$work/fts5.db"
timed fts5 sqlite3 "$work/fts5.db" "CREATE VIRTUAL TABLE p USING fts5(path UNINDEXED, body, tokenize='trigram');
  INSERT INTO p SELECT name, CAST(data AS TEXT) FROM fsdir('$pages') WHERE name LIKE '%.txt';"
build_s[fts5]=$T_S rss[fts5]=$T_RSS size[fts5]=$(size_mb "$work/fts5.db")

# ---- queries ----
# In-process top 10: shiryo --bench; Groonga's own elapsed time per select.
declare -A inproc
for sys in shiryo base; do
  b=$bin; idx="$work/shiryo"
  [[ $sys == base ]] && { b=$base_bin; idx="$work/base"; }
  : >"$work/inproc-$sys"
  for q in "${queries[@]}"; do
    v=$("$b/shiryo-query" --index "$idx" --bench "$runs" "$q" | grep -oE 'p50_ms=[0-9.]+' | cut -d= -f2)
    echo "${v:-n/a}" >>"$work/inproc-$sys"
  done
done
: >"$work/inproc-groonga"
gq="$work/groonga-queries.grn"
: >"$gq"
for q in "${queries[@]}"; do
  esc=${q//\\/\\\\}; esc=${esc//\"/\\\"}
  for ((i = 0; i <= runs; i++)); do
    printf 'select Pages --match_columns body --query "%s" --limit 10 --output_columns _key,_score --cache no\n' "$esc" >>"$gq"
  done
done
groonga "$work/groonga-TokenMecab/db" <"$gq" | grep -oE '^\[\[[-0-9]+,[0-9.]+,[0-9.e-]+\]' |
  sed -E 's/^\[\[[-0-9]+,[0-9.]+,([0-9.e-]+)\]$/\1/' >"$work/groonga-elapsed"
for ((i = 0; i < ${#queries[@]}; i++)); do # the first run of each query warms up
  sed -n "$((i * (runs + 1) + 2)),$(((i + 1) * (runs + 1)))p" "$work/groonga-elapsed" |
    awk '{ printf "%.3f\n", $1 * 1000 }' | pct 0.5 >>"$work/inproc-groonga"
done

# --all --count as a fresh process, and rg -c -F over the files.
median_process() { # median_process CMD...: median wall ms of N runs (after one warm-up)
  local a i
  "$@" >/dev/null 2>&1 || true
  for ((i = 0; i < runs; i++)); do
    now; a=$NOW; "$@" >/dev/null 2>&1 || true; now
    echo $(((NOW - a)))
  done | pct 0.5 | awk '{ printf "%.2f\n", $1 / 1000 }'
}
: >"$work/count-shiryo"; : >"$work/count-base"; : >"$work/count-rg"
for q in "${queries[@]}"; do
  median_process "$bin/shiryo-query" --index "$work/shiryo" --all --count "$q" >>"$work/count-shiryo"
  median_process "$base_bin/shiryo-query" --index "$work/base" --all --count "$q" >>"$work/count-base"
  median_process rg -c -F -- "$q" "$pages" >>"$work/count-rg"
done

# ---- per query ----
printf '## Per query (ms)\n\n'
printf '| query | shiryo top-10 in-process | base | Groonga select | shiryo --all --count process | base | rg -c -F |\n'
printf '|---|---:|---:|---:|---:|---:|---:|\n'
for ((i = 0; i < ${#queries[@]}; i++)); do
  row="| ${queries[$i]}"
  for f in inproc-shiryo inproc-base inproc-groonga count-shiryo count-base count-rg; do
    row+=" | $(sed -n "$((i + 1))p" "$work/$f")"
  done
  printf '%s |\n' "$row"
done
for f in inproc-shiryo inproc-base inproc-groonga count-shiryo count-base count-rg; do
  declare "p50_${f//-/_}=$(grep -v n/a "$work/$f" | pct 0.5)"
  declare "p95_${f//-/_}=$(grep -v n/a "$work/$f" | pct 0.95)"
done

# ---- summary ----
printf '\n## Summary\n\n'
printf '| system | build s | index MB | index / corpus | peak RSS MiB | top-10 in-process p50 / p95 ms | --all --count p50 ms (process) |\n'
printf '|---|---:|---:|---:|---:|---:|---:|\n'
line() { printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$1" "${build_s[$2]}" "${size[$2]}" \
  "$(ratio "${size[$2]}" "$corpus_mb")" "${rss[$2]}" "$3" "$4"; }
line "shiryo (this tree)" shiryo "$p50_inproc_shiryo / $p95_inproc_shiryo" "$p50_count_shiryo"
line "shiryo at base $(git -C "$repo" rev-parse --short "$base")" base "$p50_inproc_base / $p95_inproc_base" "$p50_count_base"
line "Groonga + TokenMecab" TokenMecab "$p50_inproc_groonga / $p95_inproc_groonga (select)" "–"
line "Groonga + TokenBigram" TokenBigram "–" "–"
line "SQLite FTS5 trigram" fts5 "–" "–"
printf '| rg -c -F (no index) | – | – | – | – | – | %s |\n' "$p50_count_rg"

printf '\n## Ratios (shiryo, this tree)\n\n'
printf '| measure | ratio |\n|---|---:|\n'
printf '| build time / Groonga+TokenMecab | %s |\n' "$(ratio "${build_s[shiryo]}" "${build_s[TokenMecab]}")"
printf '| build time / Groonga+TokenBigram | %s |\n' "$(ratio "${build_s[shiryo]}" "${build_s[TokenBigram]}")"
printf '| build time / SQLite FTS5 trigram | %s |\n' "$(ratio "${build_s[shiryo]}" "${build_s[fts5]}")"
printf '| build time / base | %s |\n' "$(ratio "${build_s[shiryo]}" "${build_s[base]}")"
printf '| index bytes / corpus bytes | %s |\n' "$(ratio "${size[shiryo]}" "$corpus_mb")"
printf '| index bytes / Groonga+TokenMecab | %s |\n' "$(ratio "${size[shiryo]}" "${size[TokenMecab]}")"
printf '| index bytes / base | %s |\n' "$(ratio "${size[shiryo]}" "${size[base]}")"
printf '| peak RSS MiB | %s |\n' "${rss[shiryo]}"
printf '| top-10 in-process p50 / base | %s |\n' "$(ratio "$p50_inproc_shiryo" "$p50_inproc_base")"
printf '| top-10 in-process p95 / base | %s |\n' "$(ratio "$p95_inproc_shiryo" "$p95_inproc_base")"
printf '| top-10 in-process p50 / Groonga select p50 | %s |\n' "$(ratio "$p50_inproc_shiryo" "$p50_inproc_groonga")"
printf '| --all --count p50 / rg -c -F p50 | %s |\n' "$(ratio "$p50_count_shiryo" "$p50_count_rg")"
printf '| --all --count p50 / base | %s |\n' "$(ratio "$p50_count_shiryo" "$p50_count_base")"
