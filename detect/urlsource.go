package detect

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/gofetch/fetch/internal/lazyre"
)

// A schemeRule says how Parse reads a URL of one scheme when no getter is
// forced. rewrite is nil when go-getter reads the URL as written; otherwise
// it returns the go-getter URL for a scheme go-getter v1 has no getter for.
type schemeRule struct {
	scheme  string
	rewrite func(src string, u *url.URL, sub string) (string, error)
}

var schemeRules = []schemeRule{
	{scheme: "http"},
	{scheme: "https"},
	{scheme: "file"},
	{scheme: "git"},
	{scheme: "ssh", rewrite: forceGit},
	{scheme: "git+ssh", rewrite: forceGit},
	{scheme: "s3", rewrite: s3Bucket},
	{scheme: "gs", rewrite: gsBucket},
}

// parseSchemeURL reads a URL with a scheme and no forced getter. u is the
// URL without its //subdir.
func parseSchemeURL(src string, u *url.URL, sub string) (*Source, error) {
	if strings.Contains(u.Opaque, "@") {
		return nil, errors.New("user:password@host:path is not supported: ssh takes no password in a source")
	}
	if u.Opaque != "" {
		return nil, fmt.Errorf("%q is not followed by \"//\"; for git over ssh write ssh://HOST/PATH or USER@HOST:PATH", u.Scheme+":")
	}
	for _, r := range schemeRules {
		if r.scheme != u.Scheme {
			continue
		}
		final := src
		if r.rewrite != nil {
			var err error
			if final, err = r.rewrite(src, u, sub); err != nil {
				return nil, err
			}
		}
		return getterSource(src, final)
	}
	names := make([]string, len(schemeRules))
	for i, r := range schemeRules {
		names[i] = r.scheme
	}
	return nil, fmt.Errorf("no getter for scheme %q (schemes: %s; or force one with NAME::)",
		u.Scheme, strings.Join(names, ", "))
}

func forceGit(src string, _ *url.URL, _ string) (string, error) {
	return "git::" + src, nil
}

// regionPattern keeps ?region= from changing more than the endpoint's name.
var regionPattern = lazyre.New(`^[a-z0-9-]+$`)

// s3Bucket rewrites s3://BUCKET/KEY to the path-style URL go-getter's S3
// getter reads; ?region=R selects the s3-R endpoint, which that getter
// takes the region from.
func s3Bucket(_ string, u *url.URL, sub string) (string, error) {
	endpoint := "s3" + s3HostSuffix
	if r := u.Query().Get("region"); r != "" {
		if !regionPattern.MatchString(r) {
			return "", fmt.Errorf("region %q is not a region name", r)
		}
		endpoint = "s3-" + r + s3HostSuffix
	}
	return bucketURL("s3", "https://"+endpoint+"/", u, sub)
}

// gsBucket rewrites gs://BUCKET/OBJECT to the URL go-getter's GCS getter
// reads.
func gsBucket(_ string, u *url.URL, sub string) (string, error) {
	return bucketURL("gcs", "https://www"+gcsHostSuffix+"/storage/v1/", u, sub)
}

func bucketURL(getter, prefix string, u *url.URL, sub string) (string, error) {
	if u.User != nil {
		return "", errors.New("a bucket URL carries no user; credentials go in query options")
	}
	if u.Host == "" {
		return "", fmt.Errorf("%s:// URL has no bucket", u.Scheme)
	}
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	out := getter + "::" + prefix + u.Host + p
	if sub != "" {
		out += "//" + sub
	}
	if u.RawQuery != "" {
		out += "?" + u.RawQuery
	}
	if u.Fragment != "" {
		out += "#" + u.EscapedFragment()
	}
	return out, nil
}

// getterSource builds the Source for a go-getter URL, checking what the
// getter would otherwise meet only at download time.
func getterSource(input, final string) (*Source, error) {
	force, rest := ForcedGetter(final)
	base, sub := SourceDirSubdir(rest)
	u, err := parseURL(base)
	if err != nil {
		return nil, err
	}
	switch {
	case u.Scheme == "":
		return nil, errors.New("URL has no scheme")
	case u.Opaque != "":
		return nil, fmt.Errorf("%q is not followed by \"//\"; for git over ssh write ssh://HOST/PATH or USER@HOST:PATH", u.Scheme+":")
	case u.Host == "" && u.Scheme != "file":
		return nil, errors.New("URL has no host")
	case strings.HasPrefix(u.Hostname(), "-"):
		return nil, fmt.Errorf("host %q must not start with \"-\"", u.Hostname())
	case u.User != nil && strings.HasPrefix(u.User.Username(), "-"):
		return nil, errors.New("user name must not start with \"-\"")
	}
	getter := force
	if getter == "" {
		getter = u.Scheme
	}
	opts, err := parseOptions(u.RawQuery)
	if err != nil {
		return nil, err
	}
	s := &Source{
		Input:   input,
		Kind:    KindGetter,
		Getter:  getter,
		URL:     final,
		Subdir:  sub,
		Ref:     getterRef(getter, opts),
		Options: opts,
	}
	if err := checkOptions(s); err != nil {
		return nil, err
	}
	return s, nil
}
