package checksum

import (
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/gofetch/fetch/internal/redact"
)

// specForms lists what ParseSpec accepts, for its error messages.
const specForms = "want [md5|sha1|sha256|sha512:]HEX or file:URL"

// Spec is a parsed ?checksum= value: either the Sum to verify a download
// against, or the URL of a checksum file that the caller fetches and hands
// to FromFile.
type Spec struct {
	// Sum is the expected checksum; zero when FileURL is set.
	Sum Sum
	// FileURL is the checksum file's source, exactly as written after
	// "file:"; empty for a direct sum.
	FileURL string
}

// ParseSpec parses a checksum the way go-getter v1 reads ?checksum=:
// "type:hex" with a case-insensitive type, bare "hex" whose type is guessed
// from its length, or "file:URL". Nothing is trimmed, so stray whitespace is
// an error. An empty string is an error too: callers treat an absent or
// empty parameter as "no checksum", as go-getter does.
func ParseSpec(s string) (Spec, error) {
	if s == "" {
		return Spec{}, fmt.Errorf("invalid checksum %q: empty; %s", s, specForms)
	}
	typ, value, typed := strings.Cut(s, ":")
	// go-getter matches "file" case-sensitively; "FILE:" falls through to
	// the type check and is rejected there, as it is in go-getter.
	if typed && typ == "file" {
		if err := checkFileURL(value); err != nil {
			return Spec{}, fmt.Errorf("invalid checksum %q: %w; %s", redact.String(s), err, specForms)
		}
		return Spec{FileURL: value}, nil
	}
	var sum Sum
	var err error
	if typed {
		sum, err = typedSum(typ, value)
	} else {
		sum, err = guessedSum(s)
	}
	if err != nil {
		return Spec{}, fmt.Errorf("invalid checksum %q: %w; %s", redact.String(s), err, specForms)
	}
	return Spec{Sum: sum}, nil
}

// checkFileURL rejects checksum file sources that cannot be fetched, or
// that a command line could read as an option.
func checkFileURL(u string) error {
	if u == "" {
		return errors.New("file: needs the URL of a checksum file")
	}
	if strings.HasPrefix(u, "-") {
		return fmt.Errorf("checksum file URL %q starts with '-'", redact.String(u))
	}
	if _, err := parseURL(u); err != nil {
		return fmt.Errorf("checksum file URL: %w", err)
	}
	return nil
}

// parseURL is url.Parse with an error that leaves out the URL, which may
// hold credentials; callers name the URL themselves, redacted.
func parseURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	var uerr *url.Error
	if errors.As(err, &uerr) {
		return nil, uerr.Err
	}
	return u, err
}

// typedSum decodes a hex digest of the named type. Unlike go-getter, which
// accepts any length and fails only at verification, a digest of the wrong
// length is rejected here, before anything is downloaded.
func typedSum(typ, value string) (Sum, error) {
	a, err := lookupType(typ)
	if err != nil {
		return Sum{}, err
	}
	b, err := decodeHex(value)
	if err != nil {
		return Sum{}, err
	}
	if len(b) != a.size {
		return Sum{}, fmt.Errorf("a %s digest is %d hex digits, got %d", a.name, 2*a.size, len(value))
	}
	return Sum{Type: a.name, Value: b}, nil
}

// guessedSum decodes a hex digest and names its type by its length.
func guessedSum(value string) (Sum, error) {
	b, err := decodeHex(value)
	if err != nil {
		return Sum{}, err
	}
	a, err := lookupSize(len(b))
	if err != nil {
		return Sum{}, err
	}
	return Sum{Type: a.name, Value: b}, nil
}

func decodeHex(value string) ([]byte, error) {
	if value == "" {
		return nil, errors.New("no hex digest")
	}
	b, err := hex.DecodeString(value)
	if err != nil {
		return nil, fmt.Errorf("digest is not hex: %w", err)
	}
	return b, nil
}
