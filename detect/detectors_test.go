package detect

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// detectorRow is one input to a single detector.
type detectorRow struct {
	name, src, want string
	wantOK          bool
	wantErr         string
}

func runDetector(t *testing.T, detect func(src, pwd string) (string, bool, error), rows []detectorRow) {
	t.Helper()
	for _, tt := range rows {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := detect(tt.src, "/pwd")
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("detect(%q) error = %v; want %q", tt.src, err, tt.wantErr)
				}
				return
			}
			if err != nil || ok != tt.wantOK || got != tt.want {
				t.Fatalf("detect(%q) = %q, %v, %v; want %q, %v", tt.src, got, ok, err, tt.want, tt.wantOK)
			}
		})
	}
}

func TestShorthandDetectors(t *testing.T) {
	for _, host := range []struct{ prefix, label string }{
		{"github.com/", "GitHub"}, {"gitlab.com/", "GitLab"}, {"bitbucket.org/", "BitBucket"},
	} {
		h := strings.TrimSuffix(host.prefix, "/")
		runDetector(t, shorthand(host.prefix, host.label), []detectorRow{
			{name: host.label + " owner/repo gets .git", src: h + "/hashicorp/foo", want: "git::https://" + h + "/hashicorp/foo.git", wantOK: true},
			{name: host.label + " owner/repo.git keeps one .git", src: h + "/hashicorp/foo.git", want: "git::https://" + h + "/hashicorp/foo.git", wantOK: true},
			{name: host.label + " extra elements become a subdir", src: h + "/hashicorp/foo/bar", want: "git::https://" + h + "/hashicorp/foo.git//bar", wantOK: true},
			{name: host.label + " a query stays on the URL", src: h + "/hashicorp/foo?foo=bar", want: "git::https://" + h + "/hashicorp/foo.git?foo=bar", wantOK: true},
			{name: host.label + " a query after .git stays on the URL", src: h + "/hashicorp/foo.git?foo=bar", want: "git::https://" + h + "/hashicorp/foo.git?foo=bar", wantOK: true},
			{name: host.label + " another host is not detected", src: "example.org/hashicorp/foo"},
			{name: host.label + " a missing repo is an error", src: h + "/hashicorp", wantErr: host.label + " URLs should be " + host.prefix + "username/repo"},
		})
	}
}

func TestS3Detector(t *testing.T) {
	runDetector(t, detectS3, []detectorRow{
		{name: "virtual-hosted style moves the bucket into the path", src: "bucket.s3.amazonaws.com/foo", want: "s3::https://s3.amazonaws.com/bucket/foo", wantOK: true},
		{name: "virtual-hosted style keeps a nested key", src: "bucket.s3.amazonaws.com/foo/bar", want: "s3::https://s3.amazonaws.com/bucket/foo/bar", wantOK: true},
		{name: "virtual-hosted style keeps a dotted key", src: "bucket.s3.amazonaws.com/foo/bar.baz", want: "s3::https://s3.amazonaws.com/bucket/foo/bar.baz", wantOK: true},
		{name: "a dash region keeps its endpoint", src: "bucket.s3-eu-west-1.amazonaws.com/foo", want: "s3::https://s3-eu-west-1.amazonaws.com/bucket/foo", wantOK: true},
		{name: "a dash region keeps a nested key", src: "bucket.s3-eu-west-1.amazonaws.com/foo/bar", want: "s3::https://s3-eu-west-1.amazonaws.com/bucket/foo/bar", wantOK: true},
		{name: "a dash region keeps a dotted key", src: "bucket.s3-eu-west-1.amazonaws.com/foo/bar.baz", want: "s3::https://s3-eu-west-1.amazonaws.com/bucket/foo/bar.baz", wantOK: true},
		{name: "a dotted region has five host labels", src: "bucket.s3.eu-west-1.amazonaws.com/foo/bar.baz", want: "s3::https://s3.eu-west-1.amazonaws.com/bucket/foo/bar.baz", wantOK: true},
		{name: "path style stays as it is", src: "s3.amazonaws.com/bucket/foo", want: "s3::https://s3.amazonaws.com/bucket/foo", wantOK: true},
		{name: "path style keeps a nested key", src: "s3.amazonaws.com/bucket/foo/bar", want: "s3::https://s3.amazonaws.com/bucket/foo/bar", wantOK: true},
		{name: "path style keeps a dotted key", src: "s3.amazonaws.com/bucket/foo/bar.baz", want: "s3::https://s3.amazonaws.com/bucket/foo/bar.baz", wantOK: true},
		{name: "path style with a region", src: "s3-eu-west-1.amazonaws.com/bucket/foo", want: "s3::https://s3-eu-west-1.amazonaws.com/bucket/foo", wantOK: true},
		{name: "path style with a region keeps a nested key", src: "s3-eu-west-1.amazonaws.com/bucket/foo/bar", want: "s3::https://s3-eu-west-1.amazonaws.com/bucket/foo/bar", wantOK: true},
		{name: "path style with a region keeps a dotted key", src: "s3-eu-west-1.amazonaws.com/bucket/foo/bar.baz", want: "s3::https://s3-eu-west-1.amazonaws.com/bucket/foo/bar.baz", wantOK: true},
		{name: "a version option stays", src: "s3-eu-west-1.amazonaws.com/bucket/foo/bar.baz?version=1234", want: "s3::https://s3-eu-west-1.amazonaws.com/bucket/foo/bar.baz?version=1234", wantOK: true},
		{name: "an empty source is not detected", src: ""},
		{name: "a bucket path without a host is not detected", src: "bucket/foo/bar"},
		{name: "a look-alike domain is not detected", src: "s3.amazonaws.com.invalid/bucket/foo/bar"},
		{name: "a host without a key is not detected", src: "http://s3.amazonaws.com"},
		{name: "six host labels are an error", src: "a.b.c.d.e.amazonaws.com/k", wantErr: "URL is not a valid S3 URL"},
		{name: "a five-label host without s3 second is an error", src: "a.b.c.d.amazonaws.com/k", wantErr: "URL is not a valid S3 URL"},
	})
}

