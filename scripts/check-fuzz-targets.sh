#!/usr/bin/env bash
# Fails unless every native fuzz target of the repository (func FuzzX in a
# _test.go file) is in the list make fuzz-long runs: the targets given as
# arguments, PACKAGE:FuzzName. Part of make lint, so the list stays true.
set -euo pipefail
cd "$(dirname "$0")/.."
listed=$(printf '%s\n' "$@" | sort -u)
found=$(git ls-files '*_test.go' | while read -r f; do
	d=$(dirname "$f")
	sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$f" | while read -r fn; do echo "./$d:$fn"; done
done | sort -u)
missing=$(comm -23 <(echo "$found") <(echo "$listed"))
stale=$(comm -13 <(echo "$found") <(echo "$listed"))
if [ -n "$missing" ] || [ -n "$stale" ]; then
	[ -z "$missing" ] || { echo "fuzz targets missing from the Makefile's FUZZ_TARGETS or FUZZ_SLOW_TARGETS:"; echo "$missing"; }
	[ -z "$stale" ] || { echo "fuzz targets listed in the Makefile that do not exist:"; echo "$stale"; }
	exit 1
fi
echo "fuzz targets: all $(echo "$found" | wc -l) listed"
