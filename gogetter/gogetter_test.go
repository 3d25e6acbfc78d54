package gogetter_test

import (
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	getter "github.com/hashicorp/go-getter"

	"github.com/gofetch/fetch/fetch"
	"github.com/gofetch/fetch/gogetter"
	"github.com/gofetch/fetch/internal/testbed"
	"github.com/gofetch/fetch/internal/testutil"
)

func goImport(content string) string {
	return `<html><head><meta name="go-import" content="` + content + `"></head></html>`
}

// setup starts a bed serving pages, points git and hg at its CA through
// the environment (go-getter's getters run them with os.Environ), and
// returns a Detector whose HTTP client reaches the bed.
func setup(t *testing.T, pages map[string]string, opts fetch.Options) (*testbed.Bed, *gogetter.Detector) {
	t.Helper()
	b := testbed.New(t)
	for _, kv := range b.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	for name, content := range pages {
		if err := b.WriteWWW(name, content); err != nil {
			t.Fatal(err)
		}
	}
	opts.Root = t.TempDir()
	opts.Pwd = t.TempDir()
	if opts.Transport == nil {
		opts.Transport = b.Transport()
	}
	opts.Getenv = func(k string) string {
		if k == "GOVCS" {
			// svn, bzr and fossil paths must get as far as the Detector's
			// own refusal (the default GOVCS refuses them first).
			return "public:all"
		}
		return ""
	}
	d, err := gogetter.NewDetector(opts)
	if err != nil {
		t.Fatal(err)
	}
	return b, d
}

// vanity are the pages of the tests' import paths.
var vanity = map[string]string{
	"example.org/pkg.html":      goImport("example.org/pkg git ${TESTBED_GIT}/pkg.git"),
	"example.org/pkg/sub.html":  goImport("example.org/pkg git ${TESTBED_GIT}/pkg.git"),
	"example.org/mono/api.html": goImport("example.org/mono/api git ${TESTBED_GIT}/mono.git api"),
	"example.org/hgpkg.html":    goImport("example.org/hgpkg hg ${TESTBED_HG}/hgpkg"),
	"example.org/svnpkg.html":   goImport("example.org/svnpkg svn https://svn.example.net/svnpkg"),
	"example.org/bzrpkg.html":   goImport("example.org/bzrpkg bzr https://bzr.example.net/bzrpkg"),
	"example.org/fslpkg.html":   goImport("example.org/fslpkg fossil https://fossil.example.net/fslpkg"),
	"example.org/modpkg.html":   goImport("example.org/modpkg mod https://proxy.example.net"),
}

func TestDetectTurnsImportPathsIntoGetterURLs(t *testing.T) {
	b, d := setup(t, vanity, fetch.Options{})
	git, hg := b.GitBase(), b.HgBase()
	for _, tc := range []struct{ name, src, want string }{
		{"a vanity root is its repository", "example.org/pkg", "git::" + git + "/pkg.git"},
		{"a package below the root is a subdirectory", "example.org/pkg/sub", "git::" + git + "/pkg.git//sub"},
		{"@REF becomes ?ref=", "example.org/pkg/sub@v1.0.0", "git::" + git + "/pkg.git//sub?ref=v1.0.0"},
		{"?ref= is kept", "example.org/pkg?ref=v1.0.0", "git::" + git + "/pkg.git?ref=v1.0.0"},
		{"other options are kept", "example.org/pkg?ref=main&depth=1", "git::" + git + "/pkg.git?depth=1&ref=main"},
		{"the go-import subdirectory comes first", "example.org/mono/api/v2", "git::" + git + "/mono.git//api/v2"},
		{"hg asks for ?rev=", "example.org/hgpkg@v1.0.0", "hg::" + hg + "/hgpkg?rev=v1.0.0"},
		{"a known hosting site needs no page", "github.com/hashicorp/go-getter/helper/url", "git::https://github.com/hashicorp/go-getter//helper/url"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok, err := d.Detect(tc.src, t.TempDir())
			if err != nil || !ok || got != tc.want {
				t.Errorf("Detect(%q) = %q, %v, %v; want %q, true, nil", tc.src, got, ok, err, tc.want)
			}
		})
	}
}

