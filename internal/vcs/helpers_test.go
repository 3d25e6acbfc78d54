package vcs

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gofetch/fetch/internal/testutil"

	"github.com/gofetch/fetch/trace"
)

// debianPackage names the package that provides each tool, for skips.
var debianPackage = map[string]string{
	"git": "git", "hg": "mercurial", "svn": "subversion", "bzr": "brz", "fossil": "fossil",
}

// need skips the test when c's binary is missing.
func need(t *testing.T, c *Cmd) {
	t.Helper()
	if _, err := c.binary(); err != nil {
		t.Skipf("%v: install the Debian package %s", err, debianPackage[c.name])
	}
}

// hermeticEnv is an environment with a fresh HOME, so no user or system
// configuration reaches the tools, and identities for committing.
func hermeticEnv(t *testing.T) []string {
	t.Helper()
	home := t.TempDir()
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"TMPDIR=" + os.TempDir(),
		"LANG=C", "LC_ALL=C",
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Tester", "GIT_AUTHOR_EMAIL=t@example.org",
		"GIT_COMMITTER_NAME=Tester", "GIT_COMMITTER_EMAIL=t@example.org",
		"HGUSER=Tester <t@example.org>", "HGPLAIN=1",
		"BRZ_EMAIL=Tester <t@example.org>",
		"USER=tester",
	}
}

// recorder collects trace events from several goroutines.
type recorder struct{ testutil.Recorder }

// notes returns the messages of Note events.
func (rec *recorder) notes() []string {
	var ns []string
	for _, e := range rec.All() {
		if e.Kind == trace.Note {
			ns = append(ns, e.Message)
		}
	}
	return ns
}

// commands returns the command lines traced, one string each.
func (rec *recorder) commands() []string {
	var cs []string
	for _, e := range rec.All() {
		if e.Kind == trace.Command {
			cs = append(cs, strings.Join(e.Args, " "))
		}
	}
	return cs
}

// newRunner returns a Runner on env that records its events.
func newRunner(t *testing.T, env []string) (*Runner, *recorder) {
	rec := &recorder{}
	return &Runner{Environ: env, Dir: t.TempDir(), Source: "test", Trace: rec.Emit}, rec
}

// sh runs a setup command and returns its trimmed stdout; failing fails
// the test.
func sh(t *testing.T, env []string, dir, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s in %s: %v\n%s", name, strings.Join(args, " "), dir, err, stderr.String())
	}
	return strings.TrimSpace(string(out))
}

// writeFile writes content to dir/name, creating directories.
func writeFile(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o666); err != nil {
		t.Fatal(err)
	}
}

// readFile returns the content of dir/name, or "" when it is missing.
func readFile(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return string(b)
}

// exists reports whether path exists.
func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// envValue returns the value of key in env.
func envValue(env []string, key string) string {
	v, _ := getEnv(env, key)
	return v
}
