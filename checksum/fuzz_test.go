package checksum

import (
	"encoding/hex"
	"strings"
	"testing"
)

// FuzzParseSpec checks that ParseSpec never panics, that its errors stay on
// one line and say what is accepted, and that what it accepts round-trips.
func FuzzParseSpec(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		spec, err := ParseSpec(s)
		if err != nil {
			if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, specForms) {
				t.Fatalf("ParseSpec(%q) error %q is not one line naming the accepted forms", s, msg)
			}
			return
		}
		if spec.FileURL != "" {
			if s != "file:"+spec.FileURL || len(spec.Sum.Value) != 0 {
				t.Fatalf("ParseSpec(%q) = %+v, want only FileURL %q", s, spec, strings.TrimPrefix(s, "file:"))
			}
			return
		}
		if _, err := spec.Sum.check(); err != nil {
			t.Fatalf("ParseSpec(%q) accepted an unusable sum: %v", s, err)
		}
		if !strings.HasSuffix(strings.ToLower(s), hex.EncodeToString(spec.Sum.Value)) {
			t.Fatalf("ParseSpec(%q) = %s, which is not the digest given", s, spec.Sum)
		}
		again, err := ParseSpec(spec.Sum.String())
		if err != nil || !again.Sum.Equal(spec.Sum) {
			t.Fatalf("ParseSpec(%q) = %s, which parses back as %s, %v", s, spec.Sum, again.Sum, err)
		}
	})
}

// FuzzParseLine checks that a checksum file line never panics the parser,
// that an accepted line is a usable sum, and that FromFile finds that sum
// when the line is the whole file.
func FuzzParseLine(f *testing.F) {
	f.Fuzz(func(t *testing.T, line string) {
		e, ok, err := parseLine(line)
		if ok && err != nil {
			t.Fatalf("parseLine(%q) = ok and error %v", line, err)
		}
		if !ok {
			if (err == nil) != (len(strings.Fields(line)) == 0) {
				t.Fatalf("parseLine(%q) error = %v; want one exactly for non-blank lines", line, err)
			}
			return
		}
		if _, err := e.sum.check(); err != nil {
			t.Fatalf("parseLine(%q) accepted an unusable sum: %v", line, err)
		}
		if strings.ContainsAny(e.name, " \t\r\n") {
			t.Fatalf("parseLine(%q) name %q holds whitespace", line, e.name)
		}
		if strings.ContainsAny(line, "\n") || len(line) > maxLineLen || strings.Contains(e.name, "/") {
			return
		}
		got, err := FromFile(strings.NewReader(line), "https://h/d/SUMS", "/d/sub/"+e.name)
		if err != nil || !got.Equal(e.sum) {
			t.Fatalf("FromFile(%q) = %s, %v; want %s", line, got, err, e.sum)
		}
	})
}
