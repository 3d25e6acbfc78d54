package cloud

import (
	"net/url"
	"strconv"
	"strings"
)

// Source is a parsed s3:: or gcs:: source.
type Source struct {
	// Getter is "s3" or "gcs".
	Getter string
	// URL is the source without its forced getter.
	URL *url.URL
	// Bucket and Key name the object, or the prefix in directory mode. Key
	// may be empty (the whole bucket) and never starts with "/".
	Bucket, Key string

	// S3 only.
	s3 s3Options
	// GCS only: the object generation from the URL fragment, 0 for the
	// live one.
	generation int64
}

// s3Options are what an S3 source says about the endpoint and the
// credentials.
type s3Options struct {
	region   string // "" when neither the host nor the query names one
	endpoint string // scheme://host of an S3-compatible server; "" for AWS
	version  string // version query option: the object version to get
	profile  string // aws_profile query option
	static   bool   // the query carries credentials
	keyID    string
	secret   string
	token    string
}

// awsDNSSuffixes are the DNS suffixes of the AWS partitions (the table
// go-getter v1.8.10 reads from aws-sdk-go-base): a host under one of them
// is AWS itself, any other host an S3-compatible server.
var awsDNSSuffixes = []string{
	"amazonaws.com",
	"amazonaws.com.cn",
	"amazonaws.eu",
	"c2s.ic.gov",
	"sc2s.sgov.gov",
	"cloud.adc-e.uk",
	"csp.hci.ic.gov",
}

// defaultRegion is the region of an S3 source that names none, as in
// go-getter.
const defaultRegion = "us-east-1"

// s3Query and gcsQuery are the query options the getters read; fetch
// consumes checksum, archive and filename before it runs fetch-cloud, and
// any other option is ignored, as go-getter ignores it.
const (
	optKeyID   = "aws_access_key_id"
	optSecret  = "aws_access_key_secret"
	optToken   = "aws_access_token"
	optProfile = "aws_profile"
	optRegion  = "region"
	optVersion = "version"
)

// secretOptions are the query options whose values never appear in an
// error.
var secretOptions = []string{optKeyID, optSecret, optToken}

// ParseSource parses a forced source in go-getter's grammar:
//
//	s3::https://s3.amazonaws.com/BUCKET/KEY            (path style, us-east-1)
//	s3::https://s3-REGION.amazonaws.com/BUCKET/KEY     (path style)
//	s3::https://s3.REGION.amazonaws.com/BUCKET/KEY     (path style)
//	s3::https://BUCKET.s3.amazonaws.com/KEY            (virtual-hosted style)
//	s3::https://BUCKET.s3-REGION.amazonaws.com/KEY
//	s3::https://BUCKET.s3.REGION.amazonaws.com/KEY
//	s3::http://HOST:PORT/BUCKET/KEY?region=R           (an S3-compatible server)
//	gcs::https://www.googleapis.com/storage/v1/BUCKET/OBJECT[#GENERATION]
//
// S3 sources take the query options aws_access_key_id,
// aws_access_key_secret, aws_access_token, aws_profile, region (for a
// server that is not AWS, or an AWS host that names no region) and version
// (an object version, file mode only). Errors match ErrBadSource and never
// carry a credential.
//
// go-getter v1.8.10 reads s3.REGION.amazonaws.com/BUCKET/KEY (the form its
// own detector makes of BUCKET.s3.REGION.amazonaws.com/KEY) as bucket "s3";
// here it is path style, as AWS means it.
func ParseSource(src string) (*Source, error) {
	name, rest, ok := strings.Cut(src, "::")
	if !ok || (name != "s3" && name != "gcs") {
		return nil, errorf(ErrBadSource, nil, "source %q is not an s3:: or gcs:: source: fetch-cloud only fetches those (fetch handles every other kind)", shorten(redactText(src, nil)))
	}
	u, err := url.Parse(rest)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, errorf(ErrBadSource, nil, "%s source %q is not an http(s) URL with a host: write it as %s", name, shorten(redactText(src, nil)), example(name))
	}
	s := &Source{Getter: name, URL: u}
	if name == "s3" {
		err = s.parseS3()
	} else {
		err = s.parseGCS()
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}

func example(getter string) string {
	if getter == "s3" {
		return "s3::https://s3.amazonaws.com/BUCKET/KEY or s3::https://BUCKET.s3.REGION.amazonaws.com/KEY"
	}
	return "gcs::https://www.googleapis.com/storage/v1/BUCKET/OBJECT"
}

