package fetch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/semver"

	"github.com/gofetch/fetch/checksum"
	"github.com/gofetch/fetch/detect"

	"github.com/gofetch/fetch/internal/download"
	"github.com/gofetch/fetch/internal/modproxy"
	"github.com/gofetch/fetch/internal/tree"
	"github.com/gofetch/fetch/internal/web"
)

// downloadFetcher fetches files and archives (http, https, file, s3, gcs)
// through go-getter, hardened and checksummed by package download. A
// //subdir's content is placed at the destination itself, as go-getter
// does. An existing destination is left alone: downloads are not updated
// in place (remove the destination to fetch again).
func (c *Client) downloadFetcher(res *resolved, so SourceOptions) (fetcher, error) {
	sec := web.SecureOnly
	if res.insecure {
		sec = web.Insecure
	}
	seen := &answerType{}
	hc := &http.Client{
		Transport: seen.recording(retrying{next: c.web.Transport(sec), note: res.job.note, wait: c.opts.RetryWait}),
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 10 {
				return errors.New("stopped after 10 redirects")
			}
			if prev := via[len(via)-1]; sec == web.SecureOnly && prev.URL.Scheme == "https" && req.URL.Scheme != "https" {
				return fmt.Errorf("redirected from secure URL %s to insecure URL %s", prev.URL.Redacted(), req.URL.Redacted())
			}
			return nil
		},
	}
	return fetcher{
		step: StepDownloading,
		create: func(ctx context.Context, tmp string, r *Result) error {
			ctx = res.job.withUnpackProgress(ctx)
			req := download.Request{
				URL:        res.src.URL,
				Dst:        tmp,
				Pwd:        c.pwd,
				Limits:     c.opts.Limits.download(),
				HTTPClient: hc,
				Trace:      res.job.trace,
				Progress:   res.job.downloadProgress(),
			}
			out, err := download.Get(ctx, req)
			// A download cut short is fetched again from the start: Get
			// leaves tmp empty when it fails, and a GET is idempotent.
			for attempt := 2; err != nil && attempt <= maxAttempts && cutShort(err) && ctx.Err() == nil; attempt++ {
				res.job.note("downloading again after %v (attempt %d of %d)", err, attempt, maxAttempts)
				out, err = download.Get(ctx, req)
			}
			if se := (*download.SourceError)(nil); errors.As(err, &se) {
				err = se.Err // the result line names the source already
			}
			if err != nil {
				return err
			}
			if err := checkLockedSHA256(res.lockedSHA256, out.Checksum); err != nil {
				return err // Stage discards tmp: nothing is placed
			}
			if err := checkWebPage(res.src, seen.get(), out, tmp); err != nil {
				return err // Stage discards tmp: nothing is placed
			}
			rec := record{SHA256: out.Checksum, Archive: out.Archive, File: out.File}
			if fileMode(so.Dest, res.src, out) {
				if err := fileInPlaceOfDir(tmp, out.File); err != nil {
					return err
				}
				rec.FileMode = true
			}
			r.Checksum = out.Checksum
			wantURL, sum := downloadWant(res.src.URL)
			if sum != "" && out.Verified == "" {
				sum = "" // not verified: nothing to vouch for
			}
			rec.URL, rec.Checksum = wantURL, sum
			return writeRecord(filepath.Dir(tmp), r.Dest, rec)
		},
		finish: func(ctx context.Context, dest string, r *Result) error {
			r.Dir = dest
			return nil
		},
		inspect: func(ctx context.Context, dest string, r *Result) error {
			r.Dir = dest
			st, err := tree.Kind(dest)
			if err != nil {
				return err
			}
			return checkDownload(dest, res.src.URL, st, r)
		},
		existing: func(ctx context.Context, dest string, st tree.State, so SourceOptions, r *Result) (Status, error) {
			r.Dir = dest
			if st.Is == tree.File && dirAsked(so.Dest) {
				return "", &contentError{fmt.Sprintf("%s is a file, not the directory -o %s asks for: remove it to fetch again, or choose another destination with -o", dest, so.Dest)}
			}
			if err := checkDownload(dest, res.src.URL, st, r); err != nil {
				return "", err
			}
			if so.Update {
				r.Note = "downloads are not updated in place"
				res.job.note("%s exists; downloads are not updated in place: remove it to fetch again", dest)
			}
			return StatusExists, nil
		},
	}, nil
}

