package netrc

import (
	"bytes"
	"strings"
	"testing"
)

func TestGitCredential(t *testing.T) {
	entries := Parse("machine git.test login alice password s3cret\n" +
		"machine other.test:8443 login bob password hunter2\n" +
		"machine bad.test login eve password a\x00b\n")
	tests := []struct {
		name    string
		action  string
		request string
		want    string
		wantErr string
	}{
		{"a get for an https host with an entry is answered", "get",
			"protocol=https\nhost=git.test\n\n", "username=alice\npassword=s3cret\n", ""},
		{"a host's port is part of the match", "get",
			"protocol=https\nhost=other.test:8443\n\n", "username=bob\npassword=hunter2\n", ""},
		{"a request that ends without a blank line is still answered", "get",
			"protocol=https\nhost=git.test", "username=alice\npassword=s3cret\n", ""},
		{"a request with the entry's user name is answered", "get",
			"protocol=https\nhost=git.test\nusername=alice\n\n", "username=alice\npassword=s3cret\n", ""},
		{"a request for another user is left to other helpers", "get",
			"protocol=https\nhost=git.test\nusername=mallory\n\n", "", ""},
		{"plain http never gets a netrc login", "get",
			"protocol=http\nhost=git.test\n\n", "", ""},
		{"a host without an entry gets no answer", "get",
			"protocol=https\nhost=unknown.test\n\n", "", ""},
		{"a url attribute stands for protocol and host", "get",
			"url=https://git.test/r.git\n\n", "username=alice\npassword=s3cret\n", ""},
		{"store is read and ignored", "store",
			"protocol=https\nhost=git.test\nusername=alice\npassword=new\n\n", "", ""},
		{"erase is read and ignored", "erase",
			"protocol=https\nhost=git.test\nusername=alice\n\n", "", ""},
		{"an unknown action is ignored, as the protocol asks", "frobnicate",
			"protocol=https\nhost=git.test\n\n", "", ""},
		{"a line that is not key=value is an error that does not quote it", "get",
			"protocol=https\nhunter2\n\n", "", "line 2 is not key=value"},
		{"a password the line protocol cannot carry is refused", "get",
			"protocol=https\nhost=bad.test\n\n", "", "cannot be passed to git"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := GitCredential(tt.action, entries, strings.NewReader(tt.request), &out)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("GitCredential error = %v, want one containing %q", err, tt.wantErr)
				}
				for _, secret := range []string{"hunter2", "a\x00b"} {
					if strings.Contains(err.Error(), secret) {
						t.Errorf("error %q shows a secret", err)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("GitCredential: %v", err)
			}
			if out.String() != tt.want {
				t.Errorf("GitCredential wrote %q, want %q", out.String(), tt.want)
			}
		})
	}
}
