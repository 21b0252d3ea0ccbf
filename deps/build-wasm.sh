#!/usr/bin/env bash
# Builds wasmrtc's six third-party C libraries as static wasm32 archives with
# Emscripten, from Debian 12's source packages, and installs them into PREFIX.
#
#   deps/build-wasm.sh [options] PREFIX
#
#   --smoke        after assembling PREFIX, build deps/smoke/smoke.c against it
#                  and run it in Node
#   --smoke-only   only run the smoke test against an already assembled PREFIX
#   --jobs N       parallel make jobs (default 2, the most this machine takes)
#   --rebuild LIB  ignore the cache entry of LIB (repeatable; "all" for all)
#   --prune        delete cache entries and source downloads not used by this run
#   -h, --help
#
# Environment:
#   WASMRTC_CACHE  cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/wasmrtc)
#
# Layout of the cache (see deps/README.md):
#   $WASMRTC_CACHE/sources/<srcpkg>_<debian version>/   .dsc + tarballs (downloaded once)
#   $WASMRTC_CACHE/wasm-deps/<lib>-<version>-<key>/     one library's install tree
#   $WASMRTC_CACHE/wasm-deps/logs/<lib>-<key>.log       build log of the last build
#   $WASMRTC_CACHE/wasm-deps/.tmp/                      work dirs (removed on success)
# <key> hashes everything the build depends on: the emcc and clang versions,
# the library's recipe deps/recipes/<lib>.sh, its Debian version, the common
# flags, this script's RECIPE_API and the keys of the libraries it depends on.
#
# Recipe contract: deps/recipes/<lib>.sh is run by bash with -euo pipefail in
# an empty build dir, with these variables exported:
#   SRC         the extracted Debian source tree (Debian patches applied); private
#               to this build, so the recipe may modify it
#   BUILD       the (empty) build dir, also the working directory
#   DEST        the install prefix; it becomes the cache entry
#   JOBS        make jobs
#   OPT_CFLAGS  compiler flags common to all libraries (optimisation, prefix map)
#   DEP_<lib>   install dir of each dependency (e.g. DEP_mbedtls for libsrtp2)
#   UPSTREAM_VERSION, DEBIAN_VERSION
# The recipe must leave headers in $DEST/include and archives in $DEST/lib.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RECIPES=$HERE/recipes

# Bump when the recipe contract or the post-processing below changes in a way
# that changes cache entries: it invalidates all of them.
RECIPE_API=2
OPT_CFLAGS="-O3"

# Build order matters: a library comes after its dependencies.
LIBS=(mbedtls libsrtp2 usrsctp opus libvpx openh264)
declare -A SRCPKG=([mbedtls]=mbedtls [libsrtp2]=libsrtp2 [usrsctp]=libusrsctp [opus]=opus [libvpx]=libvpx [openh264]=openh264)
# Upstream versions as Debian names them (+dfsg: Debian repacked the tarball).
declare -A UPVER=([mbedtls]=2.28.3 [libsrtp2]=2.5.0 [usrsctp]=0.9.5.0 [opus]=1.3.1 [libvpx]=1.12.0 [openh264]=2.3.1+dfsg)
# Exact Debian 12 (bookworm) source versions; `apt-cache showsrc PKG` lists them.
declare -A DEBVER=([mbedtls]=2.28.3-1 [libsrtp2]=2.5.0-3 [usrsctp]=0.9.5.0-2 [opus]=1.3.1-3 [libvpx]=1.12.0-1+deb12u5 [openh264]=2.3.1+dfsg-3+deb12u2)
declare -A DEPS=([mbedtls]="" [libsrtp2]="mbedtls" [usrsctp]="" [opus]="" [libvpx]="" [openh264]="")

export NODE_PATH=/usr/share/nodejs
export NODE_OPTIONS=--no-experimental-fetch

die() { echo "build-wasm.sh: error: $*" >&2; exit 1; }
note() { echo "build-wasm.sh: $*" >&2; }

elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

usage() { sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

# ---------------------------------------------------------------- arguments
PREFIX="" SMOKE=0 SMOKE_ONLY=0 JOBS=2 PRUNE=0
declare -A REBUILD=()
while (($#)); do
  case $1 in
    --smoke) SMOKE=1 ;;
    --smoke-only) SMOKE=1; SMOKE_ONLY=1 ;;
    --jobs) shift; JOBS=${1:?--jobs needs a number} ;;
    --jobs=*) JOBS=${1#--jobs=} ;;
    --rebuild) shift; REBUILD[${1:?--rebuild needs a library}]=1 ;;
    --rebuild=*) REBUILD[${1#--rebuild=}]=1 ;;
    --prune) PRUNE=1 ;;
    -h|--help) usage; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) [[ -z $PREFIX ]] || die "only one PREFIX, got '$PREFIX' and '$1'"; PREFIX=$1 ;;
  esac
  shift
