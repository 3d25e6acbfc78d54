package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/gofetch/fetch/doctor"
	"github.com/gofetch/fetch/fetch"
	"github.com/urfave/cli/v2"
)

func (c *cliEnv) doctorCommand() *cli.Command {
	return &cli.Command{
		Name:      "doctor",
		Usage:     "diagnose a vanity import setup, step by step, with fixes",
		UsageText: "fetch doctor [flags] IMPORTPATH",
		Description: "Checks everything a client needs to resolve IMPORTPATH through its go-import page:\n" +
			"the path, DNS, TCP and TLS, the HTTP exchange, the page as the Go command and a\n" +
			"browser read it, the tag, the agreement of the root, parent and subpackage pages,\n" +
			"the repository (without prompts, with your netrc and git credentials), its default\n" +
			"branch and go.mod, caching and GOPRIVATE advice. One line per check, with a fix.\n" +
			"Exit status 0 when no check fails, 1 otherwise. --connect-to diagnoses a server\n" +
			"before DNS points at it.",
		Flags: []cli.Flag{
			jsonFlag("print one JSON object per finding on stdout"),
			connectToFlag(),
			cacertFlag(),
			insecureFlag("diagnose as a client allowing plain http and unverified TLS would (see also GOINSECURE)"),
			verboseFlag(),
			commandsFlag(),
		},
		Action: c.runDoctor,
	}
}

func (c *cliEnv) runDoctor(cc *cli.Context) error {
	args := cc.Args().Slice()
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) != 1 {
		return usagef("doctor diagnoses exactly one import path, but %d arguments were given", len(args))
	}
	path := args[0]
	if strings.HasPrefix(path, "-") {
		return usagef("import path %q must not start with \"-\"", path)
	}
	cacert := cc.String("cacert")
	if cacert == "" {
		cacert = c.getenv("SSL_CERT_FILE")
	}
	opts := doctor.Options{
		Insecure:            cc.Bool("insecure"),
		CACertFile:          cacert,
		ConnectTo:           cc.StringSlice("connect-to"),
		Getenv:              c.getenv,
		GitCredentialHelper: netrcHelper(c.getenv),
	}
	if cc.Bool("v") || cc.Bool("x") {
		opts.Trace = newTracePrinter(c.stderr, cc.Bool("v"), cc.Bool("x"), false).event
	}
	report, err := doctor.Check(cc.Context, path, opts)
	switch {
	case err != nil && cc.Context.Err() != nil:
		return &exitError{code: 1} // interrupted; run says so
	case err != nil:
		return usagef("%v", err)
	}
	if cc.Bool("json") {
		err = writeDoctorJSON(c.stdout, report)
	} else {
		color := isTerminal(c.stdout) && c.getenv("TERM") != "dumb" && c.getenv("NO_COLOR") == ""
		err = writeDoctorText(c.stdout, report, color)
	}
	if err != nil {
		return err
	}
	if report.Failed() {
		return &exitError{code: 1}
	}
	return nil
}

// doctorLine is one finding in the JSON lines output.
type doctorLine struct {
	FormatVersion int    `json:"format_version"`
	ImportPath    string `json:"import_path"`
	doctor.Finding
}

func writeDoctorJSON(w io.Writer, r *doctor.Report) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, f := range r.Findings {
		if err := enc.Encode(doctorLine{FormatVersion: fetch.FormatVersion, ImportPath: r.ImportPath, Finding: f}); err != nil {
			return err
		}
	}
	return nil
}

// verdictWords are the verdicts as printed for people: a failure stands
// out even without colour.
var verdictWords = map[doctor.Verdict]struct{ word, color string }{
	doctor.Pass: {"pass", "\x1b[32m"},
	doctor.Warn: {"warn", "\x1b[33m"},
	doctor.Fail: {"FAIL", "\x1b[1;31m"},
}

// writeDoctorText prints the findings grouped by stage, one line each:
// the verdict, the ID, what was seen and, unless it passed, the fix.
func writeDoctorText(w io.Writer, r *doctor.Report, color bool) error {
	var b strings.Builder
	stage := ""
	for _, f := range r.Findings {
		if f.Stage != stage {
			stage = f.Stage
			fmt.Fprintf(&b, "%s:\n", stage)
		}
		v := verdictWords[f.Verdict]
		word := v.word
		if color {
			word = v.color + word + "\x1b[0m"
		}
		fmt.Fprintf(&b, "  %s %s: %s", word, f.ID, f.Seen)
		if f.Fix != "" {
			fmt.Fprintf(&b, " -- fix: %s", f.Fix)
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "%s: %d passed, %d warnings, %d failed\n", r.ImportPath,
		r.Count(doctor.Pass), r.Count(doctor.Warn), r.Count(doctor.Fail))
	_, err := io.WriteString(w, b.String())
	return err
}
