package main

import (
	"os"
	"strings"

	"github.com/gofetch/fetch/internal/netrc"
	"github.com/urfave/cli/v2"
)

// credentialCommand is the credential helper fetch hands to git (see
// netrcHelper): git runs it as "fetch credential-netrc --netrc FILE
// ACTION" with the request on stdin. It is hidden because people do not
// run it; git does.
func (c *cliEnv) credentialCommand() *cli.Command {
	return &cli.Command{
		Name:      "credential-netrc",
		Hidden:    true,
		Usage:     "answer git's credential requests from a netrc file (run by git)",
		UsageText: "fetch credential-netrc --netrc FILE get|store|erase",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "netrc", Usage: "the netrc `FILE` (required)", TakesFile: true},
		},
		Action: func(cc *cli.Context) error {
			if cc.String("netrc") == "" {
				return usagef("credential-netrc needs --netrc FILE")
			}
			if cc.NArg() != 1 {
				return usagef("credential-netrc takes one action (get, store or erase), not %d arguments", cc.NArg())
			}
			entries, err := netrc.Read(cc.String("netrc"))
			if err != nil {
				return err
			}
			return netrc.GitCredential(cc.Args().First(), entries, c.stdin, c.stdout)
		},
	}
}

// netrcHelper returns the credential.helper value that makes git ask this
// fetch binary for netrc logins, or "" when there is no netrc file to
// read or fetch cannot name its own binary. Only the file's name is on
// the command line; the logins travel over the helper's stdout, to git.
func netrcHelper(getenv func(string) string) string {
	file := netrc.File("", getenv)
	if file == "" {
		return ""
	}
	if _, err := os.Stat(file); err != nil {
		return ""
	}
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	// git runs a helper that starts with "!" through the shell and appends
	// the action.
	return "!" + shellQuote(exe) + " credential-netrc --netrc " + shellQuote(file)
}

// shellQuote quotes s for sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
