// Package modproxy downloads a module version through the module proxy
// protocol (GOPROXY), which is how fetch serves a go-import entry whose VCS
// is "mod". The zip is checked and unpacked by golang.org/x/mod/zip, which
// enforces the Go command's rules for module zips, and hashed as go.sum
// records it.
package modproxy

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"
	modzip "golang.org/x/mod/zip"

	"github.com/gofetch/fetch/internal/download"
	"github.com/gofetch/fetch/trace"
)

// Module is a module version unpacked by Fetch.
type Module struct {
	// Path is the module path.
	Path string
	// Version is the canonical version fetched.
	Version string
	// Time is the version's time as the proxy reports it; zero if none.
	Time time.Time
	// Hash is the "h1:" hash of the module zip, as go.sum records it.
	Hash string
}

// maxMeta bounds the .info, @latest and @v/list responses.
const maxMeta = 1 << 20

// fetcher talks to one proxy about one module; its bounds are fields so
// tests can lower them.
type fetcher struct {
	client  *http.Client
	trace   trace.Func
	base    string // proxy URL without a trailing slash
	path    string // module path
	escPath string // module.EscapePath(path)
	maxZip  int64
	tempDir string // where the zip is downloaded; "" means os.TempDir()
	// verify, when set, judges the zip's h1: hash before anything is
	// unpacked.
	verify func(ctx context.Context, path, version, hash string) error
}

// newFetcher checks proxyURL and modulePath and returns their fetcher; a
// nil client means a default one.
func newFetcher(client *http.Client, tr trace.Func, proxyURL, modulePath string) (*fetcher, error) {
	if client == nil {
		client = &http.Client{}
	}
	base, err := checkProxy(proxyURL)
	if err != nil {
		return nil, err
	}
	f := &fetcher{client: client, trace: tr, base: base, path: modulePath, maxZip: modzip.MaxZipFile}
	if f.escPath, err = module.EscapePath(modulePath); err != nil {
		return nil, fmt.Errorf("module path %q: %w", modulePath, err)
	}
	return f, nil
}

// Fetch downloads modulePath at version from the proxy at proxyURL and
// unpacks it into dst, which must be missing or empty; on failure dst is
// left as it was found. An empty version means the latest: the highest
// release in @v/list, else its highest pre-release, else @latest, else
// the newest pseudo-version in @v/list, as the Go command resolves
// "latest". Files are left writable (0644, unlike the module cache's
// 0444): dst is a working tree. A nil client means a default one; tr may
// be nil.
func Fetch(ctx context.Context, client *http.Client, proxyURL, modulePath, version, dst string, tr trace.Func) (*Module, error) {
	f, err := newFetcher(client, tr, proxyURL, modulePath)
	if err != nil {
		return nil, err
	}
	return f.fetch(ctx, version, dst)
}

func (f *fetcher) fetch(ctx context.Context, version, dst string) (*Module, error) {
	if err := checkEmpty(dst); err != nil {
		return nil, err
	}
	inf, err := f.resolve(ctx, version)
	if err != nil {
		return nil, err
	}
	m := &Module{Path: f.path, Version: inf.Version, Time: inf.Time}
	if m.Hash, err = f.unpack(ctx, m.Version, dst); err != nil {
		return nil, fmt.Errorf("module %s@%s: %w", f.path, m.Version, err)
	}
	return m, nil
}

// resolve turns version (a query; "" or "latest" for the latest) into
// the version the proxy has.
func (f *fetcher) resolve(ctx context.Context, version string) (*info, error) {
	if strings.HasPrefix(version, "-") || strings.HasPrefix(version, "/") {
		return nil, fmt.Errorf("module %s: version %q starts with %q, which could be read as an option or a path", f.path, version, version[:1])
	}
	if version == "" || version == "latest" {
		return f.latest(ctx)
	}
	return f.stat(ctx, version)
}

