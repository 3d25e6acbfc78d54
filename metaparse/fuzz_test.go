package metaparse

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// FuzzParse checks that no input makes the readers panic, that positions
// they report point at the tags, and that nothing after the point where the
// strict reader stops changes its result.
func FuzzParse(f *testing.F) {
	f.Add(tagFooGit, "<p>x</p>")
	f.Fuzz(func(t *testing.T, head, body string) {
		for _, mode := range []ModuleMode{IgnoreMod, PreferMod} {
			p := Parse(strings.NewReader(head), mode)
			checkPositions(t, head, "strict", p.Origins)
			for _, s := range p.Skipped {
				checkPositions(t, head, "skipped", []Meta{s.Meta})
			}
			checkStopsEarly(t, head, body, mode, p)
			if len(p.Imports) > 0 {
				_, err := Match(p.Imports, p.Imports[0].Prefix)
				if me := (*ImportMismatchError)(nil); errors.As(err, &me) {
					t.Errorf("Match(imports, %q) = %v, but that prefix is in the list", p.Imports[0].Prefix, err)
				}
			}
			l, err := ParseLenient(strings.NewReader(head))
			if err != nil {
				t.Fatalf("ParseLenient: %v", err)
			}
			for _, m := range l.Metas {
				checkPositions(t, head, "lenient", []Meta{m.Meta})
			}
			for _, d := range Explain(p, l) {
				if !looksLike(d.Tag.Name, "go-import") || d.Reason == "" || d.Fix == "" {
					t.Errorf("Explain gave %+v", d)
				}
			}
		}
	})
}

// checkStopsEarly checks that a page read up to <body> or </head> gives
// the same result whatever follows, and that a page read to its end gives
// the same result with a <body> and more appended.
func checkStopsEarly(t *testing.T, head, body string, mode ModuleMode, p *Page) {
	t.Helper()
	switch p.Stop {
	case StopBody, StopHeadEnd:
		if q := Parse(strings.NewReader(head+body), mode); !reflect.DeepEqual(p, q) {
			t.Errorf("appending %q after %v changed the result:\n%+v\n%+v", body, p.Stop, p, q)
		}
	case StopEOF:
		q := Parse(strings.NewReader(head+"<body>"+body), mode)
		if q.Stop != StopBody || q.Offset != int64(len(head)) || q.Line != p.Line {
			t.Errorf("appending <body> after %q: stopped at %v offset %d line %d, want <body> at %d line %d", head, q.Stop, q.Offset, q.Line, len(head), p.Line)
		}
		q.Stop, p.Stop = StopEOF, StopEOF
		if !reflect.DeepEqual(p, q) {
			t.Errorf("appending <body> changed the result:\n%+v\n%+v", p, q)
		}
	}
}

// checkPositions checks that each tag's offset is a '<' on its line.
func checkPositions(t *testing.T, in, reader string, metas []Meta) {
	t.Helper()
	for _, m := range metas {
		if m.Offset < 0 || m.Offset >= int64(len(in)) || in[m.Offset] != '<' {
			t.Errorf("%s tag %+v: offset is not a '<' in the input", reader, m)
			continue
		}
		if want := 1 + strings.Count(in[:m.Offset], "\n"); m.Line != want {
			t.Errorf("%s tag %+v: line is %d, want %d", reader, m, m.Line, want)
		}
	}
}
