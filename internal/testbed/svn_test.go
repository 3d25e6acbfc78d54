package testbed_test

import (
	"bufio"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gofetch/fetch/internal/testbed"
	"github.com/gofetch/fetch/internal/testutil"
)

// toolCase is one command a real client runs against a bed server.
type toolCase struct {
	name    string
	args    []string // DIR is replaced by a fresh directory
	wantErr bool
	wantOut string            // substring of the output
	wantIn  map[string]string // file in DIR -> content
	missing []string          // files that must not be in DIR
	wantRev string            // substring of revCmd's output in DIR
}

// runToolCases runs each case's command with env and checks the result;
// revCmd prints the revision of a checkout.
func runToolCases(t *testing.T, dir string, env []string, tool string, revCmd []string, cases []toolCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			co := filepath.Join(t.TempDir(), "co")
			args := make([]string, len(tt.args))
			for i, a := range tt.args {
				args[i] = strings.ReplaceAll(a, "DIR", co)
			}
			out, err := runTool(dir, env, tool, args...)
			if (err != nil) != tt.wantErr || !strings.Contains(out, tt.wantOut) {
				t.Fatalf("%s %s: err %v, want error %v, output containing %q:\n%s", tool, strings.Join(args, " "), err, tt.wantErr, tt.wantOut, out)
			}
			for name, want := range tt.wantIn {
				got, err := os.ReadFile(filepath.Join(co, name))
				if err != nil || string(got) != want {
					t.Errorf("%s = %q (%v), want %q", name, got, err, want)
				}
			}
			for _, name := range tt.missing {
				if _, err := os.Lstat(filepath.Join(co, name)); err == nil {
					t.Errorf("%s exists in the checkout, want it missing", name)
				}
			}
			if tt.wantRev != "" {
				rev, err := runTool(co, env, revCmd[0], revCmd[1:]...)
				if err != nil || !strings.Contains(rev, tt.wantRev) {
					t.Errorf("%s: %q (%v), want %s", strings.Join(revCmd, " "), rev, err, tt.wantRev)
				}
			}
		})
	}
}

func startSvn(t *testing.T, b *testbed.Bed) *testbed.SvnServer {
	t.Helper()
	testutil.NeedTool(t, "svnserve", "subversion")
	s, err := b.StartSvn()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("closing svn server: %v", err)
		}
	})
	return s
}

func TestSvnServesRepositoriesToRealSvn(t *testing.T) {
	b := testbed.New(t)
	s := startSvn(t, b)
	repo, err := s.AddRepo("org/proj", map[string]string{"a.txt": "one\n", "gone.txt": "x\n"})
	if err != nil {
		t.Fatal(err)
	}
	r2, err := repo.Commit(map[string]string{"a.txt": "two\n", "sub/b.txt": "b\n"}, "second")
	if err != nil {
		t.Fatal(err)
	}
	if r2 != "2" {
		t.Fatalf("the second commit is revision %q, want 2", r2)
	}
	env := append(toolEnv(t, b), "USER=tester")
	runToolCases(t, b.Dir, env, "svn", []string{"svn", "info", "--show-item", "revision"}, []toolCase{
		{
			name:    "a checkout over svn:// has the newest revision, without the removed file",
			args:    []string{"checkout", "--non-interactive", "--", repo.URL, "DIR"},
			wantIn:  map[string]string{"a.txt": "two\n", "sub/b.txt": "b\n"},
			missing: []string{"gone.txt"},
			wantRev: "2",
		},
		{
			name:    "a checkout at revision 1 has the first snapshot",
			args:    []string{"checkout", "--non-interactive", "--revision=1", "--", repo.URL, "DIR"},
			wantIn:  map[string]string{"a.txt": "one\n", "gone.txt": "x\n"},
			missing: []string{"sub"},
			wantRev: "1",
		},
		{
			name:    "a repository that does not exist is an error",
			args:    []string{"info", "--non-interactive", "--", s.Base() + "/none"},
			wantErr: true,
			wantOut: "none",
		},
	})
	log := strings.Join(b.Requests(), "\n")
	if !strings.Contains(log, "SVN "+repo.URL) {
		t.Errorf("no svn connection to %s logged:\n%s", repo.URL, log)
	}
}

func TestSvnCloseEndsConnectionsAndProcesses(t *testing.T) {
	b := testbed.New(t)
	s := startSvn(t, b)
	conn, err := net.Dial("tcp", s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// svnserve greets first: once the greeting is read, its process runs.
	greeting, err := bufio.NewReader(conn).ReadString(')')
	if err != nil || !strings.HasPrefix(greeting, "( success") {
		t.Fatalf("svnserve greeting %q, %v", greeting, err)
	}
	if running := childrenIn(t, b.Dir); len(running) == 0 {
		t.Fatal("no svnserve among this process's children; the check below would prove nothing")
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if running := childrenIn(t, b.Dir); len(running) > 0 {
		t.Errorf("processes left after Close:\n%s", strings.Join(running, "\n"))
	}
	if _, err := net.Dial("tcp", s.Addr); err == nil {
		t.Errorf("%s still accepts connections after Close", s.Addr)
	}
	if !strings.Contains(strings.Join(b.Requests(), "\n"), "SVN "+s.Base()) {
		t.Errorf("a connection that named no repository is not logged by address:\n%s", strings.Join(b.Requests(), "\n"))
	}
}
