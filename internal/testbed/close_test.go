package testbed_test

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/gofetch/fetch/internal/testbed"
)

// childrenIn lists this process's children whose working directory is
// inside dir: hg serve runs in dir/hg, git http-backend in dir/git.
func childrenIn(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Skip("no /proc to list processes in")
	}
	self := strconv.Itoa(os.Getpid())
	var found []string
	for _, e := range entries {
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue // not a process, or gone meanwhile
		}
		// Fields after the parenthesized command name: state, ppid, ...
		fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(fields) < 2 || fields[1] != self || fields[0] == "Z" {
			continue
		}
		cwd, err := os.Readlink(filepath.Join("/proc", e.Name(), "cwd"))
		if err == nil && strings.HasPrefix(cwd, dir) {
			cmdline, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
			found = append(found, e.Name()+": "+strings.ReplaceAll(string(cmdline), "\x00", " "))
		}
	}
	return found
}

func TestCloseStopsEverything(t *testing.T) {
	testbed.RequireHg(t)
	b, err := testbed.Start(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	repo, err := b.AddHgRepo("r", map[string]string{"f": "x\n"})
	if err != nil {
		t.Fatal(err)
	}
	if out, err := runTool(b.Dir, toolEnv(t, b), "hg", "identify", repo.URL); err != nil {
		t.Fatalf("hg identify: %v\n%s", err, out)
	}
	if running := childrenIn(t, b.Dir); len(running) == 0 {
		t.Fatal("hg serve is not among this process's children before Close; the check below would prove nothing")
	}
	if err := b.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if running := childrenIn(t, b.Dir); len(running) > 0 {
		t.Errorf("processes left after Close:\n%s", strings.Join(running, "\n"))
	}
	for _, addr := range []string{b.HTTPSAddr, b.HTTPAddr, b.ProxyAddr, strings.TrimPrefix(b.GitBase(), "https://"), strings.TrimPrefix(b.HgBase(), "https://")} {
		conn, err := net.Dial("tcp", addr)
		if err == nil {
			conn.Close()
			t.Errorf("%s still accepts connections after Close", addr)
		} else if !errors.Is(err, syscall.ECONNREFUSED) {
			t.Errorf("dialing %s after Close: %v, want connection refused", addr, err)
		}
	}
	if err := b.Close(); err != nil {
		t.Errorf("a second Close: %v, want nil", err)
	}
}
