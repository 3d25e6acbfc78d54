package vcs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"

	"github.com/gofetch/fetch/internal/redact"
	"github.com/gofetch/fetch/internal/vcscache"
	"github.com/gofetch/fetch/trace"
)

// Runner runs version control commands. Its zero value, or a nil *Runner,
// runs them with the process environment and no trace. Commands never prompt: every tool is
// told so, and on Unix each runs in a session of its own, without a
// controlling terminal, so nothing can ask on /dev/tty either.
type Runner struct {
	// Environ is the environment commands start from; nil means
	// os.Environ(). Values here count as the user's own settings.
	Environ []string
	// Env is added on top of Environ (KEY=VALUE, later wins), for settings
	// a caller needs for one source, such as GIT_SSL_CAINFO.
	Env []string
	// SSHKeyFile is a private key file for ssh remotes: git's ssh command
	// gets "-i FILE -o IdentitiesOnly=yes" appended.
	SSHKeyFile string
	// CredentialHelper is a git credential.helper value (such as
	// "!'/usr/bin/fetch' credential-netrc --netrc '/home/u/.netrc'") added
	// after the user's own helpers, so theirs answer first. It names where
	// secrets are, never the secrets: git runs it only when a server asks
	// for a login.
	CredentialHelper string
	// Login is the remote as the user typed it, when it holds a password
	// (https://user:pw@host/repo): commands for that scheme and host log
	// in with it, but no checkout stores it (see login.go). Create sets it
	// from the remote it is given; set it for Update and the other
	// commands on an existing checkout, whose stored remote has no
	// password.
	Login string
	// Insecure allows git to use plaintext transports (http://, git://),
	// including for redirects and submodules.
	Insecure bool
	// PlainRemote says the user typed a plaintext remote (http://,
	// git://) themselves: it is allowed for that repository, but not for
	// what it leads to (redirects, submodules, subrepositories), which
	// only Insecure allows (see indirect.go).
	PlainRemote bool
	// Dir is where commands that belong to no checkout (pings) run; empty
	// means os.TempDir(), never the caller's working directory, whose
	// configuration must not affect the result.
	Dir string
	// Source is copied into every trace event.
	Source string
	// Trace receives a Command event before each command and a Failure
	// event when one fails.
	Trace trace.Func
	// Cache, when set, is the repository cache: git clones without a
	// depth and git updates go through its entry of the remote (see
	// package vcscache and gitcache.go). Nil means no cache.
	Cache *vcscache.Cache
	// Progress, when set, receives git's progress lines ("Receiving
	// objects:  45% (450/1000)") as a clone or fetch goes on: those
	// commands then run with --progress.
	Progress func(line string)
}

// waitDelay bounds how long a finished or killed command's pipes may stay
// open, held by a grandchild that left its process group.
const waitDelay = 10 * time.Second

// maxStderr is how much of a command's stderr an Error keeps (the end).
const maxStderr = 64 << 10

// Error is a version control command that failed. Its message is one line:
// the command and the last meaningful line of its stderr. Stderr holds the
// whole (redacted) text for verbose output.
type Error struct {
	Dir    string
	Args   []string // redacted, the binary first
	Stderr string
	Err    error // the exit status, or the context's error
}

// Error returns the command line and the line of stderr that says what
// went wrong.
func (e *Error) Error() string {
	msg := lastMeaningfulLine(e.Stderr)
	if msg == "" || errors.Is(e.Err, context.Canceled) || errors.Is(e.Err, context.DeadlineExceeded) {
		msg = e.Err.Error()
	}
	for _, h := range loginHints {
		if strings.Contains(msg, h.marker) {
			msg += " (" + h.hint + ")"
			break
		}
	}
	return hideTemp(strings.Join(e.Args, " ") + ": " + msg)
}

// loginHints say what to do about the errors git and ssh give when a
// server wants a login it did not get, because their own words point at a
// terminal fetch never offers.
var loginHints = []struct{ marker, hint string }{
	{"terminal prompts disabled", "the server wants a login: put it in the netrc file ($NETRC, else ~/.netrc) or in a git credential helper"},
	{"Authentication failed for", "the server refused the login from the netrc file or git credential helper"},
	{"Permission denied (publickey", "the ssh server accepted none of the keys offered: give one in the source's sshkey option or with -i in GIT_SSH_COMMAND, or add it to ssh-agent"},
	{"Host key verification failed", "the server's host key is not in known_hosts, and ssh runs with BatchMode=yes: connect once with ssh, or add -o UserKnownHostsFile=FILE or -o StrictHostKeyChecking=accept-new to GIT_SSH_COMMAND"},
}

// Unwrap returns the underlying error, so that errors.Is(err,
// context.Canceled) works.
func (e *Error) Unwrap() error { return e.Err }

// The line of stderr an Error shows is picked by lastMeaningfulLine
// (errline.go).

