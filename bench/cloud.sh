#!/usr/bin/env bash
# Benchmark 8 (issue 15): what fetch-cloud, the separate executable for
# s3:: and gcs:: sources, costs. Measured on this checkout:
#
#   size      fetch-cloud and fetch, plain and with -ldflags='-s -w';
#   inits     package initialisers before main (GODEBUG=inittrace=1);
#   download  a fresh module download (empty GOMODCACHE, GOPROXY from the
#             environment) for fetch-cloud alone, and what it adds on top
#             of `go build ./cmd/fetch` in the same cache;
#   build     cold build CPU (/usr/bin/time user+sys) of fetch-cloud alone
#             (empty GOCACHE), and what it adds on top of a cache that
#             built fetch;
#   start-up  side by side in one hyperfine run: a hello-world Go program;
#             fetch-cloud --help; fetch-cloud get of a 1 KiB object from
#             loopback S3 and GCS stand-ins; fetch get of the same object
#             as s3:: (fetch runs fetch-cloud) and over https from the
#             bed's vanity host (no fetch-cloud).
#
# Results: bench/results/cloud.md and .json (hyperfine), cloud.txt (the
# rest), cloud.machine.txt. Variables: RUNS (100).
. "$(dirname "$0")/lib.sh"
build
install_pkg /usr/bin/time time || { say "GNU time is required (Debian package time)"; exit 1; }
machine cloud
proxy=${GOPROXY:-$(GOTOOLCHAIN=local go env GOPROXY)}
(cd "$BENCH_SRC" && GOTOOLCHAIN=local go build -o "$BIN/fetch-cloud" ./cmd/fetch-cloud &&
	GOTOOLCHAIN=local go build -ldflags='-s -w' -o "$BIN/fetch-cloud-stripped" ./cmd/fetch-cloud &&
	GOTOOLCHAIN=local go build -ldflags='-s -w' -o "$BIN/fetch-stripped" ./cmd/fetch)
mkdir -p "$WORK/hello"
cat >"$WORK/hello/go.mod" <<'EOF'
module hello

go 1.26.0
EOF
cat >"$WORK/hello/main.go" <<'EOF'
package main

import "fmt"

func main() { fmt.Println("hello, world") }
EOF
(cd "$WORK/hello" && GOTOOLCHAIN=local go build -o "$BIN/hello" .)

out=$BENCH_OUT/cloud.txt
{
	echo "cloud.sh: HEAD=$(git -C "$BENCH_SRC" rev-parse --short HEAD) plus the work tree"
	echo "go: $(GOTOOLCHAIN=local go version)"
	echo
	echo "| what | measurement | value |"
	echo "|---|---|---|"
} >"$out"
row() { printf '| %s | %s | %s |\n' "$@" >>"$out"; }
mib() { awk -v b="$1" 'BEGIN {printf "%.1f MiB", b/1048576}'; }

for b in fetch-cloud fetch; do
	row "$b" "binary" "$(stat -c %s "$BIN/$b") bytes ($(mib "$(stat -c %s "$BIN/$b")")); stripped $(stat -c %s "$BIN/$b-stripped") bytes ($(mib "$(stat -c %s "$BIN/$b-stripped")"))"
done

# modcache DIR: module zips, their bytes, and the extracted size.
modcache() {
	local zips zipbytes extracted
	zips=$(find "$1/cache/download" -name '*.zip' | wc -l)
	zipbytes=$(find "$1/cache/download" -name '*.zip' -printf '%s\n' | awk '{s+=$1} END {print s+0}')
	extracted=$(du -sb --exclude=cache "$1" | cut -f1)
	echo "$zips $zipbytes $extracted"
}
goenv() { env GOTOOLCHAIN=local GOFLAGS="-modcacherw -buildvcs=false" GOMODCACHE="$1" GOCACHE="$2" GOPROXY="$proxy" "${@:3}"; }

