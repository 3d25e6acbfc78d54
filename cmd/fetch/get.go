package main

import (
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
			&cli.StringFlag{Name: "lock", Usage: "when every source succeeded, write what each resolved to and its content hash to the lock file `FILE`", TakesFile: true},
			&cli.StringFlag{Name: "locked", Usage: "fetch the sources of the lock file `FILE`, each at exactly its locked commit, and verify them", TakesFile: true},
			&cli.BoolFlag{Name: "relock", Usage: "with --locked: fetch the lock's sources as they are now (no pins) and write the lock file again"},
		),
		Action: func(cc *cli.Context) error {
			return c.runGet(cc)
		},
	}
}
