#!/usr/bin/env bash
# deps.sh — installs the Debian packages shiryo needs when they are missing (apt-get, as root or
# through sudo). Sourced by demo.sh and test.sh; safe to run again: installed packages are skipped.
set -euo pipefail

SHIRYO_PACKAGES=(build-essential cmake pkg-config libxapian-dev libmecab-dev mecab-ipadic-utf8
                 libicu-dev libdeflate-dev jq)
# The test suite also needs clang (libFuzzer targets), util-linux's runuser (unreadable-file
# tests when run as root), valgrind (the end-to-end leak check), man-db (man -l on the pages),
# zsh and bash-completion (the completions), all Debian packages; the remote-parts test serves
# indexes with xapian-tools' xapian-tcpsrv (setsid: util-linux, pgrep: procps), and
# tests/cli/update.sh counts documents with its xapian-delve; tests/cli/golden.sh parses csv back
# with python3's csv module. Building the .deb (scripts/deb.sh,
# also part of the suite) needs the packaging tools. bench/compare.sh (--bench) needs the peers it
# measures and what it measures them with.
DEB_PACKAGES=(debhelper dpkg-dev fakeroot lintian man-db zsh bash-completion)
case "${1:-}" in
  --test) SHIRYO_PACKAGES+=(clang libclang-rt-dev util-linux valgrind xapian-tools procps
                            python3 "${DEB_PACKAGES[@]}") ;;
  --deb) SHIRYO_PACKAGES+=(python3 "${DEB_PACKAGES[@]}") ;;
  --bench) SHIRYO_PACKAGES+=(groonga-bin groonga-tokenizer-mecab sqlite3 ripgrep python3 time git) ;;
esac


missing=()
for pkg in "${SHIRYO_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  echo "shiryo: installing missing Debian packages: ${missing[*]}" >&2
  SUDO=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "shiryo: run as root or install sudo to install ${missing[*]}" >&2; exit 2; }
    SUDO=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
