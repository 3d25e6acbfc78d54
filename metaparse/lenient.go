package metaparse

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"

	"golang.org/x/net/html"
)

// Where says where in the document a browser puts a tag.
type Where int

// The places a meta tag can be.
const (
	// InHead: inside <head>, before any </head> in the source.
	InHead Where = iota
	// AfterHead: after an explicit </head> but before anything that opens
	// the body; browsers still move the tag into <head>.
	AfterHead
	// InBody: inside <body>, opened by a <body> tag or implicitly by
	// content (text, a <div>, ...).
	InBody
)

// String returns the place as a person would say it.
func (w Where) String() string {
	switch w {
	case InHead:
		return "in <head>"
	case AfterHead:
		return "after </head>"
	case InBody:
		return "in <body>"
	}
	return fmt.Sprintf("Where(%d)", int(w))
}

// LenientMeta is one <meta> tag as a browser reads it.
type LenientMeta struct {
	Meta
	// HTTPEquiv and Charset are the http-equiv and charset attributes.
	HTTPEquiv string
	Charset   string
	Where     Where
}

// LenientPage is what an HTML parser makes of a page.
type LenientPage struct {
	// Metas are all <meta> tags in document order, wherever they are.
	Metas []LenientMeta
	// Charset is the first charset declared by <meta charset> or by
	// <meta http-equiv="Content-Type" content="...; charset=X">, and
	// CharsetLine its line; "" and 0 when none is declared.
	Charset     string
	CharsetLine int
	// HeadEndLine is the line of the first explicit </head>, 0 if none.
	HeadEndLine int
	// BodyLine is the line where the body began, 0 if it never did, and
	// BodyOpener what opened it: "<body>", another tag such as "<div>",
	// or "text".
	BodyLine   int
	BodyOpener string
}

// headTags are the start tags that stay in <head> (even after </head>)
// instead of opening the body, per the HTML parsing algorithm.
var headTags = map[string]bool{
	"base": true, "basefont": true, "bgsound": true, "link": true, "meta": true,
	"noframes": true, "script": true, "style": true, "template": true,
	"title": true, "noscript": true, "head": true, "html": true,
}

// rawTags are the elements whose content the tokenizer returns as one
// text token.
var rawTags = map[string]bool{
	"iframe": true, "noembed": true, "noframes": true, "noscript": true,
	"plaintext": true, "script": true, "style": true, "textarea": true,
	"title": true, "xmp": true,
}

// ParseLenient reads all of r the way a browser would and returns every
// meta tag, including those in <body>. The caller bounds the input size.
func ParseLenient(r io.Reader) (*LenientPage, error) {
	p := &LenientPage{}
	if r == nil {
		return p, errNilReader
	}
	z := html.NewTokenizer(r)
	var (
		line       = 1
		offset     int64
		where      = InHead
		inTemplate int
		rawNext    bool // the next text token is a raw element's content
	)
	openBody := func(opener string) {
		if where != InBody {
			where, p.BodyLine, p.BodyOpener = InBody, line, opener
		}
	}
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if err := z.Err(); !errors.Is(err, io.EOF) {
				return p, fmt.Errorf("metaparse: reading page at line %d: %w", line, err)
			}
			return p, nil
		}
		raw := z.Raw()
		rawText := rawNext
		rawNext = false
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			rawNext = tt == html.StartTagToken && rawTags[tok.Data]
			switch {
			case tok.Data == "meta":
				p.addMeta(tok, line, offset, where)
			case tok.Data == "template" && tt == html.StartTagToken:
				inTemplate++
			case tok.Data == "body" || tok.Data == "frameset":
				openBody("<" + tok.Data + ">")
			case !headTags[tok.Data] && inTemplate == 0:
				openBody("<" + tok.Data + ">")
			}
		case html.EndTagToken:
			switch name, _ := z.TagName(); string(name) {
			case "head":
				if where == InHead && p.HeadEndLine == 0 {
					where, p.HeadEndLine = AfterHead, line
				}
			case "template":
				inTemplate = max(inTemplate-1, 0)
			case "body", "html", "br":
				openBody("</" + string(name) + ">")
			}
		case html.TextToken:
			// The content of <script> or <title> in the head is text
			// too, but it does not open the body.
			if !rawText && inTemplate == 0 && len(bytes.TrimLeft(raw, " \t\r\n\f")) > 0 {
				openBody("text")
			}
		}
		line += bytes.Count(raw, []byte("\n"))
		offset += int64(len(raw))
	}
}

// addMeta records a meta tag and any charset it declares.
func (p *LenientPage) addMeta(tok html.Token, line int, offset int64, where Where) {
	m := LenientMeta{Meta: Meta{Line: line, Offset: offset}, Where: where}
	seen := map[string]bool{}
	for _, a := range tok.Attr {
		// Browsers keep the first of duplicated attributes.
		if seen[a.Key] {
			continue
		}
		seen[a.Key] = true
		switch a.Key {
		case "name":
			m.Name = a.Val
		case "content":
			m.Content = a.Val
		case "http-equiv":
			m.HTTPEquiv = a.Val
		case "charset":
			m.Charset = a.Val
		}
	}
	p.Metas = append(p.Metas, m)
	if p.Charset != "" {
		return
	}
	cs := strings.TrimSpace(m.Charset)
	if cs == "" && strings.EqualFold(strings.TrimSpace(m.HTTPEquiv), "content-type") {
		if _, params, err := mime.ParseMediaType(m.Content); err == nil {
			cs = params["charset"]
		}
	}
	if cs != "" {
		p.Charset, p.CharsetLine = cs, line
	}
}
