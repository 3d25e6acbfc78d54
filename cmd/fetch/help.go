package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
)

// sourcesHelp teaches the source grammar and the rest of what every
// command shares; `fetch help` (and --help, and the man page) show it once.
const sourcesHelp = `SOURCES
   A source is read in this order:
     1. NAME::rest        forced getter: git:: hg:: http:: https:: file:: s3:: gcs::
     2. URL with scheme   https://, ssh://, git://, file://, s3://, gs://, ...
     3. local path        ./x, ../x, /abs, ~/x
     4. scp-style         git@host:path (git over ssh)
     5. Go import path    example.org/pkg/foo, resolved as the Go command does:
                          known hosts (github.com, bitbucket.org, ...),
                          .git/.hg/.svn/.bzr/.fossil qualified paths, then
                          <meta name="go-import"> discovery over https.

   Every style accepts go-getter's extras:
     //subdir             a subdirectory of what is fetched (globs allowed)
     ?ref=REF             branch, tag or commit (git); ?rev=REV for hg
     ?depth=N             shallow clone
     ?sshkey=BASE64       private key for git over ssh
     ?checksum=[md5|sha1|sha256|sha512:]HEX or file:URL
     ?archive=false|zip|tar.gz|...   ?filename=NAME
   An import path also accepts @REF: example.org/pkg/foo@v1.2.0

   Sources land in ROOT/src/<path>: the repository root's import path for
   import paths, host/path of the URL for the others, local/NAME for a
   local path (NAME is its last element). ROOT is --root, else
   $FETCH_ROOT, else the first $GOPATH entry, else $HOME/go. -o PATH puts
   one source at PATH instead; a single file that is not an archive is
   written at PATH itself (end it with / to get a directory holding it).

   A source list (-f FILE) has one source per line; blank lines and
   comments (from a # at the start of a line or after a space) are ignored.
   An error about a source read from it names FILE:LINE.

EXAMPLES
   fetch golang.org/x/tools                 discover and clone into the tree
   fetch resolve --json example.org/pkg/foo where would it come from?
   fetch resolve -v example.org/pkg/foo     show every discovery step
   fetch 'git::https://code.example/r.git//sub?ref=v1.2.0'
   fetch 'https://files.example/tool.tar.gz?checksum=sha256:4f1c...'
   fetch -u -f deps.txt                     update everything listed in a file
   fetch doctor example.org/pkg             diagnose a vanity import server
   source <(fetch completion bash)          complete commands, flags, checkouts

ENVIRONMENT
   FETCH_ROOT, GOPATH, HOME   where the tree is (see above)
   GOINSECURE, GOPRIVATE, GOVCS   as for the Go command
   NETRC                      logins for https meta pages and git (default ~/.netrc)
   SSL_CERT_FILE              extra trusted CA certificates (like --cacert)
   FETCH_CACHE                cache directory of discovery answers and, in its
                              vcs directory, of repositories; "off" disables it
                              (answers are kept only as long as the server's
                              Cache-Control allows, at most a day; --refresh
                              asks again; see fetch cache --help)
   FETCH_CACHE_MAX            size limit of the repository cache (default 10GiB,
                              0 for none); least recently used entries go first
   GIT_SSH_COMMAND            kept; fetch adds -o BatchMode=yes

EXIT STATUS
   0 every source succeeded, 1 any source failed (each failure is reported),
   2 usage error (nothing was done).
`

// sourcesPointer ends the help of the commands that take sources.
const sourcesPointer = "A SOURCE is an import path, a URL, a local path, user@host:path or NAME::rest,\n" +
	"with //subdir and ?ref=... extras; 'fetch help' describes them."

// helpWidth is the width help text is wrapped to.
const helpWidth = 80

