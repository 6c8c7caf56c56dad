#!/usr/bin/env bash
# deb.sh — builds the Debian package in a scratch copy of the tree (so no build artifact lands in
# it), checks it with lintian (no errors allowed), and with --install installs it with apt-get,
# runs the package's smoke test (debian/tests/smoke: index corpus/, the demo query) and removes
# it again. The .deb is left in OUT (default: build/deb/).
#   scripts/deb.sh [--install] [--nocheck] [OUT]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
install=0 nocheck=0
while [[ ${1:-} == --* ]]; do
  case $1 in
    --install) install=1 ;;
    --nocheck) nocheck=1 ;;
    *) echo "deb.sh: unknown option $1 (use --install, --nocheck)" >&2; exit 2 ;;
  esac
  shift
done
out=${1:-$root/build/deb}
"$root/scripts/deps.sh" --deb

version=$(dpkg-parsechangelog -l "$root/debian/changelog" -S Version)
project=$(sed -n 's/^project(shiryo VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
if [[ $version != "$project" && $version != "$project"-* && $version != "$project"+* ]]; then
  echo "deb.sh: debian/changelog says $version but CMakeLists.txt's project() says $project: add a changelog entry (dch -v $project)" >&2
  exit 2
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/shiryo-deb.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
chmod 755 "$scratch" # the suite's unreadable-file test runs the build as nobody when root
src=$scratch/shiryo-$version
mkdir -p "$src"
# The files of the working tree that git knows or would add (uncommitted edits included),
# without build directories and other ignored files.
if git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
  (cd "$root" && git ls-files -z --cached --others --exclude-standard |
     while IFS= read -r -d '' f; do [[ -e $f ]] && printf '%s\0' "$f"; done |
     tar --null -T - -cf -) | tar -xf - -C "$src"
else
  tar -C "$root" --exclude='./build' --exclude='./build-*' -cf - . | tar -xf - -C "$src"
fi

echo "== dpkg-buildpackage -us -uc -b (in $src)"
opts="parallel=$(nproc)"
((nocheck)) && opts+=" nocheck"
(cd "$src" && DEB_BUILD_OPTIONS="$opts" dpkg-buildpackage -us -uc -b >"$scratch/build.log" 2>&1) || {
  mkdir -p "$out"
  cp "$scratch/build.log" "$out/build.log"
  tail -60 "$scratch/build.log" >&2
  echo "deb.sh: dpkg-buildpackage failed (the end of its log above, all of it in $out/build.log)" >&2
  exit 1
}
deb=$(ls "$scratch"/shiryo_"$version"_*.deb)
mkdir -p "$out"
cp "$deb" "$out/"
deb=$out/$(basename "$deb")
echo "built $deb"

echo "== lintian"
lintian --fail-on error --info "$deb" || { echo "deb.sh: lintian reports errors" >&2; exit 1; }

if ((install)); then
  echo "== apt-get install $deb"
  SUDO=()
  [[ $(id -u) -ne 0 ]] && SUDO=(sudo)
  if dpkg-query -W -f='${Status}' shiryo 2>/dev/null | grep -q "install ok installed"; then
    echo "deb.sh: a shiryo package is installed already; not replacing it" >&2
    exit 2
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get install -y -qq "$deb" >/dev/null
  status=0
  mkdir -p "$scratch/smoke"
  AUTOPKGTEST_TMP=$scratch/smoke "$src/debian/tests/smoke" || status=$?
  "${SUDO[@]}" apt-get remove -y -qq shiryo >/dev/null
  ((status == 0)) || { echo "deb.sh: the installed package failed its smoke test" >&2; exit 1; }
  echo "installed package passed debian/tests/smoke, removed again"
fi
