package detect

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/gofetch/fetch/internal/lazyre"
)

// A detector turns a scheme-less source into a go-getter URL, as a
// go-getter Detector does: ok is false when the source is not its kind.
type detector struct {
	name   string
	detect func(src, pwd string) (out string, ok bool, err error)
}

// Host suffixes that go-getter's S3 and GCS detectors look for.
const (
	s3HostSuffix  = ".amazonaws.com"
	gcsHostSuffix = ".googleapis.com"
)

// The detectors, one value each. The host names of go-getter's shorthands
// appear nowhere else.
var (
	githubDetector    = detector{"GitHub", shorthand("github.com/", "GitHub")}
	gitlabDetector    = detector{"GitLab", shorthand("gitlab.com/", "GitLab")}
	bitbucketDetector = detector{"BitBucket", shorthand("bitbucket.org/", "BitBucket")}
	gitDetector       = detector{"Git", scpDetector(func(u *url.URL) bool { return u.User.Username() == "git" })}
	anyUserDetector   = detector{"Git", scpDetector(anySCPUser)}
	s3Detector        = detector{"S3", detectS3}
	gcsDetector       = detector{"GCS", detectGCS}
	fileDetector      = detector{"File", detectFile}
)

// getterDetectors is go-getter's default detector list, in its order.
var getterDetectors = []detector{
	githubDetector, gitlabDetector, gitDetector, bitbucketDetector, s3Detector, gcsDetector, fileDetector,
}

// parseDetectors is what Parse tries after a forced getter: go-getter's list
// with scp-style open to every user and without the file detector, because
// Parse only reads a local path that is written as one.
var parseDetectors = []detector{
	githubDetector, gitlabDetector, anyUserDetector, bitbucketDetector, s3Detector, gcsDetector,
}

// scpDetectors is Parse's scp-style detector alone.
var scpDetectors = []detector{anyUserDetector}

// cloudDetectors are the detectors for hosts that Parse keeps out of
// import-path resolution.
var cloudDetectors = []detector{s3Detector, gcsDetector}

// shorthand detects HOST/owner/repo[/path...] and gives
// git::https://HOST/owner/repo.git[//path], as go-getter's GitHub and GitLab
// detectors do. It splits the whole string on "/", query included, which is
// why a "/" inside a query value ends up in the subdirectory.
func shorthand(prefix, label string) func(src, pwd string) (string, bool, error) {
	return func(src, _ string) (string, bool, error) {
		if !strings.HasPrefix(src, prefix) {
			return "", false, nil
		}
		parts := strings.Split(src, "/")
		if len(parts) < 3 {
			return "", false, fmt.Errorf("%s URLs should be %susername/repo", label, prefix)
		}
		u, err := parseURL("https://" + strings.Join(parts[:3], "/"))
		if err != nil {
			return "", true, fmt.Errorf("error parsing %s URL: %w", label, err)
		}
		if !strings.HasSuffix(u.Path, ".git") {
			u.Path += ".git"
		}
		if len(parts) > 3 {
			u.Path += "//" + strings.Join(parts[3:], "/")
		}
		return "git::" + u.String(), true, nil
	}
}

// scpPattern is go-getter's scp-like pattern [user@]host:[/]path; the
// expression is the specification, so it is kept identical.
var scpPattern = lazyre.New(`^(?:([^@]+)@)?([^:]+):/?(.+)$`)

// scpURL reads an scp-like source as an ssh URL, or returns nil when it is
// not one. Like go-getter it parses and re-encodes a query, and fails on a
// malformed one whoever the user is.
func scpURL(src string) (*url.URL, error) {
	m := scpPattern.FindStringSubmatch(src)
	if m == nil {
		return nil, nil
	}
	u := &url.URL{Scheme: "ssh", User: url.User(m[1]), Host: m[2]}
	p, query, hasQuery := strings.Cut(m[3], "?")
	u.Path = p
	if hasQuery {
		q, err := url.ParseQuery(query)
		if err != nil {
			return nil, fmt.Errorf("error parsing GitHub SSH URL: %w", err)
		}
		u.RawQuery = q.Encode()
	}
	return u, nil
}

