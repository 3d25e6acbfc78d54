package fetch

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/gofetch/fetch/internal/tree"
)

// Checkout is one repository found in the tree by List.
type Checkout struct {
	// Path is the checkout's path below ROOT/src, with forward slashes.
	Path string `json:"path"`
	// Dir is the absolute directory.
	Dir string `json:"dir"`
	// VCS is the version control system whose metadata is present.
	VCS string `json:"vcs"`
}

// List walks root/src and returns the checkouts in it, sorted by path. It
// does not descend into a checkout. A pattern containing "..." matches like
// the Go command's package patterns; any other non-empty pattern keeps the
// paths that contain it.
func List(root, pattern string) ([]Checkout, error) {
	src := filepath.Join(root, "src")
	if _, err := os.Stat(src); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	match := patternMatcher(pattern)
	var out []Checkout
	err := filepath.WalkDir(src, func(dir string, d fs.DirEntry, err error) error {
		if err != nil {
			if dir == src {
				return err
			}
			return nil // an unreadable corner of the tree is not fatal
		}
		if !d.IsDir() {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".fetch-") {
			return fs.SkipDir // our own temporaries
		}
		if vcs, _, ok := tree.Marker(dir); ok {
			rel, _ := filepath.Rel(src, dir)
			rel = filepath.ToSlash(rel)
			if rel != "." && match(rel) {
				out = append(out, Checkout{Path: rel, Dir: dir, VCS: vcs})
			}
			return fs.SkipDir
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", src, err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// patternMatcher returns the matcher List uses for pattern.
func patternMatcher(pattern string) func(string) bool {
	if pattern == "" {
		return func(string) bool { return true }
	}
	if !strings.Contains(pattern, "...") {
		return func(p string) bool { return strings.Contains(p, pattern) }
	}
	// As the Go command does: ... matches any string, and a trailing /...
	// also matches the directory itself.
	re := strings.ReplaceAll(regexp.QuoteMeta(pattern), `\.\.\.`, `.*`)
	if base, ok := strings.CutSuffix(re, `/.*`); ok {
		re = base + `(/.*)?`
	}
	rx := regexp.MustCompile("^" + re + "$")
	return rx.MatchString
}
