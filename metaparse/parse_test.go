package metaparse

import (
	"encoding/xml"
	"errors"
	"reflect"
	"strings"
	"testing"
)

const (
	tagFooGit  = `<meta name="go-import" content="foo/bar git https://code.example/foo/bar">`
	tagFooMod  = `<meta name="go-import" content="foo/bar mod https://proxy.example/mod">`
	tagBazGit  = `<meta name="go-import" content="baz/quux git http://code.example/baz/quux">`
	tagRootGit = `<meta name="go-import" content="vanity.example git https://code.example/x">`
	tagSubMod  = `<meta name="go-import" content="vanity.example/sub mod https://proxy.example/sub">`
)

var (
	impFooGit  = Import{"foo/bar", "git", "https://code.example/foo/bar", ""}
	impFooMod  = Import{"foo/bar", "mod", "https://proxy.example/mod", ""}
	impBazGit  = Import{"baz/quux", "git", "http://code.example/baz/quux", ""}
	impRootGit = Import{"vanity.example", "git", "https://code.example/x", ""}
	impSubMod  = Import{"vanity.example/sub", "mod", "https://proxy.example/sub", ""}
)

func TestParseImports(t *testing.T) {
	tests := []struct {
		name string
		in   string
		mode ModuleMode
		want []Import
		err  string
	}{
		{"a lone tag is returned", tagFooGit, IgnoreMod, []Import{impFooGit}, ""},
		{"two tags are returned in document order", tagFooGit + "\n" + tagBazGit, IgnoreMod, []Import{impFooGit, impBazGit}, ""},
		{"a mod entry after a git entry is dropped in IgnoreMod", tagFooGit + "\n" + tagFooMod, IgnoreMod, []Import{impFooGit}, ""},
		{"a mod entry before a git entry is dropped in IgnoreMod", tagFooMod + "\n" + tagFooGit, IgnoreMod, []Import{impFooGit}, ""},
		{"a mod entry supersedes the git entry for its prefix in PreferMod", tagFooMod + "\n" + tagFooGit, PreferMod, []Import{impFooMod}, ""},
		{"a mod entry for another prefix is dropped in IgnoreMod", tagRootGit + "\n" + tagSubMod, IgnoreMod, []Import{impRootGit}, ""},
		{"mod entries come first in PreferMod and other prefixes keep their git entry", tagRootGit + "\n" + tagSubMod, PreferMod, []Import{impSubMod, impRootGit}, ""},
		{"an unknown mode value behaves like IgnoreMod", tagFooMod + tagFooGit, ModuleMode(7), []Import{impFooGit}, ""},
		{"a tag inside an explicit head is returned", "<head>\n" + tagFooGit + "\n</head>", IgnoreMod, []Import{impFooGit}, ""},
		{"a tag before <body> is returned", tagFooGit + "\n<body>", IgnoreMod, []Import{impFooGit}, ""},
		{"a tag after a doctype is returned", "<!doctype html>" + tagFooGit, IgnoreMod, []Import{impFooGit}, ""},
		{"a tag before markup XML rejects is returned", `<!doctype html><title>Not Found</title><meta name=go-import content="chitin.example/c git https://code.example/c"><div style=position:relative>x</div>`, IgnoreMod, []Import{{"chitin.example/c", "git", "https://code.example/c", ""}}, ""},
		{"a fourth field is the subdirectory", `<meta name="go-import" content="foo/bar git https://code.example/foo/bar sub">`, IgnoreMod, []Import{{"foo/bar", "git", "https://code.example/foo/bar", "sub"}}, ""},
		{"a subdirectory may have several elements", `<meta name="go-import" content="foo/bar git https://code.example/foo/bar sub/dir">`, IgnoreMod, []Import{{"foo/bar", "git", "https://code.example/foo/bar", "sub/dir"}}, ""},
		{"a tag inside <body> is ignored", "<html><head></head><body>" + tagFooGit, IgnoreMod, nil, ""},
		{"a tag after </head> is ignored", "<head></head>" + tagFooGit, IgnoreMod, nil, ""},
		{"an upper-case BODY stops reading", "<BODY>" + tagFooGit, IgnoreMod, nil, ""},
		{"an upper-case /HEAD stops reading", "</HEAD>" + tagFooGit, IgnoreMod, nil, ""},
		{"a capitalized name is ignored", `<meta name="Go-Import" content="foo/bar git https://code.example/foo/bar">`, IgnoreMod, nil, ""},
		{"attribute names and the element name are case-insensitive", `<META NAME="go-import" CONTENT="foo/bar git https://code.example/foo/bar">`, IgnoreMod, []Import{impFooGit}, ""},
		{"single quotes, other attribute order and self-closing tags work", `<meta content='foo/bar git https://code.example/foo/bar' name='go-import'/>`, IgnoreMod, []Import{impFooGit}, ""},
		{"entities in content are decoded", `<meta name="go-import" content="foo/bar git https://code.example/q?a=1&amp;b=2">`, IgnoreMod, []Import{{"foo/bar", "git", "https://code.example/q?a=1&b=2", ""}}, ""},
		{"fields may be split by any white space", "<meta name=\"go-import\" content=\"\n\tfoo/bar  git\n https://code.example/foo/bar \">", IgnoreMod, []Import{impFooGit}, ""},
		{"two fields are skipped", `<meta name="go-import" content="foo/bar git">`, IgnoreMod, nil, ""},
		{"five fields are skipped", `<meta name="go-import" content="a b c d e">`, IgnoreMod, nil, ""},
		{"the vcs word is not validated", `<meta name="go-import" content="foo/bar cvs https://code.example/foo/bar">`, IgnoreMod, []Import{{"foo/bar", "cvs", "https://code.example/foo/bar", ""}}, ""},
		{"duplicate tags are kept", tagFooGit + tagFooGit, IgnoreMod, []Import{impFooGit, impFooGit}, ""},
		{"an utf-8 declaration in any case is accepted", `<?xml version="1.0" encoding="UTF-8"?>` + tagFooGit, IgnoreMod, []Import{impFooGit}, ""},
		{"an ascii declaration is accepted", `<?xml version="1.0" encoding="ascii"?>` + tagFooGit, IgnoreMod, []Import{impFooGit}, ""},
		{"a latin-1 declaration is an error", `<?xml version="1.0" encoding="ISO-8859-1"?>` + tagFooGit, IgnoreMod, nil,
			`xml: opening charset "ISO-8859-1": can't decode XML document using charset "ISO-8859-1"`},
		{"an US-ASCII declaration is an error", `<?xml version="1.0" encoding="US-ASCII"?>` + tagFooGit, IgnoreMod, nil,
			`xml: opening charset "US-ASCII": can't decode XML document using charset "US-ASCII"`},
		{"an HTML meta charset is ignored", `<meta charset="iso-8859-1">` + tagFooGit, IgnoreMod, []Import{impFooGit}, ""},
		{"a raw < in a script before the tag is an error", "<script>if (a < b) {}</script>\n" + tagFooGit, IgnoreMod, nil,
			"XML syntax error on line 1: expected element name after <"},
		{"a raw < in a script after the tag leaves the tag", tagFooGit + "\n<script>if (a < b) {}</script>", IgnoreMod, []Import{impFooGit}, ""},
		{"an error after only a mod entry returns no tags and no error in IgnoreMod", tagFooMod + "<script>a < b</script>", IgnoreMod, nil, ""},
		{"an unquoted content value is an error", `<meta name=go-import content=example.org/a>`, IgnoreMod, nil, "XML syntax error on line 1: invalid XML name: .org"},
		{"a page cut inside a tag is an error", `<meta name="go-import" content="foo`, IgnoreMod, nil, "XML syntax error on line 1: unexpected EOF"},
		{"comments, title and a stray ampersand are fine", "<!-- x < y --><title>A & B</title>" + tagFooGit, IgnoreMod, []Import{impFooGit}, ""},
		{"a tag inside an XML comment is not seen", "<!-- " + tagFooGit + " -->", IgnoreMod, nil, ""},
		{"an empty page has no tags and no error", "", IgnoreMod, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Parse(strings.NewReader(tt.in), tt.mode)
			if !reflect.DeepEqual(p.Imports, tt.want) {
				t.Errorf("Imports = %q, want %q", p.Imports, tt.want)
			}
			if got := errText(p.Err); got != tt.err {
				t.Errorf("Err = %q, want %q", got, tt.err)
			}
			if len(p.Origins) != len(p.Imports) {
				t.Errorf("len(Origins) = %d, want one per import (%d)", len(p.Origins), len(p.Imports))
			}
		})
	}
}

