package testbed

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

type bedKey struct{}

// Setup starts a Bed in env.WorkDir (so a script's txtar files under www/
// are pages at once), closes it when the script ends and adds Env() to the
// script's environment. Use it as testscript.Params.Setup or call it from
// your own Setup.
func Setup(env *testscript.Env) error {
	b, err := Start(env.WorkDir)
	if err != nil {
		return err
	}
	env.Defer(func() {
		if err := b.Close(); err != nil {
			env.T().Log(err)
		}
	})
	env.Values[bedKey{}] = b
	for _, kv := range b.Env() {
		k, v, _ := strings.Cut(kv, "=")
		env.Setenv(k, v)
	}
	return nil
}

// FromScript returns the Bed that Setup started for ts, or nil.
func FromScript(ts *testscript.TestScript) *Bed {
	b, _ := ts.Value(bedKey{}).(*Bed)
	return b
}

// Commands returns the script commands that drive the bed Setup started:
//
//	gitrepo NAME DIR [tag=T]... [branch=B]... [head=H] [user=U:P]... [env=VAR]
//	    create git repository NAME from the files under DIR; env=VAR stores
//	    the commit hash in $VAR
//	gitcommit NAME DIR [branch=B] [tag=T]... [msg=M] [env=VAR]
//	    commit exactly the files under DIR (on branch B, created from the
//	    current branch if missing)
//	hgrepo NAME DIR [tag=T]... [env=VAR]
//	hgcommit NAME DIR [tag=T]... [msg=M] [env=VAR]
//	    the same for Mercurial (guard scripts with [exec:hg])
//	svnrepo NAME DIR [env=VAR]
//	svncommit NAME DIR [msg=M] [env=VAR]
//	    the same for Subversion, whose commits are revision numbers; the
//	    first svnrepo starts an SvnServer and sets $TESTBED_SVN to its Base
//	bzrrepo NAME DIR [tag=T]... [env=VAR]
//	bzrcommit NAME DIR [tag=T]... [msg=M] [env=VAR]
//	    the same for a Bazaar branch (see BzrRepo); bzrrepo sets BRZ_HOME
//	    from BzrEnv so that brz trusts the bed
//	fossilrepo NAME DIR [tag=T]... [env=VAR]
//	fossilcommit NAME DIR [tag=T]... [msg=M] [env=VAR]
//	    the same for fossil; the first fossilrepo starts a FossilServer and
//	    sets $TESTBED_FOSSIL to its Base
//	modzip PREFIX MODPATH VERSION DIR [sum=H1|sum=none]
//	    write MODPATH@VERSION, zipped from the files under DIR, into the
//	    module proxy layout under www/PREFIX (see AddModule), so that
//	    https://PREFIX is a module proxy; sum= makes the checksum database
//	    record another hash for it, or (none) not know it
//	sumdb
//	    start the bed's checksum database (see SumDB) and set
//	    $TESTBED_GOSUMDB to the GOSUMDB value naming it
//	sshd
//	    start an SSHD serving the bed's git repositories and set $SSHD_GIT,
//	    $SSHD_KEY, $SSHD_KEY_BASE64, $SSHD_SSH and more (see cmdSSHD);
//	    follow it with [!exec:sshd] skip
//	s3server DIR [bucket=B] [page=N] [require=KEYID] [object=KEY:FILE]...
//	    serve the files under DIR as the objects of bucket B ("bucket") on
//	    a loopback S3 stand-in (see S3Server) and set $S3_ENDPOINT; page=N
//	    lists N keys a page, require= refuses requests not signed with
//	    that access key ID, object= adds an object with any key
//	gcsserver DIR [bucket=B] [page=N] [require=TOKEN] [object=KEY:FILE]...
//	    the same on a GCS JSON API stand-in (see GCSServer); sets
//	    $STORAGE_EMULATOR_HOST
//	requests [-count=N] REGEXP
//	    assert that a logged request matches (with -count, exactly N do;
//	    with !, none do, or not exactly N)
//	requests -reset
//	    forget the requests logged so far
//
// None of them writes to stdout, so stdout still holds the last exec's.
func Commands() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"gitrepo":   cmdGitRepo,
		"gitcommit": cmdGitCommit,
		"hgrepo":    cmdHgRepo,
		"hgcommit":  cmdHgCommit,
		"requests":  cmdRequests,

		"svnrepo":      cmdSvnRepo,
		"svncommit":    cmdSvnCommit,
		"bzrrepo":      cmdBzrRepo,
		"bzrcommit":    cmdBzrCommit,
		"fossilrepo":   cmdFossilRepo,
		"fossilcommit": cmdFossilCommit,
		"sshd":         cmdSSHD,
		"s3server":     cmdS3Server,
		"gcsserver":    cmdGCSServer,
		"modzip":       cmdModZip,
		"sumdb":        cmdSumDB,
	}
}

