// Package download fetches go-getter style sources (files, archives and
// directories) through hashicorp/go-getter v2 with the getters http, https
// and file; s3:: and gcs:: sources go to the fetch-cloud program (see
// CloudExecutable), and repository checkouts (git::, hg::) belong to the
// VCS layer. It adds what go-getter leaves out: limits that fail instead
// of truncating, checksum verification before anything is extracted, a
// scan that refuses hostile archive entries, and a destination left empty
// whenever Get fails.
//
// go-getter version. v2 (github.com/hashicorp/go-getter/v2) rather than
// v1, because v1's one package links the AWS and Google Cloud SDKs into
// every program that imports it (issue 15). v2.2.5 rather than v2.2.6:
// v2.2.6 changes no code, only its go directive (1.26.10, which would
// force a newer toolchain on every user) and the minimum versions of
// klauspost/compress and ulikunitz/xz, both of which this module already
// requires at newer versions. What v1.8.10 hardened and v2 lacks is done
// here: a //subdir is matched in a tree that holds no links (tar links
// are written as empty files, a local copy and fetch-cloud's trees refuse
// them, and the match is checked to stay inside the tree), archive entry
// modes are masked to 0o777 less the umask by untar and by go-getter
// v2.2.4+, a zip entry go-getter v2 would panic on is refused by the
// scan, a HEAD answer saying Content-Length: 0 cannot stand for the file
// (no HEAD is sent), and object keys with ".." are refused by fetch-cloud
// and could not escape its destination anyway.
package download

import (
	"context"
	"net/http"
	"time"

	"github.com/gofetch/fetch/trace"
)

// Defaults for a zero Limits field and a zero Request.Timeout.
const (
	DefaultMaxBytes          int64 = 1 << 30 // 1 GiB downloaded
	DefaultMaxFiles                = 100_000 // entries extracted or copied
	DefaultMaxExtractedBytes int64 = 4 << 30 // 4 GiB extracted or copied
	DefaultMaxExpansionRatio       = 200     // bytes extracted per byte of archive read
	DefaultTimeout                 = 30 * time.Minute
)

// Limits bound what one Get may download and write. A zero field takes
// its default; a negative one means no limit.
type Limits struct {
	// MaxBytes bounds the downloaded file (for an archive, the archive).
	MaxBytes int64
	// MaxFiles bounds the entries (files and directories) extracted from
	// an archive or copied from a local directory.
	MaxFiles int
	// MaxExtractedBytes bounds the bytes extracted from an archive, or
	// copied from a local directory.
	MaxExtractedBytes int64
	// MaxExpansionRatio bounds how many bytes an archive or compressed
	// file may expand to per byte of it read, once the first
	// RatioGrace bytes are out: a decompression bomb (gigabytes of zeros
	// in a few megabytes) is refused as it expands, long before
	// MaxExtractedBytes. A zip is judged by the sizes its directory
	// declares, before anything is written. Plain tar counts too (sparse
	// entries expand).
	MaxExpansionRatio int
}

// RatioGrace is how much an archive may expand before MaxExpansionRatio
// applies: a small archive of highly compressible files is no bomb.
const RatioGrace = 8 << 20

// withDefaults fills zero fields and turns negative ones into 0, which
// means no limit from here on.
func (l Limits) withDefaults() Limits {
	return Limits{
		MaxBytes:          orDefault(l.MaxBytes, DefaultMaxBytes),
		MaxFiles:          orDefault(l.MaxFiles, DefaultMaxFiles),
		MaxExtractedBytes: orDefault(l.MaxExtractedBytes, DefaultMaxExtractedBytes),
		MaxExpansionRatio: orDefault(l.MaxExpansionRatio, DefaultMaxExpansionRatio),
	}
}

func orDefault[T int | int64 | time.Duration](v, def T) T {
	switch {
	case v == 0:
		return def
	case v < 0:
		return 0
	}
	return v
}

// Request says what to fetch and where.
type Request struct {
	// URL is a normalized go-getter URL: an optional forced getter
	// (s3::), a //subdir (globs allowed, which must match exactly one
	// entry) and the query options checksum, archive and filename.
	URL string
	// Dst is an existing, empty directory that Get fills. On failure it
	// is left empty.
	Dst string
	// Pwd resolves relative local paths, including a relative
	// checksum=file: URL. go-getter never falls back to the process's
	// working directory.
	Pwd string
	// Limits bound the download; see Limits for the defaults.
	Limits Limits
	// Timeout bounds the whole Get. Zero means DefaultTimeout; negative
	// means only ctx bounds it.
	Timeout time.Duration
	// HTTPClient makes the http and https requests (its transport may
	// carry extra CAs or connect-to rules). Nil means a default client.
	// S3 and GCS use their own SDK clients.
	HTTPClient *http.Client
	// Progress, when set, is called as an http or s3 download proceeds,
	// with the file's name, the bytes so far and the total (≤ 0 when the
	// server did not say).
	Progress func(name string, done, total int64)
	// Trace receives Request, Redirect, Response and Failure events for
	// the HTTP requests, and Notes for the steps (checksum, extraction,
	// subdir).
	Trace trace.Func
	// AllowXTerraformGet lets an http(s) URL whose path ends in "/" be
	// fetched through the X-Terraform-Get header or terraform-get meta
	// tag it answers with, to another http(s) source. Off by default.
	AllowXTerraformGet bool
}

// Result describes what Get placed in Dst.
type Result struct {
	// Getter is the go-getter getter used: http, https, file, s3 or gcs.
	Getter string
	// Checksum is "sha256:<hex>" of the downloaded file (an archive
	// before extraction); empty when a directory was fetched.
	Checksum string
	// Verified is the requested checksum, in "type:hex" form, that the
	// download matched; empty when none was requested.
	Verified string
	// Archive is the archive type extracted ("tar.gz", "zip", "gz", ...);
	// empty when nothing was extracted.
	Archive string
	// Subdir is the entry the //subdir pattern matched, relative to what
	// was fetched, with forward slashes; empty without a subdir.
	Subdir string
	// File is the name of the single file placed in Dst when the result
	// is one file (a plain download, a decompressed single-stream file or
	// a subdir that matched a file); empty when Dst holds a tree.
	File string
	// Bytes is the size of the downloaded file.
	Bytes int64
}

// Get fetches req.URL into req.Dst. Every call builds its own go-getter
// client and getters, so concurrent calls share nothing.
func Get(ctx context.Context, req Request) (*Result, error) {
	if err := checkDst(req.Dst); err != nil {
		return nil, err
	}
	src, err := parseSource(req.URL, req.Pwd)
	if err != nil {
		return nil, err
	}
	s := newSession(req, src)
	res, err := s.run(ctx)
	if err != nil {
		return nil, s.fail(err)
	}
	return res, nil
}