func (c *cliEnv) helpCommand() *cli.Command {
	return &cli.Command{
		Name:      "help",
		Usage:     "show the overview, or a command's usage and flags",
		UsageText: "fetch help [COMMAND]",
		Description: "Without COMMAND, lists the commands, the flags they share, the source\n" +
			"grammar, examples, the environment and the exit status. With COMMAND, shows\n" +
			"its usage and every flag it takes. -h and --help, anywhere before --, mean\n" +
			"the same.",
		Action: func(cc *cli.Context) error {
			switch cc.NArg() {
			case 0:
				writeAppHelp(c.stdout, cc.App)
				return nil
			case 1:
				name := cc.Args().First()
				cmd := cc.App.Command(name)
				if cmd == nil {
					if err := notACommand(cc.App, name); err != nil {
						return &usageError{msg: err.Error()}
					}
					return &usageError{msg: fmt.Sprintf("unknown command %q", name)}
				}
				writeCommandHelp(c.stdout, cmd)
				return nil
			}
			return usagef("help takes at most one COMMAND, but was given %d arguments", cc.NArg())
		},
	}
}

// globalFlags are the flags the overview lists: those most commands take,
// which people put before the command word. Every flag may stand there;
// the command decides whether it takes it.
var globalFlags = []struct{ name, usage string }{
	{"root", ""},
	{"json", "print JSON lines on stdout"},
	{"v", ""},
}

// writeAppHelp writes the overview: every command once, with what it
// does, the flags most commands take, then the grammar and the rest.
func writeAppHelp(w io.Writer, app *cli.App) {
	var b strings.Builder
	fmt.Fprintf(&b, "fetch: %s.\n\n", app.Usage)
	b.WriteString("Usage: fetch [COMMAND] [flags] [ARGUMENTS]\n\n")
	b.WriteString("Commands (get is the default: fetch SOURCE... means fetch get SOURCE...):\n")
	var rows [][2]string
	for _, cmd := range app.Commands {
		if !cmd.Hidden {
			rows = append(rows, [2]string{strings.TrimPrefix(cmd.UsageText, "fetch "), cmd.Usage})
		}
	}
	writeTable(&b, rows)
	b.WriteString("\nFlags go before or after the command word. Flags most commands take\n" +
		"('fetch help COMMAND' lists every flag of a command):\n")
	writeTable(&b, globalFlagRows(app))
	b.WriteString("\n")
	b.WriteString(sourcesHelp)
	io.WriteString(w, b.String())
}

// globalFlagRows describes globalFlags, naming the commands that take
// each, then -h/--help and --version.
func globalFlagRows(app *cli.App) [][2]string {
	var rows [][2]string
	for _, g := range globalFlags {
		users := commandsWithFlag(app, g.name)
		if len(users) == 0 {
			continue
		}
		f := app.Command(users[0]).Flags
		for _, fl := range f {
			if hasName(fl, g.name) {
				u := g.usage
				if u == "" {
					u = flagUsage(fl)
				}
				rows = append(rows, [2]string{flagSynopsis(fl), fmt.Sprintf("%s (%s)", u, strings.Join(users, ", "))})
			}
		}
	}
	return append(rows,
		[2]string{"-h, --help", "show help: the overview, or the command's"},
		[2]string{"--version", "print fetch's version (alone)"})
}

// writeCommandHelp writes one command's usage, description and flags.
func writeCommandHelp(w io.Writer, cmd *cli.Command) {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: %s\n\n%s.\n", cmd.UsageText, upperFirst(cmd.Usage))
	if cmd.Description != "" {
		fmt.Fprintf(&b, "\n%s\n", cmd.Description)
	}
	if rows := flagRows(cmd); len(rows) > 0 {
		b.WriteString("\nFlags:\n")
		writeTable(&b, rows)
	}
	io.WriteString(w, b.String())
}

// flagRows describes a command's visible flags, then -h/--help.
func flagRows(cmd *cli.Command) [][2]string {
	var rows [][2]string
	for _, f := range cmd.Flags {
		if visible(f) {
			rows = append(rows, [2]string{flagSynopsis(f), flagUsage(f)})
		}
	}
	return append(rows, [2]string{"-h, --help", "show this help"})
}

