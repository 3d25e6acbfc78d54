#!/usr/bin/env bash
# Benchmark 3: metaparse throughput (BenchmarkParse: a 2000-tag head) and
# its flat cost in body size (BenchmarkParseBodySize: the same head before
# a 1 KiB and a 100 MiB body; body-B/op is how much of the body was read).
. "$(dirname "$0")/lib.sh"
mkdir -p "$BENCH_OUT"
machine metaparse
(cd "$BENCH_SRC" && GOTOOLCHAIN=local go test -run '^$' -bench 'BenchmarkParse' -benchmem -count "${COUNT:-5}" ./metaparse) |
	tee "$BENCH_OUT/metaparse.txt"
