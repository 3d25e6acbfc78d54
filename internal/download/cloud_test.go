package download

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	getter "github.com/hashicorp/go-getter/v2"
)

// TestMain lets the test binary stand in for fetch-cloud: with
// FETCH_FAKE_CLOUD set it runs fakeCloud instead of the tests.
func TestMain(m *testing.M) {
	if dir := os.Getenv("FETCH_FAKE_CLOUD"); dir != "" {
		os.Exit(fakeCloud(dir, os.Args[1:]))
	}
	os.Exit(m.Run())
}

// fakeCloud keeps fetch-cloud's contract with a directory for a bucket:
// `get [--max-files N] file|dir SOURCE DST`, where the key is what
// follows "/bucket/" in SOURCE's path. It records its arguments but the
// flag in dir/../args, and N in dir/../max-files. Keys with a
// meaning: "hang" waits for an interrupt, "usage" exits 2, "links" writes
// a symbolic link, "big" reports more bytes than it writes.
func fakeCloud(dir string, args []string) int {
	if len(args) > 3 && args[1] == "--max-files" {
		os.WriteFile(filepath.Join(dir, "..", "max-files"), []byte(args[2]), 0o644)
		args = append(args[:1:1], args[3:]...)
	}
	if len(args) != 4 || args[0] != "get" || (args[1] != "file" && args[1] != "dir") {
		fmt.Fprintln(os.Stderr, "usage: fetch-cloud get {file|dir} SOURCE DST")
		return 2
	}
	mode, src, dst := args[1], args[2], args[3]
	os.WriteFile(filepath.Join(dir, "..", "args"), []byte(strings.Join(args, "\n")), 0o644)
	_, rest, _ := strings.Cut(src, "::")
	u, err := url.Parse(rest)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	_, key, _ := strings.Cut(u.Path, "/bucket/")
	switch strings.TrimSuffix(key, "/") {
	case "usage":
		fmt.Fprintln(os.Stderr, "unknown option: the fake wants none")
		return 2
	case "hang":
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt)
		fmt.Println("progress 0 -1")
		<-sig
		fmt.Fprintln(os.Stderr, "interrupted")
		return 1
	case "big":
		fmt.Println("progress 100 5000")
	case "links":
		os.MkdirAll(dst, 0o755)
		os.Symlink("/etc", filepath.Join(dst, "etc"))
		return 0
	}
	obj := filepath.Join(dir, filepath.FromSlash(key))
	fi, err := os.Stat(obj)
	switch {
	case err == nil && mode == "file" && fi.Mode().IsRegular():
		b, _ := os.ReadFile(obj)
		fmt.Printf("progress %d %d\n", len(b), len(b))
		os.WriteFile(dst, b, 0o644)
		return 0
	case err == nil && mode == "dir" && fi.IsDir():
		os.CopyFS(dst, os.DirFS(obj))
		return 0
	}
	// The line carries the query, credentials included: fetch must
	// redact what it shows.
	fmt.Fprintf(os.Stderr, "no object %s in %s: check the key\n", key, src)
	return 1
}

// fakeBucket makes the test binary the fetch-cloud fetch runs, serving
// objects from a directory.
func fakeBucket(t *testing.T, objects map[string]string) (argsFile string) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	dir := filepath.Join(root, "bucket")
	for name, body := range objects {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.MkdirAll(dir, 0o755)
	t.Setenv("FETCH_CLOUD", exe)
	t.Setenv("FETCH_FAKE_CLOUD", dir)
	return filepath.Join(root, "args")
}