func cmdGitRepo(ts *testscript.TestScript, neg bool, args []string) {
	b, name, files, kv := repoArgs(ts, neg, "gitrepo", args, "tag", "branch", "head", "user", "env")
	opts := []RepoOption{WithTag(kv["tag"]...), WithBranch(kv["branch"]...)}
	if heads := kv["head"]; len(heads) > 0 {
		opts = append(opts, WithHead(heads[len(heads)-1]))
	}
	for _, login := range kv["user"] {
		user, pass, _ := strings.Cut(login, ":")
		opts = append(opts, WithUser(user, pass))
	}
	r, err := b.AddGitRepo(name, files, opts...)
	ts.Check(err)
	hash, err := r.Rev("HEAD")
	ts.Check(err)
	storeHash(ts, "gitrepo", name, hash, kv["env"])
}

func cmdGitCommit(ts *testscript.TestScript, neg bool, args []string) {
	b, name, files, kv := repoArgs(ts, neg, "gitcommit", args, "branch", "tag", "msg", "env")
	r := b.gitRepos.get(strings.TrimSuffix(name, ".git"))
	if r == nil {
		ts.Fatalf("gitcommit: no git repository %s (create it with gitrepo)", name)
	}
	for _, br := range kv["branch"] {
		if r.Switch(br) != nil {
			_, err := r.Branch(br)
			ts.Check(err)
		}
	}
	hash, err := r.Commit(files, last(kv["msg"], "commit"))
	ts.Check(err)
	for _, t := range kv["tag"] {
		_, err := r.Tag(t)
		ts.Check(err)
	}
	storeHash(ts, "gitcommit", name, hash, kv["env"])
}

func cmdHgRepo(ts *testscript.TestScript, neg bool, args []string) {
	b, name, files, kv := repoArgs(ts, neg, "hgrepo", args, "tag", "env")
	r, err := b.AddHgRepo(name, files, WithTag(kv["tag"]...))
	ts.Check(err)
	hash, err := r.Rev("0")
	ts.Check(err)
	storeHash(ts, "hgrepo", name, hash, kv["env"])
}

func cmdHgCommit(ts *testscript.TestScript, neg bool, args []string) {
	b, name, files, kv := repoArgs(ts, neg, "hgcommit", args, "tag", "msg", "env")
	r := b.hgRepos.get(name)
	if r == nil {
		ts.Fatalf("hgcommit: no hg repository %s (create it with hgrepo)", name)
	}
	hash, err := r.Commit(files, last(kv["msg"], "commit"))
	ts.Check(err)
	for _, t := range kv["tag"] {
		_, err := r.Tag(t)
		ts.Check(err)
	}
	storeHash(ts, "hgcommit", name, hash, kv["env"])
}

func last(values []string, def string) string {
	if len(values) == 0 {
		return def
	}
	return values[len(values)-1]
}

var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func storeHash(ts *testscript.TestScript, cmd, repo, hash string, vars []string) {
	ts.Logf("%s %s: commit %s", cmd, repo, hash)
	for _, v := range vars {
		if !envName.MatchString(v) {
			ts.Fatalf("%s: env=%q is not a variable name (letters, digits, '_')", cmd, v)
		}
		ts.Setenv(v, hash)
	}
}

