#!/usr/bin/env bash
# Benchmark 5: start-up. `fetch resolve` of a known-host path (no network:
# github.com is in the static table), the whole process, in a clean
# environment. Goal: at most 20 ms. For comparison: the same with
# SSL_CERT_FILE naming the system bundle, as some machines set it, and
# `fetch root`, the least a fetch process does.
. "$(dirname "$0")/lib.sh"
build
machine startup
clean="env -i PATH=$PATH HOME=$HOME"
bundle=/etc/ssl/certs/ca-certificates.crt
HYPERFINE_ARGS=-N compare startup "${RUNS:-200}" 20 \
	"fetch resolve" "true" "$clean $BIN/fetch resolve --root $WORK/t github.com/gofetch/fetch" \
	"fetch resolve, SSL_CERT_FILE set" "true" "$clean SSL_CERT_FILE=$bundle $BIN/fetch resolve --root $WORK/t github.com/gofetch/fetch" \
	"fetch root" "true" "$clean $BIN/fetch root --root $WORK/t"
