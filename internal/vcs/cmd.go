// Package vcs runs version control commands for fetch: probing a
// repository's scheme, creating a checkout, updating it fast-forward only,
// and reading its revision, remote and tags.
//
// Each version control system is a row of vcsinfo's table (its name,
// checkout markers and schemes, which the tree, downloads and policy read
// too) and a Cmd value in the table below: its commands are argument
// templates, not code, so adding a system is adding a row and a value. Only behaviour that no command line can express (git's ref
// resolution, hg's head count, parsing output) lives in functions the value
// points to.
//
// Templates are expanded after splitting, one argument at a time, so a
// value can never become two arguments. {key} is replaced by its value; an
// argument mentioning a key whose value is empty is dropped, which is how
// "--rev={ref}" disappears when no ref was asked for. Every operand a user
// or a server controls is checked first (see safety.go) and, where the tool
// allows it, placed after "--" or glued to its option ("--rev=...") so it
// cannot be read as an option.
package vcs

import (
	"context"
	"slices"

	"github.com/gofetch/fetch/internal/lazyre"
	"github.com/gofetch/fetch/internal/vcs/vcsinfo"
)

// Cmd describes one version control system.
type Cmd struct {
	// Name is the name fetch and the Go command use: git, hg, svn, bzr, fossil.
	Name string
	// Cmd is the binary to run; Fallbacks are tried in order when it is
	// not in PATH (Breezy's brz replaced bzr).
	Cmd       string
	Fallbacks []string
	// RootNames mark the root of a checkout of this system: the markers
	// of vcsinfo's table, and for fossil the repository file Create keeps
	// in the checkout.
	RootNames []RootName
	// Schemes are the schemes to probe for a repository, in the Go
	// command's order (vcsinfo's table).
	Schemes []string
	// RemoteSchemes are the URL schemes accepted for a remote: Schemes plus
	// the local and alias schemes the tool understands (vcsinfo's table).
	RemoteSchemes []string
	// SCPRemotes reports whether scp-style user@host:path remotes are
	// accepted (git only: the contract reads them as git over ssh).
	SCPRemotes bool
	// Env is added to the environment of every command.
	Env []string
	// GlobalArgs come before the subcommand in every command.
	GlobalArgs []string

	// PingCmd checks that {scheme}://{repo} answers; empty means the
	// system cannot be probed and its first scheme is used.
	PingCmd []string
	// CreateCmd makes a checkout of {repo} at {dir}, at {ref} when one is
	// given. The first step runs in the parent of {dir}, later steps in
	// {dir}.
	CreateCmd [][]string
	// UpdateCmd brings a clean checkout up to date, fast-forward only, and
	// moves it to {ref} when one is given. Steps run in the checkout.
	UpdateCmd [][]string
	// CheckoutCmd moves a checkout to the commit {rev}.
	CheckoutCmd []string
	// RevisionCmd prints the checked-out commit, RemoteURLCmd prints the
	// remote the checkout was made from, and UncommittedCmd lists changes
	// to tracked files. All run in the checkout.
	RevisionCmd    []string
	RemoteURLCmd   []string
	UncommittedCmd []string

	// refRule says which refs the system accepts; refHelp says so in words.
	refRule *lazyre.Regexp
	refHelp string
	// mkdirFirst creates {dir} before CreateCmd runs (fossil clones its
	// repository file into it).
	mkdirFirst bool
	// divergedMsg is what the tool's stderr says when UpdateCmd refuses
	// because the checkout diverged.
	divergedMsg string
	// checkCreate runs before the last step of CreateCmd, in {dir}: it
	// refuses what the first step fetched (see indirect.go).
	checkCreate func(ctx context.Context, c *Cmd, r *Runner, repo, dir, ref string) error

	// Behaviour that is not a command line. Nil means the generic one.
	env         func(r *Runner, env []string) []string
	create      func(ctx context.Context, c *Cmd, r *Runner, repo, dir string, opts CreateOptions) error
	update      func(ctx context.Context, c *Cmd, r *Runner, dir, ref string) error
	checkUpdate func(ctx context.Context, c *Cmd, r *Runner, dir, ref string) error
	revision    func(out string) (string, error)
	remoteURL   func(out string) (string, error)
	// readRemote reads the remote from the checkout's metadata instead
	// of running RemoteURLCmd (hg, which runs without the repository's
	// hgrc, no longer knows it).
	readRemote  func(dir string) (string, error)
	uncommitted func(out string) []string
}

// RootName is a file or directory whose presence marks a checkout root.
type RootName = vcsinfo.Marker

// info returns the row of vcsinfo's table for name; the table and the
// values below name the same systems, which TestCmdsFollowTheTable checks.
func info(name string) vcsinfo.System {
	s, ok := vcsinfo.ByName(name)
	if !ok {
		panic("vcs: no system " + name + " in vcsinfo")
	}
	return s
}

// String returns c.Name.
func (c *Cmd) String() string { return c.Name }