func TestParseErrorTypes(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		check func(error) bool
	}{
		{"a rejected charset is a *CharsetError naming the charset", `<?xml version="1.0" encoding="latin1"?>`, func(err error) bool {
			var cs *CharsetError
			return errors.As(err, &cs) && cs.Charset == "latin1"
		}},
		{"a syntax error is an *xml.SyntaxError", `<a b=c.d>`, func(err error) bool {
			var se *xml.SyntaxError
			return errors.As(err, &se)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := Parse(strings.NewReader(tt.in), IgnoreMod).Err; !tt.check(err) {
				t.Errorf("Err = %#v, not the expected type", err)
			}
		})
	}
}

func TestParseStop(t *testing.T) {
	// The marker # shows where reading should stop; it is removed.
	tests := []struct {
		name    string
		in      string
		stop    Stop
		line    int
		charset string
	}{
		{"reading stops at <body>", "<head>\n" + tagFooGit + "\n#<body class=x>\n" + tagBazGit, StopBody, 3, ""},
		{"reading stops at </head>", "<head>\n\n#</head>\n", StopHeadEnd, 3, ""},
		{"reading stops at a mixed-case </Head>", "<head>#</Head>", StopHeadEnd, 1, ""},
		{"reading runs to the end without body or head", tagFooGit + "\n<p>x</p>#", StopEOF, 2, ""},
		{"a syntax error stops reading and reports the error's line", "<head>\n\n<script>a #< b</script>", StopSyntax, 3, ""},
		{"a syntax error after tags stops reading but keeps them", tagFooGit + "\n<p>a #< b</p>", StopSyntax, 2, ""},
		{"a rejected charset stops reading and is recorded", `#<?xml version="1.0" encoding="latin1"?>` + tagFooGit, StopCharset, 1, "latin1"},
		{"an accepted charset is recorded", `<?xml version="1.0" encoding='utf-8'?><head>#</head>`, StopHeadEnd, 1, "utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := strings.Index(tt.in, "#")
			in := strings.Replace(tt.in, "#", "", 1)
			p := Parse(strings.NewReader(in), IgnoreMod)
			if p.Stop != tt.stop || p.Line != tt.line || p.Offset != int64(at) {
				t.Errorf("stopped at %v line %d offset %d, want %v line %d offset %d", p.Stop, p.Line, p.Offset, tt.stop, tt.line, at)
			}
			if p.Charset != tt.charset {
				t.Errorf("Charset = %q, want %q", p.Charset, tt.charset)
			}
			if wantCause := tt.stop >= StopSyntax; (p.Cause != nil) != wantCause {
				t.Errorf("Cause = %v, want an error: %t", p.Cause, wantCause)
			}
		})
	}
}

