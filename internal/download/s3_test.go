package download

import (
	"context"
	"encoding/xml"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// s3Server answers the two S3 calls go-getter's s3 getter makes against a
// non-AWS endpoint (path style): ListObjectsV2 and GetObject.
func s3Server(t *testing.T, objects map[string][]byte) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		if bucket != "bucket" {
			http.Error(w, "no such bucket", http.StatusNotFound)
			return
		}
		if key == "" && r.URL.Query().Get("list-type") == "2" {
			listObjects(w, r.URL.Query().Get("prefix"), objects)
			return
		}
		body, ok := objects[key]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>`))
			return
		}
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func listObjects(w http.ResponseWriter, prefix string, objects map[string][]byte) {
	type content struct {
		Key  string
		Size int
	}
	var list struct {
		XMLName     xml.Name `xml:"ListBucketResult"`
		Name        string
		Prefix      string
		KeyCount    int
		IsTruncated bool
		Contents    []content
	}
	list.Name, list.Prefix = "bucket", prefix
	for k, v := range objects {
		if strings.HasPrefix(k, prefix) {
			list.Contents = append(list.Contents, content{k, len(v)})
		}
	}
	sort.Slice(list.Contents, func(i, j int) bool { return list.Contents[i].Key < list.Contents[j].Key })
	list.KeyCount = len(list.Contents)
	w.Header().Set("Content-Type", "application/xml")
	xml.NewEncoder(w).Encode(list)
}

func TestGetS3(t *testing.T) {
	// The SDK must find its credentials in the URL, and look nowhere else.
	home := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(home, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(home, "credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	// The SDK logs to stderr, at debug level, every response without a
	// checksum header; go-getter gives no way to set its logger.
	t.Setenv("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required")
	tgz := archiveOf(t, "tar.gz", project)
	srv := s3Server(t, map[string][]byte{
		"dir/file.txt":  []byte("an object"),
		"dir/sub/b.txt": []byte("b"),
		"proj.tar.gz":   tgz,
		"big":           make([]byte, 4096),
	})
	const creds = "?aws_access_key_id=AKIDEXAMPLE&aws_access_key_secret=s3cr3tkey"
	base := "s3::" + srv.URL + "/bucket/"
	tests := []struct {
		name    string
		key     string
		lim     Limits
		want    map[string]string
		getter  string
		wantErr string
	}{
		{"an S3 object is downloaded through the s3 getter", "dir/file.txt", Limits{}, map[string]string{"file.txt": "an object"}, "s3", ""},
		{"an S3 prefix is downloaded as a directory", "dir", Limits{}, map[string]string{"file.txt": "an object", "sub/": "", "sub/b.txt": "b"}, "s3", ""},
		{"an S3 archive is extracted", "proj.tar.gz", Limits{}, projectTree, "s3", ""},
		{"an S3 object over MaxBytes fails", "big", Limits{MaxBytes: 1024}, nil, "", "more than the 1024 bytes allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := emptyDst(t)
			res, err := Get(context.Background(), Request{URL: base + tt.key + creds, Dst: dst, Limits: tt.lim})
			if tt.wantErr != "" {
				if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Get: error = %v, want ErrLimit saying %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "s3cr3tkey") {
					t.Errorf("Get error shows the secret key: %v", err)
				}
				checkEmpty(t, dst)
				return
			}
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if d := diffTree(readTree(t, dst), tt.want); d != "" {
				t.Errorf("destination: %s", d)
			}
			if res.Getter != tt.getter {
				t.Errorf("Result.Getter = %q, want %q", res.Getter, tt.getter)
			}
		})
	}
}
