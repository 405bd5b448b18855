#!/usr/bin/env bash
# Builds Go main packages the way the image and the releases ship them
# (make image, make release, scripts/reproducible.sh; ADR 092) and checks each
# binary with scripts/checkbin.
#
# Usage: scripts/build-static.sh OUTDIR PACKAGE...   (COMMIT= the commit to link in; GO= the go command)
#
# - cgo on, so that go-ethereum's crypto recovers senders with its vendored
#   libsecp256k1 (3.4x faster than the pure-Go fallback a CGO_ENABLED=0 build
#   gets), as `make build` and every benchmark do;
# - linked statically (-linkmode external -extldflags -static: glibc's libc.a),
#   as the image is FROM scratch;
# - tags netgo and osusergo: Go's own DNS resolver and user lookup, so nothing
#   of glibc's NSS is linked (a static glibc would load it with dlopen at run
#   time, from shared libraries the image lacks). A link that still pulls such a
#   call in makes glibc's linker warn, and this script fails on that warning;
# - reproducible: -trimpath, -buildvcs=true (the commit, its time and
#   vcs.modified in the build info), the commit linked into
#   internal/cmdkit/buildinfo (for builds the go command does not stamp), no
#   symbol table, no DWARF (with it the C objects' paths), no Go build ID. The
#   same commit, Go version and C toolchain (gcc, glibc's libc.a) give the same
#   bytes.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: scripts/build-static.sh OUTDIR PACKAGE..." >&2; exit 2; }
out=$(mkdir -p "$1" && cd "$1" && pwd)
shift
cd "$(dirname "$0")/.."
go=${GO:-go}
commit=${COMMIT:-$(git rev-parse HEAD 2>/dev/null || echo unknown)}

cc=${CC:-gcc}
command -v "$cc" >/dev/null || { echo "build-static.sh: no C compiler ($cc): install gcc (apt-get install gcc libc6-dev)" >&2; exit 1; }
[ "$("$cc" -print-file-name=libc.a)" != libc.a ] || { echo "build-static.sh: $cc finds no static libc (libc.a): apt-get install libc6-dev" >&2; exit 1; }

log=$(mktemp)
trap 'rm -f "$log"' EXIT
CGO_ENABLED=1 "$go" build -trimpath -buildvcs=true -tags netgo,osusergo \
	-ldflags "-s -w -buildid= -linkmode external -extldflags -static -X github.com/citychain/citychain/internal/cmdkit/buildinfo.gitCommit=$commit" \
	-o "$out/" "$@" 2>"$log" || { cat "$log" >&2; exit 1; }
cat "$log" >&2
# glibc's linker warning, e.g. "Using 'getpwnam' in statically linked
# applications requires at runtime the shared libraries from the glibc version
# used for linking".
if grep -q 'in statically linked applications requires at runtime' "$log"; then
	echo "build-static.sh: the static link calls into glibc's NSS or dlopen (warning above): the binary would need glibc's shared libraries at run time, which the scratch image lacks. Use Go's implementation (tags netgo, osusergo) or drop the C call." >&2
	exit 1
fi
bins=()
for p in "$@"; do bins+=("$out/$(basename "$p")"); done
"$go" run ./scripts/checkbin "${bins[@]}"
