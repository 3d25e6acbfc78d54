package modproxy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/note"

	"github.com/gofetch/fetch/trace"
)

// DefaultGOSUMDB is the Go command's GOSUMDB when the variable is empty.
const DefaultGOSUMDB = "sum.golang.org"

// knownSumDBs are the checksum databases GOSUMDB may name without a key,
// with their public keys, as the Go command knows them.
var knownSumDBs = map[string]string{
	"sum.golang.org": "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8",
}

// sumDBAliases are names GOSUMDB may give that stand for another database
// reached at another URL.
var sumDBAliases = map[string]string{
	"sum.golang.google.cn": "sum.golang.org https://sum.golang.google.cn",
}

// SumDBConfig is a parsed GOSUMDB.
type SumDBConfig struct {
	// Name is the database's name (host[/path]), from its key.
	Name string
	// Key is the verifier key: name+hash+keydata.
	Key string
	// URL is the database's URL when GOSUMDB names one; empty means
	// "ask the proxies of GOPROXY, else https://NAME", as the Go command
	// does.
	URL string
}

// ParseGOSUMDB reads GOSUMDB as the Go command does: "off" (nil, no
// error), a known database's name, or a verifier key "name+hash+keydata",
// optionally followed by a space and the database's URL. Empty means
// DefaultGOSUMDB.
func ParseGOSUMDB(v string) (*SumDBConfig, error) {
	if v == "" {
		v = DefaultGOSUMDB
	}
	if v == "off" {
		return nil, nil
	}
	if alias, ok := sumDBAliases[v]; ok {
		v = alias
	}
	fields := strings.Fields(v)
	switch {
	case len(fields) == 0:
		return nil, errors.New("invalid GOSUMDB: missing database")
	case len(fields) > 2:
		return nil, errors.New("invalid GOSUMDB: too many fields (want NAME+KEY, optionally followed by a URL)")
	}
	if k, ok := knownSumDBs[fields[0]]; ok {
		fields[0] = k
	}
	verifier, err := note.NewVerifier(fields[0])
	if err != nil {
		return nil, fmt.Errorf("invalid GOSUMDB: %v (want a known name such as %s, or NAME+HASH+KEY)", err, DefaultGOSUMDB)
	}
	cfg := &SumDBConfig{Name: verifier.Name(), Key: fields[0]}
	direct, err := url.Parse("https://" + cfg.Name)
	if err != nil || strings.HasSuffix(cfg.Name, "/") || direct.Host == "" || direct.RawPath != "" ||
		*direct != (url.URL{Scheme: "https", Host: direct.Host, Path: direct.Path}) {
		return nil, fmt.Errorf("invalid GOSUMDB: database name %q must be host[/path]", cfg.Name)
	}
	if len(fields) == 2 {
		u, err := url.Parse(fields[1])
		switch {
		case err != nil:
			return nil, fmt.Errorf("invalid GOSUMDB URL %q: %v", redactText(fields[1]), redactErr(err))
		case u.Scheme != "https" && u.Scheme != "http", u.Host == "":
			return nil, fmt.Errorf("invalid GOSUMDB URL %q: want an https URL with a host", redactText(fields[1]))
		case u.RawQuery != "" || u.Fragment != "":
			return nil, fmt.Errorf("invalid GOSUMDB URL %q: a database URL takes no query or fragment", redactText(fields[1]))
		}
		cfg.URL = strings.TrimRight(fields[1], "/")
	}
	return cfg, nil
}

// SumDB checks module hashes against a checksum database with the
// golang.org/x/mod/sumdb client: each answer is a signed tree head
// verified with the database's public key and a record proved to be in
// that tree. Its state (the latest tree head seen, and tiles) lives in
// memory for the life of the SumDB, so one run of fetch checks every
// answer against one tree; nothing is written to disk.
type SumDB struct {
	cfg    *SumDBConfig
	client *sumdb.Client
	ops    *sumDBOps
}

// NewSumDB returns a SumDB for cfg. Requests go through hc (with GOAUTH
// logins and retries, as every request of the Go command). When cfg has
// no URL, the database is reached as the Go command reaches it: through
// the first proxy of the list that answers 200 to
// <proxy>/sumdb/<name>/supported (walking on past "not found", and past
// any error after '|'), else directly at https://<name>. ctx bounds every
// request (the sumdb client takes no context of its own).
func NewSumDB(ctx context.Context, cfg *SumDBConfig, hc *http.Client, proxies []Entry, tr trace.Func) *SumDB {
	if hc == nil {
		hc = &http.Client{}
	}
	ops := &sumDBOps{ctx: ctx, cfg: cfg, hc: hc, proxies: proxies, trace: tr, cache: map[string][]byte{}}
	return &SumDB{cfg: cfg, client: sumdb.NewClient(ops), ops: ops}
}

// Name is the checksum database's name.
func (s *SumDB) Name() string { return s.cfg.Name }

// MismatchError is a module zip whose hash the checksum database does not
// vouch for.
type MismatchError struct {
	Path, Version string
	// Got is the h1: hash of the zip downloaded.
	Got string
	// Want is the hash the database records.
	Want string
	// DB is the database's name.
	DB string
}

