package gogetter

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	getter "github.com/hashicorp/go-getter"

	"github.com/gofetch/fetch/detect"
)

// ErrNoDetector is wrapped by the error of a go:: source that reached the
// Getter as something other than a repository the Detector resolved or an
// https URL naming an import path: the client's Detectors lack the Detector,
// so go-getter's FileDetector made a file URL of the import path.
var ErrNoDetector = errors.New("the client's Detectors do not include gogetter's Detector (add it with Detector.Insert)")

// Getter is the go-getter Getter of the forced "go" getter:
// go::example.org/pkg@v1.2.0 or go::example.org/pkg?ref=v1.2.0.
//
// The import path is resolved by the Detector, which go-getter runs on the
// source before any getter (the forced getter does not stop it), so the
// Getter receives the repository's URL and fetches it with go-getter's own
// git or hg getter: the one registered in the client's Getters under "git"
// or "hg", else a new one. Delegating is deliberate. The fetch command
// does its own checkouts, because it keeps the repositories in its tree
// and updates them fast-forward only, while go-getter's git getter updates
// an existing destination by removing its .git directory, initializing a
// new one and resetting the files hard to the fetched ref, which discards
// local history and changes. A go-getter user, though, asked for
// go-getter's semantics: go:: behaves as git:: does in every other way
// (that update, ?depth=, ?sshkey=, submodules, the client's context and
// getter settings), so the plug-in decides only where a source comes from
// and go-getter how it is fetched.
//
// A go:: source written with a scheme, go::https://example.org/pkg?ref=v1,
// is left alone by go-getter's Detect; the Getter resolves its host and
// path as an import path itself. Such a path must be its repository's root
// with no go-import subdirectory (go-getter copies subdirectories only when
// a detector names them); write it without the scheme otherwise.
//
// go-getter runs the detectors before Detector.Insert's place first, so on
// github.com, gitlab.com and bitbucket.org its own shorthands read a go::
// source: write their refs as ?ref=, which those understand, not @REF.
type Getter struct {
	d      *Detector
	client *getter.Client
}

// Getter returns the Getter for the forced "go" getter, sharing d's
// resolutions. Register it in the client's Getters under "go".
func (d *Detector) Getter() *Getter { return &Getter{d: d} }

// SetClient implements getter.Getter.
func (g *Getter) SetClient(c *getter.Client) { g.client = c }

// ClientMode implements getter.Getter: a repository is a directory.
func (g *Getter) ClientMode(*url.URL) (getter.ClientMode, error) {
	return getter.ClientModeDir, nil
}

// Get implements getter.Getter: it fetches the repository u names into
// dst with go-getter's getter for its VCS.
func (g *Getter) Get(dst string, u *url.URL) error {
	vg, target, err := g.target(u)
	if err != nil {
		return err
	}
	return vg.Get(dst, target)
}

// GetFile implements getter.Getter: it fetches one file of the
// repository u names, as go-getter's getter for its VCS does.
func (g *Getter) GetFile(dst string, u *url.URL) error {
	vg, target, err := g.target(u)
	if err != nil {
		return err
	}
	return vg.GetFile(dst, target)
}

// target returns the getter and URL that fetch u.
func (g *Getter) target(u *url.URL) (getter.Getter, *url.URL, error) {
	if vcs, ok := g.d.recall(u); ok {
		vg, err := g.vcsGetter(vcs)
		return vg, u, err
	}
	if u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
		return nil, nil, fmt.Errorf("go::%s: %w", detect.Redact(u.String()), ErrNoDetector)
	}
	src := u.Host + u.Path
	if u.RawQuery != "" {
		src += "?" + u.RawQuery
	}
	s, err := detect.Parse(src, "")
	if err != nil || s.Kind != detect.KindImport {
		return nil, nil, fmt.Errorf("go::%s: %s is not an import path", detect.Redact(u.String()), src)
	}
	ctx := context.Background()
	if g.client != nil && g.client.Ctx != nil {
		ctx = g.client.Ctx
	}
	out, err := g.d.resolve(ctx, src, s)
	if err != nil {
		return nil, nil, err
	}
	force, rest := detect.ForcedGetter(out)
	if base, sub := detect.SourceDirSubdir(rest); sub != "" {
		return nil, nil, fmt.Errorf("go::%s: the import path is directory %s of repository %s; write go::%s without a scheme so that go-getter copies the subdirectory", detect.Redact(u.String()), sub, detect.Redact(base), src)
	}
	target, err := url.Parse(rest)
	if err != nil {
		return nil, nil, err
	}
	vg, err := g.vcsGetter(force)
	return vg, target, err
}

// vcsGetter is the client's getter for vcs ("git" or "hg"), else a new one
// of go-getter's.
func (g *Getter) vcsGetter(vcs string) (getter.Getter, error) {
	if g.client != nil {
		if vg, ok := g.client.Getters[vcs]; ok && vg != getter.Getter(g) {
			return vg, nil
		}
	}
	var vg getter.Getter
	switch vcs {
	case "git":
		vg = new(getter.GitGetter)
	case "hg":
		vg = new(getter.HgGetter)
	default:
		return nil, fmt.Errorf("no go-getter getter for %s", strings.ToLower(vcs))
	}
	if g.client != nil {
		vg.SetClient(g.client)
	}
	return vg, nil
}