// repoArgs parses "NAME DIR key=value..." for cmd, allowing the given keys,
// and reads the files under DIR.
func repoArgs(ts *testscript.TestScript, neg bool, cmd string, args []string, keys ...string) (*Bed, string, map[string]string, map[string][]string) {
	if neg {
		ts.Fatalf("%s does not support negation", cmd)
	}
	b := FromScript(ts)
	if b == nil {
		ts.Fatalf("%s: no testbed; use testbed.Setup as the script's Setup", cmd)
	}
	if len(args) < 2 {
		ts.Fatalf("usage: %s NAME DIR [%s=...]...", cmd, strings.Join(keys, "=...] ["))
	}
	kv := make(map[string][]string)
	for _, a := range args[2:] {
		k, v, ok := strings.Cut(a, "=")
		if !ok || !contains(keys, k) {
			ts.Fatalf("%s: argument %q: want one of %s=VALUE", cmd, a, strings.Join(keys, "=, "))
		}
		kv[k] = append(kv[k], v)
	}
	files, err := readTree(ts.MkAbs(args[1]))
	if err != nil {
		ts.Fatalf("%s: %v", cmd, err)
	}
	return b, args[0], files, kv
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func cmdRequests(ts *testscript.TestScript, neg bool, args []string) {
	b := FromScript(ts)
	if b == nil {
		ts.Fatalf("requests: no testbed; use testbed.Setup as the script's Setup")
	}
	if len(args) == 1 && args[0] == "-reset" {
		if neg {
			ts.Fatalf("requests -reset does not support negation")
		}
		ts.Check(b.ResetRequests())
		return
	}
	want := -1
	if len(args) == 2 && strings.HasPrefix(args[0], "-count=") {
		n, err := strconv.Atoi(strings.TrimPrefix(args[0], "-count="))
		if err != nil || n < 0 {
			ts.Fatalf("requests: %s: the count must be a non-negative integer", args[0])
		}
		want, args = n, args[1:]
	}
	if len(args) != 1 {
		ts.Fatalf("usage: requests [-count=N] REGEXP | requests -reset")
	}
	re, err := regexp.Compile(args[0])
	if err != nil {
		ts.Fatalf("requests: %v", err)
	}
	all := b.Requests()
	n := 0
	for _, line := range all {
		if re.MatchString(line) {
			n++
		}
	}
	ok, wantText := n > 0, "at least one"
	if want >= 0 {
		ok, wantText = n == want, strconv.Itoa(want)
	}
	if neg {
		ok, wantText = !ok, "not "+wantText
	}
	if !ok {
		ts.Fatalf("requests: %d requests match %q, want %s; requests logged:\n%s", n, args[0], wantText, strings.Join(all, "\n"))
	}
	ts.Logf("requests: %d match %q", n, args[0])
}

func cmdModZip(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 4 {
		ts.Fatalf("usage: modzip PREFIX MODPATH VERSION DIR [sum=H1|sum=none]")
	}
	b := FromScript(ts)
	if b == nil {
		ts.Fatalf("modzip: no testbed; use testbed.Setup as the script's Setup")
	}
	files, err := readTree(ts.MkAbs(args[3]))
	if err != nil {
		ts.Fatalf("modzip: %v", err)
	}
	h1, err := b.AddModule(args[0], args[1], args[2], files)
	ts.Check(err)
	ts.Logf("modzip %s@%s: %s", args[1], args[2], h1)
	for _, a := range args[4:] {
		sum, ok := strings.CutPrefix(a, "sum=")
		if !ok {
			ts.Fatalf("modzip: argument %q: want sum=H1 or sum=none", a)
		}
		if sum == "none" {
			sum = ""
		}
		b.SetSum(args[1], args[2], sum)
	}
}

func cmdSumDB(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: sumdb")
	}
	b := FromScript(ts)
	if b == nil {
		ts.Fatalf("sumdb: no testbed; use testbed.Setup as the script's Setup")
	}
	v, err := b.SumDB()
	ts.Check(err)
	ts.Setenv("TESTBED_GOSUMDB", v)
}
