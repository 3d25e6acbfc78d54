#!/usr/bin/env bash
# Benchmark 7 (issue 15): a light core. Compares this checkout with a
# baseline commit (BASE, default the last commit on go-getter v1.8.10) and
# with a hello-world Go program built by the same toolchain:
#
#   start-up  `fetch resolve` of a known-host path (no network), with and
#             without SSL_CERT_FILE, side by side in one hyperfine run;
#   inits     package initialisers before main (GODEBUG=inittrace=1);
#   size      the binary, plain and with -ldflags='-s -w';
#   download  what a fresh `go install ./cmd/fetch` fetches (empty
#             GOMODCACHE, GOPROXY from the environment): module zips, their
#             bytes, and the extracted size;
#   build     cold build CPU of `go install ./cmd/fetch` (empty GOCACHE,
#             modules already downloaded; /usr/bin/time user+sys);
#   cloud     packages from cloud SDK modules (AWS, Google Cloud, gRPC,
#             OpenTelemetry, protobuf) and go-getter v1 in
#             `go list -deps ./reporoot ./fetch`.
#
# Results: bench/results/NAME.md and .json (hyperfine), NAME.txt (the
# rest), NAME.machine.txt. Variables: BASE and HEAD (commits; HEAD
# defaults to HEAD), RUNS (200), NAME (light), FULL (the trees whose
# fresh download and cold build are measured, default "hello base head";
# the others are built in the usual caches, for start-up figures only).
. "$(dirname "$0")/lib.sh"

BASE=${BASE:-162bb0a}
HEADREF=${HEAD:-HEAD}
NAME=${NAME:-light}
install_pkg hyperfine hyperfine || say "hyperfine not available: timing with a plain loop instead"
install_pkg /usr/bin/time time || { say "GNU time is required (Debian package time)"; exit 1; }
mkdir -p "$BENCH_OUT"
machine "$NAME"
proxy=${GOPROXY:-$(GOTOOLCHAIN=local go env GOPROXY)}
mkdir -p "$BIN" "$WORK/base" "$WORK/head" "$WORK/hello" "$WORK/t"

# The two trees, and a hello-world module.
git -C "$BENCH_SRC" archive "$BASE" | tar -x -C "$WORK/base"
git -C "$BENCH_SRC" archive "$HEADREF" | tar -x -C "$WORK/head"
cat >"$WORK/hello/go.mod" <<'EOF'
module hello

go 1.26.0
EOF
cat >"$WORK/hello/main.go" <<'EOF'
package main

import "fmt"

func main() { fmt.Println("hello, world") }
EOF

out=$BENCH_OUT/$NAME.txt
{
	echo "light.sh: BASE=$BASE ($(git -C "$BENCH_SRC" rev-parse --short "$BASE")), HEAD=$HEADREF ($(git -C "$BENCH_SRC" rev-parse --short "$HEADREF")), FULL=${FULL:-hello base head}"
	echo "go: $(GOTOOLCHAIN=local go version)"
	echo
} >"$out"
row() { printf '| %s | %s | %s | %s |\n' "$@" >>"$out"; }

# measure NAME DIR PKG: build, size, fresh download and cold build of PKG
# in DIR, each in its own empty module cache and build cache.
measure() {
	local name=$1 dir=$2 pkg=$3 mod=$WORK/mod-$1 cache=$WORK/cache-$1 t0 t1
	if [[ " ${FULL:-hello base head} " != *" $name "* ]]; then
		(cd "$dir" && GOTOOLCHAIN=local go build -o "$BIN/$name" "$pkg" && GOTOOLCHAIN=local go build -ldflags='-s -w' -o "$BIN/$name-stripped" "$pkg")
		row "$name" "binary" "$(stat -c %s "$BIN/$name") bytes; stripped $(stat -c %s "$BIN/$name-stripped") bytes" ""
		return
	fi
	local env=(env GOTOOLCHAIN=local GOFLAGS="-modcacherw -buildvcs=false" GOMODCACHE="$mod" GOCACHE="$cache" GOPROXY="$proxy")
	mkdir -p "$mod/cache/download" "$cache"
	t0=$(date +%s%N)
	(cd "$dir" && "${env[@]}" go list -deps "$pkg" >/dev/null)
	t1=$(date +%s%N)
	local zips zipbytes extracted
	zips=$(find "$mod/cache/download" -name '*.zip' | wc -l)
	zipbytes=$(find "$mod/cache/download" -name '*.zip' -printf '%s\n' | awk '{s+=$1} END {print s+0}')
	extracted=$(du -sb --exclude=cache "$mod" | cut -f1)
	(cd "$dir" && "${env[@]}" GOPROXY=off /usr/bin/time -f '%U %S %e' -o "$WORK/time-$name" \
		go build -o "$BIN/$name" "$pkg")
	read -r user sys wall <"$WORK/time-$name"
	(cd "$dir" && "${env[@]}" GOPROXY=off go build -ldflags='-s -w' -o "$BIN/$name-stripped" "$pkg")
	local size ssize
	size=$(stat -c %s "$BIN/$name")
	ssize=$(stat -c %s "$BIN/$name-stripped")
	row "$name" "binary" "$size bytes ($((size / 1048576)) MiB); stripped $ssize bytes ($((ssize / 1048576)) MiB)" ""
	row "$name" "fresh download" "$zips module zips, $((zipbytes / 1048576)) MiB zipped, $((extracted / 1048576)) MiB extracted" "$(((t1 - t0) / 1000000)) ms"
	row "$name" "cold build CPU" "$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.1f s (user %.1f + sys %.1f)", u+s, u, s}')" "wall ${wall} s"
	# go list -m all reads every go.mod of the module graph: counted
	# last, so that those downloads are not in the figures above.
	row "$name" "go list -m all" "$(cd "$dir" && "${env[@]}" go list -m all 2>/dev/null | wc -l) modules" ""
	chmod -R u+w "$mod" 2>/dev/null || true
	rm -rf "$mod" "$cache"
}

