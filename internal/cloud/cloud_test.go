package cloud

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gofetch/fetch/internal/testbed"
)

func TestMain(m *testing.M) {
	// The SDK must find credentials in the source, or nowhere: never in the
	// environment or the files of whoever runs the tests.
	home, err := os.MkdirTemp("", "cloud-test-")
	if err != nil {
		panic(err)
	}
	for k, v := range map[string]string{
		"AWS_CONFIG_FILE":                filepath.Join(home, "config"),
		"AWS_SHARED_CREDENTIALS_FILE":    filepath.Join(home, "credentials"),
		"AWS_EC2_METADATA_DISABLED":      "true",
		"GOOGLE_APPLICATION_CREDENTIALS": filepath.Join(home, "none.json"),
		"HOME":                           home,
	} {
		os.Setenv(k, v)
	}
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
		"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_METADATA_URL", "GOOGLE_OAUTH_ACCESS_TOKEN", "STORAGE_EMULATOR_HOST",
		"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"} {
		os.Unsetenv(k)
	}
	code := m.Run()
	os.RemoveAll(home)
	os.Exit(code)
}

const (
	keyID  = "AKIDEXAMPLE"
	secret = "s3cr3tkeyvalue"
	token  = "t0kenvalue"
	creds  = "?aws_access_key_id=" + keyID + "&aws_access_key_secret=" + secret + "&aws_access_token=" + token
)

// objects is the bucket every store test starts from.
func objects() map[string][]byte {
	return map[string][]byte{
		"dir/file.txt":     []byte("an object"),
		"dir/sub/b.txt":    []byte("b"),
		"dir/sub/":         nil, // a directory marker
		"dir2/other.txt":   []byte("not under dir/"),
		"page/1":           []byte("one"),
		"page/2":           []byte("two"),
		"page/3":           []byte("three"),
		"page/4/deep/four": []byte("four"),
		"page/5":           []byte("five"),
		"big":              make([]byte, 4096),
	}
}

// store is one stand-in server and how to name its objects.
type store struct {
	name string
	*testbed.ObjectStore
	source func(key string) string
	setup  func(t *testing.T)
}

// stores starts an S3 and a GCS stand-in with objects(), in buckets named
// "bucket".
func stores(t *testing.T) []store {
	s3 := testbed.NewS3Server("bucket", objects())
	s3.Require(keyID)
	t.Cleanup(s3.Close)
	gcs := testbed.NewGCSServer("bucket", objects())
	t.Cleanup(gcs.Close)
	return []store{
		{"s3", s3.ObjectStore, func(key string) string { return "s3::" + s3.URL + "/bucket/" + key + creds }, func(*testing.T) {}},
		{"gcs", gcs.ObjectStore, func(key string) string { return "gcs::https://www.googleapis.com/storage/v1/bucket/" + key },
			func(t *testing.T) { t.Setenv("STORAGE_EMULATOR_HOST", gcs.Host) }},
	}
}

