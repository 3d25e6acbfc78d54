package metaparse

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

// Page is what the Go command's reader makes of an HTML page.
type Page struct {
	// Imports are the go-import tags exactly as the Go command's
	// parseMetaGoImports returns them for the mode, in its order.
	Imports []Import
	// Origins[i] is the meta tag Imports[i] was read from.
	Origins []Meta
	// Sources are the go-source tags with four fields, in document order.
	// The Go command ignores them; godoc and pkg.go.dev use them.
	Sources []SourceTag
	// Skipped lists, in document order, the go-import and go-source tags
	// (by a loose reading of the name) that were seen but not returned.
	Skipped []Skipped
	// Err is the error the Go command would return: the error that ended
	// reading, but only when no go-import tag was read before it.
	Err error
	// Cause is the error that ended reading (Stop is StopSyntax,
	// StopCharset or StopRead), even when tags before it make Err nil.
	Cause error
	// Stop says why reading ended.
	Stop Stop
	// Offset is the byte offset of the token that ended reading (the
	// <body> or </head> tag, or the token that failed), or the input
	// length at a clean end of input.
	Offset int64
	// Line is the 1-based line of Offset, or of the error for StopSyntax.
	Line int
	// Charset is the encoding named by an <?xml ... encoding=?>
	// declaration, "" if there is none.
	Charset string
}

// errNilReader is returned for a nil reader instead of panicking.
var errNilReader = errors.New("metaparse: nil reader: there is no page to read")

// Parse reads go-import and go-source tags from r by the Go command's
// rules: encoding/xml in non-strict mode, raw tokens, stopping at <body>
// or </head>. It reads no further from r than encoding/xml buffers past
// that point, so the cost does not depend on the size of the body.
func Parse(r io.Reader, mode ModuleMode) *Page {
	p := &Page{}
	if r == nil {
		p.stopWith(errNilReader)
		p.Err = p.Cause
		return p
	}
	d := xml.NewDecoder(r)
	d.Strict = false
	d.CharsetReader = func(charset string, input io.Reader) (io.Reader, error) {
		p.Charset = charset
		// Like the Go command, ascii passes through unchecked.
		switch strings.ToLower(charset) {
		case "utf-8", "ascii":
			return input, nil
		}
		return nil, &CharsetError{Charset: charset}
	}

	var all []Import
	var origins []Meta
	for {
		p.Offset = d.InputOffset()
		p.Line, _ = d.InputPos()
		t, err := d.RawToken()
		if err != nil {
			if err != io.EOF {
				p.stopWith(err)
				if len(all) == 0 {
					p.Err = err
				}
			}
			break
		}
		switch e := t.(type) {
		case xml.ProcInst:
			if e.Target == "xml" && p.Charset == "" {
				p.Charset = declaredEncoding(string(e.Inst))
			}
			continue
		case xml.StartElement:
			if strings.EqualFold(e.Name.Local, "body") {
				p.Stop = StopBody
			}
		case xml.EndElement:
			if strings.EqualFold(e.Name.Local, "head") {
				p.Stop = StopHeadEnd
			}
		}
		if p.Stop != StopEOF {
			break
		}
		e, ok := t.(xml.StartElement)
		if !ok || !strings.EqualFold(e.Name.Local, "meta") {
			continue
		}
		m := Meta{Name: attrValue(e.Attr, "name"), Content: attrValue(e.Attr, "content"), Line: p.Line, Offset: p.Offset}
		if im, ok := p.readTag(m); ok {
			all = append(all, im)
			origins = append(origins, m)
		}
	}
	p.order(all, origins, mode)
	return p
}

