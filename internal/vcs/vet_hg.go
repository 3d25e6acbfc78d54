package vcs

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/gofetch/fetch/internal/lazyre"
)

// hgLinks are the symbolic links hg itself makes in .hg: its lock files,
// whose target is the holder ("host:pid"), and the link it makes to learn
// whether the file system has links (wcache/checklink), which hg reads
// but never writes through.
func hgLinks(rel string) bool {
	switch rel {
	case "lock", "wlock", "store/lock", "wcache/checklink":
		return true
	}
	return false
}

// vetHg checks the checkout at dir before hg runs there. Every hg command
// runs with HGRCSKIPREPO=1, so .hg/hgrc (hooks, extensions, [paths]
// rewrites) is ignored whatever it holds; what remains is where hg reads
// and writes: .hg must be a real directory without symbolic links (other
// than hg's lock files) and without sharedpath (a share of a repository
// elsewhere, which hg would write to). Nested repositories (subrepos) get
// the same check.
func vetHg(dir string) error {
	top, err := metaDir("hg", dir, ".hg")
	if err != nil {
		return err
	}
	if err := vetHgDir(dir, top); err != nil {
		return err
	}
	return walkNested(dir, top, ".hg", func(p string, d fs.DirEntry) error {
		if !d.IsDir() {
			return untrusted("hg", dir, p, "", "is not a directory")
		}
		return vetHgDir(dir, p)
	})
}

func vetHgDir(dir, meta string) error {
	if err := refuseFiles("hg", dir, meta, map[string]string{
		"sharedpath": "makes hg use the repository it names, which fetch never makes",
	}); err != nil {
		return err
	}
	return walkMeta("hg", dir, meta, hgLinks, nil)
}

// hgItemRe is an hg configuration item, as hg's config parser reads it.
var (
	hgSectionRe = lazyre.New(`^\[([^\[]+)\]`)
	hgItemRe    = lazyre.New(`^([^=\s][^=]*?)\s*=\s*((.*\S)?)`)
	hgContRe    = lazyre.New(`^\s+(\S|\S.*\S)\s*$`)
)

// hgDefaultPath reads [paths] default from .hg/hgrc of the checkout at
// dir, as hg would, without running hg (which, told to skip the
// repository's hgrc, no longer knows it). A relative path is relative to
// the checkout; a local path becomes a file URL.
func hgDefaultPath(dir string) (string, error) {
	p := filepath.Join(dir, ".hg", "hgrc")
	fi, err := os.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("hg remote of %s: the checkout has no .hg/hgrc naming the repository it came from", dir)
	}
	if err != nil {
		return "", fmt.Errorf("hg remote of %s: %w", dir, err)
	}
	if !fi.Mode().IsRegular() {
		return "", untrusted("hg", dir, p, "", "is not a regular file")
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return "", fmt.Errorf("hg remote of %s: %w", dir, err)
	}
	var section, last, value string
	found := false
	for i, l := range strings.Split(string(data), "\n") {
		l = strings.TrimSuffix(l, "\r")
		if m := hgContRe.FindStringSubmatch(l); m != nil && last != "" {
			if section == "paths" && last == "default" {
				value += "\n" + m[1]
			}
			continue
		}
		last = ""
		t := strings.TrimSpace(l)
		switch {
		case t == "" || t[0] == '#' || t[0] == ';':
		case strings.HasPrefix(l, "%include ") || strings.HasPrefix(l, "%unset "):
			// hg would read or drop settings here; fetch does not follow
			// includes, and an unset default means none.
			if section == "paths" && strings.TrimSpace(strings.TrimPrefix(l, "%unset ")) == "default" {
				found, value = false, ""
			}
		case hgSectionRe.MatchString(l):
			section = strings.TrimSpace(hgSectionRe.FindStringSubmatch(l)[1])
		case hgItemRe.MatchString(l):
			m := hgItemRe.FindStringSubmatch(l)
			last = m[1]
			if section == "paths" && last == "default" {
				found, value = true, m[2]
			}
		default:
			return "", untrusted("hg", dir, p, "", fmt.Sprintf("cannot be read by fetch (line %d)", i+1))
		}
	}
	if !found || value == "" {
		return "", fmt.Errorf("hg remote of %s: .hg/hgrc names no default path", dir)
	}
	if strings.Contains(value, "\n") {
		return "", untrusted("hg", dir, p, "paths.default", "spans several lines")
	}
	if strings.Contains(value, "://") {
		return value, nil
	}
	if !filepath.IsAbs(value) {
		value = filepath.Join(dir, value)
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(value)}).String(), nil
}
