package getterinfo

import (
	"slices"
	"testing"
)

// TestNames checks the two views of the table: every getter sorted (the
// forced getters detect accepts, as go-getter v1 names them) and the
// downloads in table order (internal/download's messages).
func TestNames(t *testing.T) {
	if got, want := Names(), []string{"file", "gcs", "git", "hg", "http", "https", "s3"}; !slices.Equal(got, want) {
		t.Errorf("Names() = %q, want %q", got, want)
	}
	if got, want := Downloads(), []string{"http", "https", "file", "s3", "gcs"}; !slices.Equal(got, want) {
		t.Errorf("Downloads() = %q, want %q", got, want)
	}
}
