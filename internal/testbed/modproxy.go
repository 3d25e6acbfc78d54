package testbed

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/dirhash"
	"golang.org/x/mod/sumdb/note"
	modzip "golang.org/x/mod/zip"
)

// ModuleTime is the time the .info of every module version AddModule
// writes reports (a pseudo-version reports its own).
var ModuleTime = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// SumDBName is the name of the bed's checksum database (SumDB).
const SumDBName = "sumdb.testbed.example"

// modState is the bed's module proxy and checksum database.
type modState struct {
	mu     sync.Mutex
	sums   map[string]string // "path version" -> h1 recorded by the database
	mods   map[string]string // "path version" -> h1 of go.mod
	gosumd string            // GOSUMDB value once the database runs
}

// AddModule writes path@version, zipped from files (slash-separated name
// -> content) by golang.org/x/mod/zip as the Go command zips a module,
// into the module cache's download layout under WWW/prefix (prefix such
// as "proxy.example/mod"; the proxy URL is then https://proxy.example/mod):
// ESC/@v/VERSION.info, .mod, .zip and .ziphash, with VERSION added to
// ESC/@v/list, where ESC is the escaped module path. That is the layout
// GOPROXY=file:// reads and every proxy serves. A pseudo-version is listed
// too (proxies list them; the Go command skips them when a tagged version
// exists). It returns the zip's h1: hash, which the bed's checksum
// database (SumDB) records for path@version unless SetSum says otherwise.
func (b *Bed) AddModule(prefix, modPath, version string, files map[string]string) (string, error) {
	fail := func(err error) (string, error) {
		return "", fmt.Errorf("testbed: module %s@%s: %w", modPath, version, err)
	}
	mv := module.Version{Path: modPath, Version: version}
	if err := module.Check(modPath, version); err != nil {
		return fail(err)
	}
	esc, err := module.EscapePath(modPath)
	if err != nil {
		return fail(err)
	}
	escVer, err := module.EscapeVersion(version)
	if err != nil {
		return fail(err)
	}
	src, err := os.MkdirTemp(b.internal, "modsrc-*")
	if err != nil {
		return fail(err)
	}
	defer os.RemoveAll(src)
	if err := writeTree(src, files); err != nil {
		return fail(err)
	}
	var zbuf bytes.Buffer
	if err := modzip.CreateFromDir(&zbuf, mv, src); err != nil {
		return fail(err)
	}
	zipFile := filepath.Join(b.internal, "modzip-"+strings.ReplaceAll(esc, "/", "_")+"@"+escVer+".zip")
	if err := os.WriteFile(zipFile, zbuf.Bytes(), 0o666); err != nil {
		return fail(err)
	}
	h1, err := dirhash.HashZip(zipFile, dirhash.Hash1)
	if err != nil {
		return fail(err)
	}
	gomod, ok := files["go.mod"]
	if !ok {
		gomod = "module " + modPath + "\n"
	}
	modH1, err := dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader(gomod)), nil
	})
	if err != nil {
		return fail(err)
	}
	t := ModuleTime
	if module.IsPseudoVersion(version) {
		if t, err = module.PseudoVersionTime(version); err != nil {
			return fail(err)
		}
	}
	info, err := json.Marshal(struct {
		Version string
		Time    time.Time
	}{version, t})
	if err != nil {
		return fail(err)
	}
	dir := path.Join(prefix, esc, "@v")
	for name, body := range map[string]string{
		escVer + ".info":    string(info),
		escVer + ".mod":     gomod,
		escVer + ".zip":     zbuf.String(),
		escVer + ".ziphash": h1 + "\n",
	} {
		if err := b.WriteWWW(path.Join(dir, name), body); err != nil {
			return "", err
		}
	}
	b.mod.mu.Lock()
	defer b.mod.mu.Unlock()
	list, _, err := readOptional(filepath.Join(b.WWW, filepath.FromSlash(dir), "list"))
	if err != nil {
		return fail(err)
	}
	if !bytes.Contains([]byte("\n"+string(list)), []byte("\n"+version+"\n")) {
		if err := b.WriteWWW(path.Join(dir, "list"), string(list)+version+"\n"); err != nil {
			return "", err
		}
	}
	if b.mod.sums == nil {
		b.mod.sums, b.mod.mods = map[string]string{}, map[string]string{}
	}
	key := modPath + " " + version
	if _, set := b.mod.sums[key]; !set {
		b.mod.sums[key] = h1
	}
	b.mod.mods[key] = modH1
	return h1, nil
}

// SetSum makes the bed's checksum database record h1 for path@version
// instead of the hash of the zip AddModule wrote (a proxy serving altered
// code), or, with h1 "", not know path@version at all. It must come
// before the database is first asked about the module: a record, once
// in its log, never changes.
func (b *Bed) SetSum(modPath, version, h1 string) {
	b.mod.mu.Lock()
	defer b.mod.mu.Unlock()
	if b.mod.sums == nil {
		b.mod.sums, b.mod.mods = map[string]string{}, map[string]string{}
	}
	b.mod.sums[modPath+" "+version] = h1
}

// SumDB starts the bed's checksum database, once: a
// golang.org/x/mod/sumdb server with a key of its own (note.GenerateKey)
// whose records are the hashes of the modules AddModule wrote (or SetSum
// gave), served over TLS on loopback. It returns the GOSUMDB value that
// points the Go command, or fetch, at it: "NAME+HASH+KEY https://ADDR".
func (b *Bed) SumDB() (string, error) {
	b.mod.mu.Lock()
	defer b.mod.mu.Unlock()
	if b.mod.gosumd != "" {
		return b.mod.gosumd, nil
	}
	skey, vkey, err := note.GenerateKey(rand.Reader, SumDBName)
	if err != nil {
		return "", fmt.Errorf("testbed: checksum database key: %w", err)
	}
	ops := sumdb.NewTestServer(skey, b.gosum)
	cfg, err := b.ca.serverConfig()
	if err != nil {
		return "", err
	}
	srv := b.newServer(sumdb.NewServer(ops).ServeHTTP, cfg)
	srv.StartTLS()
	b.mod.gosumd = vkey + " https://" + srv.Listener.Addr().String()
	return b.mod.gosumd, nil
}

// gosum answers the checksum database's question about path@version with
// its go.sum lines.
func (b *Bed) gosum(modPath, version string) ([]byte, error) {
	b.mod.mu.Lock()
	defer b.mod.mu.Unlock()
	key := modPath + " " + version
	h1, ok := b.mod.sums[key]
	if !ok || h1 == "" {
		// A *PathError, which the sumdb server's os.IsNotExist sees (it
		// does not unwrap): the answer is 404.
		return nil, &fs.PathError{Op: "testbed checksum database", Path: modPath + "@" + version, Err: fs.ErrNotExist}
	}
	lines := key + " " + h1 + "\n"
	if modH1 := b.mod.mods[key]; modH1 != "" {
		lines += key + "/go.mod " + modH1 + "\n"
	}
	return []byte(lines), nil
}

// writeTree writes files (slash-separated name -> content) under dir.
func writeTree(dir string, files map[string]string) error {
	if len(files) == 0 {
		return errors.New("no files")
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if !filepath.IsLocal(filepath.FromSlash(name)) {
			return fmt.Errorf("file name %q is not a relative path", name)
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(body), 0o666); err != nil {
			return err
		}
	}
	return nil
}
