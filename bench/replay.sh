#!/usr/bin/env bash
# Benchmark 6 (issue 14): a 200-source batch replayed from a lock file,
# side by side with the same batch fetched without one. 200 vanity import
# paths over 40 repositories, every response of the vanity host and of git
# delayed by DELAY (default 100ms). The lock is written once, untimed,
# by `fetch get --lock`; then each timed run starts from an empty tree:
# `fetch -j 8 -f PATHS` against `fetch -j 8 --locked LOCK` (discovery,
# a depth-1 fetch of each locked commit by id, and the content hash of
# every checkout). Goal: the locked run within 1.25x of the unlocked one.
#
# NAME (default replay) names the result files.
. "$(dirname "$0")/lib.sh"
build
name=${NAME:-replay}
machine "$name"
start_bed -repos "${REPOS:-40}" -paths "${PATHS:-200}" -delay "${DELAY:-100ms}" -files "${FILES:-100}" -filesize "${FILESIZE:-16384}"

# The lock, untimed; then a check that a replay gives the same tree.
"$BIN/fetch" get -j 8 --root "$WORK/lockrun" --connect-to "$BENCH_CONNECT_TO" --lock "$WORK/bench.lock" -f "$BENCH_PATHS" >/dev/null
"$BIN/fetch" get -j 8 --root "$WORK/check" --connect-to "$BENCH_CONNECT_TO" --locked "$WORK/bench.lock" >/dev/null
"$BIN/fetch" verify --root "$WORK/check" --locked "$WORK/bench.lock" >/dev/null 2>&1
say "lock: $(grep -c '^source ' "$WORK/bench.lock") sources, replayed and verified"

compare "$name" "${RUNS:-3}" 0 \
	"fetch -j 8" "rm -rf $WORK/t" "$BIN/fetch get -j 8 --root $WORK/t --connect-to $BENCH_CONNECT_TO -f $BENCH_PATHS" \
	"fetch -j 8 --locked" "rm -rf $WORK/t" "$BIN/fetch get -j 8 --root $WORK/t --connect-to $BENCH_CONNECT_TO --locked $WORK/bench.lock"
