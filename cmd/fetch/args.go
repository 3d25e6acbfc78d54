package main

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// commandNames are the subcommands; anything else in first position means
// the default command, get.
var commandNames = map[string]bool{
	"get": true, "resolve": true, "doctor": true, "list": true, "root": true, "help": true, "h": true,
	"credential-netrc": true,
}

// withDefaultCommand inserts "get" when the first argument is not a
// command, so `fetch -u example.org/x` means `fetch get -u example.org/x`.
func withDefaultCommand(args []string) []string {
	if len(args) < 2 {
		return args
	}
	first := args[1]
	switch {
	case commandNames[first]:
		return args
	case first == "-h" || first == "--help" || first == "-help" || first == "--version" || first == "-version":
		return args
	}
	out := append([]string{args[0], "get"}, args[1:]...)
	return out
}

// flagsFirst moves flags that follow positional arguments in front of them,
// because the standard flag parser stops at the first non-flag and users
// type `fetch resolve example.org/x --json`. A bare "--" ends flag parsing
// and is kept, so a source that starts with "-" can still be given after it.
func flagsFirst(args []string, flags []cli.Flag) []string {
	takesValue := map[string]bool{}
	known := map[string]bool{}
	for _, f := range flags {
		_, isBool := f.(*cli.BoolFlag)
		for _, n := range f.Names() {
			known[n] = true
			takesValue[n] = !isBool
		}
	}
	var fl, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			pos = append(pos, a)
			continue
		}
		name := strings.TrimLeft(a, "-")
		hasValue := strings.Contains(name, "=")
		name, _, _ = strings.Cut(name, "=")
		fl = append(fl, a)
		if known[name] && takesValue[name] && !hasValue && i+1 < len(args) {
			i++
			fl = append(fl, args[i])
		}
	}
	return append(fl, pos...)
}
