package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"
)

// defaultCommand runs when the first word of the command line is not a
// command: `fetch example.org/x` means `fetch get example.org/x`.
const defaultCommand = "get"

// arrange turns a command line into the one urfave parses: the command
// word first, then every flag (those typed before the command word too),
// then the arguments. It returns that line and the command's name.
//
// A word that names a command is the command wherever the flags put it:
// `fetch --json resolve X` and `fetch -v resolve X` resolve X, they never
// fetch "resolve". A first word that is not a command but looks like a
// mistyped one (`rsolve`) is refused, so a typo never fetches the sources
// after it. -h and --help anywhere (before --) ask for the command's help;
// --version before the command word asks for the version. Every flag is
// checked against the command's own, so a flag of another command is
// named as such instead of parsed as something else.
func arrange(app *cli.App, args []string) (argv []string, command string, err error) {
	valued := flagTable(app.Commands)
	var pre []string
	help, version := false, false
	i := 1
scan:
	for ; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			break scan
		case !isFlag(a):
			break scan
		}
		switch name, _, hasValue := splitFlag(a); {
		case name == "h" || name == "help":
			help = true
		case name == "version" && !hasValue:
			version = true
		default:
			pre = append(pre, a)
			if valued[name] && !hasValue && i+1 < len(args) {
				i++
				pre = append(pre, args[i])
			}
		}
	}
	command = defaultCommand
	rest := args[i:]
	explicit := false
	if i < len(args) && args[i] != "--" {
		if cmd := app.Command(args[i]); cmd != nil {
			command, rest, explicit = cmd.Name, args[i+1:], true
		} else if err := notACommand(app, args[i]); err != nil {
			return nil, "", &usageError{msg: err.Error(), command: ""}
		}
	}
	switch {
	case version && !explicit && len(pre) == 0:
		return []string{args[0], "version"}, "version", nil
	case version:
		return nil, command, &usageError{msg: "--version goes alone: fetch --version, or fetch version", command: "version"}
	}
	cmd := app.Command(command)
	if command == "help" {
		pre = nil // `fetch --json help get` is still help for get
	}
	all := append(pre, rest...)
	if help || hasHelpFlag(all, valued) {
		if !explicit && len(rest) == 0 {
			return []string{args[0], "help"}, "help", nil // fetch --help
		}
		return []string{args[0], "help", command}, "help", nil
	}
	if err := checkFlags(app, cmd, all, valued); err != nil {
		return nil, command, err
	}
	argv = append([]string{args[0], command}, flagsFirst(all, cmd.Flags)...)
	return argv, command, nil
}

// isFlag reports whether a command-line word is a flag: "-" alone is an
// argument (standard input for -f).
func isFlag(a string) bool { return len(a) > 1 && a[0] == '-' }

// splitFlag splits "--name=value" into its name and value.
func splitFlag(a string) (name, value string, hasValue bool) {
	return strings.Cut(strings.TrimLeft(a, "-"), "=")
}

// flagTable maps every flag name of every command to whether it takes a
// value, so the words before the command word can be told apart: in
// `fetch --root R list`, R is --root's value, list the command.
func flagTable(cmds []*cli.Command) map[string]bool {
	valued := map[string]bool{}
	for _, cmd := range cmds {
		for _, f := range cmd.Flags {
			_, isBool := f.(*cli.BoolFlag)
			for _, n := range f.Names() {
				valued[n] = valued[n] || !isBool
			}
		}
	}
	return valued
}

// hasHelpFlag reports whether -h or --help is among the flags (before --).
func hasHelpFlag(args []string, valued map[string]bool) bool {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return false
		}
		if !isFlag(a) {
			continue
		}
		name, _, hasValue := splitFlag(a)
		if name == "h" || name == "help" {
			return true
		}
		if valued[name] && !hasValue {
			i++
		}
	}
	return false
}

