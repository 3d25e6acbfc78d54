package modproxy

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"time"

	"golang.org/x/mod/module"

	"github.com/gofetch/fetch/trace"
)

// Lookup finds and downloads modules through a GOPROXY list, as the Go
// command's module fetching does. Its zero value is not usable: Proxies
// must hold a list from ParseList.
type Lookup struct {
	// Client sends every request; nil means a default one. It should
	// carry the GOAUTH logins (web.Client.Authorized) and retries.
	Client *http.Client
	// Trace receives the requests; nil discards them.
	Trace trace.Func
	// Proxies is the GOPROXY list walked for each lookup and download.
	Proxies []Entry
	// NoProxy reports whether a path matches GONOPROXY (GOPRIVATE by
	// default): such a path is fetched from its repository (ErrDirect)
	// whatever the list says, as the Go command's implicit "noproxy"
	// entry does. Nil matches nothing.
	NoProxy func(path string) bool
	// Verify, when set, judges a downloaded zip's h1: hash before
	// anything is unpacked (the checksum database, see SumDB.Check); an
	// error refuses the zip and nothing is placed.
	Verify func(ctx context.Context, path, version, hash string) error
	// TempDir is where Download keeps the zip while it downloads, checks
	// and unpacks it; "" means os.TempDir(). A caller that stages its
	// work in a directory of its own (removed after a failure, and after
	// a crash by its next run) passes it here, so that a run killed
	// mid-download leaves no zip of up to 500 MiB behind elsewhere.
	TempDir string
}

// Found is the module Find chose for an import path.
type Found struct {
	// Path is the module path: the import path or the longest of its
	// parents a proxy serves.
	Path string
	// Version is the canonical version the query resolved to.
	Version string
	// Time is the version's time as the proxy reports it.
	Time time.Time
	// Proxy is the list entry that answered (a URL, credentials and all:
	// redact before showing it).
	Proxy string
}

// Find resolves importPath at query ("" or "latest" for the latest, a
// version, or another query the proxy understands) to the module that
// provides it, walking the GOPROXY list: on each proxy the import path
// and then each parent path, longest first, as the Go command's module
// lookup does; the first module found wins. It returns ErrDirect when the
// path matches NoProxy or the walk reaches "direct", and an *OffError at
// "off".
func (l *Lookup) Find(ctx context.Context, importPath, query string) (*Found, error) {
	if l.NoProxy != nil && l.NoProxy(importPath) {
		return nil, ErrDirect
	}
	candidates := modulePaths(importPath)
	if len(candidates) == 0 {
		return nil, fmt.Errorf("%q is not a valid module or import path: %w", importPath, module.CheckImportPath(importPath))
	}
	var found *Found
	err := walk(l.Proxies, func(e Entry) error {
		switch e.URL {
		case Direct:
			return ErrDirect
		case Off:
			return &OffError{Path: importPath}
		}
		var first error
		for _, p := range candidates {
			f, err := newFetcher(l.Client, l.Trace, e.URL, p)
			if err != nil {
				return err
			}
			inf, err := f.resolve(ctx, query)
			if err == nil {
				found = &Found{Path: p, Version: inf.Version, Time: inf.Time, Proxy: e.URL}
				return nil
			}
			if !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			if first == nil {
				first = err
			}
		}
		return &NotFoundError{ImportPath: importPath, Proxy: redactText(e.URL), Err: first}
	})
	if err != nil {
		return nil, err
	}
	return found, nil
}

// NotFoundError is a proxy that serves no module providing an import
// path: every candidate module path was "not found". It matches
// fs.ErrNotExist.
type NotFoundError struct {
	ImportPath string
	Proxy      string // redacted
	Err        error  // what the proxy said about the import path itself
}

// Error names the import path and the proxy and quotes the proxy's answer.
func (e *NotFoundError) Error() string {
	return fmt.Sprintf("no module on proxy %s provides %s: %v", e.Proxy, e.ImportPath, e.Err)
}

// Unwrap returns the proxy's answer for the import path itself.
func (e *NotFoundError) Unwrap() error { return e.Err }

// Is reports the module as not found.
func (e *NotFoundError) Is(target error) bool { return target == fs.ErrNotExist }

// modulePaths lists the module paths that could provide importPath: the
// path and each parent, longest first, that is a valid module path.
func modulePaths(importPath string) []string {
	var out []string
	for p := importPath; p != "." && p != "/" && p != ""; p = path.Dir(p) {
		if module.CheckPath(p) == nil {
			out = append(out, p)
		}
	}
	return out
}

// Download fetches the zip of modulePath at version (canonical, as Find
// returns it) through the proxies of the GOPROXY list (up to "direct" or
// "off", which cannot serve a zip), checks it with Verify and unpacks it
// into dst, which must be missing or empty; on failure dst is left as it
// was found. A zip Verify refuses ends the walk: no other proxy is asked,
// as the Go command checks the hash once, after its download.
func (l *Lookup) Download(ctx context.Context, modulePath, version, dst string) (*Module, error) {
	if version == "" || version != module.CanonicalVersion(version) {
		return nil, fmt.Errorf("module %s: version %q is not canonical", modulePath, version)
	}
	if err := checkEmpty(dst); err != nil {
		return nil, err
	}
	var proxies []Entry
	for _, e := range l.Proxies {
		if e.URL == Direct || e.URL == Off {
			break
		}
		proxies = append(proxies, e)
	}
	if len(proxies) == 0 {
		return nil, fmt.Errorf("module %s@%s: GOPROXY names no proxy to download its zip from", modulePath, version)
	}
	var m *Module
	var refused error
	err := walk(proxies, func(e Entry) error {
		if refused != nil {
			return refused
		}
		f, err := newFetcher(l.Client, l.Trace, e.URL, modulePath)
		if err != nil {
			return err
		}
		f.tempDir = l.TempDir
		f.verify = func(ctx context.Context, path, version, hash string) error {
			if l.Verify == nil {
				return nil
			}
			refused = l.Verify(ctx, path, version, hash)
			return refused
		}
		hash, err := f.unpack(ctx, version, dst)
		if err != nil {
			return fmt.Errorf("module %s@%s: %w", modulePath, version, err)
		}
		m = &Module{Path: modulePath, Version: version, Hash: hash}
		return nil
	})
	if refused != nil {
		return nil, refused // it names the module and version
	}
	if err != nil {
		return nil, err
	}
	return m, nil
}
