package pathprefix

import "testing"

func TestHas(t *testing.T) {
	tests := []struct {
		name      string
		s, prefix string
		want      bool
	}{
		{"equal paths match", "example.org/a", "example.org/a", true},
		{"a whole leading element matches", "example.org/a/b", "example.org/a", true},
		{"a partial element does not match", "example.org/ab", "example.org/a", false},
		{"a prefix ending in a slash matches as a string", "example.org/ab", "example.org/", true},
		{"the empty prefix matches everything", "example.org", "", true},
		{"a longer prefix does not match", "example.org", "example.org/a", false},
		{"case matters", "Example.org/a", "example.org", false},
		{"the empty path has only the empty prefix", "", "a", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Has(tt.s, tt.prefix); got != tt.want {
				t.Errorf("Has(%q, %q) = %v, want %v", tt.s, tt.prefix, got, tt.want)
			}
		})
	}
}