// readTree maps every path below root (slash form; directories end in
// "/") to its content.
func readTree(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == root {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(p, root+string(filepath.Separator)))
		switch {
		case d.IsDir():
			out[rel+"/"] = ""
		case d.Type().IsRegular():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			out[rel] = string(b)
		default:
			t.Errorf("%s is a %v, not a file or directory", rel, d.Type())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func same(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// checkNothing asserts that dst does not exist and that no work directory
// was left beside it.
func checkNothing(t *testing.T, dst string) {
	t.Helper()
	if _, err := os.Lstat(dst); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("destination exists after a failure (Lstat: %v)", err)
	}
	left, _ := filepath.Glob(dst + ".tmp-*")
	if len(left) > 0 {
		t.Errorf("work files left behind: %v", left)
	}
}

func TestGet(t *testing.T) {
	for _, st := range stores(t) {
		t.Run(st.name, func(t *testing.T) {
			st.setup(t)
			st.SetPageSize(2) // every listing below takes several pages
			tests := []struct {
				name     string
				mode     Mode
				key      string
				wantMode Mode
				want     map[string]string // a file download: the file's content under ""
			}{
				{"one object as a file", ModeFile, "dir/file.txt", ModeFile, map[string]string{"": "an object"}},
				{"a prefix as a directory, without its sibling dir2/", ModeDir, "dir", ModeDir,
					map[string]string{"file.txt": "an object", "sub/": "", "sub/b.txt": "b"}},
				{"a prefix ending in / as a directory", ModeDir, "dir/", ModeDir,
					map[string]string{"file.txt": "an object", "sub/": "", "sub/b.txt": "b"}},
				{"a prefix over several list pages", ModeDir, "page", ModeDir,
					map[string]string{"1": "one", "2": "two", "3": "three", "4/": "", "4/deep/": "", "4/deep/four": "four", "5": "five"}},
				{"any mode: an object is a file", ModeAny, "dir/file.txt", ModeFile, map[string]string{"": "an object"}},
				{"any mode: a prefix is a directory", ModeAny, "dir", ModeDir,
					map[string]string{"file.txt": "an object", "sub/": "", "sub/b.txt": "b"}},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					dst := filepath.Join(t.TempDir(), "dst")
					var last, total int64 = -2, -2
					mode, err := Get(context.Background(), tt.mode, st.source(tt.key), dst, Options{Progress: func(d, tot int64) { last, total = d, tot }})
					if err != nil {
						t.Fatalf("Get: %v", err)
					}
					if mode != tt.wantMode {
						t.Errorf("mode = %v, want %v", mode, tt.wantMode)
					}
					var got map[string]string
					var size int64
					if mode == ModeFile {
						b, err := os.ReadFile(dst)
						if err != nil {
							t.Fatal(err)
						}
						got, size = map[string]string{"": string(b)}, int64(len(b))
					} else {
						got = readTree(t, dst)
						for _, v := range got {
							size += int64(len(v))
						}
					}
					if !same(got, tt.want) {
						t.Errorf("downloaded %v, want %v", got, tt.want)
					}
					if last != size || total != size {
						t.Errorf("last progress = %d of %d, want %d of %d", last, total, size, size)
					}
					left, _ := filepath.Glob(dst + ".tmp-*")
					if len(left) > 0 {
						t.Errorf("work files left behind: %v", left)
					}
				})
			}
		})
	}
}

func TestGetFails(t *testing.T) {
	for _, st := range stores(t) {
		t.Run(st.name, func(t *testing.T) {
			st.setup(t)
			st.Put("evil/ok.txt", []byte("fine"))
			st.Put("evil/../../escape.txt", []byte("outside"))
			st.Put("abs//etc/passwd", []byte("root"))
			st.Put("clash/a", []byte("a file"))
			st.Put("clash/a/b", []byte("below a file"))
			bucket := strings.Replace(st.source("x"), "/bucket/", "/nobucket/", 1)
			tests := []struct {
				name   string
				mode   Mode
				source string
				kind   error
				says   string
			}{
				{"a missing object", ModeFile, st.source("dir/nothing.txt"), ErrNotFound, `"dir/nothing.txt" in bucket bucket does not exist`},
				{"a missing object in any mode", ModeAny, st.source("dir/nothing"), ErrNotFound, `no object "dir/nothing"`},
				{"a missing prefix", ModeDir, st.source("nothing"), ErrNotFound, `no objects under prefix "nothing/"`},
				{"a missing bucket", ModeFile, bucket, ErrNotFound, "bucket nobucket does not exist"},
				{"a missing bucket in dir mode", ModeDir, bucket, ErrNotFound, "bucket nobucket does not exist"},
				{"a key with .. in dir mode", ModeDir, st.source("evil"), ErrUnsafeKey, `"evil/../../escape.txt"`},
				{"a key with an empty element in dir mode", ModeDir, st.source("abs"), ErrUnsafeKey, "outside the destination"},
				{"a key below another key's file", ModeDir, st.source("clash"), ErrClash, `"clash/a" and "clash/a/b"`},
				{"a prefix in file mode", ModeFile, st.source("dir/"), ErrBadSource, "names a prefix"},
				{"over the byte limit", ModeFile, st.source("big"), ErrTooLarge, "1024 bytes"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					dst := filepath.Join(t.TempDir(), "dst")
					_, err := Get(context.Background(), tt.mode, tt.source, dst, Options{MaxBytes: 1024})
					t.Log(err)
					if !errors.Is(err, tt.kind) || !strings.Contains(err.Error(), tt.says) {
						t.Fatalf("Get: error = %v, want %v saying %q", err, tt.kind, tt.says)
					}
					var e *Error
					if !errors.As(err, &e) || strings.ContainsAny(e.Line, "\r\n") {
						t.Errorf("error %q is not one *Error line", err)
					}
					for _, s := range []string{secret, keyID, token} {
						if strings.Contains(err.Error(), s) {
							t.Errorf("error shows a credential: %v", err)
						}
					}
					checkNothing(t, dst)
				})
			}
			// The unsafe key is refused before anything is downloaded.
			if n := st.Gets("evil/ok.txt"); n != 0 {
				t.Errorf("evil/ok.txt downloaded %d times before the unsafe key was refused", n)
			}
		})
	}
}

