//go:build unix

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gofetch/fetch/internal/testbed"
	"github.com/gofetch/fetch/internal/testutil"
)

// The terminal tests run the real fetch (this test binary, re-executed
// under the name fetch, as the scripts do) in a tmux pane of 60 columns
// and 20 rows, and read what the pane shows at the end: tmux interprets
// every escape sequence the way a terminal does, which makes it the most
// honest screen to check. The pane's raw output is logged too, to check
// what the live area said on the way.

// screenBed is a test bed with git repositories behind vanity pages: some
// answered at once, some slowed (each request waits), and a host that
// never answers (for Ctrl-C).
type screenBed struct {
	bed     *testbed.Bed
	connect []string // --connect-to values
	sources []string // the sources that succeed, in the order given
}

const screenLongSource = "example.org/a/rather/long/import/path/that/must/be/elided/charlie"

func newScreenBed(t *testing.T) *screenBed {
	t.Helper()
	testutil.NeedTool(t, "tmux", "tmux")
	testbed.RequireGit(t)
	bed := testbed.New(t)
	slow, err := bed.StartDelayed(150 * time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	never, err := bed.StartDelayed(time.Hour) // until fetch gives up the request
	if err != nil {
		t.Fatal(err)
	}
	sb := &screenBed{bed: bed}
	for _, r := range []struct{ source, repo, base, host string }{
		{"example.org/alpha", "alpha", bed.GitBase(), "example.org"},
		{"slow.example/bravo", "bravo", "https://" + slow, "slow.example"},
		{screenLongSource, "charlie", bed.GitBase(), "example.org"},
		{"slow.example/delta", "delta", "https://" + slow, "slow.example"},
	} {
		files := map[string]string{"go.mod": "module " + r.source + "\n"}
		for i := range 40 {
			files[fmt.Sprintf("f%02d.go", i)] = fmt.Sprintf("package %s\n\nconst C%d = %q\n", r.repo, i, strings.Repeat(r.repo, 200))
		}
		if _, err := bed.AddGitRepo(r.repo, files); err != nil {
			t.Fatal(err)
		}
		page := fmt.Sprintf(`<meta name="go-import" content="%s git %s/%s.git">`, r.source, r.base, r.repo)
		if err := bed.WriteWWW(r.source+".html", page); err != nil {
			t.Fatal(err)
		}
		sb.sources = append(sb.sources, r.source)
	}
	for _, h := range []string{"hang.example", "stuck.example"} {
		if err := bed.WriteWWW(h+"/x.html", `<meta name="go-import" content="`+h+`/x git https://`+h+`/x.git">`); err != nil {
			t.Fatal(err)
		}
		sb.connect = append(sb.connect, h+":443:"+never)
	}
	sb.connect = append(sb.connect, "example.org:443:"+bed.HTTPSAddr, "slow.example:443:"+slow)
	return sb
}

// fetchCommand is the shell command line that runs fetch over srcs with a
// root of its own.
func (sb *screenBed) fetchCommand(t *testing.T, root string, flags []string, srcs ...string) string {
	t.Helper()
	bin, err := exec.LookPath("fetch")
	if err != nil {
		t.Fatalf("fetch is not on $PATH (TestMain puts it there): %v", err)
	}
	args := []string{"env", "HOME=" + root, "FETCH_CACHE=off", "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=" + os.DevNull,
		bin, "--root", root, "--cacert", sb.bed.CACertFile}
	for _, c := range sb.connect {
		args = append(args, "--connect-to", c)
	}
	args = append(args, flags...)
	return shellJoin(append(args, srcs...))
}

// pane is a tmux session of its own (private socket) showing one command.
type pane struct {
	t      *testing.T
	sock   string
	dir    string
	rawLog string
}

// startPane runs the shell command cmd in a 60x20 pane. The command waits
// until the pane's output is logged and the pane is set to stay after it
// ends, then runs; its exit status goes to the file status.
func startPane(t *testing.T, cmd string) *pane {
	t.Helper()
	dir := t.TempDir()
	p := &pane{t: t, sock: filepath.Join(dir, "tmux.sock"), dir: dir, rawLog: filepath.Join(dir, "raw.log")}
	tmuxQ := shellJoin([]string{"tmux", "-S", p.sock})
	// trap: Ctrl-C goes to fetch; the shell lives on to report.
	script := fmt.Sprintf("trap : INT; %s wait-for go; %s; echo $? > %s; %s wait-for -S done",
		tmuxQ, cmd, shellJoin([]string{filepath.Join(dir, "status")}), tmuxQ)
	p.tmux("-f", os.DevNull, "new-session", "-d", "-s", "t", "-x", "60", "-y", "20", "sh -c "+shellJoin([]string{script}))
	t.Cleanup(func() { exec.Command("tmux", "-S", p.sock, "kill-server").Run() })
	p.tmux("set-option", "-t", "t", "remain-on-exit", "on")
	p.tmux("pipe-pane", "-t", "t", "-o", "cat > "+shellJoin([]string{p.rawLog}))
	p.tmux("wait-for", "-S", "go")
	return p
}

func (p *pane) tmux(args ...string) string {
	p.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", p.sock}, args...)...).CombinedOutput()
	if err != nil {
		p.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// wait waits for the command to end and returns its exit status.
func (p *pane) wait() string {
	p.t.Helper()
	p.tmux("wait-for", "done")
	b, err := os.ReadFile(filepath.Join(p.dir, "status"))
	if err != nil {
		p.t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

// screen returns the lines the pane shows and those scrolled off its top
// (the long result lines wrap), wrapped lines joined, without tmux's own
// "Pane is dead" line and trailing blank lines.
func (p *pane) screen() []string {
	p.t.Helper()
	var lines []string
	for _, l := range strings.Split(p.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "t"), "\n") {
		l = strings.TrimRight(l, " ")
		if !strings.HasPrefix(l, "Pane is dead") {
			lines = append(lines, l)
		}
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// waitScreen polls the screen until every pattern matches a line; it
// asserts nothing about time, and gives up after a minute so that a
// broken display fails instead of hanging.
func (p *pane) waitScreen(patterns ...string) {
	p.t.Helper()
	deadline := time.Now().Add(time.Minute)
	for delay := time.Millisecond; ; delay = min(2*delay, 50*time.Millisecond) {
		screen := p.screen()
		if missing := missingLines(screen, patterns); len(missing) == 0 {
			return
		} else if time.Now().After(deadline) {
			p.t.Fatalf("the screen never showed %q:\n%s", missing, strings.Join(screen, "\n"))
		}
		time.Sleep(delay)
	}
}

func (p *pane) raw() string {
	p.t.Helper()
	b, err := os.ReadFile(p.rawLog)
	if err != nil {
		p.t.Fatal(err)
	}
	return string(b)
}

// missingLines returns the patterns no line matches.
func missingLines(lines, patterns []string) []string {
	var missing []string
next:
	for _, pat := range patterns {
		re := regexp.MustCompile(pat)
		for _, l := range lines {
			if re.MatchString(l) {
				continue next
			}
		}
		missing = append(missing, pat)
	}
	return missing
}

// liveWords are the words of the live rows: none may be left on the
// screen at the end.
var liveWords = regexp.MustCompile(`\b(waiting|resolving|cloning|indexing|checking out|downloading|unpacking)\b|\d+%|\.\.\. \d+ more`)

// checkFinalScreen checks what every finished run shows: the wanted
// lines, no row of the live area, and none of git's own words or
// temporary paths, on the screen or in the raw output.
func checkFinalScreen(t *testing.T, p *pane, want []string) {
	t.Helper()
	screen := p.screen()
	shown := strings.Join(screen, "\n")
	if missing := missingLines(screen, want); len(missing) > 0 {
		t.Errorf("the final screen lacks %q:\n%s", missing, shown)
	}
	for _, l := range screen {
		if liveWords.MatchString(l) {
			t.Errorf("a live row is left on the final screen: %q\n%s", l, shown)
		}
	}
	raw := p.raw()
	for _, bad := range []string{".fetch-tmp", "Cloning into", "Receiving objects", "Resolving deltas", "Updating files"} {
		if strings.Contains(raw, bad) {
			t.Errorf("the terminal was shown %q", bad)
		}
	}
	if t.Failed() {
		t.Logf("raw output:\n%q", raw)
	}
}

func resultLines(sources []string, status string) []string {
	var want []string
	for _, s := range sources {
		want = append(want, "^"+regexp.QuoteMeta(s)+": "+status+" git https://")
	}
	return want
}

// TestTerminalScreen: on a terminal, the result lines and the summary are
// on the screen at the end, the live area is gone, and it never showed
// git's own lines.
func TestTerminalScreen(t *testing.T) {
	t.Parallel()
	sb := newScreenBed(t)
	root := t.TempDir()
	p := startPane(t, sb.fetchCommand(t, root, []string{"-j", "2"}, sb.sources...))
	if st := p.wait(); st != "0" {
		t.Errorf("exit status %s, want 0\n%s", st, strings.Join(p.screen(), "\n"))
	}
	want := append(resultLines(sb.sources, "fetched"), `^fetch: 4 sources: 4 fetched$`)
	checkFinalScreen(t, p, want)
	raw := p.raw()
	// The live area was drawn, in fetch's words, below the results.
	for _, w := range []string{"waiting", "cloning", "\x1b[1;"} {
		if !strings.Contains(raw, w) {
			t.Errorf("the live area never showed %q", w)
		}
	}
	// The long source was elided in the middle to fit 60 columns.
	if !regexp.MustCompile(`example\.org/a/\S*\.\.\.\S*/charlie  `).MatchString(raw) {
		t.Errorf("the long source was not elided in its row")
	}
	t.Logf("final screen:\n%s", strings.Join(p.screen(), "\n"))
}

// TestTerminalScreenTee: with stdout a pipe to tee (another process that
// writes the results to the terminal whenever it likes) and stderr the
// terminal, every result line tee writes stays on the screen.
func TestTerminalScreenTee(t *testing.T) {
	t.Parallel()
	sb := newScreenBed(t)
	root := t.TempDir()
	out := filepath.Join(root, "out.txt")
	p := startPane(t, sb.fetchCommand(t, root, []string{"-j", "2"}, sb.sources...)+" | tee "+shellJoin([]string{out}))
	if st := p.wait(); st != "0" {
		t.Errorf("exit status %s, want 0", st)
	}
	want := append(resultLines(sb.sources, "fetched"), `^fetch: 4 sources: 4 fetched$`)
	checkFinalScreen(t, p, want)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(string(b), "\n"); got != 4 || strings.Contains(string(b), "\x1b") {
		t.Errorf("out.txt holds %d lines, want the 4 results and no escape sequences:\n%q", got, b)
	}
}

// TestTerminalScreenInterrupt: Ctrl-C while two sources wait for a server
// that never answers and a third is queued reports them interrupted, with
// a summary that says so, and leaves no live row behind.
func TestTerminalScreenInterrupt(t *testing.T) {
	t.Parallel()
	sb := newScreenBed(t)
	root := t.TempDir()
	p := startPane(t, sb.fetchCommand(t, root, []string{"-j", "2"},
		"example.org/alpha", "hang.example/x", "stuck.example/x", "slow.example/bravo"))
	p.waitScreen(`^example.org/alpha: fetched`, `hang.example/x +resolving`, `stuck.example/x +resolving`, `slow.example/bravo +waiting`)
	p.tmux("send-keys", "-t", "t", "C-c")
	if st := p.wait(); st != "130" {
		t.Errorf("exit status %s, want 130", st)
	}
	checkFinalScreen(t, p, []string{
		`^example.org/alpha: fetched git https://`,
		`fetch: hang.example/x: interrupted`, // after the ^C the terminal echoes
		`^fetch: stuck.example/x: interrupted`,
		`^fetch: slow.example/bravo: interrupted`,
		`^fetch: 4 sources: 1 fetched, 3 interrupted$`,
		`^fetch: interrupted$`,
	})
	if _, err := os.Stat(filepath.Join(root, "src", "slow.example")); err == nil {
		t.Errorf("a directory was left for a source that never started")
	}
	t.Logf("final screen:\n%s", strings.Join(p.screen(), "\n"))
}