func TestGetCloudRunsFetchCloud(t *testing.T) {
	tgz := archiveOf(t, "tar.gz", project)
	args := fakeBucket(t, map[string]string{
		"dir/file.txt":  "an object",
		"dir/sub/b.txt": "b",
		"proj.tar.gz":   string(tgz),
		"big":           strings.Repeat("x", 4096),
	})
	const creds = "?aws_access_key_id=AKIDEXAMPLE&aws_access_key_secret=s3cr3tkey"
	base := "s3::https://s3.example.test/bucket/"
	tests := []struct {
		name     string
		url      string
		lim      Limits
		want     map[string]string
		wantArgs string // the program's last command line, SOURCE and DST cut
		wantErr  string
		is       error
	}{
		{"an object is fetched as a file", base + "dir/file.txt" + creds, Limits{}, map[string]string{"file.txt": "an object"}, "get file", "", nil},
		{"a key ending in / is fetched as a prefix", base + "dir/" + creds, Limits{}, map[string]string{"file.txt": "an object", "sub/": "", "sub/b.txt": "b"}, "get dir", "", nil},
		{"a key that is no object is fetched as a prefix", base + "dir" + creds, Limits{}, map[string]string{"file.txt": "an object", "sub/": "", "sub/b.txt": "b"}, "get dir", "", nil},
		{"an archive is extracted by fetch", base + "proj.tar.gz" + creds, Limits{}, projectTree, "get file", "", nil},
		{"gcs:: goes to the same program", "gcs::https://www.googleapis.com/storage/v1/bucket/dir/file.txt", Limits{}, map[string]string{"file.txt": "an object"}, "get file", "", nil},
		{"an S3 host shorthand is detected as s3::", "bucket.s3.amazonaws.com/dir/file.txt", Limits{}, map[string]string{"file.txt": "an object"}, "get file", "", nil},
		{"an object over MaxBytes fails", base + "dir/file.txt" + creds, Limits{MaxBytes: 4}, nil, "", "more than the 4 bytes allowed", ErrLimit},
		{"a reported size over MaxBytes stops the program", base + "big" + creds, Limits{MaxBytes: 1024}, nil, "", "5000 bytes, more than the 1024 bytes allowed", ErrLimit},
		{"a prefix over MaxFiles fails", base + "dir/" + creds, Limits{MaxFiles: 2}, nil, "", "more than 2 objects", ErrLimit},
		{"a missing object is the program's line, redacted", base + "nothing" + creds, Limits{}, nil, "", "no object nothing in s3::https://s3.example.test/bucket/nothing?aws_access_key_id=REDACTED&aws_access_key_secret=REDACTED", nil},
		{"a symbolic link the program writes is refused", base + "links/" + creds, Limits{}, nil, "", "written as a symbolic link", getter.ErrSymlinkCopy},
		{"a usage error is not retried as a prefix", base + "usage" + creds, Limits{}, nil, "get file", "unknown option", nil},
		{"a checksum needs the object, so no prefix is tried", base + "nothing?checksum=sha256:" + strings.Repeat("0", 64), Limits{}, nil, "get file", "no object nothing", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := emptyDst(t)
			res, err := Get(context.Background(), Request{URL: tt.url, Dst: dst, Limits: tt.lim})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Get: error = %v, want one saying %q", err, tt.wantErr)
				}
				if tt.is != nil && !errors.Is(err, tt.is) {
					t.Errorf("Get: error %v is not %v", err, tt.is)
				}
				var ce *CloudGetterError
				if tt.is == nil && !errors.As(err, &ce) {
					t.Errorf("Get: error %v is no *CloudGetterError", err)
				}
				if strings.Contains(err.Error(), "s3cr3tkey") || strings.Contains(err.Error(), "AKIDEXAMPLE") {
					t.Errorf("Get error shows a credential: %v", err)
				}
				checkEmpty(t, dst)
			} else {
				if err != nil {
					t.Fatalf("Get: %v", err)
				}
				if d := diffTree(readTree(t, dst), tt.want); d != "" {
					t.Errorf("destination: %s", d)
				}
				if want := strings.SplitN(tt.url, "::", 2)[0]; want == "s3" || want == "gcs" {
					if res.Getter != want {
						t.Errorf("Result.Getter = %q, want %q", res.Getter, want)
					}
				}
			}
			if tt.wantArgs != "" {
				b, err := os.ReadFile(args)
				if err != nil {
					t.Fatal(err)
				}
				if got := strings.Join(strings.Split(string(b), "\n")[:2], " "); got != tt.wantArgs {
					t.Errorf("last command line starts %q, want %q", got, tt.wantArgs)
				}
			}
		})
	}
}

// TestGetCloudPassesTheSource pins the contract's SOURCE: the whole forced
// source, shorthands expanded, without fetch's own options.
func TestGetCloudPassesTheSource(t *testing.T) {
	args := fakeBucket(t, map[string]string{"k.txt": "k"})
	dst := emptyDst(t)
	if _, err := Get(context.Background(), Request{URL: "bucket.s3.amazonaws.com/k.txt?version=3&filename=x.txt", Dst: dst}); err != nil {
		t.Fatalf("Get: %v", err)
	}
	b, err := os.ReadFile(args)
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Split(string(b), "\n")
	if f[2] != "s3::https://s3.amazonaws.com/bucket/k.txt?version=3" {
		t.Errorf("SOURCE = %q, want the detected s3:: URL without filename", f[2])
	}
	if !strings.HasPrefix(f[3], dst+string(filepath.Separator)) {
		t.Errorf("DST = %q, want a path inside %s", f[3], dst)
	}
	if d := diffTree(readTree(t, dst), map[string]string{"x.txt": "k"}); d != "" {
		t.Errorf("destination: %s", d)
	}
	// The listing of a prefix stops at the entry limit in fetch-cloud,
	// before a server can make it hold more keys than fetch accepts.
	if b, _ := os.ReadFile(filepath.Join(filepath.Dir(args), "max-files")); string(b) != strconv.Itoa(DefaultMaxFiles) {
		t.Errorf("--max-files = %q, want %d", b, DefaultMaxFiles)
	}
}

func TestGetCloudMissingProgram(t *testing.T) {
	t.Setenv("FETCH_CLOUD", filepath.Join(t.TempDir(), "fetch-cloud"))
	dst := emptyDst(t)
	_, err := Get(context.Background(), Request{URL: "s3::https://s3.amazonaws.com/bucket/k", Dst: dst})
	if !errors.Is(err, ErrCloudGetterMissing) {
		t.Fatalf("Get: error = %v, want ErrCloudGetterMissing", err)
	}
	if !strings.Contains(err.Error(), CloudInstall) {
		t.Errorf("error %q does not say how to install it (%s)", err, CloudInstall)
	}
	checkEmpty(t, dst)
}

// TestGetCloudStopsTheProgram: cancelling the context interrupts the
// program, and Get returns the context's error with Dst empty.
func TestGetCloudStopsTheProgram(t *testing.T) {
	fakeBucket(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dst := emptyDst(t)
	// The program reports progress once it waits for the interrupt.
	progress := func(string, int64, int64) { cancel() }
	_, err := Get(ctx, Request{URL: "s3::https://s3.example.test/bucket/hang", Dst: dst, Progress: progress})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Get: error = %v, want context.Canceled", err)
	}
	checkEmpty(t, dst)
}

// TestGetCloudDirTreeIsChecked: what the program writes for a prefix is
// held to the same rules as a copied directory.
func TestGetCloudDirTreeIsChecked(t *testing.T) {
	fakeBucket(t, map[string]string{"p/.git/config": "[core]"})
	dst := emptyDst(t)
	_, err := Get(context.Background(), Request{URL: "s3::https://s3.example.test/bucket/p/", Dst: dst})
	if !errors.Is(err, ErrVCSMetadata) {
		t.Fatalf("Get: error = %v, want ErrVCSMetadata", err)
	}
	checkEmpty(t, dst)
}
