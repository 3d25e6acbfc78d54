#!/usr/bin/env bash
# Runs every benchmark, one after the other, into bench/results.
set -euo pipefail
dir=$(dirname "$0")
for b in single batch metaparse archive startup; do
	echo "== $b" >&2
	"$dir/$b.sh"
done