func TestParseSkipped(t *testing.T) {
	type skip struct {
		line   int
		reason SkipReason
	}
	tests := []struct {
		name string
		in   string
		mode ModuleMode
		want []skip
	}{
		{"a capitalized name is skipped for its name", "\n" + `<meta name="Go-Import" content="a git https://x">`, IgnoreMod, []skip{{2, SkipName}}},
		{"a name with spaces is skipped for its name", `<meta name=" go-import" content="a git https://x">`, IgnoreMod, []skip{{1, SkipName}}},
		{"a two-field tag is skipped for its field count", `<meta name="go-import" content="a git">`, IgnoreMod, []skip{{1, SkipFieldCount}}},
		{"a tag without content is skipped for its field count", `<meta name="go-import">`, IgnoreMod, []skip{{1, SkipFieldCount}}},
		{"a mod entry is skipped in IgnoreMod", tagFooGit + "\n" + tagFooMod, IgnoreMod, []skip{{2, SkipModIgnored}}},
		{"a git entry is skipped when PreferMod has a mod entry for it", tagFooGit + "\n" + tagFooMod, PreferMod, []skip{{1, SkipSuperseded}}},
		{"skipped tags keep document order across reasons", tagFooMod + "\n" + `<meta name="go-import" content="x">`, IgnoreMod, []skip{{1, SkipModIgnored}, {2, SkipFieldCount}}},
		{"a three-field go-source tag is skipped", `<meta name="go-source" content="a b c">`, IgnoreMod, []skip{{1, SkipFieldCount}}},
		{"other meta tags are not listed", `<meta name="viewport" content="width=device-width"><meta charset="utf-8">`, IgnoreMod, nil},
		{"tags after <body> are not listed", "<body>" + `<meta name="Go-Import" content="a git https://x">`, IgnoreMod, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []skip
			for _, s := range Parse(strings.NewReader(tt.in), tt.mode).Skipped {
				got = append(got, skip{s.Line, s.Reason})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Skipped = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseSources(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []SourceTag
	}{
		{"a four-field go-source tag is returned", `<meta name="go-source" content="foo/bar https://code.example/foo https://code.example/foo/tree{/dir} https://code.example/foo/blob{/dir}/{file}#L{line}">`,
			[]SourceTag{{"foo/bar", "https://code.example/foo", "https://code.example/foo/tree{/dir}", "https://code.example/foo/blob{/dir}/{file}#L{line}"}}},
		{"a go-source tag does not count as go-import", `<meta name="go-source" content="a b c d">`, []SourceTag{{"a", "b", "c", "d"}}},
		{"a go-source tag after <body> is ignored", `<body><meta name="go-source" content="a b c d">`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Parse(strings.NewReader(tt.in), IgnoreMod)
			if !reflect.DeepEqual(p.Sources, tt.want) {
				t.Errorf("Sources = %q, want %q", p.Sources, tt.want)
			}
			if len(p.Imports) != 0 {
				t.Errorf("Imports = %q, want none", p.Imports)
			}
		})
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
