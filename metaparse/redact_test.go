package metaparse

import (
	"strings"
	"testing"
)

func TestRedactedMessages(t *testing.T) {
	const secret = "s3cr3t"
	tests := []struct {
		name string
		msg  func() string
	}{
		{"a field-count reason hides a password in the repo URL", func() string {
			in := `<meta name="go-import" content="foo https://user:` + secret + `@code.example/foo">`
			d := Explain(Parse(strings.NewReader(in), IgnoreMod), mustLenient(t, in))
			if len(d) != 1 {
				t.Fatalf("Explain = %+v, want one difference", d)
			}
			return d[0].Reason + d[0].Fix
		}},
		{"a field-count reason hides a lone token user", func() string {
			in := `<meta name="go-import" content="foo git https://` + secret + `@code.example/foo extra more">`
			d := Explain(Parse(strings.NewReader(in), IgnoreMod), mustLenient(t, in))
			if len(d) != 1 {
				t.Fatalf("Explain = %+v, want one difference", d)
			}
			return d[0].Reason
		}},
		{"a mismatch hint hides credentials in a prefix", func() string {
			return (&ImportMismatchError{ImportPath: "a/b", Prefixes: []string{"https://u:" + secret + "@a/b"}}).Hint()
		}},
		{"a multiple-match hint hides credentials in a prefix", func() string {
			return (&MultipleMatchError{ImportPath: "a/b", Matches: []Import{{Prefix: "https://u:" + secret + "@x/"}}}).Hint()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := tt.msg()
			if strings.Contains(msg, secret) || !strings.Contains(msg, "REDACTED") {
				t.Errorf("message %q shows the secret or does not mark the redaction", msg)
			}
		})
	}
}

func mustLenient(t *testing.T, in string) *LenientPage {
	t.Helper()
	l, err := ParseLenient(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	return l
}