// badURL is the error for a URL whose host or path does not fit the
// grammar.
func (s *Source) badURL(why string) error {
	return errorf(ErrBadSource, nil, "%s source %s: %s: write it as %s", s.Getter, s.Shown(), why, example(s.Getter))
}

func (s *Source) parseS3() error {
	u := s.URL
	q := u.Query()
	host := strings.ToLower(u.Hostname())
	suffix := ""
	for _, sfx := range awsDNSSuffixes {
		if strings.HasSuffix(host, "."+sfx) {
			suffix = sfx
			break
		}
	}
	pathStyle := true
	if suffix == "" {
		// An S3-compatible server: always path style.
		s.s3.endpoint = u.Scheme + "://" + u.Host
	} else {
		labels := strings.Split(strings.TrimSuffix(host, "."+suffix), ".")
		n := len(labels)
		s3Label := -1
		switch {
		case isS3Label(labels[n-1]):
			s3Label = n - 1
			s.s3.region = strings.TrimPrefix(strings.TrimPrefix(labels[n-1], "s3"), "-")
		case n >= 2 && labels[n-2] == "s3":
			s3Label = n - 2
			s.s3.region = labels[n-1]
		}
		if s3Label < 0 {
			return s.badURL("the host is not an S3 endpoint")
		}
		if s3Label > 0 {
			pathStyle = false
			s.Bucket = strings.Join(labels[:s3Label], ".")
			s.Key = strings.TrimPrefix(u.Path, "/")
		}
	}
	if pathStyle {
		bucket, key, ok := strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
		if !ok {
			return s.badURL("the path does not start with /BUCKET/")
		}
		s.Bucket, s.Key = bucket, key
	}
	if s.Bucket == "" {
		return s.badURL("the bucket name is empty")
	}
	if s.s3.region == "" {
		s.s3.region = q.Get(optRegion)
	}
	s.s3.version = q.Get(optVersion)
	s.s3.profile = q.Get(optProfile)
	_, id := q[optKeyID]
	_, secret := q[optSecret]
	_, token := q[optToken]
	if id || secret || token {
		s.s3.static = true
		s.s3.keyID, s.s3.secret, s.s3.token = q.Get(optKeyID), q.Get(optSecret), q.Get(optToken)
	}
	return nil
}

// isS3Label reports whether a host label is "s3" or "s3-REGION".
func isS3Label(l string) bool {
	return l == "s3" || (strings.HasPrefix(l, "s3-") && len(l) > 3)
}

func (s *Source) parseGCS() error {
	u := s.URL
	host := strings.ToLower(u.Hostname())
	if !strings.HasSuffix(host, ".googleapis.com") || strings.Count(host, ".") != 2 {
		return s.badURL("the host is not a googleapis.com host")
	}
	parts := strings.SplitN(u.Path, "/", 5)
	if len(parts) != 5 || parts[0] != "" || parts[1] != "storage" || parts[2] == "" {
		return s.badURL("the path is not /storage/VERSION/BUCKET/OBJECT")
	}
	s.Bucket, s.Key = parts[3], parts[4]
	if s.Bucket == "" {
		return s.badURL("the bucket name is empty")
	}
	if u.Fragment != "" {
		g, err := strconv.ParseInt(u.Fragment, 10, 64)
		if err != nil || g <= 0 {
			return s.badURL("the fragment must be an object generation (a positive number)")
		}
		s.generation = g
	}
	return nil
}

// Shown is the source as errors show it: without its query (where S3
// credentials go) and its fragment.
func (s *Source) Shown() string {
	u := *s.URL
	u.RawQuery, u.Fragment, u.RawFragment, u.User = "", "", "", nil
	return s.Getter + "::" + u.String()
}

// secrets are the credential values the source carries, for redaction.
func (s *Source) secrets() []string {
	if s == nil {
		return nil
	}
	var out []string
	q := s.URL.Query()
	for _, k := range secretOptions {
		out = append(out, q[k]...)
	}
	if p, ok := s.URL.User.Password(); ok {
		out = append(out, p)
	}
	return out
}

// shorten cuts a long text for an error line.
func shorten(s string) string {
	const max = 200
	if len(s) > max {
		return s[:max] + "..."
	}
	return s
}