func TestGCSDetector(t *testing.T) {
	runDetector(t, detectGCS, []detectorRow{
		{name: "an object keeps its path", src: "www.googleapis.com/storage/v1/bucket/foo", want: "gcs::https://www.googleapis.com/storage/v1/bucket/foo", wantOK: true},
		{name: "a nested object keeps its path", src: "www.googleapis.com/storage/v1/bucket/foo/bar", want: "gcs::https://www.googleapis.com/storage/v1/bucket/foo/bar", wantOK: true},
		{name: "a dotted object keeps its name", src: "www.googleapis.com/storage/v1/foo/bar.baz", want: "gcs::https://www.googleapis.com/storage/v1/foo/bar.baz", wantOK: true},
		{name: "another API version is kept", src: "www.googleapis.com/storage/v2/foo/bar/toor.baz", want: "gcs::https://www.googleapis.com/storage/v2/foo/bar/toor.baz", wantOK: true},
		{name: "a bucket with a dash is kept", src: "www.googleapis.com/storage/v1/my-bucket/foo/bar", want: "gcs::https://www.googleapis.com/storage/v1/my-bucket/foo/bar", wantOK: true},
		{name: "an empty source is not detected", src: ""},
		{name: "a path without a host is not detected", src: "storage/v1/my-bucket/foo/bar"},
		{name: "a look-alike domain is not detected", src: "www.googleapis.com.invalid/storage/v1/"},
		{name: "a URL with too few path elements is an error", src: "http://www.googleapis.com/storage", wantErr: "URL is not a valid GCS URL"},
		{name: "too few path elements are an error", src: "www.googleapis.com/storage/v1/bucket", wantErr: "URL is not a valid GCS URL"},
	})
}

func TestFileDetector(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("go-getter's file URLs differ on Windows; only the Unix rows are written")
	}
	tests := []struct {
		name, src, pwd, want, wantErr string
	}{
		{name: "a dot path joins the working directory", src: "./foo", pwd: "/pwd", want: "file:///pwd/foo"},
		{name: "a query stays on the path text", src: "./foo?foo=bar", pwd: "/pwd", want: "file:///pwd/foo?foo=bar"},
		{name: "a bare name joins the working directory", src: "foo", pwd: "/pwd", want: "file:///pwd/foo"},
		{name: "an absolute path ignores the working directory", src: "/foo", pwd: "/pwd", want: "file:///foo"},
		{name: "an absolute path keeps its query", src: "/foo?bar=baz", pwd: "/pwd", want: "file:///foo?bar=baz"},
		{name: "an absolute path needs no working directory", src: "/foo", want: "file:///foo"},
		{name: "joining cleans the path", src: "a//b/../c", pwd: "/pwd", want: "file:///pwd/a/c"},
		{name: "percent escapes are kept verbatim", src: "./foo%2Fbar", pwd: "/pwd", want: "file:///pwd/foo%2Fbar"},
		{name: "a dot path without a working directory is an error", src: "./foo", wantErr: "relative paths require a module with a pwd"},
		{name: "a bare name without a working directory is an error", src: "foo", wantErr: "relative paths require a module with a pwd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := detectFile(tt.src, tt.pwd)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr || !ok {
					t.Fatalf("detectFile(%q, %q) = %v, %v; want error %q", tt.src, tt.pwd, ok, err, tt.wantErr)
				}
				return
			}
			if err != nil || !ok || got != tt.want {
				t.Fatalf("detectFile(%q, %q) = %q, %v, %v; want %q", tt.src, tt.pwd, got, ok, err, tt.want)
			}
		})
	}
}

// linkedPwd makes ROOT/real and the link ROOT/link whose target is
// target(ROOT), and returns ROOT with its own symbolic links resolved.
func linkedPwd(t *testing.T, target func(root string) string) string {
	t.Helper()
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(root, "real"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target(root), filepath.Join(root, "link")); err != nil {
		t.Skipf("cannot make symbolic links here: %v", err)
	}
	return root
}

func TestFileDetectorFollowsSymlinkedPwd(t *testing.T) {
	tests := []struct {
		name   string
		target func(root string) string
	}{
		{"an absolute link is followed", func(root string) string { return filepath.Join(root, "real") }},
		{"a relative link is followed", func(string) string { return "real" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := linkedPwd(t, tt.target)
			got, _, err := detectFile("../modules/foo", filepath.Join(root, "link"))
			want := "file://" + filepath.Join(root, "modules/foo")
			if err != nil || got != want {
				t.Fatalf("detectFile through a link = %q, %v; want %q", got, err, want)
			}
		})
	}
}

// TestFileDetectorRelativePwdLink mirrors go-getter's relative-symlink test:
// a relative pwd that is a link is resolved against the process directory.
// It changes directory, so it cannot run in parallel.
func TestFileDetectorRelativePwdLink(t *testing.T) {
	root := linkedPwd(t, func(string) string { return "real" })
	t.Chdir(root)
	got, _, err := detectFile("../modules/foo", "./link")
	want := "file://" + filepath.Join(root, "modules/foo")
	if err != nil || got != want {
		t.Fatalf("detectFile(../modules/foo, ./link) = %q, %v; want %q", got, err, want)
	}
}