// toolName is the name a command is shown by in traces and errors: the
// last element of its path, after a slash or a backslash, without a
// Windows ".exe" (any case), so that "C:\...\git.exe clone" reads "git
// clone" on every system. Finding the binary is exec.LookPath's job, which
// tries PATHEXT on Windows: the table names tools without an extension and
// the code holds no tool's path.
func toolName(bin string) string {
	name := bin[strings.LastIndexAny(bin, `/\`)+1:]
	if len(name) > 4 && strings.EqualFold(name[len(name)-4:], ".exe") {
		name = name[:len(name)-4]
	}
	return name
}

// binary returns the path of c's command, trying its fallbacks.
func (c *Cmd) binary() (string, error) {
	var errs []error
	for _, name := range append([]string{c.bin}, c.fallbacks...) {
		p, err := exec.LookPath(name)
		if err == nil {
			return p, nil
		}
		errs = append(errs, err)
	}
	return "", &missingToolError{fmt.Errorf("missing %s command (install %s): %w", c.name,
		strings.Join(append([]string{c.bin}, c.fallbacks...), " or "), errors.Join(errs...))}
}

// ErrToolMissing is in the chain of the error of every operation whose
// version control tool is not installed (found neither by its name nor by
// a fallback's on PATH).
var ErrToolMissing = errors.New("version control tool not installed")

// missingToolError keeps the text of the lookup's error while
// errors.Is(err, ErrToolMissing) holds.
type missingToolError struct{ err error }

func (e *missingToolError) Error() string        { return e.err.Error() }
func (e *missingToolError) Unwrap() error        { return e.err }
func (e *missingToolError) Is(target error) bool { return target == ErrToolMissing }

// run runs c with args in dir and returns its stdout.
func (r *Runner) run(ctx context.Context, c *Cmd, dir string, args ...string) ([]byte, error) {
	if r == nil {
		r = &Runner{}
	}
	bin, err := c.binary()
	if err != nil {
		return nil, err
	}
	if r.Progress != nil && c.name == "git" && len(args) > 0 && (args[0] == "clone" || args[0] == "fetch") {
		args = append([]string{args[0], "--progress"}, args[1:]...)
	}
	args = append(slices.Clone(c.globalArgs), args...)
	shown := redactAll(append([]string{toolName(bin)}, args...))
	r.Trace.Emit(trace.Event{Kind: trace.Command, Source: r.Source, Dir: dir, Args: shown})

	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = r.environ(c)
	if c.name == "git" {
		cmd.Env = gitCeiling(cmd.Env, dir)
	}
	cmd.WaitDelay = waitDelay
	ownProcessGroup(cmd)
	var stdout bytes.Buffer
	stderr := &tailBuffer{max: maxStderr}
	cmd.Stdout, cmd.Stderr = &stdout, stderr
	if r.Progress != nil {
		cmd.Stderr = io.MultiWriter(stderr, &progressLines{f: r.Progress})
	}
	start := time.Now()
	err = cmd.Run()
	if err == nil {
		return stdout.Bytes(), nil
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		err = ctxErr
	}
	e := &Error{Dir: dir, Args: shown, Stderr: redact.String(stderr.String()), Err: err}
	r.Trace.Emit(trace.Event{Kind: trace.Failure, Source: r.Source, Dir: dir, Args: shown,
		Duration: time.Since(start), Err: e.Error()})
	return stdout.Bytes(), e
}

// note emits a Note event.
func (r *Runner) note(format string, args ...any) {
	if r == nil {
		return
	}
	r.Trace.Emit(trace.Event{Kind: trace.Note, Source: r.Source, Message: redact.String(fmt.Sprintf(format, args...))})
}

// workDir is where commands outside any checkout run.
func (r *Runner) workDir() string {
	if r != nil && r.Dir != "" {
		return r.Dir
	}
	return os.TempDir()
}

// environ builds the environment of a command of c: the user's, the
// caller's additions, c's fixed settings, then c's own adjustments.
func (r *Runner) environ(c *Cmd) []string {
	env := r.Environ
	if env == nil {
		env = os.Environ()
	}
	env = slices.Clone(env)
	for _, kv := range append(slices.Clone(r.Env), c.extraEnv...) {
		k, v, _ := strings.Cut(kv, "=")
		env = setEnv(env, k, v)
	}
	if c.env != nil {
		env = c.env(r, env)
	}
	return env
}

// getEnv returns the value of key in env and whether it is set.
func getEnv(env []string, key string) (string, bool) {
	for i := len(env) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(env[i], "="); ok && k == key {
			return v, true
		}
	}
	return "", false
}

// setEnv sets key to value in env, removing earlier settings of key.
func setEnv(env []string, key, value string) []string {
	env = unsetEnv(env, key)
	return append(env, key+"="+value)
}

// unsetEnv removes every setting of key from env.
func unsetEnv(env []string, key string) []string {
	return slices.DeleteFunc(env, func(kv string) bool {
		k, _, _ := strings.Cut(kv, "=")
		return k == key
	})
}

// progressLines splits git's progress output, whose lines end in \r while
// they update and \n when done, and hands each line to f.
type progressLines struct {
	f   func(string)
	buf []byte
}

func (p *progressLines) Write(b []byte) (int, error) {
	for _, c := range b {
		if c != '\r' && c != '\n' {
			if len(p.buf) < 512 {
				p.buf = append(p.buf, c)
			}
			continue
		}
		if line := strings.TrimSpace(string(p.buf)); line != "" {
			p.f(redact.String(line))
		}
		p.buf = p.buf[:0]
	}
	return len(b), nil
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	max int
	buf []byte
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.max; over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string { return string(b.buf) }
