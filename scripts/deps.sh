#!/usr/bin/env bash
# deps.sh — installs the Debian packages shiryo needs when they are missing (apt-get, as root or
# through sudo). Sourced by demo.sh and test.sh; safe to run again: installed packages are skipped.
set -euo pipefail

SHIRYO_PACKAGES=(build-essential cmake pkg-config libxapian-dev libmecab-dev mecab-ipadic-utf8
                 libicu-dev jq)
# The test suite also needs clang (libFuzzer targets), util-linux's runuser (unreadable-file
# tests when run as root) and valgrind (the end-to-end leak check), all Debian packages; the
# remote-parts test serves indexes with xapian-tools' xapian-tcpsrv (setsid: util-linux,
# pgrep: procps); tests/cli/update.sh counts documents with its xapian-delve.
if [[ "${1:-}" == "--test" ]]; then
  SHIRYO_PACKAGES+=(clang libclang-rt-dev util-linux valgrind xapian-tools procps)
fi
# bench/compare.sh: the peers it measures and what it measures them with.
if [[ "${1:-}" == "--bench" ]]; then
  SHIRYO_PACKAGES+=(groonga-bin groonga-tokenizer-mecab sqlite3 ripgrep python3 time git)
fi


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
