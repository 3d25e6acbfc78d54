#!/usr/bin/env bash
# Benchmark 2: 50 vanity import paths over 10 repositories, every response
# of the vanity host and of git delayed by 100 ms. `fetch -j 8` against
# `fetch -j 1` against a shell loop of `git clone`, one clone per import
# path, each of the URL that path resolves to (the loop is handed the
# resolved URLs and does no discovery of its own). Goal: fetch -j 8 at
# least 8x faster than the loop.
#
# Each repository has FILES files of FILESIZE bytes (default 100 x 16 KiB);
# NAME (default batch) names the result files, so runs with other sizes
# can sit beside it.
. "$(dirname "$0")/lib.sh"
build
name=${NAME:-batch}
machine "$name"
start_bed -repos 10 -paths 50 -delay "${DELAY:-100ms}" -files "${FILES:-100}" -filesize "${FILESIZE:-16384}"

# Check, untimed, that a batch clones each repository once.
: >"$BENCH_REQUESTS"
"$BIN/fetch" get -j 8 --root "$WORK/check" --connect-to "$BENCH_CONNECT_TO" -f "$BENCH_PATHS" >/dev/null
clones=$(grep -c '/info/refs' "$BENCH_REQUESTS" || true)
say "one fetch -j 8 run: $clones clones for $(sort -u "$BENCH_CLONES" | wc -l) repositories, $(wc -l <"$BENCH_REQUESTS") requests"
echo "clones per fetch -j 8 run: $clones (repositories: $(sort -u "$BENCH_CLONES" | wc -l))" >"$BENCH_OUT/$name.clones.txt"

loop="i=0; while read -r u; do i=\$((i+1)); git clone -q -- \"\$u\" $WORK/loop/\$i || exit 1; done <$BENCH_CLONES"
compare "$name" "${RUNS:-3}" 0 \
	"fetch -j 8" "rm -rf $WORK/t" "$BIN/fetch get -j 8 --root $WORK/t --connect-to $BENCH_CONNECT_TO -f $BENCH_PATHS" \
	"fetch -j 1" "rm -rf $WORK/t" "$BIN/fetch get -j 1 --root $WORK/t --connect-to $BENCH_CONNECT_TO -f $BENCH_PATHS" \
	"git clone loop" "rm -rf $WORK/loop" "$loop"