# fetch-cloud alone, then fetch and fetch-cloud in one cache.
mod=$WORK/mod-alone cache=$WORK/cache-alone
mkdir -p "$mod/cache/download" "$cache"
(cd "$BENCH_SRC" && goenv "$mod" "$cache" go list -deps ./cmd/fetch-cloud >/dev/null)
read -r z zb x < <(modcache "$mod")
row "fetch-cloud" "fresh download, alone" "$z module zips, $(mib "$zb") zipped, $(mib "$x") extracted"
(cd "$BENCH_SRC" && goenv "$mod" "$cache" GOPROXY=off /usr/bin/time -f '%U %S %e' -o "$WORK/time-alone" go build -o "$WORK/fc" ./cmd/fetch-cloud)
read -r user sys wall <"$WORK/time-alone"
row "fetch-cloud" "cold build CPU, alone (empty GOCACHE)" "$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.1f s (user %.1f + sys %.1f)", u+s, u, s}'), wall $wall s"
chmod -R u+w "$mod" 2>/dev/null || true
rm -rf "$mod" "$cache"

mod=$WORK/mod-both cache=$WORK/cache-both
mkdir -p "$mod/cache/download" "$cache"
(cd "$BENCH_SRC" && goenv "$mod" "$cache" go list -deps ./cmd/fetch >/dev/null)
read -r z0 zb0 x0 < <(modcache "$mod")
(cd "$BENCH_SRC" && goenv "$mod" "$cache" go list -deps ./cmd/fetch-cloud >/dev/null)
read -r z1 zb1 x1 < <(modcache "$mod")
row "fetch" "fresh download" "$z0 module zips, $(mib "$zb0") zipped, $(mib "$x0") extracted"
row "fetch-cloud" "fresh download added to fetch's" "$((z1 - z0)) module zips, $(mib $((zb1 - zb0))) zipped, $(mib $((x1 - x0))) extracted"
(cd "$BENCH_SRC" && goenv "$mod" "$cache" GOPROXY=off /usr/bin/time -f '%U %S %e' -o "$WORK/time-fetch" go build -o "$WORK/f" ./cmd/fetch)
read -r user sys wall <"$WORK/time-fetch"
row "fetch" "cold build CPU (empty GOCACHE)" "$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.1f s (user %.1f + sys %.1f)", u+s, u, s}'), wall $wall s"
(cd "$BENCH_SRC" && goenv "$mod" "$cache" GOPROXY=off /usr/bin/time -f '%U %S %e' -o "$WORK/time-added" go build -o "$WORK/fc" ./cmd/fetch-cloud)
read -r user sys wall <"$WORK/time-added"
row "fetch-cloud" "build CPU added after fetch's build" "$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.1f s (user %.1f + sys %.1f)", u+s, u, s}'), wall $wall s"
chmod -R u+w "$mod" 2>/dev/null || true
rm -rf "$mod" "$cache"

inits() {
	local name=$1
	shift
	env -i PATH="$PATH" HOME="$HOME" GODEBUG=inittrace=1 "$@" 2>"$WORK/inittrace-$name" >/dev/null || true
	row "$name" "package inits (inittrace)" "$(grep -c '^init ' "$WORK/inittrace-$name") inits, $(awk '/^init / {s+=$5} END {printf "%.2f", s}' "$WORK/inittrace-$name") ms of clock"
}
inits hello "$BIN/hello"
inits fetch-cloud "$BIN/fetch-cloud" --help
cat "$out" >&2

# Start-up and a small download, side by side in one run.
start_bed -repos 0 -paths 0 -cloud
clean="env -i PATH=$PATH HOME=$HOME"
s3src="s3::$BENCH_S3_ENDPOINT/bench/small.bin?aws_access_key_id=AKIDBENCH&aws_access_key_secret=benchsecret"
gcssrc="gcs::https://www.googleapis.com/storage/v1/bench/small.bin"
o=$WORK/o
HYPERFINE_ARGS=-N compare cloud "${RUNS:-100}" 10 \
	"hello" "true" "$clean $BIN/hello" \
	"fetch-cloud --help" "true" "$clean $BIN/fetch-cloud --help" \
	"fetch-cloud get file s3::" "rm -rf $o" "$clean $BIN/fetch-cloud get file $s3src $o" \
	"fetch-cloud get file gcs::" "rm -rf $o" "$clean STORAGE_EMULATOR_HOST=$BENCH_GCS_HOST $BIN/fetch-cloud get file $gcssrc $o" \
	"fetch get s3:: (runs fetch-cloud)" "rm -rf $o" "$clean FETCH_CLOUD=$BIN/fetch-cloud $BIN/fetch -o $o $s3src" \
	"fetch get https:: (no fetch-cloud)" "rm -rf $o" "$clean SSL_CERT_FILE=$SSL_CERT_FILE $BIN/fetch -o $o --connect-to $BENCH_CONNECT_TO $BENCH_SMALL_URL"