// fossilRepoFile is where Create keeps a fossil repository, inside the
// checkout, as the Go command does.
const fossilRepoFile = ".fossil"

// A ref for hg, bzr and fossil is a name, a hash or a revision spec: no
// spaces, quotes or parentheses, because those tools read refs as
// expressions (hg revsets can even contact other servers).
var (
	nameRef = lazyre.New(`^[A-Za-z0-9_][A-Za-z0-9._/+@-]*$`)
	specRef = lazyre.New(`^[A-Za-z0-9_][A-Za-z0-9._/+@:-]*$`)
)

var vcsGit = &Cmd{
	Name:          "git",
	Cmd:           "git",
	RootNames:     info("git").Markers,
	Schemes:       info("git").Schemes,
	RemoteSchemes: info("git").RemoteSchemes,
	SCPRemotes:    true,
	// git 2.39 accepts "--" here; the Go command leaves it out only for
	// git 2.7.4, which fetch does not support (it needs GIT_CONFIG_COUNT,
	// git 2.31).
	PingCmd:   []string{"ls-remote", "-q", "--", "{scheme}://{repo}"},
	CreateCmd: [][]string{{"clone", "--depth={depth}", "--branch={branch}", "--", "{repo}", "{dir}"}},
	// --upload-pack on the command line beats a remote.origin.uploadpack
	// planted in .git/config, which git would run through the shell for a
	// local remote (for config, git keeps the first value it reads).
	UpdateCmd:      [][]string{{"fetch", "--upload-pack=git-upload-pack", "--tags", "origin"}},
	CheckoutCmd:    []string{"checkout", "-q", "--detach", "{rev}", "--"},
	RevisionCmd:    []string{"rev-parse", "--verify", "HEAD^{commit}"},
	RemoteURLCmd:   []string{"config", "--get", "remote.origin.url"},
	UncommittedCmd: []string{"status", "--porcelain", "--untracked-files=no"},
	refRule:        lazyre.New(`^[^-\s\x00-\x1f\x7f][^\s\x00-\x1f\x7f]*$`),
	refHelp:        "a branch, tag or commit without spaces",
	env:            gitEnv,
	create:         gitCreate,
	update:         gitUpdate,
	uncommitted:    lines,
}

var vcsHg = &Cmd{
	Name:          "hg",
	Cmd:           "hg",
	RootNames:     info("hg").Markers,
	Schemes:       info("hg").Schemes,
	RemoteSchemes: info("hg").RemoteSchemes,
	// HGPLAIN=+strictflags turns off user output tweaks and makes hg parse
	// only unambiguous early options. HGRCSKIPREPO=1 makes hg ignore the
	// repository's own .hg/hgrc (hooks, extensions, path rewrites): a
	// checkout in the tree may not be fetch's (see vetHg).
	Env: []string{"HGPLAIN=+strictflags", "HGRCSKIPREPO=1"},
	// subrepos.allowed=false turns hg's subrepository support off for
	// every command, as the second line of defence behind
	// hgCheckSubrepos: hg aborts instead of cloning a subrepository.
	GlobalArgs: []string{"--noninteractive", "--config", "ui.interactive=false", "--config", "subrepos.allowed=false"},
	PingCmd:    []string{"identify", "--", "{scheme}://{repo}"},
	CreateCmd: [][]string{
		{"clone", "-U", "--", "{repo}", "{dir}"},
		{"update", "--check", "--rev={ref}"},
	},
	// The remote is given to pull explicitly: hg, not reading the
	// repository's hgrc, does not know [paths] default.
	UpdateCmd: [][]string{
		{"pull", "--", "{remote}"},
		{"update", "--check", "--rev={ref}"},
	},
	CheckoutCmd:    []string{"update", "--check", "--rev={rev}"},
	RevisionCmd:    []string{"log", "-r", ".", "-T", "{node}"},
	RemoteURLCmd:   []string{"paths", "default"},
	UncommittedCmd: []string{"status", "-mard"},
	refRule:        nameRef,
	refHelp:        "a tag, branch, bookmark or hash",
	readRemote:     hgDefaultPath,
	checkCreate:    hgCheckCreate,
	checkUpdate:    hgCheckUpdate,
	uncommitted:    lines,
}

var vcsSvn = &Cmd{
	Name:          "svn",
	Cmd:           "svn",
	RootNames:     info("svn").Markers,
	Schemes:       info("svn").Schemes,
	RemoteSchemes: info("svn").RemoteSchemes,
	GlobalArgs:    []string{"--non-interactive"},
	// A trailing "@" gives svn an empty peg revision, so an "@" inside
	// the URL is never read as one.
	PingCmd:        []string{"info", "--", "{scheme}://{repo}@"},
	CreateCmd:      [][]string{{"checkout", svnNoExternals, "--revision={ref}", "--", "{repo}@", "{dir}"}},
	UpdateCmd:      [][]string{{"update", svnNoExternals, "--revision={ref}"}},
	CheckoutCmd:    []string{"update", svnNoExternals, "--revision={rev}"},
	RevisionCmd:    []string{"info", "--show-item", "revision"},
	RemoteURLCmd:   []string{"info", "--show-item", "url"},
	UncommittedCmd: []string{"status", "-q"},
	// A Subversion ref is a revision: branches and tags are paths.
	refRule:     lazyre.New(`^([0-9]+|HEAD)$`),
	refHelp:     "a revision number or HEAD (branches and tags are part of the URL)",
	uncommitted: lines,
}