func TestGetCancel(t *testing.T) {
	for _, st := range stores(t) {
		t.Run(st.name, func(t *testing.T) {
			st.setup(t)
			for _, mode := range []Mode{ModeFile, ModeDir} {
				t.Run(mode.String(), func(t *testing.T) {
					st.Put("slow/x", make([]byte, 1<<20))
					started := st.Stall("slow/x")
					ctx, cancel := context.WithCancel(context.Background())
					defer cancel()
					go func() { <-started; cancel() }()
					key := "slow/x"
					if mode == ModeDir {
						key = "slow"
					}
					dst := filepath.Join(t.TempDir(), "dst")
					_, err := Get(ctx, mode, st.source(key), dst, Options{})
					if !errors.Is(err, ErrCanceled) {
						t.Fatalf("Get: error = %v, want ErrCanceled", err)
					}
					checkNothing(t, dst)
				})
			}
		})
	}
}

func TestGetCredentials(t *testing.T) {
	s3 := testbed.NewS3Server("bucket", objects())
	s3.Require(keyID)
	t.Cleanup(s3.Close)
	gcs := testbed.NewGCSServer("bucket", objects())
	gcs.Require("gcs-token-value")
	t.Cleanup(gcs.Close)
	t.Setenv("STORAGE_EMULATOR_HOST", "http://"+gcs.Host+"/")
	base := "s3::" + s3.URL + "/bucket/dir/file.txt"
	tests := []struct {
		name   string
		source string
		kind   error
		says   string
	}{
		{"another S3 key ID is refused", base + "?aws_access_key_id=AKIDOTHER&aws_access_key_secret=" + secret, ErrDenied, "refused the AWS credentials (InvalidAccessKeyId)"},
		{"no S3 credentials at all", base, ErrNoCredentials, "no AWS credentials found"},
		{"an S3 profile that does not exist", base + "?aws_profile=nosuchprofile", ErrNoCredentials, `AWS profile "nosuchprofile"`},
		{"an emulator refuses a request without its token", "gcs::https://www.googleapis.com/storage/v1/bucket/dir/file.txt", ErrDenied, "access denied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := filepath.Join(t.TempDir(), "dst")
			_, err := Get(context.Background(), ModeFile, tt.source, dst, Options{})
			t.Log(err)
			if !errors.Is(err, tt.kind) || !strings.Contains(err.Error(), tt.says) {
				t.Fatalf("Get: error = %v, want %v saying %q", err, tt.kind, tt.says)
			}
			if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "AKIDOTHER") {
				t.Errorf("error shows a credential: %v", err)
			}
			checkNothing(t, dst)
		})
	}
	t.Run("an S3 session token is sent", func(t *testing.T) {
		dst := filepath.Join(t.TempDir(), "dst")
		if _, err := Get(context.Background(), ModeFile, base+creds, dst, Options{}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestGetGCSGeneration(t *testing.T) {
	gcs := testbed.NewGCSServer("bucket", objects())
	t.Cleanup(gcs.Close)
	t.Setenv("STORAGE_EMULATOR_HOST", gcs.Host)
	src := "gcs::https://www.googleapis.com/storage/v1/bucket/dir/file.txt"
	dst := filepath.Join(t.TempDir(), "dst")
	if _, err := Get(context.Background(), ModeFile, src+"#1", dst, Options{}); err != nil {
		t.Fatalf("generation 1: %v", err)
	}
	dst = filepath.Join(t.TempDir(), "dst")
	_, err := Get(context.Background(), ModeFile, src+"#2", dst, Options{})
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "no generation 2") {
		t.Fatalf("generation 2: error = %v, want ErrNotFound saying no generation 2", err)
	}
	checkNothing(t, dst)
}

func TestGetDestination(t *testing.T) {
	dir := t.TempDir()
	exists := filepath.Join(dir, "exists")
	if err := os.Mkdir(exists, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, dst := range []string{exists, filepath.Join(dir, "no", "parent")} {
		_, err := Get(context.Background(), ModeFile, "s3::https://s3.amazonaws.com/bucket/key", dst, Options{})
		if !errors.Is(err, ErrBadDestination) {
			t.Errorf("Get to %s: error = %v, want ErrBadDestination", dst, err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("Get touched the destination's directory: %v", entries)
	}
}

func TestParseSource(t *testing.T) {
	tests := []struct {
		src                 string
		bucket, key, region string
		endpoint            string
		static              bool
		generation          int64
	}{
		{"s3::https://s3.amazonaws.com/bucket/a/b.txt", "bucket", "a/b.txt", "", "", false, 0},
		{"s3::https://s3-eu-west-1.amazonaws.com/bucket/k", "bucket", "k", "eu-west-1", "", false, 0},
		{"s3::https://s3.eu-west-1.amazonaws.com/bucket/k", "bucket", "k", "eu-west-1", "", false, 0},
		{"s3::https://bucket.s3.amazonaws.com/k/", "bucket", "k/", "", "", false, 0},
		{"s3::https://bucket.s3-eu-west-1.amazonaws.com/k", "bucket", "k", "eu-west-1", "", false, 0},
		{"s3::https://bucket.s3.eu-west-1.amazonaws.com/k", "bucket", "k", "eu-west-1", "", false, 0},
		{"s3::https://my.bucket.s3.cn-north-1.amazonaws.com.cn/k", "my.bucket", "k", "cn-north-1", "", false, 0},
		{"s3::https://s3.amazonaws.com/bucket/k?region=us-west-2&aws_access_key_id=A&aws_access_key_secret=B", "bucket", "k", "us-west-2", "", true, 0},
		{"s3::http://127.0.0.1:9000/bucket/k?region=eu-central-1&version=3", "bucket", "k", "eu-central-1", "http://127.0.0.1:9000", false, 0},
		{"s3::https://minio.example.org/bucket/", "bucket", "", "", "https://minio.example.org", false, 0},
		{"gcs::https://www.googleapis.com/storage/v1/bucket/a/b.txt", "bucket", "a/b.txt", "", "", false, 0},
		{"gcs::https://storage.googleapis.com/storage/v1/bucket/o#1234", "bucket", "o", "", "", false, 1234},
	}
	for _, tt := range tests {
		s, err := ParseSource(tt.src)
		if err != nil {
			t.Errorf("ParseSource(%q): %v", tt.src, err)
			continue
		}
		if s.Bucket != tt.bucket || s.Key != tt.key || s.s3.region != tt.region || s.s3.endpoint != tt.endpoint || s.s3.static != tt.static || s.generation != tt.generation {
			t.Errorf("ParseSource(%q) = bucket %q key %q region %q endpoint %q static %v generation %d", tt.src,
				s.Bucket, s.Key, s.s3.region, s.s3.endpoint, s.s3.static, s.generation)
		}
	}
	bad := []string{
		"https://s3.amazonaws.com/bucket/k",
		"https://s3.amazonaws.com/bucket/k?aws_access_key_secret=" + secret,
		"s3::ftp://s3.amazonaws.com/bucket/k?aws_access_key_secret=" + secret,
		"git::https://s3.amazonaws.com/bucket/k",
		"s3::s3.amazonaws.com/bucket/k",
		"s3::ftp://s3.amazonaws.com/bucket/k",
		"s3::https://s3.amazonaws.com/bucket",
		"s3::https://s3.amazonaws.com//k",
		"s3::https://example.s3.dualstack.us-east-1.amazonaws.com/k",
		"s3::https://host.example/bucket?aws_access_key_secret=" + secret,
		"gcs::https://www.example.com/storage/v1/bucket/o",
		"gcs::https://a.b.googleapis.com/storage/v1/bucket/o",
		"gcs::https://www.googleapis.com/bucket/o",
		"gcs::https://www.googleapis.com/storage/v1//o",
		"gcs::https://www.googleapis.com/storage/v1/bucket/o#latest",
	}
	for _, src := range bad {
		_, err := ParseSource(src)
		if !errors.Is(err, ErrBadSource) {
			t.Errorf("ParseSource(%q): error = %v, want ErrBadSource", src, err)
			continue
		}
		if strings.Contains(Redact(err, nil).Error(), secret) {
			t.Errorf("ParseSource(%q): error shows the secret: %v", src, err)
		}
	}
}

// TestRelPath pins which directory-mode keys are refused.
func TestRelPath(t *testing.T) {
	tr := &tree{src: &Source{Bucket: "b"}, prefix: "p/"}
	ok := map[string]string{"p/a": "a", "p/a/b.txt": "a/b.txt", "p/a..b": "a..b", "p/.hidden": ".hidden"}
	skip := []string{"p/", "p/dir/"}
	bad := []string{"p/../x", "p/a/../../x", "p//abs", "p/a//b", "p/./a", "p/a/.", "p/..", "p/a\\..\\..\\x", "p/a\x00b"}
	for key, want := range ok {
		if rel, use, err := tr.relPath(key); err != nil || !use || rel != want {
			t.Errorf("relPath(%q) = %q, %v, %v; want %q", key, rel, use, err, want)
		}
	}
	for _, key := range skip {
		if _, use, err := tr.relPath(key); err != nil || use {
			t.Errorf("relPath(%q): use %v, error %v; want a skipped directory marker", key, use, err)
		}
	}
	for _, key := range bad {
		if _, _, err := tr.relPath(key); !errors.Is(err, ErrUnsafeKey) {
			t.Errorf("relPath(%q): error = %v, want ErrUnsafeKey", key, err)
		}
	}
}

// TestGetStopsAPageLoop: a server whose list pages lead back to one
// another (tokens a, b, a, ...) fails the download at the first token
// seen twice, with nothing written, instead of listing (and growing the
// list in memory) until the deadline. The deadline here is only a safety
// net: without the check the test fails with ErrCanceled.
func TestGetStopsAPageLoop(t *testing.T) {
	for _, st := range stores(t) {
		t.Run(st.name, func(t *testing.T) {
			st.setup(t)
			st.SetPageSize(2)
			st.LoopPages()
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			dst := filepath.Join(t.TempDir(), "dst")
			_, err := Get(ctx, ModeDir, st.source("page"), dst, Options{})
			if !errors.Is(err, ErrFailed) || !strings.Contains(err.Error(), "page token") {
				t.Fatalf("Get: error = %v, want ErrFailed naming the repeated page token", err)
			}
			checkNothing(t, dst)
		})
	}
}

// TestErrorLineEscapesServerControls: a storage server's error message
// is quoted in the one error line; its ESC sequences, C1 CSI and
// bidirectional overrides are escaped so they cannot drive the terminal.
func TestErrorLineEscapesServerControls(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, `{"error":{"message":"boom\u001b[2J\u009b31m\u202eexe.txt"}}`)
	}))
	t.Cleanup(srv.Close)
	t.Setenv("STORAGE_EMULATOR_HOST", strings.TrimPrefix(srv.URL, "http://"))
	dst := filepath.Join(t.TempDir(), "dst")
	_, err := Get(context.Background(), ModeFile, "gcs::https://www.googleapis.com/storage/v1/bucket/obj", dst, Options{})
	if err == nil || strings.ContainsAny(err.Error(), "\x1b\u009b\u202e") || !strings.Contains(err.Error(), `boom\x1b[2J\x9b31m\u202eexe.txt`) {
		t.Fatalf("Get: error = %q, want the server's message with its controls escaped", err)
	}
	checkNothing(t, dst)
}

// FuzzRelPath: whatever the key, a path relPath accepts stays below the
// destination, names no "." or ".." element and is local on this system.
func FuzzRelPath(f *testing.F) {
	for _, k := range []string{"p/a", "p/a/b", "p/../x", "p//x", "p/a\\..\\x", "p/C:/x", "p/./a", "p/a/", "p/\x00", "p/..."} {
		f.Add(k)
	}
	root := filepath.Join(f.TempDir(), "root")
	f.Fuzz(func(t *testing.T, key string) {
		tr := &tree{src: &Source{Bucket: "b"}, prefix: "p/"}
		rel, ok, err := tr.relPath(key)
		if err != nil || !ok {
			return
		}
		p := filepath.Join(root, filepath.FromSlash(rel))
		inside, err := filepath.Rel(root, p)
		if err != nil || !filepath.IsLocal(inside) || inside != filepath.FromSlash(rel) {
			t.Fatalf("key %q: relPath gave %q, which lands at %q outside %s", key, rel, p, root)
		}
		for _, el := range strings.Split(rel, "/") {
			if el == "" || el == "." || el == ".." {
				t.Fatalf("key %q: relPath gave %q with element %q", key, rel, el)
			}
		}
	})
}

// TestGetStopsAtMaxFiles: a directory download whose prefix lists more
// objects than Options.MaxFiles fails with ErrTooLarge before any object
// is downloaded: a server naming page after page of keys cannot make the
// listing, held in memory, grow without end.
func TestGetStopsAtMaxFiles(t *testing.T) {
	for _, st := range stores(t) {
		t.Run(st.name, func(t *testing.T) {
			st.setup(t)
			st.SetPageSize(2)
			dst := filepath.Join(t.TempDir(), "dst")
			_, err := Get(context.Background(), ModeDir, st.source("page"), dst, Options{MaxFiles: 3})
			if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "more than the 3 objects allowed") {
				t.Fatalf("Get: error = %v, want ErrTooLarge at 3 objects", err)
			}
			checkNothing(t, dst)
			if n := st.Gets("page/1"); n != 0 {
				t.Errorf("page/1 downloaded %d times before the limit was reached", n)
			}
		})
	}
}
