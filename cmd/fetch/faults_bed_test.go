//go:build linux

package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gofetch/fetch/internal/testbed"
)

// faultSource is one source of the fault tests and what a complete
// destination for it holds.
type faultSource struct {
	arg    string            // the source as given to fetch
	files  map[string]string // every regular file of a complete destination, .git excluded
	commit string            // HEAD of a complete git checkout; empty for archives
	dest   string            // filled in from fetch resolve
}

func (s faultSource) git() bool { return s.commit != "" }

// faultBed is a test bed with repos git repositories (vanity pages for
// example.org/kNN and its subpackages p1..p4) and archives .tar.gz and .zip
// files at https://files.example/aNN.*, each with enough files that
// cloning and unpacking take a while to interrupt.
type faultBed struct {
	*testbed.Bed
	bin      string        // the fetch command
	repos    []faultSource // example.org/kNN, in order
	direct   []string      // git::URL of each repository, in order
	archives []faultSource
}

func newFaultBed(t *testing.T, repos, archives int) *faultBed {
	t.Helper()
	bin, err := exec.LookPath("fetch")
	if err != nil {
		t.Fatalf("fetch is not on PATH (TestMain puts it there): %v", err)
	}
	b := &faultBed{Bed: testbed.New(t), bin: bin}
	// Repositories are made four at a time: git's start-up dominates.
	b.repos = make([]faultSource, repos)
	b.direct = make([]string, repos)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i := range repos {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			if err := b.addRepo(i); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	if err := os.MkdirAll(filepath.Join(b.WWW, "files.example"), 0o777); err != nil {
		t.Fatal(err)
	}
	for i := range archives {
		name := fmt.Sprintf("a%02d", i)
		files := fillerFiles(name, 120)
		ext, data := ".tar.gz", tarGz(t, files)
		if i%2 == 1 {
			ext, data = ".zip", zipped(t, files)
		}
		if err := os.WriteFile(filepath.Join(b.WWW, "files.example", name+ext), data, 0o666); err != nil {
			t.Fatal(err)
		}
		b.archives = append(b.archives, faultSource{arg: "https://files.example/" + name + ext, files: files})
	}
	return b
}

// addRepo makes repository kNN for i and its pages.
func (b *faultBed) addRepo(i int) error {
	name := fmt.Sprintf("k%02d", i)
	files := fillerFiles(name, 24)
	for p := 1; p <= 4; p++ {
		files[fmt.Sprintf("p%d/p%d.go", p, p)] = fmt.Sprintf("package p%d // %s\n", p, name)
	}
	repo, err := b.AddGitRepo(name, files)
	if err != nil {
		return err
	}
	commit, err := repo.Rev("HEAD")
	if err != nil {
		return err
	}
	page := fmt.Sprintf(`<meta name="go-import" content="example.org/%s git ${TESTBED_GIT}/%s.git">`, name, name)
	for _, p := range []string{"", "/p1", "/p2", "/p3", "/p4"} {
		if err := b.WriteWWW("example.org/"+name+p+".html", page); err != nil {
			return err
		}
	}
	b.repos[i] = faultSource{arg: "example.org/" + name, files: files, commit: commit}
	b.direct[i] = "git::" + repo.URL
	return nil
}

// fillerFiles makes n files in a few directories, each naming its owner so
// that a file in the wrong destination shows.
func fillerFiles(owner string, n int) map[string]string {
	files := map[string]string{"README": "this is " + owner + "\n"}
	for i := range n {
		files[fmt.Sprintf("d%d/f%03d.txt", i%4, i)] = strings.Repeat(fmt.Sprintf("%s line %d\n", owner, i), 1+i%50)
	}
	return files
}

func tarGz(t *testing.T, files map[string]string) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, name := range sortedNames(files) {
		hdr := &tar.Header{Name: name, Mode: 0o644, Size: int64(len(files[name])), Typeflag: tar.TypeReg}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(files[name]))
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func zipped(t *testing.T, files map[string]string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range sortedNames(files) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(files[name]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sortedNames(m map[string]string) []string {
	return slices.Sorted(maps.Keys(m))
}

// fetchCmd returns fetch running command (get or resolve) over root with
// the bed's hosts reachable. fetch is this test binary (see TestMain); the
// race detector's one-second pause at exit is turned off, which matters
// over hundreds of runs.
func (b *faultBed) fetchCmd(root, command string, args ...string) *exec.Cmd {
	args = append([]string{command,
		"--connect-to", "example.org:443:" + b.HTTPSAddr,
		"--connect-to", "files.example:443:" + b.HTTPSAddr,
	}, args...)
	cmd := exec.Command(b.bin, args...)
	cmd.Env = append(os.Environ(), b.Env()...)
	cmd.Env = append(cmd.Env,
		"FETCH_ROOT="+root,
		"HOME="+filepath.Join(b.Dir, ".testbed", "home"),
		"FETCH_CACHE="+filepath.Join(b.Dir, ".testbed", "fetch-cache"),
		"GOPATH=", "GOVCS=", "GOPRIVATE=", "GOINSECURE=", "GONOSUMDB=", "GONOPROXY=", "NETRC=",
		"GIT_SSH_COMMAND=", "http_proxy=", "https_proxy=", "HTTP_PROXY=", "HTTPS_PROXY=",
		"GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"),
	)
	return cmd
}

// faultResult is the part of a JSON line the fault tests read.
type faultResult struct {
	Source, Status, Dest, Commit, Error string
}

// parseResults reads fetch's JSON lines and checks there is one per
// source, in input order.
func parseResults(t *testing.T, out []byte, sources []faultSource) []faultResult {
	t.Helper()
	var rs []faultResult
	for line := range bytes.Lines(out) {
		var r faultResult
		if err := json.Unmarshal(line, &r); err != nil {
			t.Fatalf("stdout line %q is not JSON: %v", line, err)
		}
		rs = append(rs, r)
	}
	if len(rs) != len(sources) {
		t.Fatalf("fetch printed %d results for %d sources:\n%s", len(rs), len(sources), out)
	}
	for i, r := range rs {
		if r.Source != sources[i].arg {
			t.Fatalf("result %d is for %q, want %q (input order)", i, r.Source, sources[i].arg)
		}
	}
	return rs
}

// resolveDests fills in each source's destination as fetch resolve
// reports it, so that a killed fetch, which reports nothing, can be checked.
func (b *faultBed) resolveDests(t *testing.T, root string, sources []faultSource) {
	t.Helper()
	list := filepath.Join(t.TempDir(), "sources.txt")
	writeSources(t, list, sources)
	cmd := b.fetchCmd(root, "resolve", "--json", "-f", list)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("fetch resolve: %v\n%s", err, stderrOf(err))
	}
	for i, r := range parseResults(t, out, sources) {
		if r.Dest == "" || !strings.HasPrefix(r.Dest, root+string(filepath.Separator)) {
			t.Fatalf("fetch resolve puts %s at %q, want a place under %s", r.Source, r.Dest, root)
		}
		sources[i].dest = r.Dest
	}
}

func writeSources(t *testing.T, name string, sources []faultSource) {
	var sb strings.Builder
	for _, s := range sources {
		sb.WriteString(s.arg + "\n")
	}
	if err := os.WriteFile(name, []byte(sb.String()), 0o666); err != nil {
		t.Fatal(err)
	}
}

func stderrOf(err error) []byte {
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.Stderr
	}
	return nil
}

