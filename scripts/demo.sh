#!/usr/bin/env bash
# demo.sh — the main job in one command: installs what is missing, builds, indexes corpus/ and
# runs an example query (ranked passages with their source references).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$root/build" -j"$(nproc)"
"$root/build/shiryo-index" --index "$root/build/demo-index" "$root/corpus"
query=${1:-地域連携拠点}
echo
echo "\$ shiryo-query --index build/demo-index --limit 5 $query"
"$root/build/shiryo-query" --index "$root/build/demo-index" --limit 5 "$query"