// checkProxy accepts an http or https proxy URL. The Go command also
// accepts file:// proxies, and the words direct and off; none of those can
// come from a go-import tag.
func checkProxy(proxyURL string) (string, error) {
	shown := redactText(proxyURL)
	u, err := url.Parse(proxyURL)
	switch {
	case proxyURL == "":
		return "", errors.New("no module proxy URL")
	case strings.HasPrefix(proxyURL, "-"):
		return "", fmt.Errorf("module proxy URL %q starts with '-'", shown)
	case err != nil:
		return "", fmt.Errorf("module proxy URL %q: %w", shown, redactErr(err))
	case u.Scheme != "http" && u.Scheme != "https", u.Host == "":
		return "", fmt.Errorf("module proxy URL %q: want an http or https URL with a host", shown)
	case u.RawQuery != "" || u.Fragment != "":
		return "", fmt.Errorf("module proxy URL %q: a proxy URL takes no query or fragment", shown)
	}
	return strings.TrimRight(proxyURL, "/"), nil
}

// checkEmpty requires dst to be missing or an empty directory before
// anything is downloaded; zip.Unzip checks again.
func checkEmpty(dst string) error {
	if dst == "" {
		return errors.New("no destination directory")
	}
	ents, err := os.ReadDir(dst)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("destination: %w", err)
	}
	if len(ents) > 0 {
		return fmt.Errorf("destination %s is not empty", dst)
	}
	return nil
}

// unpack downloads the zip of version, unpacks it into dst and returns
// its hash.
func (f *fetcher) unpack(ctx context.Context, version, dst string) (hash string, err error) {
	escVer, err := module.EscapeVersion(version)
	if err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(f.tempDir, "fetch-modzip-*.zip")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	err = f.get(ctx, "@v/"+escVer+".zip", tmp, f.maxZip)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	// Hashing first means a zip that cannot be hashed writes nothing.
	if hash, err = dirhash.HashZip(tmp.Name(), dirhash.Hash1); err != nil {
		return "", fmt.Errorf("hashing the module zip: %w", err)
	}
	if f.verify != nil {
		if err := f.verify(ctx, f.path, version, hash); err != nil {
			return "", err
		}
	}
	if err := checkNames(tmp.Name()); err != nil {
		return "", err
	}
	_, statErr := os.Stat(dst)
	existed := statErr == nil
	if err := modzip.Unzip(dst, module.Version{Path: f.path, Version: version}, tmp.Name()); err != nil {
		// The temporary file's name means nothing to the reader; the
		// URL it came from does.
		err = &textError{msg: strings.ReplaceAll(err.Error(), tmp.Name(), redactText(f.url("@v/"+escVer+".zip"))), err: err}
		return "", errors.Join(err, restore(dst, existed))
	}
	if err := makeWritable(dst); err != nil {
		return "", errors.Join(err, restore(dst, existed))
	}
	return hash, nil
}

// checkNames refuses a module zip with a file that would create version
// control metadata (.git/config with hooks, a nested .hg) or an entry
// named like fetch's own bookkeeping (.fetch-record-X), as a download is
// refused (see download.CheckName): zip.Unzip accepts any name starting
// with a dot. Nothing is unpacked first.
func checkNames(zipFile string) error {
	zr, err := zip.OpenReader(zipFile)
	if err != nil {
		return fmt.Errorf("reading the module zip: %w", err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if err := download.CheckName("module zip file", f.Name, "the module zip"); err != nil {
			return err
		}
	}
	return nil
}

// makeWritable gives the files zip.Unzip created (mode 0444) mode 0644.
func makeWritable(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		return os.Chmod(p, 0o644)
	})
}

// restore puts dst back as it was before a failed unzip: empty, or gone.
func restore(dst string, existed bool) error {
	if !existed {
		return os.RemoveAll(dst)
	}
	ents, err := os.ReadDir(dst)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range ents {
		errs = append(errs, os.RemoveAll(filepath.Join(dst, e.Name())))
	}
	return errors.Join(errs...)
}
