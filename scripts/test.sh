#!/usr/bin/env bash
# test.sh — the whole test suite in one command: installs what is missing, builds with warnings as
# errors and runs ctest; again with AddressSanitizer + UndefinedBehaviorSanitizer; compiles the
# other build types (GCC and clang, Debian's flags); runs the fuzz targets; builds the Debian
# package, lints it, installs it and runs its smoke test.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh" --test
jobs=$(nproc)
# stage TITLE — prints the title with the time the suite has taken so far.
stage() { echo "== $1 (at $((SECONDS / 60))m$((SECONDS % 60))s)"; }

stage "build and test (RelWithDebInfo, -Werror)"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSHIRYO_WERROR=ON -DSHIRYO_FAULT_INJECTION=ON >/dev/null
cmake --build "$root/build" -j"$jobs"
# tune_columns is a developer tool outside the default build: build it so it cannot rot, and check
# the weights file is exactly what it writes.
cmake --build "$root/build" -j"$jobs" --target tune_columns
"$root/build/tests/tune_columns" --print-weights | cmp - "$root/indexer/columns_weights.c"
ctest --test-dir "$root/build" --output-on-failure -j"$jobs"

stage "build and test with ASan + UBSan (-Werror)"
cmake -S "$root" -B "$root/build-asan" -DCMAKE_BUILD_TYPE=Debug -DSHIRYO_SANITIZE=ON \
  -DSHIRYO_WERROR=ON -DSHIRYO_FAULT_INJECTION=ON >/dev/null
cmake --build "$root/build-asan" -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$root/build-asan" --output-on-failure -j"$jobs"

# Every build type compiles clean with both compilers; with the stages above and below (GCC
# RelWithDebInfo, GCC Debug + sanitizers, clang Debug + libFuzzer, GCC None with Debian's flags
# in the package) each type and each compiler is built at least once with -Werror.
debian_flags() { # the environment dpkg-buildflags gives a package build (CMake ignores CPPFLAGS)
  local cppflags
  cppflags=$(dpkg-buildflags --get CPPFLAGS)
  CFLAGS="$(dpkg-buildflags --get CFLAGS) $cppflags" CXXFLAGS="$(dpkg-buildflags --get CXXFLAGS) $cppflags" \
    LDFLAGS=$(dpkg-buildflags --get LDFLAGS) "$@"
}
for build in "gcc Release debian" "clang None debian" "clang MinSizeRel" "clang Release"; do
  read -r cc type flags <<<"$build"
  dir=$root/build-$cc-${type,,}${flags:+-$flags}
  stage "compile: $cc, $type${flags:+ with dpkg-buildflags}, -Werror"
  cxx=$([[ $cc == clang ]] && echo clang++ || echo g++)
  configure=(cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE="$type" -DCMAKE_C_COMPILER="$cc"
             -DCMAKE_CXX_COMPILER="$cxx" -DSHIRYO_WERROR=ON)
  if [[ -n $flags ]]; then debian_flags "${configure[@]}" >/dev/null; else "${configure[@]}" >/dev/null; fi
  cmake --build "$dir" -j"$jobs" --target all tune_columns >/dev/null
done

stage "fuzz targets (libFuzzer, clang, -Werror), ${SHIRYO_FUZZ_SECONDS:-30} s each, plus saved crash inputs"
cmake -S "$root" -B "$root/build-fuzz" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang \
  -DCMAKE_CXX_COMPILER=clang++ -DSHIRYO_FUZZ=ON -DSHIRYO_FUZZ_SECONDS="${SHIRYO_FUZZ_SECONDS:-30}" \
  -DSHIRYO_WERROR=ON >/dev/null
cmake --build "$root/build-fuzz" -j"$jobs" --target fuzz_page fuzz_columns fuzz_qparse $(cd "$root/tests/fuzz" && ls fuzz_*.c | sed 's/\.c$//' | grep -v -e fuzz_page -e fuzz_columns -e fuzz_qparse)
ASAN_OPTIONS=detect_leaks=1 ctest --test-dir "$root/build-fuzz" --output-on-failure -j"$jobs" -R '^fuzz\.'

stage "Debian package: dpkg-buildpackage (its ctest run included), lintian, install, smoke test"
"$root/scripts/deb.sh" --install
stage "done"
