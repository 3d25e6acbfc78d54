package main

import (
	"os"
	"strings"

	"github.com/gofetch/fetch/internal/goauth"
	"github.com/gofetch/fetch/internal/goenv"
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
// fetch binary for the logins fetch's own https requests send, as GOAUTH
// chooses them (read with the Go environment file behind the process
// environment): unset or "netrc", the netrc file (credential-netrc);
// "off", none; "git DIR" alone, none either (git asks its own helpers
// anyway); anything else (a command, or several methods), what GOAUTH
// gives (credential-goauth). It is "" when there is nothing to answer
// from or fetch cannot name its own binary. Only file names are on the
// command line; the logins travel over the helper's stdout, to git.
func netrcHelper(getenv func(string) string) string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	file := netrc.File("", getenv)
	if file != "" {
		if _, err := os.Stat(file); err != nil {
			file = ""
		}
	}
	switch kind := goauthKind(goenv.Lookup(getenv)("GOAUTH")); {
	case kind == "netrc" && file != "":
		// git runs a helper that starts with "!" through the shell and
		// appends the action.
		return "!" + shellQuote(exe) + " credential-netrc --netrc " + shellQuote(file)
	case kind == "goauth":
		h := "!" + shellQuote(exe) + " credential-goauth"
		if file != "" {
			h += " --netrc " + shellQuote(file)
		}
		return h
	}
	return ""
}

// goauthKind sorts a GOAUTH value: "netrc" (unset, or netrc alone),
// "none" (off, or git DIR alone: nothing for fetch's helper to add), or
// "goauth" (a command, or several methods).
func goauthKind(goauth string) string {
	var kinds []string
	for m := range strings.SplitSeq(goauth, ";") {
		if w := strings.Fields(m); len(w) > 0 {
			kinds = append(kinds, w[0])
		}
	}
	switch {
	case len(kinds) == 0, len(kinds) == 1 && kinds[0] == "netrc":
		return "netrc"
	case len(kinds) == 1 && (kinds[0] == "off" || kinds[0] == "git"):
		return "none"
	}
	return "goauth"
}

// credentialGOAUTHCommand is the credential helper fetch hands to git
// when GOAUTH names more than the netrc file: git runs it as "fetch
// credential-goauth [--netrc FILE] ACTION" with the request on stdin, and
// it answers with what GOAUTH gives the URL (see goauth.GitCredential).
func (c *cliEnv) credentialGOAUTHCommand() *cli.Command {
	return &cli.Command{
		Name:      "credential-goauth",
		Hidden:    true,
		Usage:     "answer git's credential requests from GOAUTH (run by git)",
		UsageText: "fetch credential-goauth [--netrc FILE] get|store|erase",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "netrc", Usage: "the netrc `FILE` GOAUTH's netrc method reads", TakesFile: true},
		},
		Action: func(cc *cli.Context) error {
			if cc.NArg() != 1 {
				return usagef("credential-goauth takes one action (get, store or erase), not %d arguments", cc.NArg())
			}
			a, err := goauth.New(goenv.Lookup(c.getenv)("GOAUTH"), cc.String("netrc"))
			if err != nil {
				return err
			}
			return a.GitCredential(cc.Context, cc.Args().First(), c.stdin, c.stdout)
		},
	}
}

// shellQuote quotes s for sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
