package main

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gofetch/fetch/fetch"
	"github.com/urfave/cli/v2"
)

// completeCommandName is the hidden entry point the completion scripts
// call with the words typed so far: `fetch __complete list exa` prints
// the candidates for the last word, one per line. No candidates means the
// shell completes file names.
const completeCommandName = "__complete"

// completionScripts are the scripts `fetch completion SHELL` prints. Each
// asks fetch itself for the candidates, so commands, flags and checkouts
// are always those of the installed fetch and of the tree.
var completionScripts = map[string]string{
	"bash": `# bash completion for fetch.
# Load it with:  source <(fetch completion bash)
# or install it: fetch completion bash > /etc/bash_completion.d/fetch
_fetch_complete() {
	local IFS=$'\n'
	COMPREPLY=($(command fetch __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _fetch_complete fetch
`,
	"zsh": `#compdef fetch
# zsh completion for fetch.
# Load it with:  source <(fetch completion zsh)   (after compinit)
# or install it: fetch completion zsh > "${fpath[1]}/_fetch"
_fetch() {
	local -a cands
	cands=("${(@f)$(command fetch __complete "${(@)words[2,CURRENT]}" 2>/dev/null)}")
	cands=(${cands:#})
	if (( ${#cands} )); then
		compadd -- "${cands[@]}"
	else
		_files
	fi
}
if [[ "${funcstack[1]}" == "_fetch" ]]; then
	_fetch "$@"
else
	compdef _fetch fetch
fi
`,
	"fish": `# fish completion for fetch.
# Load it with:  fetch completion fish | source
# or install it: fetch completion fish > ~/.config/fish/completions/fetch.fish
function __fetch_complete
	set -l words (commandline -opc) (commandline -ct)
	set -l cands (command fetch __complete $words[2..-1] 2>/dev/null)
	if test (count $cands) -gt 0
		printf '%s\n' $cands
	else
		__fish_complete_path (commandline -ct)
	end
end
complete -c fetch -f -a '(__fetch_complete)'
`,
}

func (c *cliEnv) completionCommand() *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print the shell completion script for bash, zsh or fish",
		UsageText: "fetch completion bash|zsh|fish",
		Description: "The script completes commands, each command's flags, and the checkouts in\n" +
			"the tree after list and -u. Load it for this shell, or install it:\n" +
			"   bash: source <(fetch completion bash)\n" +
			"   zsh:  source <(fetch completion zsh)    (after compinit)\n" +
			"   fish: fetch completion fish | source",
		Action: func(cc *cli.Context) error {
			if cc.NArg() != 1 {
				return usagef("completion takes one shell (bash, zsh or fish), but was given %d arguments", cc.NArg())
			}
			script, ok := completionScripts[cc.Args().First()]
			if !ok {
				return usagef("completion: unknown shell %q: bash, zsh or fish", cc.Args().First())
			}
			_, err := io.WriteString(c.stdout, script)
			return err
		},
	}
}

// completeCommand is listed among the commands only so that no source is
// ever read as its name; run calls complete before any parsing.
func completeCommand() *cli.Command {
	return &cli.Command{
		Name:            completeCommandName,
		Hidden:          true,
		Usage:           "print completion candidates (run by the shell completion scripts)",
		UsageText:       "fetch __complete WORD...",
		SkipFlagParsing: true,
		Action:          func(*cli.Context) error { return nil },
	}
}

// complete prints the candidates for the last of words (the words after
// "fetch", the last one being completed, possibly empty) and returns the
// exit status, always 0: a completion never fails loudly.
func (c *cliEnv) complete(app *cli.App, words []string) int {
	for _, w := range completions(app, words, c.checkouts) {
		fmt.Fprintln(c.stdout, w)
	}
	return 0
}

// checkouts lists the import paths of the checkouts under root, for list
// and -u.
func (c *cliEnv) checkouts(root string) []string {
	if root == "" {
		root = fetch.DefaultRoot(c.getenv)
	}
	if strings.HasPrefix(root, "~/") {
		root = filepath.Join(c.getenv("HOME"), root[2:])
	}
	cos, err := fetch.List(root, "")
	if err != nil {
		return nil
	}
	var out []string
	for _, co := range cos {
		out = append(out, co.Path)
	}
	return out
}

// completions computes the candidates for the last word: commands where
// the command word may stand, flags after a "-", the shells after
// completion, commands after help, and the checkouts under the root
// (--root, else the default) after list or -u.
func completions(app *cli.App, words []string, checkouts func(root string) []string) []string {
	if len(words) == 0 {
		words = []string{""}
	}
	cur, prev := words[len(words)-1], words[:len(words)-1]
	valued := flagTable(app.Commands)
	var (
		cmd        *cli.Command
		positional int
		ended      bool   // after --
		pending    string // a flag whose value is being typed
		root       string
		update     bool
	)
	for _, w := range prev {
		switch {
		case pending != "":
			if pending == "root" {
				root = w
			}
			pending = ""
		case !ended && w == "--":
			ended = true
		case !ended && isFlag(w):
			name, value, hasValue := splitFlag(w)
			switch {
			case name == "root" && hasValue:
				root = value
			case name == "u" || name == "update":
				update = true
			}
			if valued[name] && !hasValue {
				pending = name
			}
		case cmd == nil && positional == 0 && !ended && app.Command(w) != nil:
			cmd = app.Command(w)
		default:
			positional++
		}
	}
	if pending != "" {
		return nil // a flag's value: the shell's own (file) completion
	}
	var cands []string
	name := defaultCommand
	if cmd != nil {
		name = cmd.Name
	}
	switch {
	case !ended && strings.HasPrefix(cur, "-"):
		if cmd == nil {
			cands = sharedFlagNames(app)
		} else {
			cands = flagNames(cmd)
		}
	case cmd == nil && positional == 0 && !ended:
		for _, cmd := range app.Commands {
			if !cmd.Hidden {
				cands = append(cands, cmd.Name)
			}
		}
		if update {
			cands = append(cands, checkouts(root)...)
		}
	case name == "help" && positional == 0:
		for _, cmd := range app.Commands {
			if !cmd.Hidden {
				cands = append(cands, cmd.Name)
			}
		}
	case name == "completion" && positional == 0:
		cands = []string{"bash", "fish", "zsh"}
	case name == "list" && positional == 0, name == "get" && update:
		cands = checkouts(root)
	}
	var out []string
	for _, c := range cands {
		if strings.HasPrefix(c, cur) {
			out = append(out, c)
		}
	}
	return out
}

// flagNames lists a command's visible flags as typed, and --help.
func flagNames(cmd *cli.Command) []string {
	var out []string
	for _, f := range cmd.Flags {
		if visible(f) {
			for _, n := range f.Names() {
				out = append(out, dashed(n))
			}
		}
	}
	return append(out, "--help")
}

// sharedFlagNames lists the flags offered before the command word: those
// of get (the default command), those more than one visible command
// takes, --help and --version.
func sharedFlagNames(app *cli.App) []string {
	count := map[string]int{}
	for _, cmd := range app.Commands {
		if cmd.Hidden {
			continue
		}
		for _, f := range cmd.Flags {
			if !visible(f) {
				continue
			}
			for _, n := range f.Names() {
				count[dashed(n)]++
				if cmd.Name == defaultCommand {
					count[dashed(n)]++
				}
			}
		}
	}
	out := []string{"--help", "--version"}
	for n, k := range count {
		if k > 1 {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}