# cloud NAME DIR: cloud SDK and go-getter v1 packages linked by the
# library packages.
cloudre='^(github.com/aws/|cloud.google.com/|google.golang.org/(grpc|protobuf|api|genproto)|go.opentelemetry.io/|github.com/hashicorp/go-getter(/helper|$))'
cloud() {
	local n m
	n=$(cd "$2" && GOTOOLCHAIN=local go list -deps ./reporoot ./fetch | grep -cE "$cloudre" || true)
	m=$(cd "$2" && GOTOOLCHAIN=local go list -deps ./reporoot ./fetch | wc -l)
	row "$1" "go list -deps ./reporoot ./fetch" "$n cloud SDK/go-getter v1 packages of $m" ""
}

# inits NAME BIN ARGS...: package initialisers run before main.
inits() {
	local name=$1
	shift
	env -i PATH="$PATH" HOME="$HOME" GODEBUG=inittrace=1 "$@" 2>"$WORK/inittrace-$name" >/dev/null || true
	row "$name" "package inits (inittrace)" "$(grep -c '^init ' "$WORK/inittrace-$name") inits, $(awk '/^init / {s+=$5} END {printf "%.2f", s}' "$WORK/inittrace-$name") ms of clock" ""
}

{
	echo "| what | measurement | value | time |"
	echo "|---|---|---|---|"
} >>"$out"
measure hello "$WORK/hello" .
measure base "$WORK/base" ./cmd/fetch
measure head "$WORK/head" ./cmd/fetch
cloud base "$WORK/base"
cloud head "$WORK/head"
inits hello "$BIN/hello"
inits base "$BIN/base" resolve --root "$WORK/t" github.com/gofetch/fetch
inits head "$BIN/head" resolve --root "$WORK/t" github.com/gofetch/fetch
for b in base head; do
	/usr/bin/time -f '%M' -o "$WORK/rss-$b" env -i PATH="$PATH" HOME="$HOME" "$BIN/$b" resolve --root "$WORK/t" github.com/gofetch/fetch >/dev/null
	row "$b" "peak RSS, fetch resolve" "$(cat "$WORK/rss-$b") KiB" ""
done
cat "$out" >&2

# Start-up, side by side in one run.
clean="env -i PATH=$PATH HOME=$HOME"
bundle=/etc/ssl/certs/ca-certificates.crt
resolve="resolve --root $WORK/t github.com/gofetch/fetch"
HYPERFINE_ARGS=-N compare "$NAME" "${RUNS:-200}" 20 \
	"hello" "true" "$clean $BIN/hello" \
	"hello, SSL_CERT_FILE" "true" "$clean SSL_CERT_FILE=$bundle $BIN/hello" \
	"base fetch resolve" "true" "$clean $BIN/base $resolve" \
	"base fetch resolve, SSL_CERT_FILE" "true" "$clean SSL_CERT_FILE=$bundle $BIN/base $resolve" \
	"head fetch resolve" "true" "$clean $BIN/head $resolve" \
	"head fetch resolve, SSL_CERT_FILE" "true" "$clean SSL_CERT_FILE=$bundle $BIN/head $resolve"
