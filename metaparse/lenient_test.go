package metaparse

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

func TestParseLenientMetas(t *testing.T) {
	type meta struct {
		name, content string
		line          int
		where         Where
	}
	tests := []struct {
		name string
		in   string
		want []meta
	}{
		{"a tag in head is found in head", "<html><head>\n" + tagFooGit + "</head></html>",
			[]meta{{"go-import", "foo/bar git https://code.example/foo/bar", 2, InHead}}},
		{"a tag in body is found in body", "<html><head></head>\n<body>\n" + tagFooGit,
			[]meta{{"go-import", "foo/bar git https://code.example/foo/bar", 3, InBody}}},
		{"a tag between </head> and <body> is after head", "<head></head>\n" + tagFooGit + "<body>",
			[]meta{{"go-import", "foo/bar git https://code.example/foo/bar", 2, AfterHead}}},
		{"a tag after a div opens the body implicitly", "<head><div>x</div>" + tagFooGit,
			[]meta{{"go-import", "foo/bar git https://code.example/foo/bar", 1, InBody}}},
		{"a tag after text opens the body implicitly", "hello\n" + tagFooGit,
			[]meta{{"go-import", "foo/bar git https://code.example/foo/bar", 2, InBody}}},
		{"a script with < before the tag keeps it in head", "<head><script>if (a < b) {}\n</script>" + tagFooGit,
			[]meta{{"go-import", "foo/bar git https://code.example/foo/bar", 2, InHead}}},
		{"a tag inside a script is not a tag", "<script>\n'" + tagFooGit + "'</script>", nil},
		{"a tag inside a comment is not a tag", "<!--\n" + tagFooGit + "-->", nil},
		{"a tag inside a head template stays in head", "<head><template><div></div></template>" + tagFooGit,
			[]meta{{"go-import", "foo/bar git https://code.example/foo/bar", 1, InHead}}},
		{"names keep their case and content is unquoted like a browser does", `<META Name="Go-Import" content=foo/bar>`,
			[]meta{{"Go-Import", "foo/bar", 1, InHead}}},
		{"entities are decoded", `<meta name="go-import" content="a git https://x/?a&amp;b">`,
			[]meta{{"go-import", "a git https://x/?a&b", 1, InHead}}},
		{"the first of duplicated attributes wins", `<meta name="go-import" name="other" content="a b c">`,
			[]meta{{"go-import", "a b c", 1, InHead}}},
		{"lines count every newline before the tag", "\n\n<!-- \n -->\n<title>\n</title>" + tagFooGit,
			[]meta{{"go-import", "foo/bar git https://code.example/foo/bar", 6, InHead}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParseLenient(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			var got []meta
			for _, m := range p.Metas {
				got = append(got, meta{m.Name, m.Content, m.Line, m.Where})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Metas = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseLenientOffsets(t *testing.T) {
	in := "<!doctype html>\n<head><title>x</title>\n" + tagFooGit + "\n<body>\n" + tagBazGit
	p, err := ParseLenient(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []int64{int64(strings.Index(in, tagFooGit)), int64(strings.Index(in, tagBazGit))}
	var got []int64
	for _, m := range p.Metas {
		got = append(got, m.Offset)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("offsets = %v, want the tags' byte offsets %v", got, want)
	}
}

func TestParseLenientStructure(t *testing.T) {
	tests := []struct {
		name        string
		in          string
		charset     string
		charsetLine int
		headEnd     int
		bodyLine    int
		opener      string
	}{
		{"a meta charset is recorded", "\n<meta charset=\"ISO-8859-1\">", "ISO-8859-1", 2, 0, 0, ""},
		{"an http-equiv content type charset is recorded", `<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">`, "windows-1252", 1, 0, 0, ""},
		{"the first charset wins", `<meta charset="utf-8"><meta charset="latin1">`, "utf-8", 1, 0, 0, ""},
		{"a content type without charset declares none", `<meta http-equiv="content-type" content="text/html">`, "", 0, 0, 0, ""},
		{"an explicit body is recorded", "<head>\n</head>\n<body>", "", 0, 2, 3, "<body>"},
		{"an implicit body names its opener", "<head>\n<p>", "", 0, 0, 2, "<p>"},
		{"text opens the body", "<head>\nhello", "", 0, 0, 1, "text"},
		{"white space does not open the body", "<head>\n  \n", "", 0, 0, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParseLenient(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if p.Charset != tt.charset || p.CharsetLine != tt.charsetLine {
				t.Errorf("charset %q at line %d, want %q at line %d", p.Charset, p.CharsetLine, tt.charset, tt.charsetLine)
			}
			if p.HeadEndLine != tt.headEnd || p.BodyLine != tt.bodyLine || p.BodyOpener != tt.opener {
				t.Errorf("</head> at %d, body at %d by %q; want %d, %d, %q", p.HeadEndLine, p.BodyLine, p.BodyOpener, tt.headEnd, tt.bodyLine, tt.opener)
			}
		})
	}
}

func TestParseLenientReadError(t *testing.T) {
	boom := errors.New("connection reset")
	r := io.MultiReader(strings.NewReader(tagFooGit+"\n"), &failingReader{err: boom})
	p, err := ParseLenient(r)
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want it to wrap %v", err, boom)
	}
	if len(p.Metas) != 1 {
		t.Errorf("Metas = %+v, want the tag read before the failure", p.Metas)
	}
}

type failingReader struct{ err error }

func (r *failingReader) Read([]byte) (int, error) { return 0, r.err }

func TestNilReaders(t *testing.T) {
	tests := []struct {
		name string
		err  func() error
	}{
		{"Parse reports a nil reader as a read error", func() error {
			p := Parse(nil, IgnoreMod)
			if p.Stop != StopRead {
				t.Errorf("Stop = %v, want %v", p.Stop, StopRead)
			}
			return p.Err
		}},
		{"ParseLenient reports a nil reader", func() error {
			_, err := ParseLenient(nil)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.err(); !errors.Is(err, errNilReader) {
				t.Errorf("err = %v, want %v", err, errNilReader)
			}
		})
	}
}
