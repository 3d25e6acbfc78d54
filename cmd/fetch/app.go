package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/gofetch/fetch/internal/termtext"
)

// cliEnv is what a run of the command sees of the outside world.
type cliEnv struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

func newCLI(stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) *cliEnv {
	return &cliEnv{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
}

// usageError marks errors that exit with status 2: the command line is
// wrong, and nothing was done.
type usageError struct {
	msg string
	// command is the command whose help the message points to ("" for
	// the overview); inherit means the command being run.
	command string
	inherit bool
}

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...), inherit: true}
}

// exitError carries a non-zero exit status whose message was already printed.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// commands are fetch's commands, in the order help lists them.
func (c *cliEnv) commands() []*cli.Command {
	return []*cli.Command{
		c.getCommand(),
		c.resolveCommand(),
		c.doctorCommand(),
		c.listCommand(),
		c.verifyCommand(),
		c.rootCommand(),
		c.cacheCommand(),
		c.helpCommand(),
		c.versionCommand(),
		c.completionCommand(),
		c.manCommand(),
		c.credentialCommand(),
		c.credentialGOAUTHCommand(),
		completeCommand(),
	}
}

// app is the command line's definition: help, the man page and the
// shell completion are all generated from it.
func (c *cliEnv) app() *cli.App {
	app := &cli.App{
		Name:                      "fetch",
		Usage:                     "fetch Go import paths and go-getter sources into a GOPATH-style tree",
		Reader:                    c.stdin,
		Writer:                    c.stdout,
		ErrWriter:                 c.stderr,
		HideHelp:                  true, // help, -h and --help are fetch's own (help.go)
		HideHelpCommand:           true,
		HideVersion:               true, // --version is arranged into the version command
		DisableSliceFlagSeparator: true,
		ExitErrHandler:            func(*cli.Context, error) {}, // run decides the status
		Commands:                  c.commands(),
	}
	for _, cmd := range app.Commands {
		cmd.HideHelp = true
		cmd.OnUsageError = func(_ *cli.Context, err error, _ bool) error {
			// The flag package's parse errors ("invalid value ... for
			// flag -depth", "flag needs an argument") are usage errors.
			return &usageError{msg: err.Error(), inherit: true}
		}
	}
	return app
}

// run runs the command line and returns the exit status.
func (c *cliEnv) run(ctx context.Context, args []string) int {
	app := c.app()
	if len(args) < 2 {
		// A bare "fetch": the overview, as an error, since nothing was asked.
		writeAppHelp(c.stderr, app)
		return 2
	}
	if args[1] == completeCommandName {
		// The shells' entry point takes the words as typed, flags and all.
		return c.complete(app, args[2:])
	}
	argv, command, err := arrange(app, args)
	if err == nil {
		err = app.RunContext(ctx, argv)
	}
	var ue *usageError
	var ee *exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &ue):
		if ue.inherit {
			ue.command = command
		}
		hint := "Run 'fetch help' for usage."
		if ue.command != "" {
			hint = "Run 'fetch help " + ue.command + "' for usage."
		}
		fmt.Fprintf(c.stderr, "fetch: %s\n%s\n", oneLine(ue.msg), hint)
		return 2
	default:
		fmt.Fprintf(c.stderr, "fetch: %s\n", oneLine(err.Error()))
		return 1
	}
}

// oneLine folds a multi-line message (such as the Go command's
// "server response:" detail) onto one line, so every error is one line,
// and escapes what is not printable (a server's ESC sequences, C1
// controls, bidirectional overrides) so it cannot drive the terminal.
func oneLine(s string) string {
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\t", " ").Replace(s)
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return termtext.Printable(strings.Join(lines, " "))
}
