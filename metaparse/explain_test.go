package metaparse

import (
	"reflect"
	"strings"
	"testing"
)

func TestExplain(t *testing.T) {
	type diff struct {
		line int
		kind DiffKind
	}
	tests := []struct {
		name   string
		in     string
		mode   ModuleMode
		want   []diff
		reason string // a phrase the first Reason must contain
		fix    string // a phrase the first Fix must contain
	}{
		{"a tag the Go command reads has no difference", "<head>" + tagFooGit + "</head>", IgnoreMod, nil, "", ""},
		{"a tag after <body> is explained", "<head></head>\n<body>\n" + tagFooGit, IgnoreMod,
			[]diff{{3, DiffAfterHead}}, "after </head> (line 1)", "before </head>"},
		{"a tag in <body> without </head> is explained", "<html>\n<body>\n" + tagFooGit, IgnoreMod,
			[]diff{{3, DiffInBody}}, "after <body> (line 2)", "before <body>"},
		{"a raw < in a script before the tag names the error line", "<head>\n<script>if (a < b) {}</script>\n" + tagFooGit, IgnoreMod,
			[]diff{{3, DiffXMLError}}, "XML syntax error on line 2: expected element name after <", "&lt;"},
		{"an unquoted attribute in the tag itself is blamed on the tag", `<meta name=go-import content=example.org/a>`, IgnoreMod,
			[]diff{{1, DiffXMLError}}, "on the tag's own line", "quote every attribute value"},
		{"tags after an XML error are explained even when earlier tags were kept", tagFooGit + "\n<p>a < b</p>\n" + tagBazGit, IgnoreMod,
			[]diff{{3, DiffXMLError}}, "line 2", "put the go-import tag first"},
		{"a non-UTF-8 declaration is explained", `<?xml version="1.0" encoding="ISO-8859-1"?>` + "\n" + tagFooGit, IgnoreMod,
			[]diff{{2, DiffCharset}}, `"ISO-8859-1"`, "UTF-8"},
		{"a two-field tag is explained", `<meta name="go-import" content="foo/bar https://code.example/foo">`, IgnoreMod,
			[]diff{{1, DiffFieldCount}}, "has 2 fields", "PREFIX VCS REPO-URL"},
		{"a capitalized name is explained", `<meta name="Go-Import" content="foo/bar git https://code.example/foo">`, IgnoreMod,
			[]diff{{1, DiffName}}, `"Go-Import"`, `name="go-import"`},
		{"a mod entry in IgnoreMod is explained", tagFooGit + "\n" + tagFooMod, IgnoreMod,
			[]diff{{2, DiffModIgnored}}, "GOPATH-mode", "VCS entry"},
		{"a git entry superseded in PreferMod is explained", tagFooGit + "\n" + tagFooMod, PreferMod,
			[]diff{{1, DiffSuperseded}}, "foo/bar", "mod entry"},
		{"a tag XML reads as part of a comment is explained", "<!-->\n" + tagFooGit + "\n-->", IgnoreMod,
			[]diff{{2, DiffNotATag}}, "does not see a tag at line 2", "outside comments"},
		{"other meta tags are not explained", `<body><meta name="description" content="x">`, IgnoreMod, nil, "", ""},
		{"every missed tag gets its own entry in document order", "<body>\n" + tagFooGit + "\n" + tagBazGit, IgnoreMod,
			[]diff{{2, DiffInBody}, {3, DiffInBody}}, "<body>", "<head>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			strict := Parse(strings.NewReader(tt.in), tt.mode)
			lenient, err := ParseLenient(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			diffs := Explain(strict, lenient)
			var got []diff
			for _, d := range diffs {
				got = append(got, diff{d.Tag.Line, d.Kind})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("differences = %v, want %v (%+v)", got, tt.want, diffs)
			}
			if len(diffs) == 0 {
				return
			}
			if !strings.Contains(diffs[0].Reason, tt.reason) {
				t.Errorf("Reason = %q, want it to contain %q", diffs[0].Reason, tt.reason)
			}
			if !strings.Contains(diffs[0].Fix, tt.fix) {
				t.Errorf("Fix = %q, want it to contain %q", diffs[0].Fix, tt.fix)
			}
		})
	}
}

func TestExplainNilPages(t *testing.T) {
	p := Parse(strings.NewReader("<body>"+tagFooGit), IgnoreMod)
	l, err := ParseLenient(strings.NewReader("<body>" + tagFooGit))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		strict  *Page
		lenient *LenientPage
	}{
		{"a missing strict page explains nothing", nil, l},
		{"a missing lenient page explains nothing", p, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := Explain(tt.strict, tt.lenient); d != nil {
				t.Errorf("Explain = %+v, want nil", d)
			}
		})
	}
}