// modFetcher fetches a module from the module proxy a go-import "mod"
// entry names (the module proxy protocol), unpacked with x/mod's safe zip
// rules. The Result carries the version and the module's h1: hash in
// Checksum. Like a download, an existing destination is not updated in place.
func (c *Client) modFetcher(res *resolved, so SourceOptions) (fetcher, error) {
	sec := web.SecureOnly
	if res.insecure {
		sec = web.Insecure
	}
	hc := &http.Client{Transport: c.web.Authorized(retrying{next: c.web.Transport(sec), note: res.job.note, wait: c.opts.RetryWait})}
	report := func(ctx context.Context, dest string, r *Result) error {
		r.Dir = filepath.Join(dest, strings.TrimPrefix(strings.TrimPrefix(res.src.ImportPath, res.rr.Root), "/"))
		return nil
	}
	return fetcher{
		step: StepDownloading,
		create: func(ctx context.Context, tmp string, r *Result) error {
			m, err := modproxy.Fetch(ctx, hc, res.rr.Repo, res.rr.Root, res.src.Ref, tmp, res.job.trace)
			if err != nil {
				return err
			}
			r.Version, r.Checksum = m.Version, m.Hash
			return writeRecord(filepath.Dir(tmp), r.Dest, record{
				URL: "mod " + detect.Redact(res.rr.Repo) + " " + res.rr.Root, Version: m.Version, Hash: m.Hash,
			})
		},
		finish: report,
		inspect: func(ctx context.Context, dest string, r *Result) error {
			if err := checkModule(dest, res.rr.Root, res.src.Ref, r); err != nil {
				return err
			}
			return report(ctx, dest, r)
		},
		existing: func(ctx context.Context, dest string, st tree.State, so SourceOptions, r *Result) (Status, error) {
			if err := checkModule(dest, res.rr.Root, res.src.Ref, r); err != nil {
				return "", err
			}
			if so.Update {
				r.Note = "modules are not updated in place"
				res.job.note("%s exists; modules are not updated in place: remove it to fetch again", dest)
			}
			return StatusExists, report(ctx, dest, r)
		},
	}, nil
}

// recordPrefix starts the name of the record fetch keeps beside a
// download's or a module's destination (.fetch-record-<base>): what was
// fetched there, so that a later run can tell whether the destination
// holds what it asks for (D5) without the network. It is beside the
// destination, not in it, because the destination's content is written by
// whoever serves the archive; like every .fetch- entry it is fetch's own.
const recordPrefix = ".fetch-record-"

// maxRecord bounds the record fetch reads back.
const maxRecord = 64 << 10

// record is what a download or module fetch placed at a destination.
type record struct {
	Format int `json:"format"`
	// URL is the source URL, credentials redacted, without its checksum
	// option, with every other option (archive, filename, //subdir)
	// that shapes the content.
	URL string `json:"url"`
	// Checksum is the ?checksum= value the download was verified
	// against, credentials redacted; empty when none was asked for.
	Checksum string `json:"checksum,omitempty"`
	// SHA256 is "sha256:<hex>" of the downloaded file; empty for a
	// directory.
	SHA256 string `json:"sha256,omitempty"`
	// Archive is the archive type extracted; empty when the file was
	// placed as it is.
	Archive string `json:"archive,omitempty"`
	// File is the single file placed, when the result is one file.
	File string `json:"file,omitempty"`
	// FileMode reports that the destination is that file itself (-o
	// FILE, see fileMode), not a directory holding it.
	FileMode bool `json:"file_mode,omitempty"`
	// Version and Hash are a module's version and h1: hash.
	Version string `json:"version,omitempty"`
	Hash    string `json:"hash,omitempty"`
}

func recordPath(dest string) string {
	return filepath.Join(filepath.Dir(dest), recordPrefix+filepath.Base(dest))
}

// writeRecord writes rec for dest from inside Stage's fill: the file is
// made in work (Stage's private temporary, removed whatever happens) and
// renamed beside dest, just before Stage renames the destination itself,
// so that a destination this fetch placed never lacks its record. A record
// without its destination (a kill in between) is overwritten by the next
// fetch there.
func writeRecord(work, dest string, rec record) error {
	rec.Format = 1
	b, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	tmp := filepath.Join(work, "record")
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("recording what was fetched into %s: %w", dest, err)
	}
	if err := os.Rename(tmp, recordPath(dest)); err != nil {
		return fmt.Errorf("recording what was fetched into %s: %w", dest, err)
	}
	return nil
}

