package policy

import "testing"

func TestCheckVCS(t *testing.T) {
	// Texts are those of the Go command's govcs script test.
	tests := []struct {
		name    string
		env     Env
		root    string
		vcs     string
		wantErr string
	}{
		{"the default denies svn for public code", Env{}, "rsc.io/nonexist.svn", "svn", "GOVCS disallows using svn for public rsc.io/nonexist.svn; see 'go help vcs'"},
		{"the default denies fossil for public code", Env{}, "rsc.io/nonexist.fossil", "fossil", "GOVCS disallows using fossil for public rsc.io/nonexist.fossil; see 'go help vcs'"},
		{"the default denies bzr for public code", Env{}, "rsc.io/nonexist.bzr", "bzr", "GOVCS disallows using bzr for public rsc.io/nonexist.bzr; see 'go help vcs'"},
		{"the default allows git for public code", Env{}, "rsc.io/sampler", "git", ""},
		{"the default allows hg for public code", Env{}, "example.org/hello", "hg", ""},
		{"the default allows svn for private code", Env{GOPRIVATE: "corp.example"}, "corp.example/x", "svn", ""},
		{"mod is allowed whatever GOVCS says", Env{GOVCS: "*:none"}, "example.org/x", "mod", ""},
		{"mod is allowed even when GOVCS is malformed", Env{GOVCS: "git"}, "example.org/x", "mod", ""},
		{"star none denies public git", Env{GOVCS: "*:none"}, "github.com/google/go-cmp", "git", "GOVCS disallows using git for public github.com/google/go-cmp; see 'go help vcs'"},
		{"star none denies private git and says private", Env{GOVCS: "*:none", GOPRIVATE: "github.com/google"}, "github.com/google/go-cmp", "git", "GOVCS disallows using git for private github.com/google/go-cmp; see 'go help vcs'"},
		{"public all private none denies a private root", Env{GOVCS: "public:all,private:none", GOPRIVATE: "github.com/google"}, "github.com/google/go-cmp", "git", "GOVCS disallows using git for private github.com/google/go-cmp; see 'go help vcs'"},
		{"private all public none denies a public root", Env{GOVCS: "private:all,public:none", GOPRIVATE: "hubgit.com/google"}, "github.com/google/go-cmp", "git", "GOVCS disallows using git for public github.com/google/go-cmp; see 'go help vcs'"},
		{"a host rule without git denies git", Env{GOVCS: "github.com:svn|hg"}, "github.com/google/go-cmp", "git", "GOVCS disallows using git for public github.com/google/go-cmp; see 'go help vcs'"},
		{"a deeper rule does not match a shorter root", Env{GOVCS: "github.com/google/go-cmp/inner:git,github.com:svn|hg"}, "github.com/google/go-cmp", "git", "GOVCS disallows using git for public github.com/google/go-cmp; see 'go help vcs'"},
		{"a user rule wins over the default", Env{GOVCS: "public:hg"}, "rsc.io/nonexist.git", "git", "GOVCS disallows using git for public rsc.io/nonexist.git; see 'go help vcs'"},
		{"a rule for another host falls through to the default", Env{GOVCS: "example.com:svn"}, "example.org/x", "git", ""},
		{"a malformed GOVCS is reported", Env{GOVCS: "git"}, "github.com/google/go-cmp", "git", `malformed entry in GOVCS (missing colon): "git"`},
		{"an unreachable pattern is reported", Env{GOVCS: "github.com:hg,github.com:git"}, "github.com/google/go-cmp", "git", `unreachable pattern in GOVCS: "github.com:git" after "github.com:hg"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.env.CheckVCS(tt.root, tt.vcs)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.wantErr {
				t.Errorf("CheckVCS(%q, %q) = %q, want %q", tt.root, tt.vcs, got, tt.wantErr)
			}
		})
	}
}

func TestPatternLists(t *testing.T) {
	type check func(Env, string) bool
	var (
		private  check = Env.IsPrivate
		insecure check = Env.IsInsecure
		nosumdb  check = Env.IsNoSumDB
	)
	tests := []struct {
		name  string
		env   Env
		check check
		path  string
		want  bool
	}{
		{"an exact host matches itself", Env{GOPRIVATE: "corp.example"}, private, "corp.example", true},
		{"a host pattern matches paths below it", Env{GOPRIVATE: "corp.example"}, private, "corp.example/a/b", true},
		{"a host pattern does not match a longer host", Env{GOPRIVATE: "corp.example"}, private, "corp.example.org/a", false},
		{"a glob matches one element", Env{GOPRIVATE: "*.corp.example"}, private, "git.corp.example/a", true},
		{"a glob does not match the bare domain", Env{GOPRIVATE: "*.corp.example"}, private, "corp.example/a", false},
		{"a two-element pattern matches only its prefix", Env{GOPRIVATE: "github.com/acme"}, private, "github.com/acme/tool", true},
		{"a two-element pattern does not match a sibling", Env{GOPRIVATE: "github.com/acme"}, private, "github.com/other/tool", false},
		{"a trailing slash on a pattern is ignored", Env{GOPRIVATE: "github.com/acme/"}, private, "github.com/acme/tool", true},
		{"a list matches any entry", Env{GOPRIVATE: "a.example,,b.example"}, private, "b.example/x", true},
		{"an empty list matches nothing", Env{}, private, "example.org/x", false},
		{"GOINSECURE matches its hosts", Env{GOINSECURE: "*.golang.org"}, insecure, "insecure.golang.org/x", true},
		{"GOINSECURE is not GOPRIVATE", Env{GOPRIVATE: "insecure.example"}, insecure, "insecure.example/x", false},
		{"GONOSUMDB defaults to GOPRIVATE", Env{GOPRIVATE: "corp.example"}, nosumdb, "corp.example/x", true},
		{"GONOSUMDB replaces GOPRIVATE when set", Env{GOPRIVATE: "corp.example", GONOSUMDB: "other.example"}, nosumdb, "corp.example/x", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.check(tt.env, tt.path); got != tt.want {
				t.Errorf("%+v: check(%q) = %v, want %v", tt.env, tt.path, got, tt.want)
			}
		})
	}
}

func TestFromEnviron(t *testing.T) {
	vars := map[string]string{
		"GOVCS":              "public:git",
		"GOPRIVATE":          "corp.example",
		"GOINSECURE":         "insecure.example",
		"GONOSUMDB":          "nosum.example",
		"GONOPROXY":          "noproxy.example",
		"GIT_ALLOW_PROTOCOL": "https:ssh",
	}
	got := FromEnviron(func(k string) string { return vars[k] })
	want := Env{"public:git", "corp.example", "insecure.example", "nosum.example", "noproxy.example", "https:ssh"}
	if got != want {
		t.Errorf("FromEnviron = %+v, want %+v", got, want)
	}
}

func TestSecureScheme(t *testing.T) {
	tests := []struct {
		name   string
		env    Env
		vcs    string
		scheme string
		want   bool
	}{
		{"https is secure for git", Env{}, "git", "https", true},
		{"ssh is secure for git", Env{}, "git", "ssh", true},
		{"git+ssh is secure for git", Env{}, "git", "git+ssh", true},
		{"the git protocol is not secure", Env{}, "git", "git", false},
		{"http is not secure for git", Env{}, "git", "http", false},
		{"svn+ssh is secure for svn", Env{}, "svn", "svn+ssh", true},
		{"the svn protocol is not secure", Env{}, "svn", "svn", false},
		{"bzr+ssh is secure for bzr", Env{}, "bzr", "bzr+ssh", true},
		{"http is not secure for hg", Env{}, "hg", "http", false},
		{"an empty scheme is not secure", Env{}, "git", "", false},
		{"GIT_ALLOW_PROTOCOL makes its schemes secure for git", Env{GitAllowProtocol: "https:foo"}, "git", "foo", true},
		{"GIT_ALLOW_PROTOCOL makes unlisted ssh insecure for git", Env{GitAllowProtocol: "https:foo"}, "git", "ssh", false},
		{"GIT_ALLOW_PROTOCOL keeps listed https secure for git", Env{GitAllowProtocol: "https:foo"}, "git", "https", true},
		{"GIT_ALLOW_PROTOCOL does not apply to hg", Env{GitAllowProtocol: "https:foo"}, "hg", "ssh", true},
		{"GIT_ALLOW_PROTOCOL does not make foo secure for hg", Env{GitAllowProtocol: "https:foo"}, "hg", "foo", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.env.SecureScheme(tt.vcs, tt.scheme); got != tt.want {
				t.Errorf("SecureScheme(%q, %q) with GIT_ALLOW_PROTOCOL=%q = %v, want %v", tt.vcs, tt.scheme, tt.env.GitAllowProtocol, got, tt.want)
			}
		})
	}
}

func TestSecureRepo(t *testing.T) {
	tests := []struct {
		name string
		vcs  string
		repo string
		want bool
	}{
		{"an https URL is secure", "git", "https://example.org/r", true},
		{"an ssh URL with a user is secure", "git", "ssh://git@example.org/r", true},
		{"an http URL is not secure", "git", "http://example.org/r", false},
		{"a git protocol URL is not secure", "git", "git://example.org/r", false},
		{"an scp-like address is not a URL and not secure", "git", "git@example.org:r.git", false},
		{"a bare path is not secure", "hg", "example.org/r", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (Env{}).SecureRepo(tt.vcs, tt.repo); got != tt.want {
				t.Errorf("SecureRepo(%q, %q) = %v, want %v", tt.vcs, tt.repo, got, tt.want)
			}
		})
	}
}
