package main

import (
	"context"
	"path/filepath"

	"github.com/gofetch/fetch/fetch"
	"github.com/urfave/cli/v2"
)

func (c *cliEnv) resolveCommand() *cli.Command {
	return &cli.Command{
		Name:      "resolve",
		Usage:     "say where each source comes from and where it would land; download nothing",
		UsageText: "fetch resolve [flags] SOURCE...",
		Description: "Resolves each source exactly as get would (including go-import discovery over\n" +
			"https) and prints the result, without cloning or downloading anything.\n\n" + sourcesHelp,
		Flags: sourceFlags(),
		Action: func(cc *cli.Context) error {
			return c.runSources(cc, (*fetch.Client).Resolve)
		},
	}
}

// runSources reads the sources, builds a client, runs op over them and
// reports each result as soon as it and those before it are done: the
// shared body of get and resolve.
func (c *cliEnv) runSources(cc *cli.Context, op func(*fetch.Client, context.Context, []string, fetch.SourceOptions) []fetch.Result) error {
	srcs, err := c.readSources(cc)
	if err != nil {
		return err
	}
	client, err := c.client(cc, len(srcs))
	if err != nil {
		return err
	}
	p := c.newPrinter(cc.Bool("json"), c.stdout, c.stderr)
	so := c.sourceOptions(cc)
	so.OnResult = p.print
	if pr := c.progress; pr != nil {
		if isTerminal(c.stdout) {
			// Same screen: print results above the live lines.
			p = c.newPrinter(cc.Bool("json"), pr, pr)
		} else {
			p.errw = pr
		}
		so.OnResult = func(r fetch.Result) {
			pr.done(r.Source)
			p.print(r)
		}
	}
	results := op(client, cc.Context, srcs, so)
	if c.progress != nil {
		c.progress.stop()
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

// client builds the library client from the flags.
func (c *cliEnv) client(cc *cli.Context, nsources int) (*fetch.Client, error) {
	root, err := c.root(cc)
	if err != nil {
		return nil, err
	}
	cacert := cc.String("cacert")
	if cacert == "" {
		cacert = c.getenv("SSL_CERT_FILE")
	}
	lim, err := limits(cc)
	if err != nil {
		return nil, err
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

		GitCredentialHelper: netrcHelper(c.getenv),
	}
	if !cc.Bool("no-cache") {
		opts.CacheDir = fetch.DefaultCacheDir(c.getenv)
		opts.Refresh = cc.Bool("refresh")
	}
	switch {
	case cc.Bool("v") || cc.Bool("x"):
		opts.Trace = newTracePrinter(c.stderr, cc.Bool("v"), cc.Bool("x"), nsources > 1).event
	case isTerminal(c.stderr) && c.getenv("TERM") != "dumb":
		c.progress = newProgress(c.stderr)
		opts.Progress = c.progress.bytes
		opts.Status = c.progress.status
	}
	client, err := fetch.New(opts)
	if err != nil {
		return nil, usagef("%v", err)
	}
	return client, nil
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
