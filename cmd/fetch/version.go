package main

import (
	"fmt"
	"runtime"

	"github.com/gofetch/fetch/fetch"
	"github.com/urfave/cli/v2"
)

func (c *cliEnv) versionCommand() *cli.Command {
	return &cli.Command{
		Name:      "version",
		Usage:     "print fetch's version",
		UsageText: "fetch version",
		Description: "Prints the version this binary was built from: the release (v1.2.3) of a\n" +
			"`go install ...@v1.2.3` build, the version control revision of a build from\n" +
			"a checkout (+dirty when it had uncommitted changes), or devel. The\n" +
			"User-Agent fetch sends names the same version. fetch --version is the same.",
		Action: func(cc *cli.Context) error {
			if err := noArgs(cc); err != nil {
				return err
			}
			fmt.Fprintf(c.stdout, "fetch %s %s %s/%s\n", fetch.BuildVersion(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		},
	}
}
