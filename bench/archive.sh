#!/usr/bin/env bash
# Benchmark 4: a 200 MiB .tar.gz with a sha256 checksum. `fetch get
# URL?checksum=sha256:HEX` (download, verify, unpack) against
# `curl | tee >(sha256sum) | tar -xz`. Goals: at most 1.3x the wall time,
# at most 64 MiB peak resident memory (GNU time's maximum resident set).
#
# benchbed generates the archive: pseudo-random text over 16 symbols that
# compresses to about half, the same bytes on every run.
. "$(dirname "$0")/lib.sh"
build
install_pkg /usr/bin/time time || say "GNU time not available: no peak memory figures"
machine archive
start_bed -repos 0 -paths 0 -archive "${SIZE:-200MiB}"
src="$BENCH_ARCHIVE_URL?checksum=sha256:$BENCH_ARCHIVE_SHA256"
pipe="curl -sS --cacert $BENCH_CACERT --connect-to $BENCH_CONNECT_TO $BENCH_ARCHIVE_URL | tee >(sha256sum >$WORK/sum) | tar -xz -C $WORK/c"
compare archive "${RUNS:-3}" 1 \
	"fetch get (download, verify, unpack)" "rm -rf $WORK/t" "$BIN/fetch get --root $WORK/t --connect-to $BENCH_CONNECT_TO '$src'" \
	"curl | tee >(sha256sum) | tar -xz" "rm -rf $WORK/c && mkdir $WORK/c" "bash -c '$pipe'"

# The pipeline's sum, checked untimed, so both sides did the same work.
read -r got _ <"$WORK/sum"
[ "$got" = "$BENCH_ARCHIVE_SHA256" ] || { say "pipeline sha256 $got, want $BENCH_ARCHIVE_SHA256"; exit 1; }

if [ -x /usr/bin/time ]; then
	rm -rf "$WORK/t" "$WORK/c" && mkdir "$WORK/c"
	/usr/bin/time -v "$BIN/fetch" get --root "$WORK/t" --connect-to "$BENCH_CONNECT_TO" "$src" >/dev/null 2>"$WORK/fetch.time"
	/usr/bin/time -v bash -c "$pipe" 2>"$WORK/pipe.time"
	{
		echo "fetch get: $(grep 'Maximum resident' "$WORK/fetch.time" | awk '{print $NF}') KiB peak resident, $(grep 'Elapsed' "$WORK/fetch.time" | awk '{print $NF}') wall"
		echo "pipeline:  $(grep 'Maximum resident' "$WORK/pipe.time" | awk '{print $NF}') KiB peak resident (largest process), $(grep 'Elapsed' "$WORK/pipe.time" | awk '{print $NF}') wall"
	} | tee "$BENCH_OUT/archive.rss.txt"
fi
