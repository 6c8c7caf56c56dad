# bash completion for shiryo-index and shiryo-query (installed once under each command's name
# in share/bash-completion/completions). Keep the option lists in step with the --help texts:
# tests/cli/install.sh checks that every option of --help is offered.

# Fiscal-year forms --fy and fy: understand, for the last few years and the next one:
# 2025 令和7 令和7年度 R7.
_shiryo_fiscal_years()
{
    local year now
    now=$(date +%Y)
    for ((year = now - 4; year <= now + 1; year++)); do
        printf '%s\n' "$year" "令和$((year - 2018))" "令和$((year - 2018))年度" "R$((year - 2018))"
    done
}

# Sets cur and prev with ':' kept inside words (fy:2025), with bash-completion's
# _init_completion when it is installed, else from the command line itself.
_shiryo_words()
{
    if declare -F _init_completion >/dev/null; then
        _init_completion -n : || return
        return 0
    fi
    local -a typed
    read -r -a typed <<<"${COMP_LINE:0:COMP_POINT}"
    [[ ${COMP_LINE:COMP_POINT-1:1} == [[:space:]] ]] && typed+=("")
    cur=${typed[${#typed[@]} - 1]} prev=${typed[${#typed[@]} - 2]}
}

# bash treats ':' as a word break, so replies must not repeat what precedes the last ':'.
_shiryo_colon_trim()
{
    [[ $cur == *:* && $COMP_WORDBREAKS == *:* ]] || return 0
    local prefix=${cur%"${cur##*:}"} i
    for i in "${!COMPREPLY[@]}"; do COMPREPLY[i]=${COMPREPLY[i]#"$prefix"}; done
}

_shiryo_index()
{
    local cur prev words cword
    _shiryo_words || return
    case $prev in
        -i | --index) COMPREPLY=($(compgen -d -- "$cur")); return ;;
        -j | --jobs) COMPREPLY=($(compgen -W "1 2 3 4 6 8 12 16" -- "$cur")); return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "--index --rebuild --check --no-prune --jobs --for-remote --verbose --quiet
                                 --help --version" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -f -- "$cur"))
}

_shiryo_query()
{
    local cur prev words cword
    _shiryo_words || return
    case $prev in
        -i | --index) COMPREPLY=($(compgen -d -- "$cur")); return ;;
        -f | --format) COMPREPLY=($(compgen -W "text json jsonl tsv csv" -- "$cur")); return ;;
        --fy) COMPREPLY=($(compgen -W "$(_shiryo_fiscal_years)" -- "$cur")); return ;;
        --list) COMPREPLY=($(compgen -W "measures" -- "$cur")); return ;;
        --sort) COMPREPLY=($(compgen -W "rank doc" -- "$cur")); return ;;
        --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
        --scope) COMPREPLY=($(compgen -W "passage page" -- "$cur")); return ;;
        --column) COMPREPLY=($(compgen -W "1 2 3 4" -- "$cur")); return ;;
        --fields)
            # A comma-separated list: complete the name after the last comma.
            local done_part=${cur%"${cur##*,}"}
            local fields="rank score file line_start line_end lines title material page url
                          source meeting session date publisher section measure column
                          column_label fiscal_year fiscal_year_label ministries text highlights"
            COMPREPLY=($(compgen -P "$done_part" -W "$fields" -- "${cur##*,}"))
            compopt -o nospace 2>/dev/null
            return ;;
        -n | --limit | -C | --context | --bench | --measure | --ministry | --program | --timeout)
            return ;;
    esac
    case $cur in
        -*)
            COMPREPLY=($(compgen -W "--index --partial --timeout --limit --all --sort --format --context
                                 --count --facets --fields --bench --bench-total --program --programs --list
                                 --fy --measure --column --ministry --exact --strict --scope
                                 --quiet --color --check --help --version" -- "$cur")) ;;
        fy:*)
            COMPREPLY=($(compgen -P fy: -W "$(_shiryo_fiscal_years)" -- "${cur#fy:}"))
            _shiryo_colon_trim ;;
        *:*) ;;
        *)
            COMPREPLY=($(compgen -W "fy: measure: ministry: column: title: file: page: program:" \
                         -- "$cur"))
            [[ ${COMPREPLY[*]} == *: ]] && compopt -o nospace 2>/dev/null ;;
    esac
}

complete -F _shiryo_index shiryo-index
complete -F _shiryo_query shiryo-query
