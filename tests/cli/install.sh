# install.sh — `cmake --install` into a temporary prefix gives a working tool: the installed
# programs index corpus/ and answer a query; the man pages render without a groff warning and
# document every option of --help; the bash and zsh completions offer every option, the
# --format values, the --fy forms and --list measures; README and the JSON Schema are in
# share/doc/shiryo.
source "$(dirname "$0")/lib.bash"

P=$TMP/prefix
# Where this build puts the zsh completion (Debian's package: share/zsh/vendor-completions).
zsh_dir=$(sed -n 's/^SHIRYO_ZSH_COMPLETION_DIR:[A-Z]*=//p' "$BIN/CMakeCache.txt")
cmake --install "$BIN" --prefix "$P" >"$TMP/install.log" 2>&1
check "cmake --install succeeds: $(tail -3 "$TMP/install.log")" test $? -eq 0
for f in bin/shiryo-index bin/shiryo-query share/man/man1/shiryo-index.1 \
         share/man/man1/shiryo-query.1 share/man/man7/shiryo.7 \
         share/bash-completion/completions/shiryo-index \
         share/bash-completion/completions/shiryo-query ${zsh_dir:-share/zsh/site-functions}/_shiryo \
         share/doc/shiryo/README.md share/doc/shiryo/result.schema.json; do
  check "installed $f" test -s "$P/$f"
done
check "installed schema is the source's" cmp -s "$P/share/doc/shiryo/result.schema.json" "$SRC/docs/result.schema.json"
check "nothing else is installed: $(cd "$P" && find . -type f | sort | tr '\n' ' ')" \
  test "$(find "$P" -type f | wc -l)" -eq 10

