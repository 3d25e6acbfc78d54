package vcs

import (
	"bytes"
	"fmt"
	"strings"
)

// gitSetting is one "key = value" of a git configuration file. Section
// and Name are lower case, as git compares them; Sub (the subsection) keeps
// its case.
type gitSetting struct {
	Section, Sub, Name string
	Value              string
	// NoValue says the key had no "=" (git reads it as true).
	NoValue bool
	Line    int
}

// Key is the setting as git spells it: section.sub.name.
func (s gitSetting) Key() string {
	if s.Sub != "" {
		return s.Section + "." + s.Sub + "." + s.Name
	}
	return s.Section + "." + s.Name
}

// parseGitConfig reads a git configuration file strictly: the syntax git
// itself writes ("[section]", "[section \"sub\"]", "name = value" with
// quotes, escapes, comments and continuation lines). Anything else, such
// as the deprecated "[section.sub]" form, is an error, so that a file
// fetch cannot read the way git does is never taken as harmless.
func parseGitConfig(data []byte) ([]gitSetting, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, fmt.Errorf("it contains a NUL byte")
	}
	p := &gitConfigParser{s: string(data), line: 1}
	return p.parse()
}

type gitConfigParser struct {
	s    string
	i    int
	line int
}

func (p *gitConfigParser) errorf(format string, args ...any) error {
	return fmt.Errorf("line %d: %s", p.line, fmt.Sprintf(format, args...))
}

func (p *gitConfigParser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *gitConfigParser) eof() bool { return p.i >= len(p.s) }

func (p *gitConfigParser) skipBlanks() {
	for !p.eof() && (p.peek() == ' ' || p.peek() == '\t' || p.peek() == '\r') {
		p.i++
	}
}

// restOfLine accepts only blanks and a comment up to the end of the line.
func (p *gitConfigParser) restOfLine() error {
	p.skipBlanks()
	switch {
	case p.eof():
		return nil
	case p.peek() == '\n':
		p.i++
		p.line++
		return nil
	case p.peek() == '#' || p.peek() == ';':
		p.skipComment()
		return nil
	}
	return p.errorf("unexpected %q", p.peek())
}

func (p *gitConfigParser) skipComment() {
	for !p.eof() && p.peek() != '\n' {
		p.i++
	}
	if !p.eof() {
		p.i++
		p.line++
	}
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (p *gitConfigParser) parse() ([]gitSetting, error) {
	var out []gitSetting
	var section, sub string
	for {
		p.skipBlanks()
		if p.eof() {
			return out, nil
		}
		switch c := p.peek(); {
		case c == '\n':
			p.i++
			p.line++
		case c == '#' || c == ';':
			p.skipComment()
		case c == '[':
			var err error
			if section, sub, err = p.header(); err != nil {
				return nil, err
			}
		case isAlpha(c):
			if section == "" {
				return nil, p.errorf("a setting before any [section]")
			}
			s, err := p.setting()
			if err != nil {
				return nil, err
			}
			s.Section, s.Sub = section, sub
			out = append(out, s)
		default:
			return nil, p.errorf("unexpected %q", c)
		}
	}
}

// header reads "[section]" or "[section \"sub\"]".
func (p *gitConfigParser) header() (section, sub string, err error) {
	p.i++ // '['
	start := p.i
	for !p.eof() && (isAlpha(p.peek()) || isDigit(p.peek()) || p.peek() == '-') {
		p.i++
	}
	section = strings.ToLower(p.s[start:p.i])
	if section == "" {
		return "", "", p.errorf("an empty section name")
	}
	switch p.peek() {
	case ']':
		p.i++
		return section, "", p.restOfLine()
	case ' ', '\t':
		p.skipBlanks()
		if p.peek() != '"' {
			return "", "", p.errorf("a subsection that is not quoted")
		}
		p.i++
		var b strings.Builder
		for {
			if p.eof() || p.peek() == '\n' {
				return "", "", p.errorf("an unterminated subsection")
			}
			c := p.peek()
			p.i++
			if c == '"' {
				break
			}
			if c == '\\' {
				if p.eof() || p.peek() == '\n' {
					return "", "", p.errorf("an unterminated subsection")
				}
				c = p.peek()
				p.i++
			}
			b.WriteByte(c)
		}
		if p.peek() != ']' {
			return "", "", p.errorf("a subsection not followed by ]")
		}
		p.i++
		if b.Len() == 0 {
			return "", "", p.errorf("an empty subsection")
		}
		return section, b.String(), p.restOfLine()
	}
	return "", "", p.errorf("a section header fetch cannot read (%q)", p.peek())
}

// setting reads "name = value", "name" alone, and the value's quotes,
// escapes, comments and continuation lines as git does.
func (p *gitConfigParser) setting() (gitSetting, error) {
	s := gitSetting{Line: p.line}
	start := p.i
	for !p.eof() && (isAlpha(p.peek()) || isDigit(p.peek()) || p.peek() == '-') {
		p.i++
	}
	s.Name = strings.ToLower(p.s[start:p.i])
	p.skipBlanks()
	if p.eof() || p.peek() == '\n' || p.peek() == '#' || p.peek() == ';' {
		s.NoValue = true
		return s, p.restOfLine()
	}
	if p.peek() != '=' {
		return s, p.errorf("a setting name followed by %q", p.peek())
	}
	p.i++
	p.skipBlanks()
	// As git's parse_value: blanks outside quotes count only between
	// other characters and become single spaces each; a comment runs to
	// the end of the line.
	var b strings.Builder
	quoted, comment := false, false
	spaces := 0
	for {
		if p.eof() || p.peek() == '\n' {
			if quoted {
				return s, p.errorf("an unterminated quoted value")
			}
			break
		}
		c := p.peek()
		p.i++
		if c == '\r' && (p.eof() || p.peek() == '\n') {
			continue
		}
		if comment {
			continue
		}
		if !quoted && (c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f') {
			if b.Len() > 0 {
				spaces++
			}
			continue
		}
		if !quoted && (c == '#' || c == ';') {
			comment = true
			continue
		}
		for ; spaces > 0; spaces-- {
			b.WriteByte(' ')
		}
		switch c {
		case '\\':
			if p.eof() {
				return s, p.errorf("a value ending in a backslash")
			}
			e := p.peek()
			p.i++
			switch e {
			case '\n':
				p.line++
				continue // a continuation line
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'b':
				b.WriteByte('\b')
			case '\\', '"':
				b.WriteByte(e)
			default:
				return s, p.errorf("an unknown escape \\%c", e)
			}
		case '"':
			quoted = !quoted
		default:
			b.WriteByte(c)
		}
	}
	s.Value = b.String()
	return s, p.restOfLine()
}
