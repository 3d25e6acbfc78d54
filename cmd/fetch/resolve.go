package main

import (
	"context"
	"os"
	"path/filepath"

	"github.com/gofetch/fetch/internal/vcscache"

	"github.com/gofetch/fetch/detect"
	"github.com/gofetch/fetch/fetch"
	"github.com/urfave/cli/v2"
)

func (c *cliEnv) resolveCommand() *cli.Command {
	return &cli.Command{
		Name:      "resolve",
		Usage:     "say where each source comes from and where it would land; download nothing",
		UsageText: "fetch resolve [flags] SOURCE...",
		Description: "Resolves each source exactly as get would (including go-import discovery over\n" +
			"https) and prints the result, without cloning or downloading anything.\n\n" + sourcesPointer,
		Flags: sourceFlags(false),
		Action: func(cc *cli.Context) error {
			return c.runSources(cc, (*fetch.Client).Resolve)
		},
	}
}

// runSources reads the sources, builds a client, runs op over them and
// reports each result as soon as it and those before it are done: the
// shared body of get and resolve. On a terminal a live area shows what
// each source not yet reported is doing (display.go); results and the
// summary are printed as they would be without it.
func (c *cliEnv) runSources(cc *cli.Context, op func(*fetch.Client, context.Context, []string, fetch.SourceOptions) []fetch.Result) error {
	srcs, origins, err := c.readSources(cc)
	if err != nil {
		return err
	}
	return c.runSourceList(cc, srcs, origins, op)
}

// runSourceList is runSources for sources already read (get --locked
// takes them from the lock file); origins may be nil.
func (c *cliEnv) runSourceList(cc *cli.Context, srcs, origins []string, op func(*fetch.Client, context.Context, []string, fetch.SourceOptions) []fetch.Result) error {
	client, d, err := c.client(cc, srcs)
	if err != nil {
		return err
	}
	p := c.newPrinter(cc.Bool("json"), c.stdout, c.stderr)
	so := c.sourceOptions(cc)
	so.OnResult = p.print
	if d != nil {
		so.OnResult = func(r fetch.Result) {
			d.done(r.Source)
			p.print(r)
		}
		d.start()
		// Erased whatever happens: the end, Ctrl-C (op returns the
		// interrupted results), or a panic on the way out.
		defer d.stop()
	}
	p.origins = origins
	results := op(client, cc.Context, srcs, so)
	if d != nil {
		d.stop() // before the summary, which belongs to the text
	}
	return p.finish(results)
}

// root returns the absolute tree root.
func (c *cliEnv) root(cc *cli.Context) (string, error) {
	root := cc.String("root")
	if root == "" {
		root = fetch.DefaultRoot(c.getenv)
	}
	if root == "" {
		return "", usagef("cannot choose ROOT: set --root, FETCH_ROOT, GOPATH or HOME")
	}
	return filepath.Abs(root)
}

// client builds the library client from the flags, and the live display
// when stderr is a terminal and no trace is asked for.
func (c *cliEnv) client(cc *cli.Context, srcs []string) (*fetch.Client, *display, error) {
	root, err := c.root(cc)
	if err != nil {
		return nil, nil, err
	}
	cacert := cc.String("cacert")
	if cacert == "" {
		cacert = c.getenv("SSL_CERT_FILE")
	}
	lim, err := limits(cc)
	if err != nil {
		return nil, nil, err
	}
	opts := fetch.Options{
		SourceTimeout: cc.Duration("timeout"),
		Limits:        lim,

		Root:       root,
		Insecure:   cc.Bool("insecure"),
		CACertFile: cacert,
		ConnectTo:  cc.StringSlice("connect-to"),
		Getenv:     c.getenv,
		Jobs:       cc.Int("jobs"),
		Proxy:      cc.Bool("proxy"),

		GitCredentialHelper: netrcHelper(c.getenv),
	}
	if !cc.Bool("no-cache") {
		opts.CacheDir = defaultCacheDir(c.getenv)
		opts.Refresh = cc.Bool("refresh")
		opts.RepoCacheDir = vcscache.DefaultDir(c.getenv)
		if opts.RepoCacheMax, err = repoCacheMax(c.getenv); err != nil {
			return nil, nil, err
		}
	}
	var d *display
	if cc.Bool("v") || cc.Bool("x") {
		opts.Trace = newTracePrinter(c.stderr, cc.Bool("v"), cc.Bool("x"), len(srcs) > 1).event
	} else if d = newDisplay(c.stderr, c.getenv, redactAll(srcs)); d != nil {
		opts.Progress = d.step
	}
	client, err := fetch.New(opts)
	if err != nil {
		return nil, nil, usagef("%v", err)
	}
	return client, d, nil
}

// redactAll returns the sources as the library names them in steps and
// results (credentials redacted).
func redactAll(srcs []string) []string {
	out := make([]string, len(srcs))
	for i, s := range srcs {
		out[i] = detect.Redact(s)
	}
	return out
}

func (c *cliEnv) sourceOptions(cc *cli.Context) fetch.SourceOptions {
	return fetch.SourceOptions{
		Ref:    cc.String("ref"),
		Depth:  cc.Int("depth"),
		Dest:   cc.String("dest"),
		Update: cc.Bool("update"),
		DryRun: cc.Bool("dry-run"),
	}
}

// defaultCacheDir returns the discovery cache directory from the
// environment: $FETCH_CACHE, else fetch/meta in the user's cache directory
// (os.UserCacheDir). It returns "" when FETCH_CACHE is "off" or no cache
// directory is known.
func defaultCacheDir(getenv func(string) string) string {
	if getenv == nil {
		getenv = os.Getenv
	}
	switch dir := getenv("FETCH_CACHE"); dir {
	case "off":
		return ""
	case "":
	default:
		return dir
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(base, "fetch", "meta")
}
