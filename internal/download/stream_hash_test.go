package download

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

// TestDownloadHashedWhileWritten checks that an http download is hashed in
// the same read that writes it (the trace says so), that the sums equal
// those of the bytes served, and that a mismatch found that way still fails.
func TestDownloadHashedWhileWritten(t *testing.T) {
	tgz := archiveOf(t, "tar.gz", project)
	srv := newServer(t, map[string]served{"/dl/proj.tar.gz": {body: tgz}})
	sum := sha256.Sum256(tgz)
	good := hex.EncodeToString(sum[:])
	bad := strings.Repeat("0", 64)
	tests := []struct {
		name     string
		checksum string
		wantErr  string
	}{
		{"without a requested checksum the sha256 comes from the stream", "", ""},
		{"a matching checksum is verified from the stream", "?checksum=sha256:" + good, ""},
		{"a mismatch found from the stream fails and names both sums", "?checksum=sha256:" + bad, "expected sha256:" + bad + ", got sha256:" + good},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recordTrace{}
			res, err := Get(context.Background(), Request{URL: srv.URL + "/dl/proj.tar.gz" + tt.checksum, Dst: emptyDst(t), HTTPClient: srv.Client(), Trace: rec.emit})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Get: error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if res.Checksum != "sha256:"+good {
				t.Errorf("Checksum = %s, want sha256:%s", res.Checksum, good)
			}
			if !strings.Contains(rec.text(), "hashed while downloading") {
				t.Errorf("the download was read back to hash it; trace:\n%s", rec.text())
			}
		})
	}
}