// writeTable writes two columns, the second wrapped, indented by two.
func writeTable(b *strings.Builder, rows [][2]string) {
	const maxLeft = 28
	left := 0
	for _, r := range rows {
		if len(r[0]) <= maxLeft {
			left = max(left, len(r[0]))
		}
	}
	indent := strings.Repeat(" ", 2+left+2)
	for _, r := range rows {
		lines := wrap(r[1], helpWidth-len(indent))
		if len(r[0]) > left {
			fmt.Fprintf(b, "  %s\n", r[0])
		} else {
			fmt.Fprintf(b, "  %-*s  %s\n", left, r[0], lines[0])
			lines = lines[1:]
		}
		for _, l := range lines {
			fmt.Fprintf(b, "%s%s\n", indent, l)
		}
	}
}

// wrap breaks text into lines of at most width bytes, between words.
func wrap(text string, width int) []string {
	width = max(width, 30)
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		switch {
		case line == "":
			line = word
		case len(line)+1+len(word) > width:
			lines = append(lines, line)
			line = word
		default:
			line += " " + word
		}
	}
	return append(lines, line)
}

// flagSynopsis is how a flag is typed: "-o, --dest DIR", "-v", "--json".
func flagSynopsis(f cli.Flag) string {
	var names []string
	for _, n := range f.Names() {
		names = append(names, dashed(n))
	}
	// Short names first, as people read them.
	for i := len(names) - 1; i > 0; i-- {
		if len(names[i]) == 2 && len(names[i-1]) > 2 {
			names[i], names[i-1] = names[i-1], names[i]
		}
	}
	s := strings.Join(names, ", ")
	if p := placeholder(f); p != "" {
		s += " " + p
	}
	return s
}

// dashed writes a flag name as it is typed: -x, --name.
func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// placeholder is the name of a flag's value, the word in backquotes in its
// usage ("" for a boolean flag).
func placeholder(f cli.Flag) string {
	if _, ok := f.(*cli.BoolFlag); ok {
		return ""
	}
	p, _ := unquoteUsage(usageOf(f))
	return p
}

// flagUsage is a flag's usage without backquotes, with its default when
// it has one, unquoted: "(default 8)", "(default 1GiB)".
func flagUsage(f cli.Flag) string {
	_, u := unquoteUsage(usageOf(f))
	if d := flagDefault(f); d != "" {
		u += " (default " + d + ")"
	}
	return u
}

func usageOf(f cli.Flag) string {
	if d, ok := f.(cli.DocGenerationFlag); ok {
		return d.GetUsage()
	}
	return ""
}

// unquoteUsage returns the word in backquotes in usage, and usage without
// the backquotes; a word in backquotes and parentheses at the end, " (`X`)",
// only names the value and is dropped from the text.
func unquoteUsage(usage string) (name, text string) {
	if strings.HasSuffix(usage, "`)") {
		if i := strings.LastIndex(usage, " (`"); i >= 0 && !strings.Contains(usage[i+3:len(usage)-2], "`") {
			return usage[i+3 : len(usage)-2], usage[:i]
		}
	}
	i := strings.IndexByte(usage, '`')
	if i < 0 {
		return "", usage
	}
	j := strings.IndexByte(usage[i+1:], '`')
	if j < 0 {
		return "", usage
	}
	name = usage[i+1 : i+1+j]
	return name, usage[:i] + name + usage[i+1+j+1:]
}

// flagDefault is a flag's default value as it would be typed, or "" when
// the default is the zero value.
func flagDefault(f cli.Flag) string {
	switch f := f.(type) {
	case *cli.StringFlag:
		return f.Value
	case *cli.IntFlag:
		if f.Value != 0 {
			return fmt.Sprint(f.Value)
		}
	case *cli.DurationFlag:
		if f.Value != 0 {
			return shortDuration(f.Value)
		}
	}
	return ""
}

// shortDuration writes a duration without its zero minutes and seconds:
// 1h, 30m, 1h30m, 45s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
