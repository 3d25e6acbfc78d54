package modproxy

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"path/filepath"
	"strings"
)

// DefaultGOPROXY is the Go command's GOPROXY when the variable is empty.
const DefaultGOPROXY = "https://proxy.golang.org,direct"

// The words a GOPROXY list may hold instead of a URL.
const (
	// Direct ends the list: the module is fetched from its version
	// control repository (for fetch, the usual checkout).
	Direct = "direct"
	// Off ends the list: nothing more may be fetched.
	Off = "off"
)

// Entry is one element of a GOPROXY list.
type Entry struct {
	// URL is the proxy's base URL (http or https), or Direct or Off.
	URL string
	// FallBackOnError is true when the entry was followed by '|': any
	// error moves on to the next entry. After ',' (or at the end) only a
	// "not found" answer (404 or 410) does.
	FallBackOnError bool
}

// ErrDirect is returned by a lookup or download whose walk of the GOPROXY
// list reached "direct", or whose path GONOPROXY sends straight to its
// repository: the caller fetches the repository itself.
var ErrDirect = errors.New("GOPROXY says direct: fetch the repository itself")

// OffError is the walk reaching "off" in GOPROXY: the Go command refuses
// to fetch the module, and so does fetch. It matches fs.ErrNotExist, as
// the Go command's error does, so a ',' before "off" is walked past.
type OffError struct {
	// Path is the module or import path asked for.
	Path string
}

// Error says which setting refused, and what to change.
func (e *OffError) Error() string {
	return fmt.Sprintf("module lookup disabled by GOPROXY=off: %s cannot be fetched through a module proxy; set GOPROXY to a proxy, or leave out --proxy to fetch its repository", e.Path)
}

// Is reports that the module is "not found" for the list walk.
func (e *OffError) Is(target error) bool { return target == fs.ErrNotExist }

// ErrEmptyList is a GOPROXY that is set but names nothing (such as ",").
var ErrEmptyList = errors.New("GOPROXY list is not the empty string, but contains no entries")

// ParseList reads a GOPROXY value as the Go command does: entries are
// separated by ',' (fall through only on 404 and 410) or '|' (fall
// through on any error); blank entries are skipped; "direct" and "off"
// end the list (later entries are ignored); an entry that is not a single
// word and not a URL with a scheme ("proxy.example.com/mod") gets
// "https://". An empty value means DefaultGOPROXY. Unlike the Go command,
// file:// proxies are refused: fetch serves proxies over HTTP only.
func ParseList(goproxy string) ([]Entry, error) {
	if goproxy == "" {
		goproxy = DefaultGOPROXY
	}
	var list []Entry
	for goproxy != "" {
		var u string
		fallBack := false
		if i := strings.IndexAny(goproxy, ",|"); i >= 0 {
			u, fallBack, goproxy = goproxy[:i], goproxy[i] == '|', goproxy[i+1:]
		} else {
			u, goproxy = goproxy, ""
		}
		u = strings.TrimSpace(u)
		switch u {
		case "":
			continue
		case Off, Direct:
			return append(list, Entry{URL: u}), nil
		}
		if strings.ContainsAny(u, ".:/") && !strings.Contains(u, ":/") && !filepath.IsAbs(u) && !path.IsAbs(u) {
			u = "https://" + u
		}
		if err := checkListURL(u); err != nil {
			return nil, err
		}
		list = append(list, Entry{URL: u, FallBackOnError: fallBack})
	}
	if len(list) == 0 {
		return nil, ErrEmptyList
	}
	return list, nil
}

// checkListURL accepts the URLs fetch can use as a proxy in GOPROXY.
func checkListURL(u string) error {
	shown := redactText(u)
	p, err := url.Parse(u)
	switch {
	case err != nil:
		return fmt.Errorf("GOPROXY entry %q is not a URL: %w", shown, redactErr(err))
	case p.Scheme == "file":
		return fmt.Errorf("GOPROXY entry %q: fetch reads module proxies over https (or http), not file:// URLs; serve the directory over https, or fetch without --proxy", shown)
	case p.Scheme == "":
		return fmt.Errorf("GOPROXY entry %q: invalid proxy URL missing scheme; write https://%s", shown, shown)
	case p.Scheme != "http" && p.Scheme != "https":
		return fmt.Errorf("GOPROXY entry %q: invalid proxy URL scheme (must be https or http)", shown)
	}
	_, err = checkProxy(u)
	return err
}

// walk runs f over the list as the Go command's TryProxies does: it stops
// at the first success; after a failure it goes on only when the entry
// allows it (any error after '|', "not found" after ','). Of the errors,
// it returns the most useful: one from "direct" (ErrDirect), else a proxy
// error other than "not found", else the last "not found".
func walk(list []Entry, f func(e Entry) error) error {
	const (
		notExistRank = iota
		proxyRank
		directRank
	)
	var best error
	rank := notExistRank
	for _, e := range list {
		err := f(e)
		if err == nil {
			return nil
		}
		notExist := errors.Is(err, fs.ErrNotExist)
		switch {
		case e.URL == Direct:
			best, rank = err, directRank
		case rank <= proxyRank && !notExist:
			best, rank = err, proxyRank
		case rank == notExistRank:
			best = err
		}
		if !e.FallBackOnError && !notExist {
			break
		}
	}
	return best
}