// checkFlags refuses a flag the command does not define, naming the
// commands that do.
func checkFlags(app *cli.App, cmd *cli.Command, args []string, valued map[string]bool) error {
	own := map[string]bool{}
	for _, f := range cmd.Flags {
		for _, n := range f.Names() {
			own[n] = true
		}
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return nil
		}
		if !isFlag(a) {
			continue
		}
		name, _, hasValue := splitFlag(a)
		flag, _, _ := strings.Cut(a, "=")
		if own[name] {
			if valued[name] && !hasValue {
				if i+1 == len(args) || args[i+1] == "--" {
					return usagef("%s needs a value", flag)
				}
				i++
			}
			continue
		}
		if others := commandsWithFlag(app, name); len(others) > 0 {
			return usagef("%s does not take %s (a flag of %s)", cmd.Name, flag, strings.Join(others, ", "))
		}
		return usagef("%s: unknown flag %s", cmd.Name, flag)
	}
	return nil
}

// commandsWithFlag lists the visible commands that define a flag.
func commandsWithFlag(app *cli.App, name string) []string {
	var out []string
	for _, cmd := range app.Commands {
		if cmd.Hidden {
			continue
		}
		for _, f := range cmd.Flags {
			if hasName(f, name) && visible(f) {
				out = append(out, cmd.Name)
				break
			}
		}
	}
	return out
}

func hasName(f cli.Flag, name string) bool {
	for _, n := range f.Names() {
		if n == name {
			return true
		}
	}
	return false
}

// visible reports whether a flag is listed in help.
func visible(f cli.Flag) bool {
	v, ok := f.(cli.VisibleFlag)
	return !ok || v.IsVisible()
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
		if !isFlag(a) {
			pos = append(pos, a)
			continue
		}
		name, _, hasValue := splitFlag(a)
		fl = append(fl, a)
		if known[name] && takesValue[name] && !hasValue && i+1 < len(args) {
			i++
			fl = append(fl, args[i])
		}
	}
	return append(fl, pos...)
}

// notACommand returns an error when word, given where a source may stand,
// is a command's name or looks like a mistyped one: a word with no dot,
// slash, colon or @ (so neither an import path, a URL, a local path nor
// an scp-style address: it could never be fetched) that is a prefix of a
// command or within two edits of one.
func notACommand(app *cli.App, word string) error {
	if cmd := app.Command(word); cmd != nil {
		return fmt.Errorf("%q is a command, not a source: put the command first (fetch %s ...)", word, cmd.Name)
	}
	if word == "" || strings.ContainsAny(word, "./:@\\~") || strings.HasPrefix(word, "-") {
		return nil
	}
	if near := nearCommands(app, word); len(near) > 0 {
		return fmt.Errorf("unknown command %q; did you mean %s?", word, strings.Join(near, " or "))
	}
	return nil
}

// nearCommands returns the visible commands word may be a typo of: those
// it is a prefix of, else those at the smallest Damerau-Levenshtein
// distance when that is at most 2 (1 for a word of one or two letters).
func nearCommands(app *cli.App, word string) []string {
	w := strings.ToLower(word)
	var prefixed []string
	best, bestDist := []string(nil), 3
	for _, cmd := range app.Commands {
		if cmd.Hidden {
			continue
		}
		if strings.HasPrefix(cmd.Name, w) {
			prefixed = append(prefixed, cmd.Name)
			continue
		}
		d := editDistance(w, cmd.Name)
		if len(w) <= 2 && d > 1 {
			continue
		}
		switch {
		case d < bestDist:
			best, bestDist = []string{cmd.Name}, d
		case d == bestDist:
			best = append(best, cmd.Name)
		}
	}
	if len(prefixed) > 0 {
		sort.Strings(prefixed)
		return prefixed
	}
	sort.Strings(best)
	return best
}

// editDistance is the optimal string alignment (restricted
// Damerau-Levenshtein) distance: insertions, deletions, substitutions and
// transpositions of adjacent letters each count one.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
