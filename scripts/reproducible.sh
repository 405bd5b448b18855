#!/usr/bin/env bash
# Builds the release binaries twice from the committed HEAD, each time in a
# fresh checkout at another path with an empty Go build cache, and checks that
# both builds are byte for byte the same. With an output directory, the
# binaries and their SHA256SUMS are written there.
#
# Usage: scripts/reproducible.sh OUTDIR|"" BINARY...   (make release, make reproducible)
#
# Each build is scripts/build-static.sh, as make image's (ADR 092): cgo on and
# linked statically with glibc, -trimpath (no build paths), -buildvcs=true (the
# commit, its time and vcs.modified=false in the build info), the commit linked
# into internal/cmdkit/buildinfo (for builds the go command does not stamp) and
# -ldflags "-s -w -buildid=" (no symbol table, no DWARF, no build ID): the same
# commit built by the same Go version and C toolchain (gcc, glibc's libc.a; both
# named in the output) gives the same bytes anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$1
shift
bins=("$@")
[ ${#bins[@]} -gt 0 ] || { echo "usage: scripts/reproducible.sh OUTDIR|\"\" BINARY..." >&2; exit 2; }

# The pinned toolchain: go.mod's toolchain line, else its go line (the go
# command itself switches to it through the module proxy).
want=$(sed -n 's/^toolchain \(go[0-9.]*\)$/\1/p' go.mod)
[ -n "$want" ] || want=go$(sed -n 's/^go \([0-9.]*\)$/\1/p' go.mod)
have=$(go env GOVERSION)
if [ "$have" != "$want" ]; then
	echo "go.mod pins $want, this toolchain is $have: release builds need exactly $want" >&2
	exit 1
fi
if [ -n "$out" ] && [ -n "$(git status --porcelain --untracked-files=no)" ]; then
	echo "the work tree has uncommitted changes: a release is built from a commit; commit or stash them first" >&2
	exit 1
fi
commit=$(git rev-parse HEAD)
work=$(mktemp -d)
cleanup() {
	for i in 1 2; do git worktree remove --force "$work/src$i" 2>/dev/null || true; done
	chmod -R u+w "$work" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

build() { # build N: a checkout at $work/srcN (paths of different lengths) with cache $work/cacheN
	local n=$1 src=$work/src$1
	[ "$n" = 2 ] && src=$work/another-path/src2 && mkdir -p "$work/another-path"
	git worktree add --detach --quiet "$src" "$commit"
	local pkgs=()
	for b in "${bins[@]}"; do pkgs+=("./cmd/$b"); done
	(cd "$src" && GOCACHE="$work/cache$n" GOFLAGS=-mod=readonly COMMIT=$commit scripts/build-static.sh "$work/bin$n" "${pkgs[@]}")
	git worktree remove --force "$src"
}
start=$(date +%s)
build 1
build 2
status=0
for b in "${bins[@]}"; do
	a=$(sha256sum "$work/bin1/$b" | cut -d' ' -f1)
	c=$(sha256sum "$work/bin2/$b" | cut -d' ' -f1)
	if [ "$a" = "$c" ]; then
		echo "$b: identical ($a)"
	else
		echo "$b: DIFFERENT ($a vs $c)" >&2
		status=1
	fi
done
cc=$(${CC:-gcc} --version | head -1)
libc=$(getconf GNU_LIBC_VERSION 2>/dev/null || echo "libc unknown")
echo "two clean builds of $commit with $have, $cc, $libc in $(( $(date +%s) - start )) s"
[ $status = 0 ] || { echo "the builds differ: not reproducible" >&2; exit 1; }
if [ -n "$out" ]; then
	mkdir -p "$out"
	for b in "${bins[@]}"; do cp "$work/bin1/$b" "$out/$b-linux-amd64"; done
	(cd "$out" && sha256sum "${bins[@]/%/-linux-amd64}" > SHA256SUMS)
	echo "wrote $out/SHA256SUMS (commit $commit, $have, $cc, $libc):"
	cat "$out/SHA256SUMS"
fi
