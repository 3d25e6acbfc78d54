package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/gofetch/fetch/fetch"
	"github.com/urfave/cli/v2"
)

func (c *cliEnv) manCommand() *cli.Command {
	return &cli.Command{
		Name:      "man",
		Usage:     "print the manual page, fetch(1), in roff",
		UsageText: "fetch man",
		Description: "The page is written from the same definitions as the help: read it with\n" +
			"   fetch man | man -l -\n" +
			"or install it: fetch man > /usr/local/share/man/man1/fetch.1",
		Action: func(cc *cli.Context) error {
			if err := noArgs(cc); err != nil {
				return err
			}
			_, err := io.WriteString(c.stdout, manPage(cc.App))
			return err
		},
	}
}

// manPage writes fetch(1) from the commands' definitions and the shared
// help text.
func manPage(app *cli.App) string {
	var b strings.Builder
	fmt.Fprintf(&b, ".TH FETCH 1 \"\" \"fetch %s\" \"User Commands\"\n", roffQuoted(fetch.BuildVersion()))
	b.WriteString(".SH NAME\n")
	fmt.Fprintf(&b, "fetch \\- %s\n", roffText(app.Usage))
	b.WriteString(".SH SYNOPSIS\n.nf\n")
	for _, cmd := range app.Commands {
		if !cmd.Hidden {
			fmt.Fprintf(&b, "%s\n", roffLine(cmd.UsageText))
		}
	}
	b.WriteString(".fi\n.SH DESCRIPTION\n")
	b.WriteString("fetch resolves Go import paths (with go-import discovery, as the Go command\n" +
		"does it) and go-getter style sources, and fetches them into ROOT/src/<path>.\n" +
		"get is the default command: a first word that is not a command is a source.\n" +
		"Flags may stand before or after the command word.\n")
	b.WriteString(".SH COMMANDS\n")
	for _, cmd := range app.Commands {
		if cmd.Hidden {
			continue
		}
		fmt.Fprintf(&b, ".SS \"%s\"\n", roffQuoted(cmd.UsageText))
		fmt.Fprintf(&b, "%s.\n", roffText(upperFirst(cmd.Usage)))
		if cmd.Description != "" {
			writeRoffParagraphs(&b, cmd.Description)
		}
		for _, f := range cmd.Flags {
			if !visible(f) {
				continue
			}
			fmt.Fprintf(&b, ".TP\n.B %s\n%s\n", roffFlag(f), roffText(flagUsage(f)))
		}
	}
	// The shared text: its headings become sections, its body is kept as
	// laid out (tables and examples).
	inBlock := false
	for _, line := range strings.Split(strings.TrimRight(sourcesHelp, "\n"), "\n") {
		switch {
		case line != "" && line[0] != ' ':
			if inBlock {
				b.WriteString(".fi\n")
			}
			fmt.Fprintf(&b, ".SH %s\n.nf\n", roffLine(line))
			inBlock = true
		default:
			fmt.Fprintf(&b, "%s\n", roffLine(strings.TrimPrefix(line, "   ")))
		}
	}
	if inBlock {
		b.WriteString(".fi\n")
	}
	b.WriteString(".SH SEE ALSO\n.BR go (1),\n.BR git (1)\n")
	return b.String()
}

// writeRoffParagraphs writes a description: paragraphs of running text are
// filled; a paragraph with indented lines is kept as laid out.
func writeRoffParagraphs(b *strings.Builder, text string) {
	for _, para := range strings.Split(text, "\n\n") {
		b.WriteString(".PP\n")
		lines := strings.Split(para, "\n")
		for _, l := range lines {
			if strings.HasPrefix(l, " ") {
				fmt.Fprintf(b, ".nf\n.RS\n")
				for _, l := range lines {
					fmt.Fprintf(b, "%s\n", roffLine(strings.TrimSpace(l)))
				}
				b.WriteString(".RE\n.fi\n")
				lines = nil
				break
			}
		}
		for _, l := range lines {
			fmt.Fprintf(b, "%s\n", roffLine(l))
		}
	}
}

// roffFlag is a flag's synopsis for .B, its value in italics:
// \-o, \-\-dest \fIDIR\fR.
func roffFlag(f cli.Flag) string {
	s := flagSynopsis(f)
	if p := placeholder(f); p != "" {
		s = strings.TrimSuffix(s, " "+p)
		return strings.ReplaceAll(roffEscape(s), "-", `\-`) + ` \fI` + roffEscape(p) + `\fR`
	}
	return strings.ReplaceAll(roffEscape(s), "-", `\-`)
}

// roffEscape escapes roff's escape character.
func roffEscape(s string) string { return strings.ReplaceAll(s, `\`, `\e`) }

// roffText escapes running text.
func roffText(s string) string { return roffLine(s) }

// roffLine escapes one line of text: backslashes, and a leading . or '
// that roff would read as a request.
func roffLine(s string) string {
	s = roffEscape(s)
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}

// roffQuoted escapes text inside a quoted macro argument.
func roffQuoted(s string) string { return strings.ReplaceAll(roffEscape(s), `"`, `\(dq`) }