var vcsBzr = &Cmd{
	Name:          "bzr",
	Cmd:           "brz",
	Fallbacks:     []string{"bzr"},
	RootNames:     info("bzr").Markers,
	Schemes:       info("bzr").Schemes,
	RemoteSchemes: info("bzr").RemoteSchemes,
	PingCmd:       []string{"info", "--", "{scheme}://{repo}"},
	CreateCmd: [][]string{
		{"branch", "--", "{repo}", "{dir}"},
		{"update", "--revision={ref}"},
	},
	// Plain pull refuses diverged branches; the Go command's --overwrite
	// would throw local commits away.
	UpdateCmd: [][]string{
		{"pull"},
		{"update", "--revision={ref}"},
	},
	CheckoutCmd:    []string{"update", "--revision={rev}"},
	RevisionCmd:    []string{"version-info", "--custom", "--template={revision_id}"},
	RemoteURLCmd:   []string{"info"},
	UncommittedCmd: []string{"status", "--short", "--versioned"},
	refRule:        specRef,
	refHelp:        "a revision spec such as 3, tag:v1 or revid:ID",
	divergedMsg:    "branches have diverged",
	checkCreate:    bzrCheckCreate,
	checkUpdate:    bzrCheckUpdate,
	remoteURL:      bzrParent,
	uncommitted:    lines,
}

var vcsFossil = &Cmd{
	Name:          "fossil",
	Cmd:           "fossil",
	RootNames:     append(info("fossil").Markers, RootName{Name: fossilRepoFile, File: true}),
	Schemes:       info("fossil").Schemes,
	RemoteSchemes: info("fossil").RemoteSchemes,
	CreateCmd: [][]string{
		{"clone", "--", "{repo}", "{dir}/" + fossilRepoFile},
		{"open", "--", fossilRepoFile, "{ref}"},
	},
	UpdateCmd: [][]string{
		{"pull"},
		{"update", "--nosync", "--", "{ref}"},
	},
	CheckoutCmd:    []string{"update", "--nosync", "--", "{rev}"},
	RevisionCmd:    []string{"info"},
	RemoteURLCmd:   []string{"remote"},
	UncommittedCmd: []string{"changes"},
	refRule:        specRef,
	refHelp:        "a check-in name, tag or hash",
	mkdirFirst:     true,
	env:            fossilEnv,
	checkUpdate:    fossilCheckLeaves,
	revision:       fossilCheckout,
	remoteURL:      fossilRemote,
	uncommitted:    lines,
}

// vcsList is every system, in vcsinfo's order.
var vcsList = []*Cmd{vcsHg, vcsGit, vcsSvn, vcsBzr, vcsFossil}

// MetadataNames returns every name that marks the root of a checkout of
// some system: vcsinfo's markers and fossil's repository file.
func MetadataNames() []string {
	var names []string
	for _, c := range vcsList {
		for _, n := range c.RootNames {
			names = append(names, n.Name)
		}
	}
	return names
}

// ByName returns a copy of the system called name (git, hg, svn, bzr,
// fossil), or nil. Changing the copy changes nothing for anyone else: the
// table cannot be changed from outside this package.
func ByName(name string) *Cmd {
	for _, c := range vcsList {
		if c.Name == name {
			return c.clone()
		}
	}
	return nil
}

// clone returns a copy of c that shares no slice with it.
func (c *Cmd) clone() *Cmd {
	d := *c
	d.Fallbacks = slices.Clone(c.Fallbacks)
	d.RootNames = slices.Clone(c.RootNames)
	d.Schemes = slices.Clone(c.Schemes)
	d.RemoteSchemes = slices.Clone(c.RemoteSchemes)
	d.Env = slices.Clone(c.Env)
	d.GlobalArgs = slices.Clone(c.GlobalArgs)
	d.PingCmd = slices.Clone(c.PingCmd)
	d.CreateCmd = cloneSteps(c.CreateCmd)
	d.UpdateCmd = cloneSteps(c.UpdateCmd)
	d.CheckoutCmd = slices.Clone(c.CheckoutCmd)
	d.RevisionCmd = slices.Clone(c.RevisionCmd)
	d.RemoteURLCmd = slices.Clone(c.RemoteURLCmd)
	d.UncommittedCmd = slices.Clone(c.UncommittedCmd)
	return &d
}

func cloneSteps(steps [][]string) [][]string {
	if steps == nil {
		return nil
	}
	out := make([][]string, len(steps))
	for i, s := range steps {
		out[i] = slices.Clone(s)
	}
	return out
}
