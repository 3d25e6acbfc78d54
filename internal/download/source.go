package download

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	urlhelper "github.com/hashicorp/go-getter/v2/helper/url"

	"github.com/gofetch/fetch/detect"
	"github.com/gofetch/fetch/internal/getterinfo"
	"github.com/gofetch/fetch/internal/redact"
)

// getterNames lists the go-getter getters this package wires (getterinfo's
// downloads), in the order error messages name them. git and hg are absent
// on purpose: checkouts belong to the VCS layer.
var getterNames = getterinfo.Downloads()

// source is a go-getter URL taken apart: the options this package consumes
// itself are removed from the URL handed to go-getter.
type source struct {
	shown    string   // the URL as given, redacted, for messages
	getter   string   // one of getterNames
	forced   bool     // the getter came from a NAME:: prefix
	u        *url.URL // without subdir, checksum, archive or filename
	subdir   string   // cleaned, relative, may hold globs; "" for none
	checksum string   // the ?checksum= value
	archive  string   // decompressor key, "" for none
	filename string   // the ?filename= value
}

// cloud reports whether the source is fetched by CloudExecutable.
func (s *source) cloud() bool { return s.getter == "s3" || s.getter == "gcs" }

// String returns the URL go-getter receives, forced prefix included.
func (s *source) String() string {
	if s.forced {
		return s.getter + "::" + s.u.String()
	}
	return s.u.String()
}

// parseSource reads a normalized go-getter URL. Relative local paths are
// made absolute against pwd, and shorthands (an S3 or GCS host without a
// scheme) expanded, by go-getter v1's detection as package detect
// implements it: go-getter v2 detects per getter and has no S3 or GCS.
func parseSource(raw, pwd string) (*source, error) {
	s := &source{shown: redact.String(raw)}
	if raw == "" {
		return nil, errors.New("source is empty")
	}
	if strings.HasPrefix(raw, "-") {
		return nil, fmt.Errorf("source %q starts with '-', which a command could read as an option", s.shown)
	}
	detected, err := detect.GetterDetect(raw, pwd)
	if err != nil {
		return nil, sourceError(s.shown, redact.Error(err))
	}
	name, rest := detect.ForcedGetter(detected)
	s.getter, s.forced = name, name != ""
	rest, sub := detect.SourceDirSubdir(rest)
	if s.u, err = urlhelper.Parse(rest); err != nil {
		return nil, sourceError(s.shown, redact.Error(err))
	}
	if !s.forced {
		s.getter = s.u.Scheme
	}
	if err := checkGetter(s.getter); err != nil {
		return nil, sourceError(s.shown, err)
	}
	if s.subdir, err = cleanSubdir(sub); err != nil {
		return nil, sourceError(s.shown, err)
	}
	if err := s.takeOptions(); err != nil {
		return nil, sourceError(s.shown, err)
	}
	return s, nil
}

// checkGetter refuses getters this package does not wire.
func checkGetter(name string) error {
	switch {
	case slices.Contains(getterNames, name):
		return nil
	case name == "git" || name == "hg":
		return fmt.Errorf("%s:: sources are version-control checkouts: fetch them through the VCS layer (fetch.Get), not internal/download", name)
	case name == "":
		return fmt.Errorf("no getter: want a URL with a scheme or a NAME:: prefix, one of %s", strings.Join(getterNames, ", "))
	}
	return fmt.Errorf("getter %q is not one of %s (getter names are case-sensitive)", name, strings.Join(getterNames, ", "))
}

// cleanSubdir applies go-getter's subdir rules: cleaned, no ".."
// component, one leading separator dropped. It also rejects a malformed
// glob now rather than after the download.
func cleanSubdir(sub string) (string, error) {
	if sub == "" {
		return "", nil
	}
	clean := filepath.Clean(sub)
	if containsDotDot(clean) {
		return "", fmt.Errorf("subdir %q has a '..' component: it must stay inside what was fetched", sub)
	}
	clean = strings.TrimPrefix(clean, string(filepath.Separator))
	if clean == "." || clean == "" {
		return "", nil
	}
	if _, err := filepath.Match(clean, ""); err != nil {
		return "", fmt.Errorf("subdir %q is not a valid glob: %w", sub, err)
	}
	return clean, nil
}

