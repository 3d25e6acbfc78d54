package download

import (
	"maps"
	"slices"
	"strings"
	"testing"

	getter "github.com/hashicorp/go-getter/v2"
)

func TestEveryGoGetterArchiveTypeIsScanned(t *testing.T) {
	got := archiveTypes()
	want := slices.Sorted(maps.Keys(getter.LimitedDecompressors(0, 0)))
	if !slices.Equal(got, want) {
		t.Errorf("scanned archive types %v, go-getter's decompressors %v: every one needs a row in formats", got, want)
	}
}

func TestChooseArchive(t *testing.T) {
	tests := []struct {
		name  string
		value string
		given bool
		path  string
		want  string
	}{
		{"the longest matching extension wins", "", false, "/x/proj.tar.gz", "tar.gz"},
		{"a lone .gz is a single-stream file", "", false, "/x/notes.gz", "gz"},
		{"the extension match is case-sensitive", "", false, "/x/PROJ.ZIP", ""},
		{"a path with no archive extension is no archive", "", false, "/x/blob", ""},
		{"an empty archive= falls back to the extension", "", true, "/x/proj.tgz", "tgz"},
		{"archive=TYPE overrides the extension", "zip", true, "/x/proj.tar.gz", "zip"},
		{"archive=false turns extraction off", "false", true, "/x/proj.tar.gz", ""},
		{"archive=F is false too", "F", true, "/x/proj.tar.gz", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := chooseArchive(tt.value, tt.given, tt.path)
			if err != nil || got != tt.want {
				t.Errorf("chooseArchive(%q, %v, %q) = %q, %v; want %q", tt.value, tt.given, tt.path, got, err, tt.want)
			}
		})
	}
}

func TestLimitsDefaults(t *testing.T) {
	tests := []struct {
		name string
		in   Limits
		want Limits
	}{
		{"zero fields take the defaults", Limits{}, Limits{DefaultMaxBytes, DefaultMaxFiles, DefaultMaxExtractedBytes, DefaultMaxExpansionRatio}},
		{"negative fields mean no limit", Limits{-1, -1, -1, -1}, Limits{}},
		{"positive fields are kept", Limits{1, 2, 3, 4}, Limits{1, 2, 3, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.in.withDefaults(); got != tt.want {
				t.Errorf("%+v.withDefaults() = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestSourceOptionsAreRemovedFromTheURL(t *testing.T) {
	s, err := parseSource("https://h/p/x.zip//sub/*?b=2&checksum=md5:x&archive=zip&filename=f&a=1", "")
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join([]string{s.String(), s.subdir, s.checksum, s.archive, s.filename}, " | ")
	want := "https://h/p/x.zip?a=1&b=2 | sub/* | md5:x | zip | f"
	if got != want {
		t.Errorf("parseSource gave %q, want %q", got, want)
	}
}
