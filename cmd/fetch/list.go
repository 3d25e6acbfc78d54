package main

import (
	"encoding/json"
	"fmt"

	"github.com/gofetch/fetch/fetch"
	"github.com/urfave/cli/v2"
)

func (c *cliEnv) listCommand() *cli.Command {
	return &cli.Command{
		Name:      "list",
		Usage:     "list the checkouts in the tree",
		UsageText: "fetch list [flags] [PATTERN]",
		Description: "Walks ROOT/src and prints the path of every checkout (a directory holding\n" +
			".git, .hg, .svn, .bzr or a fossil checkout), without descending into it.\n" +
			"PATTERN keeps paths containing it; a pattern with ... is matched like the Go\n" +
			"command's package patterns (golang.org/x/...).",
		Flags: []cli.Flag{
			rootFlag(),
			jsonFlag("print one JSON object per checkout on stdout"),
			&cli.BoolFlag{Name: "full-path", Aliases: []string{"p"}, Usage: "print absolute directories"},
			&cli.StringFlag{Name: "lock", Usage: "write a lock file `FILE` for the checkouts listed (their commits and content hashes), for fetch get --locked", TakesFile: true},
		},
		Action: func(cc *cli.Context) error {
			if cc.NArg() > 1 {
				return usagef("list takes at most one PATTERN, but was given %d arguments", cc.NArg())
			}
			root, err := c.root(cc)
			if err != nil {
				return err
			}
			checkouts, err := fetch.List(root, cc.Args().First())
			if err != nil {
				return err
			}
			if file := cc.String("lock"); file != "" {
				if err := c.listLock(cc, file, cc.Args().First()); err != nil {
					return err
				}
			}
			enc := json.NewEncoder(c.stdout)
			enc.SetEscapeHTML(false)
			for _, co := range checkouts {
				switch {
				case cc.Bool("json"):
					if err := enc.Encode(co); err != nil {
						return err
					}
				case cc.Bool("full-path"):
					fmt.Fprintln(c.stdout, co.Dir)
				default:
					fmt.Fprintln(c.stdout, co.Path)
				}
			}
			return nil
		},
	}
}