func TestDetectLeavesOtherSourcesToGoGetter(t *testing.T) {
	b, d := setup(t, nil, fetch.Options{})
	for _, tc := range []struct{ name, src string }{
		{"a relative local path", "./modules/vpc"},
		{"a parent directory", "../shared"},
		{"an absolute path", "/srv/modules/vpc"},
		{"a registry address has no dot in its first element", "hashicorp/consul/aws"},
		{"a single word", "modules"},
		{"scp-style user@host:path", "git@example.org:org/repo.git"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok, err := d.Detect(tc.src, t.TempDir())
			if got != "" || ok || err != nil {
				t.Errorf("Detect(%q) = %q, %v, %v; want \"\", false, nil", tc.src, got, ok, err)
			}
		})
	}
	if reqs := b.Requests(); len(reqs) != 0 {
		t.Errorf("sources that are not import paths made requests: %q", reqs)
	}
}

func TestDetectRefusesRepositoriesGoGetterCannotFetch(t *testing.T) {
	_, d := setup(t, vanity, fetch.Options{})
	for _, tc := range []struct{ src, vcs string }{
		{"example.org/svnpkg", "svn"},
		{"example.org/bzrpkg/x", "bzr"},
		{"example.org/fslpkg", "fossil"},
		{"example.org/modpkg", "mod"},
	} {
		t.Run(tc.vcs, func(t *testing.T) {
			_, ok, err := d.Detect(tc.src, t.TempDir())
			var unsupported *gogetter.UnsupportedVCSError
			if ok || !errors.As(err, &unsupported) {
				t.Fatalf("Detect(%q) = %v, %v; want an *UnsupportedVCSError", tc.src, ok, err)
			}
			if unsupported.VCS != tc.vcs || unsupported.ImportPath != tc.src {
				t.Errorf("error names %s %s, want %s %s: %v", unsupported.VCS, unsupported.ImportPath, tc.vcs, tc.src, err)
			}
		})
	}
}

func TestDetectFailsOnAPathWithoutARepository(t *testing.T) {
	_, d := setup(t, nil, fetch.Options{})
	if _, ok, err := d.Detect("example.org/nothing", t.TempDir()); ok || err == nil {
		t.Errorf("Detect of a path with no go-import page = %v, %v; want an error", ok, err)
	}
}

