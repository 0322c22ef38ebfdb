# eilint remote reader (POSIX sh, fed on stdin to `sh -s -- ROOT`).
#
# Read-only by construction: it only tests, lists, hashes and archives
# the files eilint's node loader reads. It writes nothing on the host: no temp
# files, no redirection into files, and stdin (this script) is never read by the
# commands it runs. Python prepends the variables PROFILE_CONF, CONF_MARKERS,
# CONF_FILES, HOME_FILES, SCRIPTS, LIMIT, SCRIPT_LIMIT, ARTIFACT_DIRS, ART_FILES
# and ART_BYTES from eilint's loaders.
#
# Output on stdout: text lines, then "EILINT-TAR", then a tar stream of the files
# listed as FILE lines (symlinks followed). Lines:
#   EILINT 1 | LAYOUT ei-home|conf | DIR rel | FILE rel | SKIP reason rel
#   LIB | JAR name | ERR reason | ARTH hash path | ARTL path<TAB>target
#   ARTU path | ARTD dir | ARTLIMIT why
set -u
LC_ALL=C
export LC_ALL
root=${1-}
nl='
'
say() { printf '%s\n' "$*"; }
fail() { say "ERR $1"; exit 0; }

[ -n "$root" ] || fail missing
if [ ! -e "$root" ]; then fail missing; fi
[ -d "$root" ] || fail notdir
cd -- "$root" 2>/dev/null || fail denied
[ -r . ] || fail denied
top=$(pwd -P)
command -v tar >/dev/null 2>&1 || fail notar

if [ -d "$PROFILE_CONF" ]; then
    layout=ei-home
    conf="$PROFILE_CONF/"
else
    layout=
    for m in $CONF_MARKERS; do
        if [ -e "$m" ] || [ -L "$m" ]; then layout=conf; fi
    done
    [ -n "$layout" ] || fail notei
    conf=
fi
say "EILINT 1"
say "LAYOUT $layout"
[ "$layout" = conf ] || say "DIR $PROFILE_CONF"
[ -d "${conf}datasources" ] && say "DIR ${conf}datasources"

# real FILE: its path with every symlink resolved, or nothing when unknown.
real() {
    readlink -f -- "$1" 2>/dev/null </dev/null || realpath -- "$1" 2>/dev/null </dev/null
}

# outside FILE: true when FILE, symlinks resolved, leaves the node tree. Like the
# local loader, links out of the tree are never followed.
outside() {
    case $1 in */*) d=${1%/*} ;; *) d=. ;; esac
    d=$(cd -P -- "$d" 2>/dev/null && pwd -P)
    if [ -L "$1" ]; then d=$(real "$1"); else d="$d/${1##*/}"; fi
    case $d in "$top"/*) return 1 ;; *) return 0 ;; esac
}

# take FILE [LIMIT]: say what becomes of it; ok=1 when it goes into the archive.
take() {
    ok=
    f=$1
    lim=${2:-$LIMIT}
    case $f in *"$nl"*) return ;; esac
    dir=${f%/*}
    if [ "$dir" != "$f" ] && [ -d "$dir" ] && [ ! -x "$dir" ]; then
        say "SKIP denied $f"
        return
    fi
    if [ ! -e "$f" ]; then
        if [ -L "$f" ]; then say "SKIP broken $f"; fi
        return
    fi
    if outside "$f"; then say "SKIP outside $f"; return; fi
    if [ -d "$f" ]; then say "SKIP dir $f"; return; fi
    if [ ! -f "$f" ]; then say "SKIP special $f"; return; fi
    if [ ! -r "$f" ]; then say "SKIP denied $f"; return; fi
    if [ -n "$(find "$f" -prune -size +"$lim"c </dev/null 2>/dev/null)" ]; then
        say "SKIP big:$(wc -c <"$f" 2>/dev/null | tr -d ' '):$lim $f"
        return
    fi
    say "FILE $f"
    ok=1
}

set --
for rel in $CONF_FILES; do
    take "$conf$rel"
    [ -z "$ok" ] || set -- "$@" "$f"
done
if [ -d "${conf}datasources" ] && { [ ! -r "${conf}datasources" ] || [ ! -x "${conf}datasources" ]; }; then
    say "SKIP denied ${conf}datasources"
fi
for f in "${conf}datasources/"*.xml "${conf}datasources/".*.xml; do
    { [ -e "$f" ] || [ -L "$f" ]; } || continue
    take "$f"
    [ -z "$ok" ] || set -- "$@" "$f"
done
if [ "$layout" = ei-home ]; then
    for rel in $HOME_FILES; do
        take "$rel"
        [ -z "$ok" ] || set -- "$@" "$f"
    done
    for rel in $SCRIPTS; do
        take "$rel" "$SCRIPT_LIMIT"
        [ -z "$ok" ] || set -- "$@" "$f"
    done
    if [ -d lib ]; then
        say "LIB"
        for j in lib/*.jar lib/.*.jar; do
            { [ -e "$j" ] || [ -L "$j" ]; } || continue
            case $j in *"$nl"*) continue ;; esac
            say "JAR ${j#lib/}"
        done
    fi
fi
# Deployed artifacts: SHA-256 of each regular file, link targets as text (never
# followed), "ARTU path" for what cannot be read. Bounded like the local scan.
hashes() {
    [ "$#" -gt 0 ] || return 0
    $HASHER -- "$@" </dev/null 2>/dev/null | sed 's/^/ARTH /'
}

entries() {
    set --
    while IFS= read -r p; do
        if [ -L "$p" ]; then
            printf 'ARTL %s\t%s\n' "$p" "$(readlink -- "$p" </dev/null 2>/dev/null)"
        elif [ -d "$p" ]; then
            { [ -r "$p" ] && [ -x "$p" ]; } || say "ARTD $p"
        elif [ -f "$p" ] && [ -r "$p" ]; then
            set -- "$@" "$p"
            [ "$#" -lt 200 ] || { hashes "$@"; set --; }
        elif [ -f "$p" ]; then
            say "ARTU $p"
        fi
    done
    hashes "$@"
}

artifacts() {
    dirs=
    for d in $ARTIFACT_DIRS; do
        if [ -L "$d" ]; then
            printf 'ARTL %s\t%s\n' "$d" "$(readlink -- "$d" </dev/null 2>/dev/null)"
        elif [ -d "$d" ]; then
            dirs="$dirs $d"
        fi
    done
    [ -n "$dirs" ] || return 0
    # shellcheck disable=SC2086 # the directory names hold no spaces
    n=$(find $dirs ! -type d -print </dev/null 2>/dev/null | wc -l)
    if [ "$n" -gt "$ART_FILES" ]; then say "ARTLIMIT more than $ART_FILES files"; return 0; fi
    # shellcheck disable=SC2086
    size=$(find $dirs -type f -exec ls -ln {} + </dev/null 2>/dev/null |
        awk '{ s += $5 } END { printf "%.0f", s }')
    if [ "${size:-0}" -gt "$ART_BYTES" ] 2>/dev/null; then
        say "ARTLIMIT more than $ART_BYTES bytes"
        return 0
    fi
    if command -v sha256sum >/dev/null 2>&1; then HASHER=sha256sum
    elif command -v shasum >/dev/null 2>&1; then HASHER="shasum -a 256"
    else say "ARTLIMIT no sha256sum or shasum on the host"; return 0; fi
    # shellcheck disable=SC2086
    find $dirs -print </dev/null 2>/dev/null | entries
}

[ "$layout" = conf ] || artifacts
say "EILINT-TAR"
[ "$#" -gt 0 ] || exit 0
exec tar -chf - -- "$@" </dev/null
