#!/usr/bin/env bash
# Benchmark 1: one vanity repository. `fetch get IMPORTPATH` (discovery,
# clone, report) against a plain `git clone` of the URL the import path
# resolves to. Goal: fetch at most 1.10x git clone.
#
# The repository has FILES files of FILESIZE bytes (default 100 x 16 KiB,
# about 1.6 MiB of text); no added latency. NAME (default single) names
# the result files.
. "$(dirname "$0")/lib.sh"
build
name=${NAME:-single}
machine "$name"
start_bed -repos 1 -paths 1 -files "${FILES:-100}" -filesize "${FILESIZE:-16384}"
path=$(head -1 "$BENCH_PATHS")
url=$(head -1 "$BENCH_CLONES")
say "fetch $path vs git clone $url"
compare "$name" "${RUNS:-20}" 3 \
	"fetch get $path" "rm -rf $WORK/t" "$BIN/fetch get --root $WORK/t --connect-to $BENCH_CONNECT_TO $path" \
	"git clone $url" "rm -rf $WORK/g" "git clone -q -- $url $WORK/g"