// readRecord reads dest's record; ok is false when there is none (a
// destination fetched by an older fetch). A record that is not a regular
// file, is too big or cannot be read is an error: fetch never follows a
// link there.
func readRecord(dest string) (rec record, ok bool, err error) {
	p := recordPath(dest)
	fi, err := os.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return record{}, false, nil
	}
	bad := func(why string) (record, bool, error) {
		return record{}, false, fmt.Errorf("%s %s: move it away, and %s with it if you do not know what it holds", p, why, dest)
	}
	if err != nil {
		return bad(fmt.Sprintf("cannot be read (%v)", err))
	}
	if !fi.Mode().IsRegular() || fi.Size() > maxRecord {
		return bad("is not fetch's record of a download")
	}
	f, err := os.Open(p)
	if err != nil {
		return bad(fmt.Sprintf("cannot be read (%v)", err))
	}
	defer f.Close()
	if now, err := f.Stat(); err != nil || !os.SameFile(fi, now) {
		return bad("changed while fetch read it")
	}
	b, err := io.ReadAll(io.LimitReader(f, maxRecord))
	if err == nil {
		err = json.Unmarshal(b, &rec)
	}
	if err != nil || rec.Format != 1 {
		return bad("is not fetch's record of a download")
	}
	return rec, true, nil
}

// downloadWant splits a download source into what the record compares:
// the URL without its checksum option (credentials redacted, options in
// a fixed order) and the checksum option.
func downloadWant(raw string) (base, sum string) {
	forced, rest := detect.ForcedGetter(raw)
	u, sub := detect.SourceDirSubdir(rest)
	pu, err := url.Parse(u)
	if err != nil {
		return detect.Redact(raw), ""
	}
	q := pu.Query()
	sum = q.Get("checksum")
	q.Del("checksum")
	pu.RawQuery = q.Encode()
	if sub != "" {
		pu.Path += "//" + sub
		pu.RawPath = ""
	}
	base = pu.String()
	if forced != "" {
		base = forced + "::" + base
	}
	return detect.Redact(base), detect.Redact(sum)
}

// checkDownload is D5 for a download: dest is "exists" only when it
// holds what raw asks for. With a record, the URL (and its archive,
// filename and subdir options) must be the same, and a checksum asked
// for must be the one verified then or match the file's sha256. Without
// one (an older fetch), only a checksum can be checked, by hashing the
// file when dest holds a single file.
func checkDownload(dest, raw string, st tree.State, r *Result) error {
	base, sum := downloadWant(raw)
	rec, ok, err := readRecord(dest)
	if err != nil {
		return err
	}
	redo := "remove it to fetch again, or choose another destination with -o"
	if !ok && st.Is == tree.Checkout {
		return &contentError{fmt.Sprintf("%s is a %s checkout, not a download of %s: move it away or choose another destination with -o", dest, st.VCS, base)}
	}
	// A file at the destination is a download only when fetch wrote it
	// there itself (file mode); before file mode no fetch placed a file
	// at a destination, so one without that record is someone else's.
	if (st.Is == tree.File) != (ok && rec.FileMode) {
		what := "a file"
		if st.Is != tree.File {
			what = "a " + st.Is.String()
		}
		return &contentError{fmt.Sprintf("%s is %s that fetch did not place there, not a download of %s: move it away or choose another destination with -o", dest, what, base)}
	}
	if ok {
		r.Checksum = rec.SHA256
		if plainGetter(rec.URL) != plainGetter(base) {
			return &contentError{fmt.Sprintf("%s holds %s, not %s: %s", dest, rec.URL, base, redo)}
		}
	}
	if sum == "" || (ok && sum == rec.Checksum) {
		return nil
	}
	spec, err := checksum.ParseSpec(sum)
	if err != nil {
		return err
	}
	if spec.FileURL != "" {
		was := "without a checksum"
		if ok && rec.Checksum != "" {
			was = "against " + rec.Checksum
		}
		if !ok {
			was = "by an older fetch, which kept no record"
		}
		return &contentError{fmt.Sprintf("%s was fetched %s; its checksum file %s cannot be checked without the network: %s", dest, was, spec.FileURL, redo)}
	}
	want := spec.Sum.String()
	if ok && strings.EqualFold(spec.Sum.Type, checksum.SHA256) && rec.SHA256 != "" {
		if rec.SHA256 == want {
			return nil
		}
		return &contentError{fmt.Sprintf("%s holds a download whose checksum is %s, not %s: %s", dest, rec.SHA256, want, redo)}
	}
	// Hash the file itself: it must be the one file in dest, placed as
	// downloaded.
	file, at := "", ""
	switch {
	case ok && rec.FileMode && rec.Archive == "":
		file, at = filepath.Base(dest), dest
	case ok && rec.File != "" && rec.Archive == "":
		file = rec.File
	case !ok:
		file = singleFile(dest)
	}
	if file == "" {
		return &contentError{fmt.Sprintf("%s holds no single downloaded file whose checksum fetch could compare with %s: %s", dest, want, redo)}
	}
	if at == "" {
		at = filepath.Join(dest, file)
	}
	have, err := hashRegular(at, spec.Sum.Type)
	if err != nil {
		return err
	}
	if !have.Equal(spec.Sum) {
		why := ""
		if !ok {
			why = " (fetched by an older fetch, which kept no record)"
		}
		return &contentError{fmt.Sprintf("%s holds %s whose checksum is %s, not %s%s: %s", dest, file, have, want, why, redo)}
	}
	return nil
}

