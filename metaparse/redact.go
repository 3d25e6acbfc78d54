package metaparse

import "strings"

// redactContent hides the user information of every URL among the fields
// of a tag's content: repository URLs may carry tokens, and the content
// ends up in messages for people.
func redactContent(s string) string {
	f := strings.Fields(s)
	for i, w := range f {
		f[i] = redactURL(w)
	}
	return strings.Join(f, " ")
}

// redactURL replaces the user information of a scheme://user:pass@host
// URL with REDACTED, keeping everything else byte for byte.
func redactURL(s string) string {
	i := strings.Index(s, "://")
	if i < 0 {
		return s
	}
	rest := s[i+3:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	at := strings.LastIndex(rest[:end], "@")
	if at < 0 {
		return s
	}
	return s[:i+3] + "REDACTED@" + rest[at+1:]
}