# The installed programs, run from elsewhere.
cd "$TMP" || exit 1
out=$("$P/bin/shiryo-index" --index "$TMP/idx" "$SRC/corpus" 2>&1)
check "installed shiryo-index indexes corpus/: $out" test $? -eq 0
"$P/bin/shiryo-query" --index "$TMP/idx" --format jsonl 地域連携拠点 >"$TMP/q.jsonl"
check "installed shiryo-query answers" test $? -eq 0 -a -s "$TMP/q.jsonl"
check "its results hold the query" jq -e 'select(.text | contains("地域連携拠点"))' "$TMP/q.jsonl" >/dev/null
want=$(sed -n 's/^project(shiryo VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
check "installed --version says $want" test "$("$P/bin/shiryo-query" --version | head -1)" == "shiryo-query $want"
deb_version=$(dpkg-parsechangelog -l "$SRC/debian/changelog" -S Version)
check "debian/changelog ($deb_version) is at project()'s version $want" test "${deb_version%%[-+]*}" == "$want"

# Man pages: man -l renders each without warnings; groff -ww agrees.
for page in man1/shiryo-index.1 man1/shiryo-query.1 man7/shiryo.7; do
  f=$P/share/man/$page
  MANWIDTH=80 man --warnings -E UTF-8 -l "$f" >"$TMP/page.txt" 2>"$TMP/man.err"
  check "man -l $page: exit 0" test $? -eq 0
  check "man -l $page: no warnings: $(head -3 "$TMP/man.err")" test ! -s "$TMP/man.err"
  check "man -l $page: renders a NAME section" grep -q '^NAME' "$TMP/page.txt"
  groff -man -k -ww -z -Tutf8 "$f" 2>"$TMP/groff.err"
  check "groff -ww $page: no warnings: $(head -3 "$TMP/groff.err")" test ! -s "$TMP/groff.err"
done
# Every long option of --help is documented in its page and offered by both completions.
help_options() { "$P/bin/$1" --help | grep -oE '^ +(-[a-zA-Z], )?--[a-z-]+' | grep -oE -- '--[a-z-]+'; }
for prog in shiryo-index shiryo-query; do
  mapfile -t opts < <(help_options "$prog")
  check "$prog --help lists options" test ${#opts[@]} -ge 8
  for o in "${opts[@]}"; do
    check "$prog.1 documents $o" grep -qF -- "${o//-/\\-}" "$P/share/man/man1/$prog.1"
  done
done
check "shiryo.7 describes the guarantee" grep -q 'EVERY MENTION' "$P/share/man/man7/shiryo.7"
for field in $(jq -r '.properties | keys[]' "$SRC/docs/result.schema.json"); do
  check "shiryo.7 describes the field $field" grep -qE "^\.BR ($field|.*\"$field\")|[ ,]${field//_/\\_}[ ,]" "$P/share/man/man7/shiryo.7"
done

# bash: complete_words [--with-bash-completion] LINE — replies for the word being typed at the
# end of LINE, with COMP_WORDS split as readline splits them (':' is a word of its own).
complete_words() {
  local setup=":"
  if [[ $1 == --with-bash-completion ]]; then
    setup="source /usr/share/bash-completion/bash_completion"; shift
  fi
  COMP_LINE=$1 bash -c '
    '"$setup"'
    source "$0"
    COMP_POINT=${#COMP_LINE}
    line=${COMP_LINE//:/ : }
    read -r -a COMP_WORDS <<<"$line"
    [[ $line == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    complete -p "${COMP_WORDS[0]}" >/dev/null || exit 1
    fn=$(complete -p "${COMP_WORDS[0]}" | sed -n "s/.*-F \([^ ]*\).*/\1/p")
    "$fn"
    printf "%s\n" "${COMPREPLY[@]}"' "$P/share/bash-completion/completions/${1%% *}"
}
year=$(date +%Y); reiwa=$((year - 2018))
for mode in "" --with-bash-completion; do
  [[ -n $mode && ! -f /usr/share/bash-completion/bash_completion ]] && { fail "bash-completion is not installed (scripts/deps.sh --test installs it)"; continue; }
  w="bash${mode:+ $mode}"
  check "$w: --format values" test "$(complete_words $mode 'shiryo-query --format ' | sort | tr '\n' ' ')" == "csv json jsonl text tsv "
  check "$w: --list measures" test "$(complete_words $mode 'shiryo-query --list ')" == measures
  check "$w: --fy forms" test "$(complete_words $mode "shiryo-query --fy 令和$reiwa" | sort | tr '\n' ' ')" == "令和$reiwa 令和${reiwa}年度 "
  check "$w: --fy western and R forms" test "$(complete_words $mode "shiryo-query --fy R$reiwa")" == "R$reiwa" -a "$(complete_words $mode "shiryo-query --fy $year")" == "$year"
  check "$w: fy: in a query" test "$(complete_words $mode "shiryo-query fy:R$reiwa")" == "R$reiwa"
  check "$w: field names" test "$(complete_words $mode 'shiryo-query meas')" == "measure:"
  check "$w: --fields after a comma" test "$(complete_words $mode 'shiryo-query --fields file,line_' | sort | tr '\n' ' ')" == "file,line_end file,line_start "
  for prog in shiryo-index shiryo-query; do
    missing=$(comm -23 <(help_options "$prog" | sort) <(complete_words $mode "$prog --" | sort) | tr '\n' ' ')
    check "$w: $prog offers every --help option (not: $missing)" test -z "$missing"
  done
done

# zsh: the _arguments specs, read through stubs of the completion system (no terminal needed):
# every --help option, the --format values, the --list value; the --fy forms from the helper.
if ! command -v zsh >/dev/null; then
  fail "zsh is not installed (scripts/deps.sh --test installs it)"
else
  check "zsh parses _shiryo" zsh -n "$P/${zsh_dir:-share/zsh/site-functions}/_shiryo"
  for prog in shiryo-index shiryo-query; do
    zsh -f -c '_arguments() { print -l -- "$@" }; service=$1; source $0' \
      "$P/${zsh_dir:-share/zsh/site-functions}/_shiryo" "$prog" >"$TMP/specs"
    check "zsh: $prog specs" test -s "$TMP/specs"
    for o in $(help_options "$prog"); do
      check "zsh: $prog offers $o" grep -qE -- "^(\([^)]*\)|\*)?$o(=|\[)" "$TMP/specs"
    done
  done
  check "zsh: --format values" grep -qF -- '--format=[output format]:format:(text json jsonl tsv csv)' "$TMP/specs"
  check "zsh: --list measures" grep -qF -- ':what:(measures)' "$TMP/specs"
  forms=$(zsh -f -c '_describe() { print -l -- ${(P)4} }; _arguments() { : }; service=x; source $0; _shiryo_fiscal_years' \
            "$P/${zsh_dir:-share/zsh/site-functions}/_shiryo" | tr '\n' ' ')
  check "zsh: --fy forms: $forms" grep -qF "$year 令和$reiwa 令和${reiwa}年度 R$reiwa" <<<"$forms"
fi
finish