// Error says what disagrees and that nothing was placed.
func (e *MismatchError) Error() string {
	return fmt.Sprintf("checksum mismatch for %s@%s: the proxy's zip hashes to %s but the checksum database %s records %s; the zip was refused and nothing was placed (the proxy may serve altered code: tell its operator)",
		e.Path, e.Version, e.Got, e.DB, e.Want)
}

// ErrSumDB marks an error of the checksum database itself (unreachable,
// not knowing the module, or misbehaving): the hash could not be checked.
var ErrSumDB = errors.New("checksum database")

// Check verifies that the database records hash for path@version. A
// module the database does not know, or a database that cannot be
// reached, is an error wrapping ErrSumDB (set GONOSUMDB, or GOPRIVATE,
// for private modules); a different hash is a *MismatchError.
func (s *SumDB) Check(ctx context.Context, path, version, hash string) error {
	lines, err := s.client.Lookup(path, version)
	if err != nil {
		// The client's errors start with path@version, which this
		// message names first.
		msg := strings.TrimPrefix(redactText(err.Error()), path+"@"+version+": ")
		return fmt.Errorf("verifying %s@%s: %w %s: %s (for a private module, set GONOSUMDB or GOPRIVATE)", path, version, ErrSumDB, s.cfg.Name, msg)
	}
	var want string
	for _, line := range lines {
		f := strings.Fields(line)
		if len(f) == 3 && f[0] == path && f[1] == version {
			if f[2] == hash {
				return nil
			}
			want = f[2]
		}
	}
	if want == "" {
		return fmt.Errorf("verifying %s@%s: %w %s answered without a hash for it", path, version, ErrSumDB, s.cfg.Name)
	}
	return &MismatchError{Path: path, Version: version, Got: hash, Want: want, DB: s.cfg.Name}
}

// sumDBOps is the sumdb client's view of the world: HTTP for the
// database, memory for its configuration and cache.
type sumDBOps struct {
	ctx     context.Context
	cfg     *SumDBConfig
	hc      *http.Client
	proxies []Entry
	trace   trace.Func

	baseOnce sync.Once
	base     string
	baseErr  error

	mu       sync.Mutex
	latest   []byte
	cache    map[string][]byte
	security []string
}

func (o *sumDBOps) ReadRemote(path string) ([]byte, error) {
	o.baseOnce.Do(o.findBase)
	if o.baseErr != nil {
		return nil, o.baseErr
	}
	var buf bytes.Buffer
	f := &fetcher{client: o.hc, trace: o.trace, base: o.base, path: o.cfg.Name}
	if err := f.getURL(o.ctx, o.base+path, &buf, maxMeta); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// findBase picks where the database is read, as the Go command does: a
// URL in GOSUMDB, else the first proxy supporting it, else the database
// itself.
func (o *sumDBOps) findBase() {
	if o.cfg.URL != "" {
		o.base = o.cfg.URL
		return
	}
	err := walk(o.proxies, func(e Entry) error {
		if e.URL == Direct || e.URL == Off {
			return fs.ErrNotExist
		}
		base, err := checkProxy(e.URL)
		if err != nil {
			return err
		}
		f := &fetcher{client: o.hc, trace: o.trace, base: base, path: o.cfg.Name}
		u := base + "/sumdb/" + o.cfg.Name
		if err := f.getURL(o.ctx, u+"/supported", &bytes.Buffer{}, maxMeta); err != nil {
			return err
		}
		o.base = u
		return nil
	})
	switch {
	case errors.Is(err, fs.ErrNotExist):
		o.base = "https://" + o.cfg.Name
	case err != nil:
		o.baseErr = err
	}
}

func (o *sumDBOps) ReadConfig(file string) ([]byte, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	switch file {
	case "key":
		return []byte(o.cfg.Key), nil
	case o.cfg.Name + "/latest":
		return o.latest, nil
	}
	return nil, fmt.Errorf("unknown checksum database configuration file %q", file)
}

func (o *sumDBOps) WriteConfig(file string, old, new []byte) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if file != o.cfg.Name+"/latest" {
		return fmt.Errorf("unknown checksum database configuration file %q", file)
	}
	if !bytes.Equal(old, o.latest) {
		return sumdb.ErrWriteConflict
	}
	o.latest = bytes.Clone(new)
	return nil
}

func (o *sumDBOps) ReadCache(file string) ([]byte, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	data, ok := o.cache[file]
	if !ok {
		return nil, fs.ErrNotExist
	}
	return data, nil
}

func (o *sumDBOps) WriteCache(file string, data []byte) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.cache[file] = bytes.Clone(data)
}

func (o *sumDBOps) Log(msg string) {
	o.trace.Emit(trace.Event{Kind: trace.Note, Message: "checksum database: " + redactText(msg)})
}

// SecurityError records a database that contradicts itself (two trees
// that cannot both be true); the client then fails the lookup with
// sumdb.ErrSecurity, which Check reports.
func (o *sumDBOps) SecurityError(msg string) {
	o.mu.Lock()
	o.security = append(o.security, msg)
	o.mu.Unlock()
	o.trace.Emit(trace.Event{Kind: trace.Note, Message: "checksum database SECURITY ERROR: " + redactText(msg)})
}
