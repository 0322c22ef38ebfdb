# eilint remote reader (POSIX sh, fed on stdin to `sh -s -- ROOT`).
#
# Read-only by construction: it only tests, lists, hashes and archives
# the files eilint's node loader reads. It writes nothing on the host: no temp
# files, no redirection into files, and stdin (this script) is never read by the
# commands it runs. Python prepends the variables BPS_CONF, INT_CONF,
# CONF_MARKERS, CONF_FILES, HOME_FILES, HOME_DIRS, HOME_MARKERS, SCRIPTS,
# PROCESSORS, MAX_PROCESSORS, PLUGINS, LIMIT, SCRIPT_LIMIT, BPS_ARTIFACTS,
# INT_ARTIFACTS, ART_FILES and ART_BYTES from eilint's loaders.
#
# An EI_HOME may hold the business-process profile (BPS_CONF) and the integrator
# (INT_CONF, with repository/ in EI_HOME itself): the conf files of every profile
# it holds are read, and eilint chooses the profile to lint afterwards, as for a
# local tree.
#
# Output on stdout: text lines, then "EILINT-TAR", then a tar stream of the files
# listed as FILE lines (symlinks followed). Lines:
#   EILINT 1 | LAYOUT ei-home|conf | DIR rel | FILE rel | SKIP reason rel
#   LIB | JAR name | PLUGIN name | ERR reason | ARTH hash path
#   ARTL path<TAB>target | ARTU path | ARTD dir | ARTLIMIT profile why
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

# int_home: true when EI_HOME's conf/ is the integrator's (Carbon's files in
# it) and a directory beside it marks an EI_HOME (profile.is_ei_home).
int_home() {
    [ -e "$INT_CONF/carbon.xml" ] || [ -e "$INT_CONF/axis2/axis2.xml" ] || return 1
    for m in $HOME_MARKERS; do
        if [ -e "$m" ]; then return 0; fi
    done
    return 1
}

confs=
[ -d "$BPS_CONF" ] && confs="$BPS_CONF"
int_home && confs="$confs $INT_CONF"
if [ -n "$confs" ]; then
    layout=ei-home
else
    if [ -d wso2/broker/conf ] || [ -d wso2/analytics ]; then fail notcovered; fi
    layout=
    for m in $CONF_MARKERS; do
        if [ -e "$m" ] || [ -L "$m" ]; then layout=conf; fi
    done
    [ -n "$layout" ] || fail notei
fi
say "EILINT 1"
say "LAYOUT $layout"
if [ "$layout" = ei-home ]; then
    for d in $confs $HOME_DIRS; do
        if [ -d "$d" ]; then say "DIR $d"; fi
    done
fi

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
taken=$nl
take() {
    ok=
    f=$1
    lim=${2:-$LIMIT}
    case $f in *"$nl"*) return ;; esac
    case $taken in *"$nl$f$nl"*) return ;; esac
    taken="$taken$f$nl"
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

# glob_take DIR MAX: take DIR's *.xml files (at most MAX, in name order).
glob_take() {
    if [ -d "$1" ] && { [ ! -r "$1" ] || [ ! -x "$1" ]; }; then
        say "SKIP denied $1"
    fi
    n=0
    for f in "$1/"*.xml "$1/".*.xml; do
        { [ -e "$f" ] || [ -L "$f" ]; } || continue
        n=$((n + 1))
        [ "$n" -le "$2" ] || break
        take "$f"
        [ -z "$ok" ] || keep "$f"
    done
}

# conf_files PREFIX: the files of one profile's conf directory.
conf_files() {
    [ -d "${1}datasources" ] && say "DIR ${1}datasources"
    for rel in $CONF_FILES; do
        take "$1$rel"
        [ -z "$ok" ] || keep "$f"
    done
    glob_take "${1}datasources" 1000000
}

# keep FILE: add FILE to the archive's list (newline-separated, no newline in names).
files=
keep() { files="$files$1$nl"; }

if [ "$layout" = conf ]; then
    conf_files ""
else
    for c in $confs; do conf_files "$c/"; done
fi
if [ "$layout" = ei-home ]; then
    for rel in $HOME_FILES; do
        take "$rel"
        [ -z "$ok" ] || keep "$f"
    done
    for rel in $SCRIPTS; do
        take "$rel" "$SCRIPT_LIMIT"
        [ -z "$ok" ] || keep "$f"
    done
    glob_take "$PROCESSORS" "$MAX_PROCESSORS"
    if [ -d lib ]; then
        say "LIB"
        for j in lib/*.jar lib/.*.jar; do
            { [ -e "$j" ] || [ -L "$j" ]; } || continue
            case $j in *"$nl"*) continue ;; esac
            say "JAR ${j#lib/}"
        done
    fi
    # Plugin names tell some releases apart (loaders/version.py).
    for j in "$PLUGINS"/*.jar; do
        { [ -e "$j" ] || [ -L "$j" ]; } || continue
        case $j in *"$nl"*) continue ;; esac
        say "PLUGIN ${j#"$PLUGINS"/}"
    done
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

# artifacts PROFILE DIRS: one profile's artifacts, bounded on their own as the
# local scan of that profile is.
artifacts() {
    tag=$1
    dirs=
    for d in $2; do
        if [ -L "$d" ]; then
            printf 'ARTL %s\t%s\n' "$d" "$(readlink -- "$d" </dev/null 2>/dev/null)"
        elif [ -d "$d" ]; then
            dirs="$dirs $d"
        fi
    done
    [ -n "$dirs" ] || return 0
    # shellcheck disable=SC2086 # the directory names hold no spaces
    n=$(find $dirs ! -type d -print </dev/null 2>/dev/null | wc -l)
    if [ "$n" -gt "$ART_FILES" ]; then say "ARTLIMIT $tag more than $ART_FILES files"; return 0; fi
    # shellcheck disable=SC2086
    size=$(find $dirs -type f -exec ls -ln {} + </dev/null 2>/dev/null |
        awk '{ s += $5 } END { printf "%.0f", s }')
    if [ "${size:-0}" -gt "$ART_BYTES" ] 2>/dev/null; then
        say "ARTLIMIT $tag more than $ART_BYTES bytes"
        return 0
    fi
    if command -v sha256sum >/dev/null 2>&1; then HASHER=sha256sum
    elif command -v shasum >/dev/null 2>&1; then HASHER="shasum -a 256"
    else say "ARTLIMIT $tag no sha256sum or shasum on the host"; return 0; fi
    # shellcheck disable=SC2086
    find $dirs -print </dev/null 2>/dev/null | entries
}

if [ "$layout" = ei-home ]; then
    artifacts business-process "$BPS_ARTIFACTS"
    artifacts integrator "$INT_ARTIFACTS"
fi
say "EILINT-TAR"
[ -n "$files" ] || exit 0
# The names hold no newline (take refuses them): split the list on newlines
# only, and never glob them.
IFS=$nl
set -f
# shellcheck disable=SC2086
set -- $files
exec tar -chf - -- "$@" </dev/null