// takeOptions removes checksum, archive and filename from the query and
// checks them.
func (s *source) takeOptions() error {
	q := s.u.Query()
	s.checksum, s.filename = q.Get("checksum"), q.Get("filename")
	archive, hasArchive := q.Get("archive"), q.Has("archive")
	if q.Has("checksum") || q.Has("filename") || hasArchive {
		q.Del("checksum")
		q.Del("filename")
		q.Del("archive")
		s.u.RawQuery = q.Encode()
	}
	if err := checkFilename(s.filename); err != nil {
		return err
	}
	var err error
	if s.archive, err = chooseArchive(archive, hasArchive, s.u.Path); err != nil {
		return err
	}
	return s.checkURLFileName()
}

// checkURLFileName refuses, before anything is downloaded, a URL whose
// last path element would name the downloaded file (no ?filename=) but is
// not a plain file name on every system: an escaped backslash (%5C)
// survives path.Base, and "..\..\x" joined to a directory on Windows
// leads out of it. A URL path ending in "/" names a directory and a
// local path names its own file; neither is judged here.
func (s *source) checkURLFileName() error {
	if s.filename != "" || s.getter == "file" || strings.HasSuffix(s.u.Path, "/") {
		return nil
	}
	name := path.Base(s.u.Path)
	if name == "/" || name == "." {
		return nil // fileName asks for ?filename= when it is needed
	}
	if strings.ContainsAny(name, `\`+"\x00") || name == ".." || !filepath.IsLocal(name) {
		return fmt.Errorf("the URL's last path element %q is not a plain file name to save the download as: add ?filename=NAME", name)
	}
	return nil
}

// checkFilename allows a plain file name only. go-getter refuses just
// ".." components; a separator would place the file in a subdirectory.
func checkFilename(name string) error {
	switch {
	case name == "":
		return nil
	case strings.ContainsAny(name, `/\`+"\x00"), name == ".", name == "..":
		return fmt.Errorf("filename=%q must be a plain file name, without separators", name)
	case strings.HasPrefix(name, ".fetch-"):
		return fmt.Errorf("filename=%q: names starting with .fetch- are fetch's own bookkeeping", name)
	}
	return checkFileName(name)
}

// chooseArchive picks the decompressor as go-getter does: archive=TYPE
// wins, a false value turns extraction off, and otherwise the longest
// matching extension of the URL path (case-sensitive) decides. Unlike
// go-getter, which silently skips extraction for any other value
// (archive=true included), an unknown value is an error.
func chooseArchive(value string, given bool, urlPath string) (string, error) {
	if given && value != "" {
		if _, ok := formats[value]; ok {
			return value, nil
		}
		if b, err := strconv.ParseBool(value); err == nil && !b {
			return "", nil
		}
		return "", fmt.Errorf("archive=%q is not an archive type: want false or one of %s", value, strings.Join(archiveTypes(), ", "))
	}
	best := ""
	for k := range formats {
		if strings.HasSuffix(urlPath, "."+k) && len(k) > len(best) {
			best = k
		}
	}
	return best, nil
}

// fileName is the name a downloaded file gets in the destination:
// ?filename=, else the URL path's base name, without the extension of a
// single-stream archive that is decompressed.
func (s *source) fileName() string {
	if s.filename != "" {
		return s.filename
	}
	base := path.Base(s.u.Path)
	if f, ok := formats[s.archive]; ok && f.layout == streamLayout {
		if trimmed := strings.TrimSuffix(base, "."+s.archive); trimmed != "" {
			base = trimmed
		}
	}
	return base
}

// containsDotDot reports whether p has a ".." element, splitting on both
// separators as go-getter does.
func containsDotDot(p string) bool {
	return slices.Contains(strings.FieldsFunc(p, func(r rune) bool { return r == '/' || r == '\\' }), "..")
}
