package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gofetch/fetch/fetch"
	"github.com/gofetch/fetch/internal/termtext"
	"github.com/gofetch/fetch/trace"
)

// printer writes results to stdout (JSON lines or one human line each)
// and failures to stderr, as they arrive.
type printer struct {
	out, errw io.Writer
	enc       *json.Encoder
	json      bool
	failed    int
	err       error
	// origins are where the sources came from, by input index ("FILE:LINE"
	// for -f, "" for the command line); printed counts the results so far.
	origins []string
	printed int
}

func (c *cliEnv) newPrinter(asJSON bool, out, errw io.Writer) *printer {
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	return &printer{out: out, errw: errw, enc: enc, json: asJSON}
}

func (p *printer) print(r fetch.Result) {
	where := p.where()
	failed := r.Status == fetch.StatusError || r.Status == fetch.StatusInterrupted
	if failed {
		p.failed++
		msg := oneLine(r.Error)
		if msg == "" {
			msg = string(r.Status)
		} else if h := hint(r.Err); h != "" {
			msg += "; " + h // what to do, on the same line
		}
		fmt.Fprintf(p.errw, "fetch: %s%s: %s\n", where, r.Source, msg)
	}
	switch {
	case p.json:
		if err := p.enc.Encode(r); err != nil && p.err == nil {
			p.err = err
		}
	case !failed:
		fmt.Fprintln(p.out, humanLine(r))
	}
}

// finish reports the summary and returns the exit status as an error.
func (p *printer) finish(results []fetch.Result) error {
	if p.err != nil {
		return p.err
	}
	if len(results) > 1 {
		fmt.Fprintln(p.errw, "fetch: "+summary(results))
	}
	if p.failed > 0 {
		return &exitError{code: 1}
	}
	return nil
}

// summaryOrder is the order of the statuses in the summary; its words are
// the JSON statuses, so that a person and a script read the same word.
var summaryOrder = []fetch.Status{
	fetch.StatusResolved, fetch.StatusPlanned, fetch.StatusFetched, fetch.StatusUpdated,
	fetch.StatusExists, fetch.StatusError, fetch.StatusInterrupted,
}

// summary counts a batch's results by status, in a fixed order, in the
// words of the JSON statuses: "4 sources: 2 fetched, 1 exists, 1 error".
// A status it does not know comes last, under its own name.
func summary(results []fetch.Result) string {
	count := map[fetch.Status]int{}
	for _, r := range results {
		count[r.Status]++
	}
	var parts []string
	for _, st := range summaryOrder {
		if count[st] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", count[st], st))
			delete(count, st)
		}
	}
	var rest []fetch.Status
	for st := range count {
		rest = append(rest, st)
	}
	slices.Sort(rest)
	for _, st := range rest {
		parts = append(parts, fmt.Sprintf("%d %s", count[st], st))
	}
	return fmt.Sprintf("%d sources: %s", len(results), strings.Join(parts, ", "))
}

// humanLine is the one-line human form of a successful result. What -u
// did comes right after the status, in the words the JSON carries:
//
//	example.org/a: fetched git https://h/a.git at d4e5f6a1b2c3 -> /root/src/example.org/a
//	example.org/a: updated a1b2c3d4e5f6 -> d4e5f6a1b2c3 (3 commits): git https://h/a.git -> /root/src/example.org/a
//	example.org/a: exists, up to date: git https://h/a.git at d4e5f6a1b2c3 -> /root/src/example.org/a
//	example.org/b: exists, pinned at v1.0.0 (a1b2c3d4e5f6) (left as it is): git https://h/b.git at a1b2c3d4e5f6 -> ...
func humanLine(r fetch.Result) string {
	var b strings.Builder
	b.WriteString(r.Source)
	b.WriteString(": ")
	commit := r.Commit
	switch {
	case r.Status == fetch.StatusResolved:
	case r.Status == fetch.StatusUpdated && r.PreviousCommit != "":
		b.WriteString(string(r.Status) + " " + shortCommit(r.PreviousCommit) + " -> " + shortCommit(r.Commit))
		switch {
		case r.Commits == 1:
			b.WriteString(" (1 commit)")
		case r.Commits > 1:
			b.WriteString(fmt.Sprintf(" (%d commits)", r.Commits))
		}
		if r.Note != "" {
			b.WriteString(" (" + r.Note + ")")
		}
		b.WriteString(": ")
		commit = "" // said already
	case r.Note != "":
		b.WriteString(string(r.Status) + ", " + r.Note + ": ")
	default:
		b.WriteString(string(r.Status) + " ")
	}
	switch {
	case r.VCS != "":
		b.WriteString(r.VCS + " " + r.Repo)
	default:
		b.WriteString(r.URL)
	}
	if commit != "" {
		b.WriteString(" at " + shortCommit(commit))
	}
	if r.Checksum != "" {
		b.WriteString(" " + r.Checksum)
	}
	if r.Dest != "" {
		b.WriteString(" -> " + r.Dest)
	}
	return b.String()
}

