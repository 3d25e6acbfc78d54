#!/usr/bin/env bash
# Benchmark 7: the repository cache (issue 16). Two measurements, each
# side by side in one hyperfine run:
#
#  a. A second fetch of bench.example/big (about BIG, default 50MiB, packed
#     over 5 commits) into another root, the cache warm, against `git clone
#     --local` of a local bare mirror (git's default: hard links) and, for
#     reference, `git clone --local --no-hardlinks` (the copy fetch makes)
#     and a fetch without the cache. Goal: at most 1.3x git clone --local;
#     bytes received from the server at most 5% of the first fetch's pack.
#  b. 50 repositories (-f list of import paths) into a second root, the
#     cache warm, against `xargs -P8 git clone --local` of 50 local mirrors.
#     Goal: at most 1.2x.
#
# Bytes: git writes every pack it receives to GIT_TRACE_PACKFILE and every
# packet line to GIT_TRACE_PACKET; the script sums both for the first and
# the second fetch (the local copy out of the cache sends no packet).
. "$(dirname "$0")/lib.sh"
build
name=${NAME:-cache}
machine "$name"
start_bed -repos 50 -paths 50 -files "${FILES:-20}" -filesize "${FILESIZE:-8192}" -big "${BIG:-50MiB}"
export FETCH_CACHE=$WORK/cache FETCH_CACHE_MAX=0
out=$BENCH_OUT/$name.bytes.txt

# bytes FILE: size of a file, 0 when missing.
bytes() { if [ -f "$1" ]; then stat -c %s "$1"; else echo 0; fi; }
# packet_bytes FILE: bytes of the packet lines git received ("<" lines).
packet_bytes() {
	if [ -f "$1" ]; then
		awk '/packet: +[^ ]*< / { sub(/^.*packet: +[^ ]*< /, ""); n += length($0) + 4 } END { print n + 0 }' "$1"
	else
		echo 0
	fi
}

say "a. first fetch of $BENCH_BIG_PATH (fills the cache)"
GIT_TRACE_PACKFILE=$WORK/pack1 GIT_TRACE_PACKET=$WORK/pkt1 \
	"$BIN/fetch" get --root "$WORK/first" --connect-to "$BENCH_CONNECT_TO" "$BENCH_BIG_PATH"
say "a. second fetch into another root (from the cache)"
GIT_TRACE_PACKFILE=$WORK/pack2 GIT_TRACE_PACKET=$WORK/pkt2 \
	"$BIN/fetch" get --root "$WORK/second" --connect-to "$BENCH_CONNECT_TO" "$BENCH_BIG_PATH"
p1=$(bytes "$WORK/pack1") k1=$(packet_bytes "$WORK/pkt1")
p2=$(bytes "$WORK/pack2") k2=$(packet_bytes "$WORK/pkt2")
{
	echo "first fetch:  pack $p1 bytes, packet lines $k1 bytes"
	echo "second fetch: pack $p2 bytes, packet lines $k2 bytes"
	awk -v a="$((p1 + k1))" -v b="$((p2 + k2))" 'BEGIN { printf "second / first: %.4f%% of the bytes received\n", 100 * b / a }'
	echo "cache: $(du -sb "$FETCH_CACHE" | cut -f1) bytes; checkout .git: $(du -sb "$WORK/second/src/$BENCH_BIG_PATH/.git" | cut -f1) bytes"
} | tee "$out" >&2
git clone -q --mirror -- "$BENCH_BIG_URL" "$WORK/big-mirror.git"

compare "$name-big" "${RUNS:-10}" 2 \
	"fetch get (cache warm)" "rm -rf $WORK/t" "$BIN/fetch get --root $WORK/t --connect-to $BENCH_CONNECT_TO $BENCH_BIG_PATH" \
	"git clone --local mirror" "rm -rf $WORK/g" "git clone -q --local -- $WORK/big-mirror.git $WORK/g" \
	"git clone --local --no-hardlinks mirror" "rm -rf $WORK/h" "git clone -q --local --no-hardlinks -- $WORK/big-mirror.git $WORK/h" \
	"fetch get --no-cache" "rm -rf $WORK/n" "$BIN/fetch get --no-cache --root $WORK/n --connect-to $BENCH_CONNECT_TO $BENCH_BIG_PATH"

say "b. 50 repositories: fill the cache, make local mirrors"
head -50 "$BENCH_PATHS" >"$WORK/paths50"
"$BIN/fetch" get --root "$WORK/batch1" --connect-to "$BENCH_CONNECT_TO" -f "$WORK/paths50" >/dev/null
mkdir -p "$WORK/mirrors"
head -50 "$BENCH_CLONES" | sort -u | while read -r url; do
	git clone -q --mirror -- "$url" "$WORK/mirrors/$(basename "$url")"
done
ls -d "$WORK"/mirrors/*.git >"$WORK/mirrors.txt"

compare "$name-batch" "${RUNS:-10}" 2 \
	"fetch get -f 50 paths (cache warm)" "rm -rf $WORK/bt" "$BIN/fetch get --root $WORK/bt --connect-to $BENCH_CONNECT_TO -f $WORK/paths50" \
	"xargs -P8 git clone --local" "rm -rf $WORK/bx; mkdir -p $WORK/bx" "xargs -P8 -I{} sh -c 'git clone -q --local -- {} $WORK/bx/\$(basename {})' <$WORK/mirrors.txt"
