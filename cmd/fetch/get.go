package main

import (
	"github.com/gofetch/fetch/fetch"
	"github.com/urfave/cli/v2"
)

func (c *cliEnv) getCommand() *cli.Command {
	return &cli.Command{
		Name:      "get",
		Usage:     "fetch sources into the tree",
		UsageText: "fetch [get] [flags] SOURCE...",
		Description: "Resolves each source and fetches it into ROOT/src/<path>: a checkout for\n" +
			"version control sources, the unpacked file or archive for the others.\n" +
			"An existing checkout is left alone (status exists) unless -u is given, which\n" +
			"updates it fast-forward only; local changes are never discarded.\n\n" + sourcesPointer,
		Flags: append(sourceFlags(true),
			&cli.BoolFlag{Name: "dry-run", Usage: "say what would be cloned, updated or left alone; change nothing"},
		),
		Action: func(cc *cli.Context) error {
			return c.runSources(cc, (*fetch.Client).Get)
		},
	}
}