// shortCommit abbreviates a commit for a result line: the first 12
// digits of a hash (git, hg, fossil), an svn revision as it is, and for a
// Bazaar revision id (user@host-20260102150405-4mvu1xw5b2r8wpkq, whose
// start is the same for every commit of one committer) its random last
// part.
func shortCommit(c string) string {
	if i := strings.LastIndexByte(c, '-'); i >= 0 && strings.Contains(c[:i], "@") {
		c = c[i+1:]
	}
	if len(c) > 12 {
		return c[:12]
	}
	return c
}

// tracePrinter renders trace events for a person: -v shows discovery, -x
// shows commands. Lines from concurrent sources are prefixed with the
// source so they can be told apart.
type tracePrinter struct {
	mu       sync.Mutex
	w        io.Writer
	verbose  bool
	commands bool
	prefix   bool
}

func newTracePrinter(w io.Writer, verbose, commands, prefix bool) *tracePrinter {
	return &tracePrinter{w: w, verbose: verbose, commands: commands, prefix: prefix}
}

func (p *tracePrinter) event(e trace.Event) {
	line := p.format(e)
	if line == "" {
		return
	}
	if p.prefix && e.Source != "" {
		line = "[" + e.Source + "] " + line
	}
	// Status texts, locations and notes quote servers: nothing they say
	// reaches the terminal as a control sequence.
	line = termtext.Printable(line)
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintln(p.w, line)
}

func (p *tracePrinter) format(e trace.Event) string {
	if e.Kind == trace.Command {
		if !p.commands {
			return ""
		}
		cmd := shellJoin(e.Args)
		if e.Dir != "" {
			return "cd " + e.Dir + "; " + cmd
		}
		return cmd
	}
	if !p.verbose {
		return ""
	}
	switch e.Kind {
	case trace.Request:
		return "# get " + e.URL
	case trace.Redirect:
		return fmt.Sprintf("# get %s: %s -> %s", e.URL, statusText(e), e.Location)
	case trace.Response:
		return fmt.Sprintf("# get %s: %s (%.3fs)", e.URL, statusText(e), e.Duration.Round(time.Millisecond).Seconds())
	case trace.Failure:
		if e.URL != "" {
			return fmt.Sprintf("# get %s: %s", e.URL, e.Err)
		}
		return "error: " + e.Err
	case trace.Tag:
		if e.Matched {
			return fmt.Sprintf("  meta go-import %q: matches", e.Tag)
		}
		return fmt.Sprintf("  meta go-import %q: ignored: %s", e.Tag, e.Reason)
	case trace.Verify:
		return "  verifying non-authoritative meta tag at " + e.URL
	case trace.Note:
		return "  " + e.Message
	case trace.Result:
		return "=> " + e.Message
	}
	return ""
}

func statusText(e trace.Event) string {
	if e.StatusText != "" {
		return e.StatusText
	}
	return fmt.Sprint(e.Status)
}

// shellJoin renders a command line the way a person would paste it into a
// shell: arguments with spaces, quotes or other special characters are
// single-quoted.
func shellJoin(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if a != "" && strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@+,%{}") == "" {
			out[i] = a
			continue
		}
		out[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(out, " ")
}