done
[[ -n $PREFIX ]] || { usage >&2; exit 2; }
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || die "--jobs wants a positive number, got '$JOBS'"
for l in "${!REBUILD[@]}"; do
  [[ $l == all || -n ${SRCPKG[$l]:-} ]] || die "--rebuild: unknown library '$l' (one of: ${LIBS[*]} all)"
done
mkdir -p "$PREFIX"
PREFIX=$(cd "$PREFIX" && pwd)

for tool in emcc emcmake emconfigure emmake emar emranlib node cmake make python3 sha256sum flock; do
  command -v "$tool" >/dev/null || die "'$tool' not found on PATH (apt-get install emscripten cmake make python3 nodejs)"
done

# ------------------------------------------------------------------ smoke
run_smoke() {
  local tmp t0 P=$PREFIX
  [[ -f $P/versions.json && -f $P/lib/libvpx.a ]] || die "smoke: $P is not an assembled prefix"
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/wasmrtc-smoke.XXXXXX")
  t0=$(date +%s.%N)
  # -sSINGLE_FILE=1: Emscripten 3.1.6 + Node 20 would otherwise try fetch() on a path.
  emcc -O2 -Wall -Wextra -I"$P/include" "$HERE/smoke/smoke.c" -o "$tmp/smoke.js" \
    -sSINGLE_FILE=1 -sALLOW_MEMORY_GROWTH=1 -sENVIRONMENT=node -sEXIT_RUNTIME=1 \
    "$P/lib/libsrtp2.a" "$P/lib/libmbedtls.a" "$P/lib/libmbedx509.a" "$P/lib/libmbedcrypto.a" \
    "$P/lib/libusrsctp.a" "$P/lib/libopus.a" "$P/lib/libvpx.a" \
    || { rm -rf "$tmp"; die "smoke: compile/link failed"; }
  local rc=0
  node "$tmp/smoke.js" || rc=$?
  printf 'smoke: %s, %s s (single-file smoke.js: %s bytes)\n' \
    "$([[ $rc == 0 ]] && echo PASS || echo "FAIL (exit $rc)")" \
    "$(elapsed "$t0")" "$(stat -c %s "$tmp/smoke.js")"
  rm -rf "$tmp"
  return $rc
}

if ((SMOKE_ONLY)); then run_smoke; exit; fi

# ------------------------------------------------------------------ cache
CACHE_ROOT=${WASMRTC_CACHE:-${XDG_CACHE_HOME:-${HOME:?set WASMRTC_CACHE or HOME}/.cache}/wasmrtc}
SRC_CACHE=$CACHE_ROOT/sources
LIB_CACHE=$CACHE_ROOT/wasm-deps
TMP_ROOT=$LIB_CACHE/.tmp
LOGS=$LIB_CACHE/logs
mkdir -p "$SRC_CACHE" "$LIB_CACHE" "$LOGS"
CACHE_ROOT=$(cd "$CACHE_ROOT" && pwd); SRC_CACHE=$CACHE_ROOT/sources; LIB_CACHE=$CACHE_ROOT/wasm-deps
TMP_ROOT=$LIB_CACHE/.tmp; LOGS=$LIB_CACHE/logs

# One build at a time per cache; a second invocation waits.
exec 9>"$LIB_CACHE/.lock"
if ! flock -n 9; then
  note "waiting for another build-wasm.sh using $LIB_CACHE"
  flock 9
