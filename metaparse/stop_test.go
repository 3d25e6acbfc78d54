package metaparse

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
)

// xmlReadBuffer is how far encoding/xml may read ahead of the token it
// returns: it wraps readers without ReadByte in a default bufio.Reader.
const xmlReadBuffer = 4096

// lazyBody yields n bytes of pattern, repeated, without holding them in
// memory, and counts how many bytes were read from it.
type lazyBody struct {
	n, read int64
	pattern []byte
}

// htmlFiller is typical body markup, with a raw '<' XML rejects.
var htmlFiller = []byte("<p>Lorem ipsum <b>dolor</b> sit amet & <i>x < y</i></p>\n")

func (r *lazyBody) Read(p []byte) (int, error) {
	if r.read >= r.n {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), r.n-r.read)]
	for i := range p {
		p[i] = r.pattern[(r.read+int64(i))%int64(len(r.pattern))]
	}
	r.read += int64(len(p))
	return len(p), nil
}

func TestParseStopsReading(t *testing.T) {
	const big = 1 << 20
	manyTags := strings.Repeat(tagFooGit+"\n", 2000)
	tests := []struct {
		name     string
		head     string
		body     string
		min, max int64 // bounds on the bytes read from the body
	}{
		{"reading stops at <body>", "<html><head>" + tagFooGit + "</head >\n<body>", string(htmlFiller), 0, xmlReadBuffer},
		{"reading stops at </head> without a <body>", "<head>" + tagFooGit + "</head>", string(htmlFiller), 0, xmlReadBuffer},
		{"reading stops at an upper-case <BODY> with attributes", tagFooGit + `<BODY class="x">`, string(htmlFiller), 0, xmlReadBuffer},
		{"reading stops after a head larger than the read buffer", "<head>" + manyTags + "<body>", string(htmlFiller), 0, xmlReadBuffer},
		{"reading stops at an XML error in the body", "<head>" + tagFooGit + "<p>", string(htmlFiller), 0, xmlReadBuffer},
		{"a page without <body> or </head> is read to the end", "<head>" + tagFooGit + "<p>", "plain text ", big, big},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := &lazyBody{n: big, pattern: []byte(tt.body)}
			p := Parse(io.MultiReader(strings.NewReader(tt.head), body), IgnoreMod)
			if body.read < tt.min || body.read > tt.max {
				t.Errorf("read %d bytes of the body, want %d to %d (stopped at %v)", body.read, tt.min, tt.max, p.Stop)
			}
			if len(p.Imports) == 0 {
				t.Errorf("Imports empty, want the tags in the head")
			}
		})
	}
}

func BenchmarkParse(b *testing.B) {
	var page bytes.Buffer
	page.WriteString("<!doctype html>\n<html><head><title>vanity</title>\n")
	for i := range 2000 {
		fmt.Fprintf(&page, `<meta name="go-import" content="example.org/p%d git https://code.example/p%d">`+"\n", i, i)
		fmt.Fprintf(&page, `<meta name="go-source" content="example.org/p%d https://code.example/p%d https://code.example/p%d/tree{/dir} https://code.example/p%d/blob{/dir}/{file}#L{line}">`+"\n", i, i, i, i)
		page.WriteString(`<link rel="stylesheet" href="/style.css"><!-- a comment -->` + "\n")
	}
	page.WriteString("</head><body></body></html>\n")
	b.SetBytes(int64(page.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if p := Parse(bytes.NewReader(page.Bytes()), PreferMod); len(p.Imports) != 2000 {
			b.Fatalf("got %d imports, want 2000", len(p.Imports))
		}
	}
}

func BenchmarkParseBodySize(b *testing.B) {
	head := "<!doctype html>\n<html><head>\n" + tagFooGit + "\n</head>\n<body>\n"
	for _, size := range []struct {
		name string
		n    int64
	}{{"1KiB", 1 << 10}, {"100MiB", 100 << 20}} {
		b.Run("body="+size.name, func(b *testing.B) {
			var read int64
			for b.Loop() {
				body := &lazyBody{n: size.n, pattern: htmlFiller}
				Parse(io.MultiReader(strings.NewReader(head), body), IgnoreMod)
				read += body.read
			}
			b.ReportMetric(float64(read)/float64(b.N), "body-B/op")
		})
	}
}
