package modproxy

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/note"
)

// TestParseList reads GOPROXY values as the Go command's proxyList does.
func TestParseList(t *testing.T) {
	e := func(u string, fallBack bool) Entry { return Entry{URL: u, FallBackOnError: fallBack} }
	tests := []struct {
		in      string
		want    []Entry
		wantErr string
	}{
		{"", []Entry{e("https://proxy.golang.org", false), e("direct", false)}, ""},
		{"https://a.example,https://b.example|direct", []Entry{e("https://a.example", false), e("https://b.example", true), e("direct", false)}, ""},
		{"https://a.example|https://b.example", []Entry{e("https://a.example", true), e("https://b.example", false)}, ""},
		{" https://a.example , ,off,https://ignored.example", []Entry{e("https://a.example", false), e("off", false)}, ""},
		{"direct,https://ignored.example", []Entry{e("direct", false)}, ""},
		{"proxy.example/mod", []Entry{e("https://proxy.example/mod", false)}, ""},
		{"http://10.0.0.1:3000", []Entry{e("http://10.0.0.1:3000", false)}, ""},
		{" , ", nil, "contains no entries"},
		{"noproxy", nil, "missing scheme"},
		{"file:///srv/goproxy", nil, "not file:// URLs"},
		{"ftp://proxy.example", nil, "must be https or http"},
		{"https://proxy.example/?x=1", nil, "takes no query"},
	}
	for _, tt := range tests {
		got, err := ParseList(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseList(%q) = %v, %v; want an error saying %q", tt.in, got, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseList(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

// TestWalk checks TryProxies' rules: ',' moves on only after "not
// found", '|' after anything; the error kept is direct's, else a proxy's
// other than "not found", else the last "not found".
func TestWalk(t *testing.T) {
	notFound := func(n string) error { return fmt.Errorf("%s: %w", n, fs.ErrNotExist) }
	tests := []struct {
		name    string
		list    []Entry
		answers map[string]error
		asked   string
		wantErr string
	}{
		{"',' stops at a server error", []Entry{{URL: "a"}, {URL: "b"}}, map[string]error{"a": errors.New("a: 500")}, "a", "a: 500"},
		{"',' moves on after not found", []Entry{{URL: "a"}, {URL: "b"}}, map[string]error{"a": notFound("a")}, "a b", ""},
		{"'|' moves on after a server error", []Entry{{URL: "a", FallBackOnError: true}, {URL: "b"}}, map[string]error{"a": errors.New("a: 500")}, "a b", ""},
		{"a server error beats a later not found", []Entry{{URL: "a", FallBackOnError: true}, {URL: "b"}}, map[string]error{"a": errors.New("a: 500"), "b": notFound("b")}, "a b", "a: 500"},
		{"direct's error beats all", []Entry{{URL: "a", FallBackOnError: true}, {URL: Direct}}, map[string]error{"a": errors.New("a: 500"), Direct: ErrDirect}, "a direct", ErrDirect.Error()},
		{"the last not found is kept", []Entry{{URL: "a"}, {URL: "b"}}, map[string]error{"a": notFound("a"), "b": notFound("b")}, "a b", "b: file does not exist"},
	}
	for _, tt := range tests {
		var asked []string
		err := walk(tt.list, func(e Entry) error {
			asked = append(asked, e.URL)
			return tt.answers[e.URL]
		})
		if got := strings.Join(asked, " "); got != tt.asked {
			t.Errorf("%s: asked %q, want %q", tt.name, got, tt.asked)
		}
		if (err == nil) != (tt.wantErr == "") || err != nil && err.Error() != tt.wantErr {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.wantErr)
		}
	}
}

// TestParseGOSUMDB reads GOSUMDB as the Go command's dbDial does.
func TestParseGOSUMDB(t *testing.T) {
	_, vkey, err := note.GenerateKey(nil, "sum.example.com")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in      string
		want    *SumDBConfig
		wantErr string
	}{
		{"", &SumDBConfig{Name: "sum.golang.org", Key: knownSumDBs["sum.golang.org"]}, ""},
		{"off", nil, ""},
		{"sum.golang.org", &SumDBConfig{Name: "sum.golang.org", Key: knownSumDBs["sum.golang.org"]}, ""},
		{"sum.golang.google.cn", &SumDBConfig{Name: "sum.golang.org", Key: knownSumDBs["sum.golang.org"], URL: "https://sum.golang.google.cn"}, ""},
		{"sum.golang.org https://mirror.example/sumdb/", &SumDBConfig{Name: "sum.golang.org", Key: knownSumDBs["sum.golang.org"], URL: "https://mirror.example/sumdb"}, ""},
		{vkey, &SumDBConfig{Name: "sum.example.com", Key: vkey}, ""},
		{"sum.example.com", nil, "invalid GOSUMDB"},
		{vkey + " https://a https://b", nil, "too many fields"},
		{vkey + " ftp://a", nil, "want an https URL"},
	}
	for _, tt := range tests {
		got, err := ParseGOSUMDB(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseGOSUMDB(%q) = %+v, %v; want an error saying %q", tt.in, got, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseGOSUMDB(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

// sumDBServer serves a checksum database recording sums ("path version"
// -> h1) and returns its GOSUMDB value.
func sumDBServer(t *testing.T, sums map[string]string) (*proxy, string) {
	t.Helper()
	skey, vkey, err := note.GenerateKey(nil, "sumdb.test")
	if err != nil {
		t.Fatal(err)
	}
	srv := sumdb.NewServer(sumdb.NewTestServer(skey, func(path, vers string) ([]byte, error) {
		h, ok := sums[path+" "+vers]
		if !ok {
			return nil, &fs.PathError{Op: "lookup", Path: path, Err: fs.ErrNotExist}
		}
		return []byte(path + " " + vers + " " + h + "\n"), nil
	}))
	p := newProxy(t, nil)
	p.Config.Handler = srv
	return p, vkey + " " + p.URL
}

// TestLookupVerifiesAgainstTheSumDB finds example.com/m for the import
// path example.com/m/sub (the longer path is not a module), downloads it,
// and checks its hash with the checksum database: a hash the database
// does not record is refused before anything is unpacked, whatever '|'
// says, and GONOSUMDB's caller (Verify nil) skips the check.
func TestLookupVerifiesAgainstTheSumDB(t *testing.T) {
	const path = "example.com/m"
	z, h1 := moduleZip(t, path, "v1.0.0")
	replies := map[string]reply{
		"/example.com/m/@v/list":        {body: []byte("v1.0.0\n")},
		"/example.com/m/@v/v1.0.0.info": {body: infoJSON(t, "v1.0.0")},
		"/example.com/m/@v/v1.0.0.zip":  {body: z},
	}
	p := newProxy(t, replies)
	second := newProxy(t, replies)
	for _, tt := range []struct {
		name    string
		sum     string
		wantErr string
	}{
		{"the recorded hash", h1, ""},
		{"another hash", "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "checksum mismatch for example.com/m@v1.0.0"},
		{"an unknown module", "", "404 Not Found"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sums := map[string]string{}
			if tt.sum != "" {
				sums[path+" v1.0.0"] = tt.sum
			}
			dbSrv, gosumdb := sumDBServer(t, sums)
			cfg, err := ParseGOSUMDB(gosumdb)
			if err != nil {
				t.Fatal(err)
			}
			list := []Entry{{URL: p.URL, FallBackOnError: true}, {URL: second.URL}}
			db := NewSumDB(context.Background(), cfg, dbSrv.Client(), list, nil)
			l := &Lookup{Client: p.Client(), Proxies: list, Verify: db.Check}
			found, err := l.Find(context.Background(), path+"/sub", "")
			if err != nil {
				t.Fatal(err)
			}
			if found.Path != path || found.Version != "v1.0.0" || found.Proxy != p.URL {
				t.Fatalf("Find = %+v, want %s v1.0.0 from %s", *found, path, p.URL)
			}
			dst := filepath.Join(t.TempDir(), "m")
			before := len(second.requests())
			m, err := l.Download(context.Background(), found.Path, found.Version, dst)
			if tt.wantErr == "" {
				if err != nil || m.Hash != h1 {
					t.Fatalf("Download = %+v, %v; want hash %s", m, err, h1)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Download: %v, want an error saying %q", err, tt.wantErr)
			}
			if len(readTree(t, dst)) != 0 {
				t.Errorf("the refused zip left files: %v", readTree(t, dst))
			}
			if n := len(second.requests()) - before; n != 0 {
				t.Errorf("after the refusal the next proxy was asked %d times", n)
			}
		})
	}
}

// TestSumDBThroughTheProxy reaches a checksum database named without a
// URL as the Go command does: through the first proxy of the list that
// answers 200 to /sumdb/NAME/supported, walking past one answering 404
// (its own host, https://sumdb.test, does not resolve: asking it fails).
func TestSumDBThroughTheProxy(t *testing.T) {
	const path = "example.com/m"
	_, h1 := moduleZip(t, path, "v1.0.0")
	db, gosumdb := sumDBServer(t, map[string]string{path + " v1.0.0": h1})
	cfg, err := ParseGOSUMDB(strings.Fields(gosumdb)[0]) // the key alone
	if err != nil {
		t.Fatal(err)
	}
	dbHandler := db.Config.Handler
	none := newProxy(t, nil)
	p := newProxy(t, nil)
	p.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest, ok := strings.CutPrefix(r.URL.Path, "/sumdb/"+cfg.Name)
		switch {
		case !ok:
			http.NotFound(w, r)
		case rest == "/supported":
			w.WriteHeader(http.StatusOK)
		default:
			r2 := r.Clone(r.Context())
			r2.URL.Path = rest
			dbHandler.ServeHTTP(w, r2)
		}
	})
	list := []Entry{{URL: none.URL}, {URL: p.URL}, {URL: Direct}}
	s := NewSumDB(context.Background(), cfg, p.Client(), list, nil)
	if err := s.Check(context.Background(), path, "v1.0.0", h1); err != nil {
		t.Fatalf("Check through the proxy: %v", err)
	}
	if got := none.requests(); len(got) != 1 || got[0] != "/sumdb/"+cfg.Name+"/supported" {
		t.Errorf("the first proxy was asked %v, want only its /sumdb/%s/supported", got, cfg.Name)
	}
}

// TestDownloadKeepsTheZipInTempDir: the zip is downloaded into
// Lookup.TempDir (fetch passes its staging temporary, which its next run
// removes after a crash), never into $TMPDIR, where a run killed
// mid-download would leave it for good; and it is gone afterwards.
func TestDownloadKeepsTheZipInTempDir(t *testing.T) {
	const path = "example.com/m"
	z, _ := moduleZip(t, path, "v1.0.0")
	tmpdir := t.TempDir()
	t.Setenv("TMPDIR", t.TempDir())
	var during []string
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/example.com/m/@v/v1.0.0.zip" {
			http.NotFound(w, r)
			return
		}
		during, _ = filepath.Glob(filepath.Join(tmpdir, "*"))
		if in, _ := filepath.Glob(filepath.Join(os.TempDir(), "*")); len(in) > 0 {
			t.Errorf("files in $TMPDIR while downloading: %v", in)
		}
		w.Write(z)
	}))
	t.Cleanup(srv.Close)
	l := &Lookup{Client: srv.Client(), Proxies: []Entry{{URL: srv.URL}}, TempDir: tmpdir}
	if _, err := l.Download(context.Background(), path, "v1.0.0", filepath.Join(t.TempDir(), "m")); err != nil {
		t.Fatal(err)
	}
	if len(during) != 1 || !strings.HasSuffix(during[0], ".zip") {
		t.Errorf("in TempDir while downloading: %v, want the one zip", during)
	}
	if left, _ := filepath.Glob(filepath.Join(tmpdir, "*")); len(left) > 0 {
		t.Errorf("left in TempDir: %v", left)
	}
}