// singleFile returns the name of the only entry of dir when it is a
// regular file, else "".
func singleFile(dir string) string {
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 1 || !entries[0].Type().IsRegular() {
		return ""
	}
	return entries[0].Name()
}

// hashRegular hashes the regular file at p (never through a link).
func hashRegular(p, typ string) (checksum.Sum, error) {
	fi, err := os.Lstat(p)
	if err != nil {
		return checksum.Sum{}, err
	}
	if !fi.Mode().IsRegular() {
		return checksum.Sum{}, fmt.Errorf("%s is not a regular file; fetch does not hash through it", p)
	}
	f, err := os.Open(p)
	if err != nil {
		return checksum.Sum{}, err
	}
	defer f.Close()
	if now, err := f.Stat(); err != nil || !os.SameFile(fi, now) {
		return checksum.Sum{}, fmt.Errorf("%s changed while fetch read it", p)
	}
	h, err := checksum.NewHasher(typ)
	if err != nil {
		return checksum.Sum{}, err
	}
	if _, err := io.Copy(h, f); err != nil {
		return checksum.Sum{}, fmt.Errorf("hashing %s: %w", p, err)
	}
	return checksum.Sum{Type: strings.ToLower(typ), Value: h.Sum(nil)}, nil
}

// checkModule is D5 for a module: a version asked for must be the
// version recorded, or, for a query like v1 or v1.2, a version it
// matches. Other queries (a branch, a commit, <v1.3) need the proxy, so
// fetch cannot say the module is what was asked for.
func checkModule(dest, modPath, query string, r *Result) error {
	rec, ok, err := readRecord(dest)
	if err != nil {
		return err
	}
	if ok {
		r.Version = rec.Version
		r.Checksum = rec.Hash
	}
	if query == "" || query == "latest" {
		return nil
	}
	redo := "remove it to fetch again, or choose another destination with -o"
	if !ok {
		return &contentError{fmt.Sprintf("%s holds %s at a version fetch kept no record of (an older fetch placed it), so it cannot be checked against %s: %s", dest, modPath, query, redo)}
	}
	switch {
	case rec.Version == query,
		semver.IsValid(query) && semver.Canonical(query) == rec.Version,
		semver.IsValid(query) && query == semver.MajorMinor(query) && semver.MajorMinor(rec.Version) == query && semver.Prerelease(rec.Version) == "",
		semver.IsValid(query) && query == semver.Major(query) && semver.Major(rec.Version) == query && semver.Prerelease(rec.Version) == "":
		return nil
	case semver.IsValid(query):
		return &contentError{fmt.Sprintf("%s holds %s@%s, not %s: %s", dest, modPath, rec.Version, query, redo)}
	}
	return &contentError{fmt.Sprintf("%s holds %s@%s; whether that is %q needs the module proxy: %s", dest, modPath, rec.Version, query, redo)}
}
