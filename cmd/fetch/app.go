package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "devel"

// cliEnv is what a run of the command sees of the outside world.
type cliEnv struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

func newCLI(stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) *cliEnv {
	return &cliEnv{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
}

// usageError marks errors that exit with status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// exitError carries a non-zero exit status whose message was already printed.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

func (c *cliEnv) app() *cli.App {
	app := &cli.App{
		Name:    "fetch",
		Usage:   "fetch Go import paths and go-getter sources into a GOPATH-style tree",
		Version: version,
		UsageText: "fetch [get] [flags] SOURCE...\n" +
			"fetch resolve [flags] SOURCE...\n" +
			"fetch doctor [flags] IMPORTPATH\n" +
			"fetch list [--json] [PATTERN]\n" +
			"fetch root",
		Description:               sourcesHelp,
		Reader:                    c.stdin,
		Writer:                    c.stdout,
		ErrWriter:                 c.stderr,
		HideHelpCommand:           true,
		DisableSliceFlagSeparator: true,
		Suggest:                   true,
		ExitErrHandler:            func(*cli.Context, error) {}, // run decides the status
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return usagef("%v", err)
		},
		Commands: []*cli.Command{
			c.getCommand(),
			c.resolveCommand(),
			c.doctorCommand(),
			c.listCommand(),
			c.rootCommand(),
			c.credentialCommand(),
		},
	}
	for _, cmd := range app.Commands {
		cmd.OnUsageError = app.OnUsageError
	}
	return app
}

// run runs the command line and returns the exit status.
func (c *cliEnv) run(ctx context.Context, args []string) int {
	args = withDefaultCommand(args)
	app := c.app()
	if len(args) > 2 {
		if cmd := app.Command(args[1]); cmd != nil {
			args = append(args[:2:2], flagsFirst(args[2:], cmd.Flags)...)
		}
	}
	err := app.RunContext(ctx, args)
	var ue *usageError
	var ee *exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &ue):
		fmt.Fprintf(c.stderr, "fetch: %s\nRun 'fetch --help' for usage.\n", oneLine(ue.msg))
		return 2
	case strings.Contains(err.Error(), "flag provided but not defined"),
		strings.Contains(err.Error(), "invalid value"):
		fmt.Fprintf(c.stderr, "fetch: %s\nRun 'fetch --help' for usage.\n", oneLine(err.Error()))
		return 2
	default:
		fmt.Fprintf(c.stderr, "fetch: %s\n", oneLine(err.Error()))
		return 1
	}
}

// oneLine folds a multi-line message (such as the Go command's
// "server response:" detail) onto one line, so every error is one line.
func oneLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.Join(lines, " ")
}