fi
# We hold the lock, so anything left in .tmp is from an interrupted run.
rm -rf "$TMP_ROOT"; mkdir -p "$TMP_ROOT"
WORK=$(mktemp -d "$TMP_ROOT/run.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# ---------------------------------------------------------------- sources
src_dir() { echo "$SRC_CACHE/${SRCPKG[$1]}_${DEBVER[$1]}"; }
dsc_name() { local v=${DEBVER[$1]}; echo "${SRCPKG[$1]}_${v#*:}.dsc"; }

deb_src_enabled() {
  grep -qsE '^[[:space:]]*Types:.*\bdeb-src\b' /etc/apt/sources.list.d/*.sources ||
    grep -qsE '^[[:space:]]*deb-src[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list
}

APT_READY=0 APT_UPDATED=0
apt_prepare() {
  ((APT_READY)) && return 0
  local is_root=0; [[ $(id -u) == 0 ]] && is_root=1
  command -v apt-get >/dev/null || die "apt-get not found: these sources come from Debian's archive"
  if ! command -v dpkg-source >/dev/null; then
    ((is_root)) || die "dpkg-source is missing; run as root or 'apt-get install dpkg-dev'"
    note "installing dpkg-dev"
    apt-get install -y --no-install-recommends dpkg-dev >&2
  fi
  local need_update=0
  if ! deb_src_enabled; then
    local f=/etc/apt/sources.list.d/debian.sources
    ((is_root)) || die "Debian source packages (deb-src) are not enabled in apt; as root add 'deb-src' to the Types: lines of $f and run apt-get update, or run this script as root"
    [[ -f $f ]] || die "deb-src is not enabled and $f does not exist: enable deb-src for Debian bookworm by hand"
    note "enabling deb-src in $f"
    sed -i -E '/^[[:space:]]*Types:/{/deb-src/!s/[[:space:]]*$/ deb-src/}' "$f"
    need_update=1
  fi
  # deb-src configured but its index never fetched: apt-cache knows no sources.
  if ((!need_update)) && [[ -z $(apt-cache showsrc "${SRCPKG[mbedtls]}" 2>/dev/null | head -1) ]]; then
    need_update=1
  fi
  if ((need_update)); then
    ((is_root)) || die "apt has no source package index; run 'apt-get update' as root"
    note "apt-get update"
    apt-get update >&2 || die "apt-get update failed"
    APT_UPDATED=1
  fi
  APT_READY=1
}

fetch_source() {  # download the .dsc and tarballs of $1's source package once
  local lib=$1 pkg=${SRCPKG[$1]} ver=${DEBVER[$1]} dir
  dir=$(src_dir "$lib")
  [[ -f $dir/$(dsc_name "$lib") ]] && return 0
  apt_prepare
  local offered
  offered=$(apt-cache showsrc "$pkg" 2>/dev/null | sed -n 's/^Version: //p' | sort -u | tr '\n' ' ')
  # An old source index may not list the pinned version yet: refresh it once.
  if ! grep -qxF -- "$ver" <(tr ' ' '\n' <<<"$offered") && ((!APT_UPDATED)) && [[ $(id -u) == 0 ]]; then
    note "apt-get update (source index offers $pkg ${offered:-nothing}, want $ver)"
    apt-get update >&2 || die "apt-get update failed"
    APT_UPDATED=1
    offered=$(apt-cache showsrc "$pkg" 2>/dev/null | sed -n 's/^Version: //p' | sort -u | tr '\n' ' ')
  fi
  [[ -n $offered ]] || die "apt knows no source package '$pkg' (is deb-src for bookworm enabled and updated?)"
  if ! grep -qxF -- "$ver" <(tr ' ' '\n' <<<"$offered"); then
    die "apt offers $pkg version(s) ${offered% }, but this script is pinned to $ver (${UPVER[$lib]} upstream); update DEBVER/UPVER in $0 and check the recipe"
  fi
  local tmp=$WORK/dl-$pkg
  mkdir -p "$tmp"
  note "downloading source package $pkg=$ver"
  (cd "$tmp" && apt-get source --download-only "$pkg=$ver" >"$tmp.log" 2>&1) ||
    { cat "$tmp.log" >&2; die "apt-get source $pkg=$ver failed"; }
  [[ -f $tmp/$(dsc_name "$lib") ]] || die "apt-get source $pkg=$ver gave no $(dsc_name "$lib")"
  rm -rf "$dir"; mv -T "$tmp" "$dir"
}

extract_source() {  # extract $1's source into dir $2 (applies Debian's patches)
  local lib=$1 out=$2
  command -v dpkg-source >/dev/null || apt_prepare
  dpkg-source -x "$(src_dir "$lib")/$(dsc_name "$lib")" "$out" >"$out.extract.log" 2>&1 ||
    { cat "$out.extract.log" >&2; die "dpkg-source -x failed for ${SRCPKG[$lib]}"; }
}

# -------------------------------------------------------------- cache keys
EMCC_ID=$(emcc -v 2>&1 | grep -E 'emcc|clang version' | tr '\n' ' ')
EMCC_ID+=$(dpkg-query -W -f=' ${Package} ${Version}' emscripten 2>/dev/null || true)
declare -A KEY=()
declare -A KEYTEXT=()
for lib in "${LIBS[@]}"; do
  [[ -f $RECIPES/$lib.sh ]] || die "missing recipe $RECIPES/$lib.sh"
  text="recipe-api $RECIPE_API
emcc $EMCC_ID
lib $lib upstream ${UPVER[$lib]} debian ${SRCPKG[$lib]} ${DEBVER[$lib]}
opt-cflags $OPT_CFLAGS
recipe-sha256 $(sha256sum <"$RECIPES/$lib.sh" | cut -d' ' -f1)
"
  for d in ${DEPS[$lib]}; do text+="dep $d ${KEY[$d]}
"; done
  KEYTEXT[$lib]=$text
  KEY[$lib]=$(printf '%s' "$text" | sha256sum | cut -c1-12)
done
entry_dir() { echo "$LIB_CACHE/$1-${UPVER[$1]}-${KEY[$1]}"; }

# ------------------------------------------------------------------- build
build_lib() {
  local lib=$1 final tmp log
  final=$(entry_dir "$lib")
  tmp=$(mktemp -d "$TMP_ROOT/$lib.XXXXXX")
  log=$LOGS/$lib-${KEY[$lib]}.log
  fetch_source "$lib"
  extract_source "$lib" "$tmp/src"
  # dpkg-source names the tree after the upstream version: check it is the one we pin.
  grep -q "^Version: ${UPVER[$lib]//./\\.}-" "$(src_dir "$lib")/$(dsc_name "$lib")" ||
    die "${SRCPKG[$lib]}: .dsc is not upstream version ${UPVER[$lib]}"
  mkdir -p "$tmp/build" "$tmp/install"
  # -ffile-prefix-map: __FILE__ strings (asserts, debug output) name
  # "<lib>-<version>/src/..." instead of this temporary dir, so the archives do
  # not depend on where the cache is (reproducible, nothing private leaks).
  local -a env=(SRC="$tmp/src" BUILD="$tmp/build" DEST="$tmp/install" JOBS="$JOBS"
                OPT_CFLAGS="$OPT_CFLAGS -ffile-prefix-map=$tmp=$lib-${UPVER[$lib]}" UPSTREAM_VERSION="${UPVER[$lib]}" DEBIAN_VERSION="${DEBVER[$lib]}")
  for d in ${DEPS[$lib]}; do env+=("DEP_$d=$(entry_dir "$d")"); done
  if ! (cd "$tmp/build" && env "${env[@]}" bash -euo pipefail "$RECIPES/$lib.sh") >"$log" 2>&1; then
    echo "---- last 40 lines of $log" >&2; tail -n 40 "$log" >&2
    die "$lib: recipe failed (full log: $log)"
  fi
  postprocess "$lib" "$tmp/install" "$tmp"
  {
    printf '%s' "${KEYTEXT[$lib]}"
    echo "key ${KEY[$lib]}"
    echo "built $(date -u +%FT%TZ)"
  } >"$tmp/install/.wasmrtc-cache-entry"
  # Publish atomically: the entry appears complete or not at all.
  rm -rf "$final"
  mv -T "$tmp/install" "$final"
  rm -rf "$tmp"
}

postprocess() {  # make the install tree relocatable and check it
  local lib=$1 dest=$2 tmp=$3 f
  [[ -d $dest/include && -d $dest/lib ]] || die "$lib: recipe installed no include/ or lib/"
  compgen -G "$dest/lib/*.a" >/dev/null || die "$lib: recipe installed no static archive"
  # pkg-config files: prefix relative to the .pc file's own location.
  for f in "$dest"/lib/pkgconfig/*.pc; do
    [[ -e $f ]] || continue
    sed -i -E "s|^prefix=.*|prefix=\${pcfiledir}/../..|; s|$dest|\${prefix}|g" "$f"
  done
  # Nothing may still point into the temporary build tree.
  if f=$(grep -rlIF -- "$tmp" "$dest" 2>/dev/null | head -5) && [[ -n $f ]]; then
    die "$lib: installed files refer to the temporary build dir: $f"
  fi
}

declare -A STATUS=()
declare -A SECS=()
BUILT_ANY=0
for lib in "${LIBS[@]}"; do
  t0=$(date +%s.%N)
  final=$(entry_dir "$lib")
  if [[ -f $final/.wasmrtc-cache-entry && -z ${REBUILD[$lib]:-} && -z ${REBUILD[all]:-} ]]; then
    STATUS[$lib]=cached
  else
    note "building $lib ${UPVER[$lib]} (Debian ${DEBVER[$lib]}), key ${KEY[$lib]}"
    build_lib "$lib"
    STATUS[$lib]=built
    BUILT_ANY=1
  fi
  SECS[$lib]=$(elapsed "$t0")
  printf '%-8s %-8s %-6s %6s s  %s\n' "$lib" "${UPVER[$lib]}" "${STATUS[$lib]}" "${SECS[$lib]}" "$final"
done

# ----------------------------------------------------------------- prefix
# PREFIX is owned by this script: it is rebuilt from the cache entries whenever
# the set of entries changes, and left untouched (timestamps too) otherwise.
STAMP_TEXT=""
for lib in "${LIBS[@]}"; do STAMP_TEXT+="$lib $(entry_dir "$lib")
"; done
STAMP=$PREFIX/.wasmrtc-wasm-deps
if ((!BUILT_ANY)) && [[ -f $STAMP && $(cat "$STAMP") == "${STAMP_TEXT%$'\n'}" && -f $PREFIX/versions.json ]]; then
  echo "prefix   up to date: $PREFIX"
else
  if [[ ! -f $STAMP ]] && [[ -n $(ls -A "$PREFIX") ]]; then
    die "$PREFIX is not empty and was not made by this script; choose another PREFIX or empty it"
  fi
  asm=$(mktemp -d "$(dirname "$PREFIX")/.$(basename "$PREFIX").new.XXXXXX")
  for lib in "${LIBS[@]}"; do
    # cp -a keeps the cache entries' timestamps, so dependants do not relink needlessly.
    (cd "$(entry_dir "$lib")" && cp -a . "$asm/") || die "assembling $PREFIX failed"
    rm -f "$asm/.wasmrtc-cache-entry"
  done
  {
    echo "# Generated by deps/build-wasm.sh: versions of the wasm32 third-party libraries."
    for lib in "${LIBS[@]}"; do
      u=${lib^^}
      echo "set(${u}_VERSION ${UPVER[$lib]})"
      echo "set(${u}_DEBIAN_SOURCE \"${SRCPKG[$lib]} ${DEBVER[$lib]}\")"
    done
  } >"$asm/versions.cmake"
  {
    echo "{"
    for lib in "${LIBS[@]}"; do echo "  \"$lib\": \"${UPVER[$lib]}\","; done
    echo "  \"debian_source\": {"
    n=0
    for lib in "${LIBS[@]}"; do
      n=$((n + 1)); sep=,; ((n == ${#LIBS[@]})) && sep=
      echo "    \"$lib\": {\"package\": \"${SRCPKG[$lib]}\", \"version\": \"${DEBVER[$lib]}\"}$sep"
    done
    echo "  },"
    echo "  \"cache_keys\": {"
    n=0
    for lib in "${LIBS[@]}"; do
      n=$((n + 1)); sep=,; ((n == ${#LIBS[@]})) && sep=
      echo "    \"$lib\": \"${KEY[$lib]}\"$sep"
    done
    echo "  }"
    echo "}"
  } >"$asm/versions.json"
  printf '%s' "${STAMP_TEXT%$'\n'}" >"$asm/.wasmrtc-wasm-deps"
  # Swap in the new tree.
  old=""
  if [[ -e $PREFIX ]]; then old=$(mktemp -u "$(dirname "$PREFIX")/.$(basename "$PREFIX").old.XXXXXX"); mv -T "$PREFIX" "$old"; fi
  mv -T "$asm" "$PREFIX"
  [[ -n $old ]] && rm -rf "$old"
  echo "prefix   assembled: $PREFIX"
fi

# ------------------------------------------------------------------ prune
if ((PRUNE)); then
  declare -A keep=()
  for lib in "${LIBS[@]}"; do keep[$(entry_dir "$lib")]=1; keep[$(src_dir "$lib")]=1; done
  for d in "$LIB_CACHE"/*/ "$SRC_CACHE"/*/; do
    d=${d%/}
    [[ -d $d && $d != "$LOGS" && -z ${keep[$d]:-} ]] || continue
    note "prune: removing $d"; rm -rf "$d"
  done
  for lib in "${LIBS[@]}"; do
    for f in "$LOGS/$lib"-*.log; do
      [[ -e $f && $f != "$LOGS/$lib-${KEY[$lib]}.log" ]] && rm -f "$f"
    done
  done
fi

if ((SMOKE)); then run_smoke; fi