// checkDest returns nil if s's destination is missing or complete: exactly
// the expected files and, for git, a checkout of the expected commit that
// git fsck accepts and whose work tree matches its index.
func (b *faultBed) checkDest(s faultSource) (present bool, err error) {
	if _, err := os.Lstat(s.dest); os.IsNotExist(err) {
		return false, nil
	}
	got, err := readFiles(s.dest)
	if err != nil {
		return true, err
	}
	if !maps.Equal(got, s.files) {
		return true, fmt.Errorf("%s holds %d files, want %d; it differs: %s", s.dest, len(got), len(s.files), mapDiff(got, s.files))
	}
	if !s.git() {
		return true, nil
	}
	for _, args := range [][]string{{"fsck", "--no-progress", "--strict"}, {"rev-parse", "HEAD"}, {"status", "--porcelain"}} {
		cmd := exec.Command("git", append([]string{"-C", s.dest}, args...)...)
		cmd.Env = append(os.Environ(), b.Env()...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			return true, fmt.Errorf("git %s in %s: %v\n%s", args[0], s.dest, err, out)
		}
		switch got := strings.TrimSpace(string(out)); {
		case args[0] == "rev-parse" && got != s.commit:
			return true, fmt.Errorf("%s has HEAD %s, want %s", s.dest, got, s.commit)
		case args[0] == "status" && got != "":
			return true, fmt.Errorf("%s's work tree differs from its index:\n%s", s.dest, got)
		}
	}
	return true, nil
}

// readFiles returns the regular files under dir by slash path, skipping
// the top-level .git directory.
func readFiles(dir string) (map[string]string, error) {
	files := make(map[string]string)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && p == filepath.Join(dir, ".git"):
			return filepath.SkipDir
		case d.IsDir():
			return nil
		case !d.Type().IsRegular():
			return fmt.Errorf("%s is not a regular file", p)
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(data)
		return err
	})
	return files, err
}

func mapDiff(got, want map[string]string) string {
	for k, v := range want {
		if g, ok := got[k]; !ok {
			return k + " is missing"
		} else if g != v {
			return k + " has other content"
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			return k + " is extra"
		}
	}
	return "no difference"
}

// leftovers lists the names fetch uses for its transient bookkeeping
// (.fetch-* temporaries and locks) anywhere under root, outside
// checkouts' .git directories. A download's record (.fetch-record-NAME)
// is meant to stay beside NAME, so it counts only when NAME is missing:
// a record of nothing is a leftover too.
func leftovers(t *testing.T, root string) []string {
	t.Helper()
	var found []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Errorf("walking %s: %v", root, err)
			return nil
		}
		if name, ok := strings.CutPrefix(d.Name(), ".fetch-record-"); ok {
			if _, err := os.Lstat(filepath.Join(filepath.Dir(p), name)); err != nil {
				found = append(found, p)
			}
		} else if strings.HasPrefix(d.Name(), ".fetch-") {
			found = append(found, p)
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		return nil
	})
	return found
}
