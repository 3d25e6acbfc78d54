// Package termtext makes text from servers and archives safe to print on
// a terminal: error lines and trace output quote what a proxy, a storage
// server or a file name said, and a hostile one could otherwise move the
// cursor, rewrite the screen or retitle the window (ESC and the C1
// control CSI start such sequences), or reverse what follows (Unicode
// bidirectional overrides), making a line read as something it is not.
package termtext

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Printable returns s with every rune that is not printable (a control
// character, C1 included, a format character such as a bidirectional
// override or a zero-width joiner, an invalid byte, a space other than
// ' ') written as a Go escape (\x1b, \u202e), so the text still shows
// that something was there. Printable text is returned unchanged.
func Printable(s string) string {
	if utf8.ValidString(s) && !strings.ContainsFunc(s, unsafe) {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == unicode.ReplacementChar && isInvalid(s[i:]):
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case !unsafe(r):
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

// unsafe reports whether r must not reach a terminal as it is.
func unsafe(r rune) bool {
	return r != ' ' && !unicode.IsPrint(r)
}

// isInvalid reports whether s starts with a byte that is not valid UTF-8
// (which ranging over s reads as U+FFFD).
func isInvalid(s string) bool {
	r, n := utf8.DecodeRuneInString(s)
	return r == utf8.RuneError && n <= 1
}
