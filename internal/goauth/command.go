package goauth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// splitCommand splits a GOAUTH command into words at spaces, tabs and
// newlines; a word may be quoted with ' or " (no escapes inside), as the
// Go command reads its command lines.
func splitCommand(s string) ([]string, error) {
	var words []string
	for {
		s = strings.TrimLeft(s, " \t\r\n")
		if s == "" {
			return words, nil
		}
		if q := s[0]; q == '\'' || q == '"' {
			end := strings.IndexByte(s[1:], q)
			if end < 0 {
				return nil, fmt.Errorf("unterminated %c string in the command", q)
			}
			words = append(words, s[1:1+end])
			s = s[2+end:]
			continue
		}
		end := strings.IndexAny(s, " \t\r\n")
		if end < 0 {
			end = len(s)
		}
		words = append(words, s[:end])
		s = s[end:]
	}
}

// fromCommand runs a GOAUTH command: with no argument and no input the
// first time, else with the URL as its last argument and the response's
// status line and headers on stdin. Its output is parsed by ParseOutput.
func fromCommand(ctx context.Context, command string, u *url.URL, res *http.Response) (map[string]http.Header, error) {
	words, err := splitCommand(command)
	if err != nil {
		return nil, err
	}
	if u != nil {
		words = append(words, u.String())
	}
	cmd := newCommand(ctx, words[0], words[1:]...)
	if res != nil {
		cmd.Stdin = strings.NewReader(responseText(res))
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		// stderr is not shown: a helper may print a token there.
		return nil, fmt.Errorf("running %s: %w", words[0], err)
	}
	creds, err := ParseOutput(string(out))
	if err != nil {
		return nil, fmt.Errorf("output of %s: %w", words[0], err)
	}
	return creds, nil
}

// responseText is what a GOAUTH command reads on stdin: the protocol and
// status, the headers, a blank line.
func responseText(res *http.Response) string {
	var b strings.Builder
	b.WriteString(res.Proto + " " + res.Status + "\n")
	for k, vs := range res.Header {
		b.WriteString(k + ": " + strings.Join(vs, ", ") + "\n")
	}
	b.WriteString("\n")
	return b.String()
}

// ErrOutput is matched (errors.Is) by every error about a GOAUTH
// command's output.
var ErrOutput = errors.New("malformed GOAUTH command output")

// ParseOutput reads a GOAUTH command's output as go help goauth defines
// it: credential sets, each one or more URL lines, a blank line, zero or
// more "Name: value" header lines and a blank line. It returns the
// headers of each URL, keyed by the URL without "https://". A URL with
// another scheme is kept under its own text, so it matches no request:
// credentials go over https only.
func ParseOutput(data string) (map[string]http.Header, error) {
	creds := map[string]http.Header{}
	for data != "" {
		var prefixes []string
		for {
			line, rest, ok := strings.Cut(data, "\n")
			if !ok {
				return nil, fmt.Errorf("%w: no blank line after the URLs", ErrOutput)
			}
			data = rest
			if line == "" {
				break
			}
			u, err := url.ParseRequestURI(line)
			if err != nil {
				return nil, fmt.Errorf("%w: a URL line that is not a URL", ErrOutput)
			}
			prefixes = append(prefixes, u.String())
		}
		header := http.Header{}
		for {
			line, rest, ok := strings.Cut(data, "\n")
			if !ok {
				return nil, fmt.Errorf("%w: no blank line after the headers", ErrOutput)
			}
			data = rest
			if line == "" {
				break
			}
			name, value, ok := strings.Cut(line, ": ")
			value = strings.TrimSpace(value)
			if !ok || !validName(name) || !validValue(value) {
				// The line is not quoted: it may hold a token.
				return nil, fmt.Errorf("%w: a header line that is not \"Name: value\"", ErrOutput)
			}
			header.Add(name, value)
		}
		for _, p := range prefixes {
			creds[trimPrefix(p)] = header.Clone()
		}
	}
	return creds, nil
}

// validName reports an RFC 7230 token.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		if !alnum && !strings.ContainsRune("!#$%&'*+-.^_`|~", rune(c)) {
			return false
		}
	}
	return true
}

// validValue refuses control characters other than space and tab.
func validValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}
