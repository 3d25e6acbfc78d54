package metaparse

import "fmt"

// ModuleMode selects how go-import tags with vcs "mod" are treated, as in
// the Go command.
type ModuleMode int

// The module modes.
const (
	// IgnoreMod drops "mod" entries (GOPATH-mode go get).
	IgnoreMod ModuleMode = iota
	// PreferMod lists all "mod" entries first, then the other entries
	// whose prefix has no "mod" entry (module mode).
	PreferMod
)

// Import is one go-import meta tag: "prefix vcs repo-root [subdir]".
type Import struct {
	Prefix   string
	VCS      string
	RepoRoot string
	SubDir   string
}

// SourceTag is one go-source meta tag: "prefix home directory file".
type SourceTag struct {
	Prefix    string
	Home      string
	Directory string
	File      string
}

// Meta is one <meta> tag as a reader saw it.
type Meta struct {
	// Name and Content are the attribute values, entities decoded,
	// otherwise as written.
	Name    string
	Content string
	// Line is the 1-based line and Offset the byte offset of the tag's '<'.
	Line   int
	Offset int64
}

// Skipped is a meta tag the strict reader saw but did not return.
type Skipped struct {
	Meta
	Reason SkipReason
	// Import holds the tag's fields for SkipModIgnored and
	// SkipSuperseded.
	Import Import
}

// SkipReason says why a meta tag was not returned.
type SkipReason int

// The reasons a tag is skipped.
const (
	// SkipFieldCount: content does not have 3 or 4 fields (go-import) or
	// exactly 4 (go-source).
	SkipFieldCount SkipReason = iota + 1
	// SkipName: the name is go-import or go-source spelled differently
	// ("Go-Import", " go-import"); the Go command wants it exact.
	SkipName
	// SkipModIgnored: a "mod" entry dropped in IgnoreMod.
	SkipModIgnored
	// SkipSuperseded: a non-mod entry whose prefix has a "mod" entry, in
	// PreferMod.
	SkipSuperseded
)

// String returns a short description of the reason.
func (r SkipReason) String() string {
	switch r {
	case SkipFieldCount:
		return "wrong number of fields"
	case SkipName:
		return "name is not spelled exactly"
	case SkipModIgnored:
		return "mod entry ignored"
	case SkipSuperseded:
		return "superseded by a mod entry"
	}
	return fmt.Sprintf("SkipReason(%d)", int(r))
}

// Stop says why the strict reader stopped.
type Stop int

// The reasons reading stops.
const (
	// StopEOF: the input ended cleanly.
	StopEOF Stop = iota
	// StopBody: a <body> start tag (any case).
	StopBody
	// StopHeadEnd: a </head> end tag (any case).
	StopHeadEnd
	// StopSyntax: the XML tokenizer rejected the input.
	StopSyntax
	// StopCharset: an <?xml?> declaration named an encoding other than
	// utf-8 or ascii.
	StopCharset
	// StopRead: reading the input failed.
	StopRead
)

// String returns the name of the stop point as a person would say it.
func (s Stop) String() string {
	switch s {
	case StopEOF:
		return "end of input"
	case StopBody:
		return "<body>"
	case StopHeadEnd:
		return "</head>"
	case StopSyntax:
		return "XML syntax error"
	case StopCharset:
		return "unsupported charset"
	case StopRead:
		return "read error"
	}
	return fmt.Sprintf("Stop(%d)", int(s))
}

// CharsetError is the error for a declared encoding the Go command cannot
// read. Its text is the Go command's; the decoder prefixes it with
// `xml: opening charset "X": `.
type CharsetError struct {
	Charset string
}

// Error returns the Go command's text.
func (e *CharsetError) Error() string {
	return fmt.Sprintf("can't decode XML document using charset %q", e.Charset)
}
