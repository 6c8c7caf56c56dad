#!/usr/bin/env bash
# test.sh — the whole test suite in one command: installs what is missing, builds, runs ctest,
# then builds again with AddressSanitizer + UndefinedBehaviorSanitizer and runs ctest again.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh" --test
jobs=$(nproc)

echo "== build and test (RelWithDebInfo)"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSHIRYO_FAULT_INJECTION=ON >/dev/null
cmake --build "$root/build" -j"$jobs"
ctest --test-dir "$root/build" --output-on-failure -j"$jobs"

echo "== build and test with ASan + UBSan"
cmake -S "$root" -B "$root/build-asan" -DCMAKE_BUILD_TYPE=Debug -DSHIRYO_SANITIZE=ON -DSHIRYO_FAULT_INJECTION=ON >/dev/null
cmake --build "$root/build-asan" -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$root/build-asan" --output-on-failure -j"$jobs"

echo "== fuzz targets (libFuzzer, clang), ${SHIRYO_FUZZ_SECONDS:-30} s each, plus saved crash inputs"
cmake -S "$root" -B "$root/build-fuzz" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang \
  -DCMAKE_CXX_COMPILER=clang++ -DSHIRYO_FUZZ=ON -DSHIRYO_FUZZ_SECONDS="${SHIRYO_FUZZ_SECONDS:-30}" >/dev/null
cmake --build "$root/build-fuzz" -j"$jobs" --target fuzz_page fuzz_columns fuzz_qparse $(cd "$root/tests/fuzz" && ls fuzz_*.c | sed 's/\.c$//' | grep -v -e fuzz_page -e fuzz_columns -e fuzz_qparse)
ASAN_OPTIONS=detect_leaks=1 ctest --test-dir "$root/build-fuzz" --output-on-failure -j"$jobs" -R '^fuzz\.'
