package main

import (
	"strings"
	"testing"
)

func TestParseSize(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    int64
		wantErr string
	}{
		{name: "a bare number is bytes", in: "1000", want: 1000},
		{name: "B is bytes", in: "64B", want: 64},
		{name: "binary units are powers of 1024", in: "1GiB", want: 1 << 30},
		{name: "decimal units are powers of 1000", in: "500MB", want: 500_000_000},
		{name: "units ignore case and the B may be left out", in: "64k", want: 64_000},
		{name: "a space may separate number and unit", in: "2 MiB", want: 2 << 20},
		{name: "an unknown unit is refused and named", in: "12XB", wantErr: `unknown unit "XB"`},
		{name: "a negative size is refused", in: "-1", wantErr: "want a whole number"},
		{name: "a fraction is refused", in: "1.5GiB", wantErr: `unknown unit ".5GiB"`},
		{name: "an empty size is refused", in: "", wantErr: "want a whole number"},
		{name: "a size past int64 is refused", in: "9000000TiB", wantErr: "too large"},
		{name: "a number past int64 is refused", in: "99999999999999999999", wantErr: "out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseSize(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), tt.in) {
					t.Fatalf("parseSize(%q) = %d, %v; want an error naming the input and saying %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("parseSize(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
			}
		})
	}
}
