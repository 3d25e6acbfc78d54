package metaparse

import (
	"fmt"
	"strings"

	"github.com/gofetch/fetch/internal/redact"
)

// Difference is a go-import tag a browser sees that the Go command does
// not use, with the reason and a fix a person can act on.
type Difference struct {
	// Tag is the tag as the lenient reader found it.
	Tag LenientMeta
	// Kind classifies the reason.
	Kind DiffKind
	// Reason says why the Go command does not use the tag.
	Reason string
	// Fix says what to change in the page.
	Fix string
}

// DiffKind classifies why the Go command does not use a tag.
type DiffKind int

// The kinds of difference.
const (
	// DiffInBody: the Go command stopped at <body> before the tag.
	DiffInBody DiffKind = iota + 1
	// DiffAfterHead: the Go command stopped at </head> before the tag.
	DiffAfterHead
	// DiffXMLError: the XML reader failed at or before the tag.
	DiffXMLError
	// DiffCharset: the page declares an encoding the Go command rejects.
	DiffCharset
	// DiffReadError: the page could not be read up to the tag.
	DiffReadError
	// DiffFieldCount: the content does not have 3 or 4 fields.
	DiffFieldCount
	// DiffName: the name is not exactly "go-import".
	DiffName
	// DiffModIgnored: a mod entry, which IgnoreMod drops.
	DiffModIgnored
	// DiffSuperseded: a non-mod entry with a mod entry for its prefix,
	// which PreferMod drops.
	DiffSuperseded
	// DiffNotATag: the XML reader reads that part of the page as
	// something other than a tag (a comment, a CDATA section, part of
	// another tag).
	DiffNotATag
)

var diffKindNames = map[DiffKind]string{
	DiffInBody: "in-body", DiffAfterHead: "after-head", DiffXMLError: "xml-error",
	DiffCharset: "charset", DiffReadError: "read-error", DiffFieldCount: "field-count",
	DiffName: "name", DiffModIgnored: "mod-ignored", DiffSuperseded: "superseded",
	DiffNotATag: "not-a-tag",
}

// String returns a stable, hyphenated name for the kind.
func (k DiffKind) String() string {
	if s, ok := diffKindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("DiffKind(%d)", int(k))
}

// Explain lists, for each go-import tag in lenient (any spelling of the
// name) that strict did not return, why not and how to fix the page. Both
// must come from the same bytes. Tags are matched by their byte offset.
func Explain(strict *Page, lenient *LenientPage) []Difference {
	if strict == nil || lenient == nil {
		return nil
	}
	returned := make(map[int64]bool, len(strict.Origins))
	for _, m := range strict.Origins {
		returned[m.Offset] = true
	}
	skipped := make(map[int64]Skipped, len(strict.Skipped))
	for _, s := range strict.Skipped {
		skipped[s.Offset] = s
	}
	var diffs []Difference
	for _, tag := range lenient.Metas {
		if !looksLike(tag.Name, "go-import") || returned[tag.Offset] {
			continue
		}
		d := Difference{Tag: tag}
		if s, ok := skipped[tag.Offset]; ok {
			explainSkipped(&d, s)
		} else {
			explainUnseen(&d, strict)
		}
		diffs = append(diffs, d)
	}
	return diffs
}

// explainSkipped fills d for a tag the strict reader saw and skipped.
func explainSkipped(d *Difference, s Skipped) {
	switch s.Reason {
	case SkipFieldCount:
		n := len(strings.Fields(s.Content))
		d.Kind = DiffFieldCount
		d.Reason = fmt.Sprintf("content %q has %d fields; the Go command accepts 3 (prefix vcs repo-root) or 4 (plus subdir)", redact.String(s.Content), n)
		d.Fix = `write content="PREFIX VCS REPO-URL" (optionally followed by a subdirectory), separated by spaces and quoted as one attribute value`
	case SkipName:
		d.Kind = DiffName
		d.Reason = fmt.Sprintf("name is %q; the Go command accepts only exactly \"go-import\"", s.Name)
		d.Fix = `write name="go-import" in lower case, without spaces`
	case SkipModIgnored:
		d.Kind = DiffModIgnored
		d.Reason = fmt.Sprintf("vcs is \"mod\" (a module proxy for %s), which GOPATH-mode resolution ignores", redact.String(s.Import.Prefix))
		d.Fix = "none needed if a VCS entry (git, hg, ...) for the prefix is also served; otherwise add one so the repository can be fetched directly"
	case SkipSuperseded:
		d.Kind = DiffSuperseded
		d.Reason = fmt.Sprintf("a \"mod\" entry for the same prefix %s takes precedence in module mode", redact.String(s.Import.Prefix))
		d.Fix = "none needed unless the mod entry is stale; remove it if the repository should be used directly"
	}
}

// explainUnseen fills d for a tag the strict reader never saw.
func explainUnseen(d *Difference, p *Page) {
	if d.Tag.Offset < p.Offset {
		d.Kind = DiffNotATag
		d.Reason = fmt.Sprintf("the Go command's XML reader does not see a tag at line %d: it reads that text as part of a comment, CDATA section, or another tag", d.Tag.Line)
		d.Fix = "move the go-import tag to the top of <head>, outside comments and other markup"
		return
	}
	switch p.Stop {
	case StopBody:
		d.Kind = DiffInBody
		d.Reason = fmt.Sprintf("the tag comes after <body> (line %d); the Go command stops reading there", p.Line)
		d.Fix = "move the go-import tag into <head>, before <body>"
	case StopHeadEnd:
		d.Kind = DiffAfterHead
		d.Reason = fmt.Sprintf("the tag comes after </head> (line %d); the Go command stops reading there", p.Line)
		d.Fix = "move the go-import tag inside <head>, before </head>"
	case StopSyntax:
		d.Kind = DiffXMLError
		where := "before the tag"
		if p.Line == d.Tag.Line {
			where = "on the tag's own line"
		}
		d.Reason = fmt.Sprintf("the Go command reads the page as XML and stops at an error %s: %v", where, p.Cause)
		d.Fix = xmlFix(p.Cause)
	case StopCharset:
		d.Kind = DiffCharset
		d.Reason = fmt.Sprintf("the <?xml?> declaration names encoding %q; the Go command reads only utf-8 or ascii", p.Charset)
		d.Fix = `serve the page as UTF-8 and declare encoding="utf-8", or drop the <?xml?> declaration`
	case StopRead:
		d.Kind = DiffReadError
		d.Reason = fmt.Sprintf("reading the page failed before the tag: %v", p.Cause)
		d.Fix = "make the server send the whole page"
	default:
		// A clean end of input before the tag cannot happen when both
		// readers saw the same bytes; say so rather than guess.
		d.Kind = DiffNotATag
		d.Reason = fmt.Sprintf("the Go command's XML reader reached the end of the page before line %d", d.Tag.Line)
		d.Fix = "check that both readers were given the same page"
	}
}

// xmlFix suggests a fix for the common XML errors in HTML pages.
func xmlFix(err error) string {
	const top = "or put the go-import tag first in <head>: the Go command keeps the tags it read before an error"
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	switch {
	case strings.Contains(msg, "expected element name after <"):
		return "a raw '<' (often in inline JavaScript or CSS) is not XML; write it as &lt;, move the script to a file, " + top
	case strings.Contains(msg, "invalid XML name"), strings.Contains(msg, "unquoted or missing attribute value"):
		return "quote every attribute value (content=\"...\"), " + top
	case strings.Contains(msg, "unexpected EOF"):
		return "close every tag, comment and quoted value, " + top
	}
	return "fix the markup at that line, " + top
}