// scpDetector detects user@host:path when accept allows the URL it reads,
// and gives git::ssh://user@host/path.
func scpDetector(accept func(*url.URL) bool) func(src, pwd string) (string, bool, error) {
	return func(src, _ string) (string, bool, error) {
		if src == "" {
			return "", false, nil
		}
		u, err := scpURL(src)
		if err != nil {
			return "", true, err
		}
		if u == nil || !accept(u) {
			return "", false, nil
		}
		return "git::" + u.String(), true, nil
	}
}

// anySCPUser accepts any user, where go-getter only accepts "git", but
// refuses what only looks like user@host:path because a "/" comes before
// the colon ("ssh://git@host:org/repo", "example.org/x@v1:y").
func anySCPUser(u *url.URL) bool {
	user := u.User.Username()
	return user != "" && !strings.ContainsAny(user, "/:") && !strings.Contains(u.Host, "/")
}

// detectS3 reads the three host shapes go-getter's S3 detector knows and
// gives the path-style https URL.
func detectS3(src, _ string) (string, bool, error) {
	if !strings.Contains(src, s3HostSuffix+"/") {
		return "", false, nil
	}
	parts := strings.Split(src, "/")
	rest := strings.Join(parts[1:], "/")
	host := strings.Split(parts[0], ".")
	var raw string
	switch {
	case len(host) == 3: // s3[-region].amazonaws.com/bucket/key
		raw = fmt.Sprintf("https://%s%s/%s", host[0], s3HostSuffix, rest)
	case len(host) == 4: // bucket.s3[-region].amazonaws.com/key
		raw = fmt.Sprintf("https://%s%s/%s/%s", host[1], s3HostSuffix, host[0], rest)
	case len(host) == 5 && host[1] == "s3": // bucket.s3.region.amazonaws.com/key
		raw = fmt.Sprintf("https://s3.%s%s/%s/%s", host[2], s3HostSuffix, host[0], rest)
	default:
		return "", false, errors.New("URL is not a valid S3 URL")
	}
	u, err := parseURL(raw)
	if err != nil {
		return "", false, fmt.Errorf("error parsing S3 URL: %w", err)
	}
	return "s3::" + u.String(), true, nil
}

// detectGCS reads HOST/storage/VERSION/BUCKET/OBJECT as go-getter's GCS
// detector does; the host itself is not checked beyond its suffix.
func detectGCS(src, _ string) (string, bool, error) {
	if !strings.Contains(src, gcsHostSuffix+"/") {
		return "", false, nil
	}
	parts := strings.Split(src, "/")
	if len(parts) < 5 {
		return "", false, errors.New("URL is not a valid GCS URL")
	}
	raw := fmt.Sprintf("https://www%s/storage/%s/%s/%s",
		gcsHostSuffix, parts[2], parts[3], strings.Join(parts[4:], "/"))
	u, err := parseURL(raw)
	if err != nil {
		return "", false, fmt.Errorf("error parsing GCS URL: %w", err)
	}
	return "gcs::" + u.String(), true, nil
}

// detectFile makes any non-empty source a file URL, joining a relative one
// to pwd (which cleans it) as go-getter's file detector does.
func detectFile(src, pwd string) (string, bool, error) {
	if src == "" {
		return "", false, nil
	}
	if !filepath.IsAbs(src) {
		if pwd == "" {
			return "", true, errors.New("relative paths require a module with a pwd")
		}
		dir, err := resolvePwd(pwd)
		if err != nil {
			return "", true, err
		}
		src = filepath.Join(dir, src)
	}
	return fileURL(src), true, nil
}

// resolvePwd follows pwd when it is itself a symbolic link, because joining
// "../x" to the link's own path would name the wrong directory. A pwd that
// does not exist is left for the getter to report.
func resolvePwd(pwd string) (string, error) {
	fi, err := os.Lstat(pwd)
	if os.IsNotExist(err) {
		return pwd, nil
	}
	if err != nil {
		return "", err
	}
	if fi.Mode()&os.ModeSymlink == 0 {
		return pwd, nil
	}
	dir, err := filepath.EvalSymlinks(pwd)
	if err != nil {
		return "", err
	}
	// The link may be relative to the process's directory.
	return filepath.Abs(dir)
}

// fileURL writes an absolute path as go-getter's file URL, unescaped.
func fileURL(path string) string {
	if runtime.GOOS == "windows" {
		return "file://" + filepath.ToSlash(path)
	}
	return "file:///" + strings.TrimPrefix(path, "/")
}
