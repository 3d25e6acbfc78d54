package vcs

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

// TestVetFossil: a checkout fetch made passes before and after an update;
// a planted ssh-command, a checkout database naming another repository,
// a versioned manifest setting and a hot journal are refused.
func TestVetFossil(t *testing.T) {
	t.Parallel()
	need(t, vcsFossil)
	ctx := context.Background()
	u := newUpstream(t, vcsFossil)
	u.commit(t, "1\n")
	r, _ := newRunner(t, u.env)
	fresh := func(t *testing.T) string {
		dir := filepath.Join(t.TempDir(), "co")
		if err := vcsFossil.Create(ctx, r, u.url, dir, CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	dir := fresh(t)
	if _, err := vcsFossil.Revision(ctx, r, dir); err != nil {
		t.Fatalf("a checkout fetch made is refused: %v", err)
	}
	want := u.commit(t, "2\n")
	if err := vcsFossil.Update(ctx, r, dir, ""); err != nil {
		t.Fatal(err)
	}
	if got, err := vcsFossil.Revision(ctx, r, dir); err != nil || got != want {
		t.Fatalf("after Update: %q, %v; want %s", got, err, want)
	}

	rows := []struct {
		name  string
		plant func(t *testing.T, dir string)
		key   string
	}{
		{"ssh-command in the repository", func(t *testing.T, dir string) {
			sh(t, u.env, dir, "fossil", "settings", "ssh-command", "touch /nonexistent/x", "--exact")
		}, "ssh-command"},
		{"tcl in the repository", func(t *testing.T, dir string) {
			sh(t, u.env, dir, "fossil", "settings", "tcl", "1")
		}, "tcl"},
		{"a checkout database naming another repository", func(t *testing.T, dir string) {
			other := filepath.Join(t.TempDir(), "other.fossil")
			sh(t, u.env, filepath.Dir(other), "fossil", "clone", "--", u.url, other)
			sh(t, u.env, dir, "fossil", "sql", "UPDATE vvar SET value="+sqlQuote(other)+" WHERE name='repository'")
		}, "repository"},
		{"a versioned manifest setting", func(t *testing.T, dir string) {
			writeFile(t, dir, ".fossil-settings/manifest", "on\n")
		}, "manifest"},
		{"a hot journal", func(t *testing.T, dir string) {
			writeFile(t, dir, ".fossil-journal", "x")
		}, ""},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			dir := fresh(t)
			row.plant(t, dir)
			_, err := vcsFossil.Revision(ctx, r, dir)
			var ue *UntrustedMetadataError
			if !errors.As(err, &ue) || !errors.Is(err, ErrUntrustedConfig) || ue.Key != row.key {
				t.Fatalf("Revision: got %v, want an UntrustedMetadataError for %q", err, row.key)
			}
		})
	}
}

func sqlQuote(s string) string {
	out := "'"
	for _, c := range s {
		if c == '\'' {
			out += "''"
		} else {
			out += string(c)
		}
	}
	return out + "'"
}
