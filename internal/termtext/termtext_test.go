package termtext

import "testing"

func TestPrintable(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text, unchanged: naïve 日本", "plain text, unchanged: naïve 日本"},
		{"\x1b[2Jcleared", `\x1b[2Jcleared`},
		{"bell\a and tab\t", `bell\x07 and tab\x09`},
		{"\u009b31mC1 CSI", `\x9b31mC1 CSI`},
		{"abc\u202eexe.txt", `abc\u202eexe.txt`},
		{"bad \xff byte", `bad \xff byte`},
		{"a real \uFFFD stays", "a real \uFFFD stays"},
		{"del\x7f", `del\x7f`},
	}
	for _, tt := range tests {
		if got := Printable(tt.in); got != tt.want {
			t.Errorf("Printable(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
