package detect

import (
	"errors"
	"testing"

	"golang.org/x/mod/module"
)

func TestCheckImportPath(t *testing.T) {
	tests := []struct {
		name, path, wantErr string
	}{
		{name: "a vanity path is valid", path: "example.org/pkg/foo"},
		{name: "a tilde user element is valid", path: "example.org/~user/x"},
		{name: "a plus is valid in an import path", path: "example.org/c++"},
		{name: "a leading dot element is refused", path: "example.org/.git", wantErr: `malformed import path "example.org/.git": leading dot in path element`},
		{name: "a leading dot in the host is refused", path: ".example.org/x", wantErr: `malformed import path ".example.org/x": leading dot in path element`},
		{name: "a Windows short name is refused", path: "example.org/longna~1", wantErr: `malformed import path "example.org/longna~1": trailing tilde and digits in path element`},
		{name: "a brace is refused", path: "example.org/{x}", wantErr: `malformed import path "example.org/{x}": invalid char '{'`},
		{name: "a dot-dot element is refused", path: "example.org/../x", wantErr: `malformed import path "example.org/../x": invalid path element ".."`},
		{name: "a double slash is refused", path: "example.org//x", wantErr: `malformed import path "example.org//x": double slash`},
		{name: "a trailing dot is refused", path: "example.org/x.", wantErr: `malformed import path "example.org/x.": trailing dot in path element`},
		{name: "a leading dash is refused", path: "-x.org/y", wantErr: `malformed import path "-x.org/y": leading dash`},
		{name: "a reserved Windows name is refused", path: "example.org/con", wantErr: `malformed import path "example.org/con": "con" disallowed as path element component on Windows`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckImportPath(tt.path)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("CheckImportPath(%q) = %v; want nil", tt.path, err)
				}
				return
			}
			var ipe *module.InvalidPathError
			if err == nil || err.Error() != tt.wantErr || !errors.As(err, &ipe) {
				t.Fatalf("CheckImportPath(%q) = %v; want %q", tt.path, err, tt.wantErr)
			}
		})
	}
}

func TestCutWildcard(t *testing.T) {
	tests := []struct {
		name, path, want, wantErr string
	}{
		{name: "a path without a wildcard is kept", path: "rsc.io/pdf", want: "rsc.io/pdf"},
		{name: "a trailing wildcard element is cut", path: "rsc.io/pdf/...", want: "rsc.io/pdf"},
		{name: "a wildcard inside an element cuts that element", path: "rsc.io/pdf/x.../y", want: "rsc.io/pdf"},
		{name: "a wildcard in the first element cannot be expanded", path: "rsc...io/x", wantErr: `cannot expand ... in "rsc...io/x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := cutWildcard(tt.path)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("cutWildcard(%q) = %q, %v; want error %q", tt.path, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("cutWildcard(%q) = %q, %v; want %q", tt.path, got, err, tt.want)
			}
		})
	}
}
