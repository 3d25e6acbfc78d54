package download

import (
	"context"
	"strings"
	"testing"
)

func TestGetXTerraformGet(t *testing.T) {
	tgz := archiveOf(t, "tar.gz", project)
	evil := archiveOf(t, "tar.gz", []member{file("../evil", "x")})
	tests := []struct {
		name    string
		path    string
		target  string // X-Terraform-Get value; a leading / is a path on the server, abs: marks a local path
		allow   bool
		want    map[string]string
		wantErr string
		fetched bool // whether the target was requested
	}{
		{"a directory URL's X-Terraform-Get is not followed by default", "/mod/", "/real/proj.tar.gz", false, nil, "X-Terraform-Get", false},
		{"X-Terraform-Get is followed when allowed", "/mod/", "/real/proj.tar.gz", true, projectTree, "", true},
		{"a followed X-Terraform-Get still goes through the archive scan", "/mod/", "/real/evil.tar.gz", true, nil, "'..' component", true},
		{"X-Terraform-Get cannot send the download to a local path", "/mod/", "file:///etc", true, nil, `no getter available for X-Terraform-Get source protocol: "file"`, false},
		{"X-Terraform-Get cannot send the download to an absolute local path", "/mod/", "abs:/etc", true, nil, `no getter available for X-Terraform-Get source protocol: "/etc"`, false},
		{"X-Terraform-Get cannot send the download to a relative local path", "/mod/", "./etc", true, nil, `no getter available for X-Terraform-Get source protocol: "./etc"`, false},
		{"X-Terraform-Get cannot send the download to git", "/mod/", "git::https://example.invalid/r.git", true, nil, `no getter available for X-Terraform-Get source protocol: "git"`, false},
		{"a file URL's X-Terraform-Get header is ignored", "/blob", "/real/proj.tar.gz", true, map[string]string{"blob": "the file itself"}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, map[string]served{
				"/real/proj.tar.gz": {body: tgz},
				"/real/evil.tar.gz": {body: evil},
			})
			target, abs := strings.CutPrefix(tt.target, "abs:")
			if strings.HasPrefix(target, "/") && !abs {
				target = srv.URL + target
			}
			hdr := map[string]string{"X-Terraform-Get": target}
			srv.add("/mod/", served{header: hdr, status: 204})
			srv.add("/blob", served{header: hdr, body: []byte("the file itself")})
			dst := emptyDst(t)
			_, err := Get(context.Background(), Request{URL: srv.URL + tt.path, Dst: dst, HTTPClient: srv.Client(), AllowXTerraformGet: tt.allow})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Get: error = %v, want one saying %q", err, tt.wantErr)
				}
				checkEmpty(t, dst)
			} else if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if d := diffTree(readTree(t, dst), tt.want); tt.want != nil && d != "" {
				t.Errorf("destination: %s", d)
			}
			if got := srv.requested("/real/"); got != tt.fetched {
				t.Errorf("X-Terraform-Get target requested = %v, want %v (requests: %v)", got, tt.fetched, srv.requests())
			}
		})
	}
}