// readTag sorts one meta tag into Sources or Skipped, and reports the
// go-import tags the Go command would collect.
func (p *Page) readTag(m Meta) (Import, bool) {
	f := strings.Fields(m.Content)
	switch {
	case m.Name == "go-import":
		if len(f) == 3 || len(f) == 4 {
			im := Import{Prefix: f[0], VCS: f[1], RepoRoot: f[2]}
			if len(f) == 4 {
				im.SubDir = f[3]
			}
			return im, true
		}
		p.Skipped = append(p.Skipped, Skipped{Meta: m, Reason: SkipFieldCount})
	case m.Name == "go-source":
		if len(f) == 4 {
			p.Sources = append(p.Sources, SourceTag{Prefix: f[0], Home: f[1], Directory: f[2], File: f[3]})
		} else {
			p.Skipped = append(p.Skipped, Skipped{Meta: m, Reason: SkipFieldCount})
		}
	case looksLike(m.Name, "go-import"), looksLike(m.Name, "go-source"):
		p.Skipped = append(p.Skipped, Skipped{Meta: m, Reason: SkipName})
	}
	return Import{}, false
}

// order applies the module mode the way parseMetaGoImports does: in
// PreferMod all mod entries first, then non-mod entries whose prefix has no
// mod entry; otherwise mod entries are dropped.
func (p *Page) order(all []Import, origins []Meta, mode ModuleMode) {
	var haveMod map[string]bool
	if mode == PreferMod {
		haveMod = make(map[string]bool)
		for i, im := range all {
			if im.VCS == "mod" {
				haveMod[im.Prefix] = true
				p.Imports = append(p.Imports, im)
				p.Origins = append(p.Origins, origins[i])
			}
		}
	}
	for i, im := range all {
		switch {
		case im.VCS == "mod":
			if mode != PreferMod {
				p.skip(Skipped{Meta: origins[i], Reason: SkipModIgnored, Import: im})
			}
		case haveMod[im.Prefix]:
			p.skip(Skipped{Meta: origins[i], Reason: SkipSuperseded, Import: im})
		default:
			p.Imports = append(p.Imports, im)
			p.Origins = append(p.Origins, origins[i])
		}
	}
}

// skip inserts s into Skipped keeping document order, because mode
// handling runs after the whole head was read.
func (p *Page) skip(s Skipped) {
	i := len(p.Skipped)
	for i > 0 && p.Skipped[i-1].Offset > s.Offset {
		i--
	}
	p.Skipped = append(p.Skipped, Skipped{})
	copy(p.Skipped[i+1:], p.Skipped[i:])
	p.Skipped[i] = s
}

// stopWith records the error that ended reading and classifies it.
func (p *Page) stopWith(err error) {
	p.Cause = err
	var syn *xml.SyntaxError
	var cs *CharsetError
	switch {
	case errors.As(err, &syn):
		p.Stop = StopSyntax
		p.Line = syn.Line
	case errors.As(err, &cs):
		p.Stop = StopCharset
	default:
		p.Stop = StopRead
	}
}

// attrValue returns the value of the first attribute whose name equals
// name in any case, as the Go command does.
func attrValue(attrs []xml.Attr, name string) string {
	for _, a := range attrs {
		if strings.EqualFold(a.Name.Local, name) {
			return a.Value
		}
	}
	return ""
}

// looksLike reports whether name is want written with other case or
// surrounding space: a tag its author meant as want.
func looksLike(name, want string) bool {
	return strings.EqualFold(strings.TrimSpace(name), want)
}

// declaredEncoding returns the encoding pseudo-attribute of an <?xml?>
// declaration's body, "" if absent.
func declaredEncoding(inst string) string {
	i := strings.Index(inst, "encoding")
	if i < 0 {
		return ""
	}
	rest := strings.TrimLeft(inst[i+len("encoding"):], " \t\r\n")
	if !strings.HasPrefix(rest, "=") {
		return ""
	}
	rest = strings.TrimLeft(rest[1:], " \t\r\n")
	if rest == "" || (rest[0] != '"' && rest[0] != '\'') {
		return ""
	}
	end := strings.IndexByte(rest[1:], rest[0])
	if end < 0 {
		return ""
	}
	return rest[1 : 1+end]
}
