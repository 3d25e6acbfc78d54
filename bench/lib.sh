# lib.sh: what the bench/*.sh scripts share. Source it; do not run it.
#
# It builds fetch and benchbed, starts and stops the test bed, installs
# hyperfine and GNU time when it can (Debian packages), and runs commands
# side by side with hyperfine, or with a plain timing loop without it.
# Results go to $BENCH_OUT (default bench/results), one file per script.

set -euo pipefail

BENCH_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_OUT=${BENCH_OUT:-$BENCH_SRC/bench/results}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fetch-bench.XXXXXX")
BIN=$WORK/bin
BED_PID=

cleanup() {
	if [ -n "$BED_PID" ]; then
		kill "$BED_PID" 2>/dev/null || true
		wait "$BED_PID" 2>/dev/null || true
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '%s\n' "$*" >&2; }

# install_pkg PROGRAM PACKAGE: install a missing Debian package when we
# are root with apt-get; succeed only if PROGRAM then exists.
install_pkg() {
	command -v "$1" >/dev/null 2>&1 && return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		say "installing $2 (Debian package) for $1"
		{ apt-get install -y -qq "$2" || { apt-get update -qq && apt-get install -y -qq "$2"; }; } >/dev/null 2>&1 || true
	fi
	command -v "$1" >/dev/null 2>&1
}

# build: fetch and benchbed from this checkout, with the local toolchain.
build() {
	mkdir -p "$BIN" "$BENCH_OUT"
	(cd "$BENCH_SRC" && GOTOOLCHAIN=local go build -o "$BIN/fetch" ./cmd/fetch &&
		GOTOOLCHAIN=local go build -o "$BIN/benchbed" ./bench/cmd/benchbed)
	install_pkg git git || { say "git is required (Debian package git)"; exit 1; }
	install_pkg hyperfine hyperfine || say "hyperfine not available: timing with a plain loop instead"
	# A clean home: no user git config, netrc or credential helpers take
	# part. No proxies, and no CA settings but the bed's (a CA directory
	# would make every Go program parse it at start).
	export HOME=$WORK/home GIT_TERMINAL_PROMPT=0
	mkdir -p "$HOME"
	unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY \
		FETCH_ROOT GOPATH NETRC SSL_CERT_FILE SSL_CERT_DIR GIT_SSL_CAINFO GIT_SSL_CAPATH CURL_CA_BUNDLE
}

# start_bed ARGS...: run benchbed in the background with ARGS and load
# the variables it writes once it is up (BENCH_*, SSL_CERT_FILE, ...).
start_bed() {
	"$BIN/benchbed" -dir "$WORK/bed" "$@" >"$WORK/benchbed.log" 2>&1 &
	BED_PID=$!
	while [ ! -f "$WORK/bed/env.sh" ]; do
		if ! kill -0 "$BED_PID" 2>/dev/null; then
			cat "$WORK/benchbed.log" >&2
			say "benchbed did not start"
			exit 1
		fi
		sleep 0.1
	done
	# shellcheck disable=SC1091
	. "$WORK/bed/env.sh"
}

# machine NAME: record what the figures were measured on.
machine() {
	{
		echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
		echo "nproc:   $(nproc)"
		echo "model:   $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
		echo "memory:  $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
		echo "kernel:  $(uname -r)"
		echo "go:      $(GOTOOLCHAIN=local go version)"
		echo "git:     $(git --version)"
		echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min, at the start)"
	} >"$BENCH_OUT/$1.machine.txt"
	cat "$BENCH_OUT/$1.machine.txt" >&2
}

# compare NAME RUNS WARMUP [LABEL PREPARE COMMAND]...: time the commands
# side by side (shell command strings; PREPARE runs before each run,
# untimed). HYPERFINE_ARGS adds options (-N for programs run without a
# shell). Writes $BENCH_OUT/NAME.md (and .json with hyperfine).
compare() {
	local name=$1 runs=$2 warmup=$3
	shift 3
	if command -v hyperfine >/dev/null 2>&1; then
		local args=(--runs "$runs" --warmup "$warmup" --export-markdown "$BENCH_OUT/$name.md" --export-json "$BENCH_OUT/$name.json")
		local cmds=()
		while [ $# -gt 0 ]; do
			args+=(--command-name "$1" --prepare "$2")
			cmds+=("$3")
			shift 3
		done
		# shellcheck disable=SC2086
		hyperfine ${HYPERFINE_ARGS:-} "${args[@]}" "${cmds[@]}"
		return
	fi
	{
		echo "| Command | Mean [ms] | Min [ms] | Max [ms] |"
		echo "|:---|---:|---:|---:|"
	} >"$BENCH_OUT/$name.md"
	while [ $# -gt 0 ]; do
		local label=$1 prep=$2 cmd=$3 i t0 t1 ms sum=0 lo= hi=0
		shift 3
		for ((i = 0; i < warmup; i++)); do eval "$prep"; eval "$cmd" >/dev/null 2>&1; done
		for ((i = 0; i < runs; i++)); do
			eval "$prep"
			t0=$(date +%s%N)
			eval "$cmd" >/dev/null 2>&1
			t1=$(date +%s%N)
			ms=$(((t1 - t0) / 1000000))
			sum=$((sum + ms))
			[ -z "$lo" ] || [ "$ms" -lt "$lo" ] && lo=$ms
			[ "$ms" -gt "$hi" ] && hi=$ms
		done
		echo "| \`$label\` | $((sum / runs)) | $lo | $hi |" >>"$BENCH_OUT/$name.md"
	done
	cat "$BENCH_OUT/$name.md"
}
