package fetch

import "testing"

// TestSameRemoteNeverDecodesAPathIntoAnother: a lock's repository (and an
// existing checkout's remote) is compared with what discovery names now
// without decoding a path into another one: "..%2F" or a dot segment is
// sent to the server as typed, so https://h/evil/x/..%2F..%2Fgood is a
// path of evil's, not good's, and replay must refuse it (a vanity server
// switching to it would otherwise pass the lock's repository check and
// fetch from another repository). Spellings that name one resource stay
// equal.
func TestSameRemoteNeverDecodesAPathIntoAnother(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"https://h/good/repo", "https://h/evil/x/..%2F..%2Fgood%2Frepo", false},
		{"https://h/good/repo", "https://h/evil/..%2Fgood/repo", false},
		{"https://h/good/repo", "https://h/evil/../good/repo", false},
		{"https://h/good/repo", "https://h/good/./repo", false},
		{"https://h/good/repo", "https://h/good%2Frepo", false},
		{"https://h/good/repo", "https://h/evil%2F..%2Fgood/repo", false},
		{"https://h/good/repo", "https://h/good/repo/.git", false},
		{"https://h/good/repo", "https://h/good/x/%2E%2E/repo", false},
		{"https://h/good/repo", "https://h/good/repo/x/..", false},
		{"https://h/good/repo", `https://h/evil\..\good/repo`, false},
		{"https://h/good/repo", "https://h/good/Repo", false},
		{"https://h/good/repo", "https://other/good/repo", false},
		// one resource, spelled differently
		{"https://h/good/repo", "https://h/good/repo", true},
		{"https://h/good/repo", "https://H/good/repo/", true},
		{"https://h/good/repo", "https://h/good/repo.git", true},
		{"https://h/good/repo", "https://u@h/good/repo", false},
		{"https://u:p@h/good/repo", "https://u@h/good/repo", true},
		{"https://h/a~b/repo", "https://h/a%7Eb/repo", true},
		{"https://h/a b", "https://h/a%20b", true},
		{"https://h/evil/..%2Fgood", "https://h/evil/..%2Fgood", true},
		{"git@h:good/repo", "git@h:good/repo", true},
		{"git@h:good/repo", "git@h:evil/../good/repo", false},
	} {
		if got := sameRemote(c.a, c.b); got != c.same {
			t.Errorf("sameRemote(%q, %q) = %v, want %v", c.a, c.b, got, c.same)
		}
		if got := sameRemote(c.b, c.a); got != c.same {
			t.Errorf("sameRemote(%q, %q) = %v, want %v", c.b, c.a, got, c.same)
		}
	}
}