func TestDetectEndsAtItsTimeout(t *testing.T) {
	b := testbed.New(t)
	// The page answers in an hour; the Detector must give up long before.
	addr, err := b.StartDelayed(time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	_, d := setup(t, nil, fetch.Options{
		Transport:     b.Transport(testbed.Route{HostPort: "slow.example:443", Addr: addr}),
		SourceTimeout: 100 * time.Millisecond,
	})
	_, ok, err := d.Detect("slow.example/pkg", t.TempDir())
	if ok || !errors.Is(err, fetch.ErrSourceTimeout) {
		t.Errorf("Detect against a server that does not answer = %v, %v; want an error wrapping fetch.ErrSourceTimeout", ok, err)
	}
}

func TestInsertPlacesTheDetectorBeforeTheFileDetector(t *testing.T) {
	_, d := setup(t, nil, fetch.Options{})
	ds := d.Insert(getter.Detectors)
	if len(ds) != len(getter.Detectors)+1 {
		t.Fatalf("Insert gave %d detectors from %d", len(ds), len(getter.Detectors))
	}
	i := slicesIndex(ds, getter.Detector(d))
	if _, isFile := ds[i+1].(*getter.FileDetector); !isFile {
		t.Errorf("detector after ours is %T, want *getter.FileDetector", ds[i+1])
	}
	if _, isFile := getter.Detectors[len(getter.Detectors)-1].(*getter.FileDetector); !isFile {
		t.Errorf("Insert changed go-getter's own list")
	}
}

func slicesIndex(ds []getter.Detector, d getter.Detector) int {
	for i, x := range ds {
		if x == d {
			return i
		}
	}
	return -1
}

// get runs go-getter's own Client on src with the Detector inserted and the
// Getter registered under "go", and returns the destination.
func get(t *testing.T, d *gogetter.Detector, src string, detectors []getter.Detector) (string, error) {
	t.Helper()
	if detectors == nil {
		detectors = d.Insert(getter.Detectors)
	}
	getters := map[string]getter.Getter{"go": d.Getter()}
	for k, v := range getter.Getters {
		getters[k] = v
	}
	dst := filepath.Join(t.TempDir(), "dst")
	c := &getter.Client{
		Ctx:       t.Context(),
		Src:       src,
		Dst:       dst,
		Pwd:       t.TempDir(),
		Mode:      getter.ClientModeDir,
		Detectors: detectors,
		Getters:   getters,
	}
	return dst, c.Get()
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestClientGetsVanityImportPaths(t *testing.T) {
	testutil.NeedTool(t, "git", "git")
	b, d := setup(t, vanity, fetch.Options{})
	repo, err := b.AddGitRepo("pkg", map[string]string{"sub/x.go": "package sub // v1\n", "root.go": "package pkg\n"}, testbed.WithTag("v1.0.0"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := repo.Commit(map[string]string{"sub/x.go": "package sub // v2\n", "root.go": "package pkg\n"}, "v2"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, src, file, want string }{
		{"a package at a tag is that subdirectory at the tag", "example.org/pkg/sub@v1.0.0", "x.go", "package sub // v1\n"},
		{"?ref= works as @", "example.org/pkg/sub?ref=v1.0.0", "x.go", "package sub // v1\n"},
		{"no ref is the default branch", "example.org/pkg/sub", "x.go", "package sub // v2\n"},
		{"the root is the whole repository", "example.org/pkg", "root.go", "package pkg\n"},
		{"go:: is the same import path", "go::example.org/pkg/sub@v1.0.0", "x.go", "package sub // v1\n"},
		{"go:: with a scheme names the root itself", "go::https://example.org/pkg?ref=v1.0.0", "sub/x.go", "package sub // v1\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dst, err := get(t, d, tc.src, nil)
			if err != nil {
				t.Fatalf("Get(%q): %v", tc.src, err)
			}
			if got := readFile(t, filepath.Join(dst, tc.file)); got != tc.want {
				t.Errorf("Get(%q): %s holds %q, want %q", tc.src, tc.file, got, tc.want)
			}
		})
	}
}

func TestClientGetsHgImportPaths(t *testing.T) {
	testutil.NeedTool(t, "hg", "mercurial")
	b, d := setup(t, vanity, fetch.Options{})
	repo, err := b.AddHgRepo("hgpkg", map[string]string{"a.txt": "one\n"}, testbed.WithTag("v1.0.0"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := repo.Commit(map[string]string{"a.txt": "two\n"}, "two"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ src, want string }{
		{"example.org/hgpkg@v1.0.0", "one\n"},
		{"go::example.org/hgpkg?ref=v1.0.0", "one\n"},
		{"example.org/hgpkg", "two\n"},
	} {
		t.Run(tc.src, func(t *testing.T) {
			dst, err := get(t, d, tc.src, nil)
			if err != nil {
				t.Fatalf("Get(%q): %v", tc.src, err)
			}
			if got := readFile(t, filepath.Join(dst, "a.txt")); got != tc.want {
				t.Errorf("Get(%q): a.txt holds %q, want %q", tc.src, got, tc.want)
			}
		})
	}
}

func TestClientRefusesUnsupportedRepositories(t *testing.T) {
	_, d := setup(t, vanity, fetch.Options{})
	for _, src := range []string{"example.org/svnpkg", "go::example.org/modpkg"} {
		_, err := get(t, d, src, nil)
		var unsupported *gogetter.UnsupportedVCSError
		if !errors.As(err, &unsupported) {
			t.Errorf("Get(%q) = %v, want an *UnsupportedVCSError", src, err)
		}
	}
}

func TestGoGetterWithoutTheDetectorSaysSo(t *testing.T) {
	_, d := setup(t, vanity, fetch.Options{})
	// go-getter's FileDetector turns the import path into a file URL.
	_, err := get(t, d, "go::example.org/pkg", getter.Detectors)
	if !errors.Is(err, gogetter.ErrNoDetector) {
		t.Errorf("Get without the Detector = %v, want an error wrapping ErrNoDetector", err)
	}
}

func TestGoGetterWithASchemeRefusesASubdirectory(t *testing.T) {
	_, d := setup(t, vanity, fetch.Options{})
	_, err := get(t, d, "go::https://example.org/pkg/sub", nil)
	if err == nil || !strings.Contains(err.Error(), "without a scheme") {
		t.Errorf("Get(go::https://example.org/pkg/sub) = %v, want the advice to drop the scheme", err)
	}
}

// go-getter hands a detected URL to git clone as it is, so a hostile page
// must never get one through: fetch's rules for repository URLs apply.
func TestDetectRefusesUnsafeRepositoryURLs(t *testing.T) {
	_, d := setup(t, map[string]string{
		"example.org/file.html":  goImport("example.org/file git file:///etc"),
		"example.org/ext.html":   goImport("example.org/ext git ext::sh"),
		"example.org/opt.html":   goImport("example.org/opt git -uhost.example/opt"),
		"example.org/gitp.html":  goImport("example.org/gitp git git://host.example/gitp.git"),
		"example.org/plain.html": goImport("example.org/plain git http://host.example/plain.git"),
	}, fetch.Options{})
	for _, tc := range []struct{ name, src string }{
		{"a local file URL", "example.org/file"},
		{"git's ext:: transport, which runs a command", "example.org/ext"},
		{"a URL that git would read as an option", "example.org/opt"},
		{"the unencrypted git protocol", "example.org/gitp"},
		{"plain http without GOINSECURE", "example.org/plain"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if out, ok, err := d.Detect(tc.src, t.TempDir()); ok || err == nil {
				t.Errorf("Detect(%q) = %q, %v, %v; want an error", tc.src, out, ok, err)
			}
		})
	}
}

// countingGetter is go-getter's git getter, counting the repositories it
// is asked for.
type countingGetter struct {
	getter.GitGetter
	urls []string
}

func (g *countingGetter) Get(dst string, u *url.URL) error {
	g.urls = append(g.urls, u.String())
	return g.GitGetter.Get(dst, u)
}

func TestGoGetterUsesTheClientsGitGetter(t *testing.T) {
	testutil.NeedTool(t, "git", "git")
	b, d := setup(t, vanity, fetch.Options{})
	if _, err := b.AddGitRepo("pkg", map[string]string{"sub/x.go": "package sub\n"}, testbed.WithTag("v1.0.0")); err != nil {
		t.Fatal(err)
	}
	git := &countingGetter{}
	c := &getter.Client{
		Ctx:       t.Context(),
		Src:       "go::example.org/pkg/sub@v1.0.0",
		Dst:       filepath.Join(t.TempDir(), "dst"),
		Pwd:       t.TempDir(),
		Mode:      getter.ClientModeDir,
		Detectors: d.Insert(getter.Detectors),
		Getters:   map[string]getter.Getter{"go": d.Getter(), "git": git},
	}
	if err := c.Get(); err != nil {
		t.Fatal(err)
	}
	want := b.GitBase() + "/pkg.git?ref=v1.0.0"
	if len(git.urls) != 1 || git.urls[0] != want {
		t.Errorf("the client's git getter was asked for %q, want [%q]", git.urls, want)
	}
	if got := readFile(t, filepath.Join(c.Dst, "x.go")); got != "package sub\n" {
		t.Errorf("x.go holds %q", got)
	}
}

func TestDetectIsSafeForConcurrentUse(t *testing.T) {
	b, d := setup(t, vanity, fetch.Options{})
	want := map[string]string{
		"example.org/pkg/sub":     "git::" + b.GitBase() + "/pkg.git//sub",
		"example.org/mono/api/v2": "git::" + b.GitBase() + "/mono.git//api/v2",
		"example.org/hgpkg":       "hg::" + b.HgBase() + "/hgpkg",
	}
	type answer struct{ src, got string }
	answers := make(chan answer, 3*len(want))
	var wg sync.WaitGroup
	for range 3 {
		for src := range want {
			wg.Go(func() {
				got, _, err := d.Detect(src, "")
				if err != nil {
					got = err.Error()
				}
				answers <- answer{src, got}
			})
		}
	}
	wg.Wait()
	close(answers)
	for a := range answers {
		if a.got != want[a.src] {
			t.Errorf("Detect(%q) = %q, want %q", a.src, a.got, want[a.src])
		}
	}
}
