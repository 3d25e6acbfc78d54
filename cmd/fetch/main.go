// Command fetch resolves Go import paths (with go-import discovery, exactly
// as the Go command does it) and go-getter style sources, and fetches them
// into a GOPATH-style tree. Run `fetch --help` for the source grammar.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	os.Exit(run())
}

// run is main without os.Exit, so testscript can call it in-process.
func run() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code := newCLI(os.Stdin, os.Stdout, os.Stderr, os.Getenv).run(ctx, os.Args)
	if ctx.Err() != nil && code != 0 {
		// Interrupted: children were stopped and temporaries removed on
		// the way out; 130 is the conventional status for SIGINT.
		fmt.Fprintln(os.Stderr, "fetch: interrupted")
		return 130
	}
	return code
}
