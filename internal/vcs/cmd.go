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

// Cmd describes one version control system. Its fields are this
// package's own: a Cmd comes from ByName and is used through its methods,
// so nothing outside the package can change what a system runs.
type Cmd struct {
	// name is the name fetch and the Go command use: git, hg, svn, bzr, fossil.
	name string
	// bin is the binary to run; fallbacks are tried in order when it is
	// not in PATH (Breezy's brz replaced bzr).
	bin       string
	fallbacks []string
	// rootNames mark the root of a checkout of this system: the markers
	// of vcsinfo's table, and for fossil the repository file Create keeps
	// in the checkout.
	rootNames []RootName
	// schemes are the schemes to probe for a repository, in the Go
	// command's order (vcsinfo's table).
	schemes []string
	// remoteSchemes are the URL schemes accepted for a remote: schemes plus
	// the local and alias schemes the tool understands (vcsinfo's table).
	remoteSchemes []string
	// scpRemotes reports whether scp-style user@host:path remotes are
	// accepted (git only: the contract reads them as git over ssh).
	scpRemotes bool
	// extraEnv is added to the environment of every command.
	extraEnv []string
	// globalArgs come before the subcommand in every command.
	globalArgs []string

	// pingCmd checks that {scheme}://{repo} answers; empty means the
	// system cannot be probed and its first scheme is used.
	pingCmd []string
	// createCmd makes a checkout of {repo} at {dir}, at {ref} when one is
	// given. The first step runs in the parent of {dir}, later steps in
	// {dir}.
	createCmd [][]string
	// updateCmd brings a clean checkout up to date, fast-forward only, and
	// moves it to {ref} when one is given. Steps run in the checkout.
	updateCmd [][]string
	// checkoutCmd moves a checkout to the commit {rev}.
	checkoutCmd []string
	// revisionCmd prints the checked-out commit, remoteURLCmd prints the
	// remote the checkout was made from, and uncommittedCmd lists changes
	// to tracked files. All run in the checkout.
	revisionCmd    []string
	remoteURLCmd   []string
	uncommittedCmd []string

	// refRule says which refs the system accepts; refHelp says so in words.
	refRule *lazyre.Regexp
	refHelp string
	// mkdirFirst creates {dir} before createCmd runs (fossil clones its
	// repository file into it).
	mkdirFirst bool
	// divergedMsg is what the tool's stderr says when updateCmd refuses
	// because the checkout diverged.
	divergedMsg string
	// checkCreate runs before the last step of createCmd, in {dir}: it
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
	// of running remoteURLCmd (hg, which runs without the repository's
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

// String returns the system's name: git, hg, svn, bzr, fossil.
func (c *Cmd) String() string { return c.name }

// Schemes returns the schemes to probe for a repository, in the Go
// command's order (vcsinfo's table).
func (c *Cmd) Schemes() []string { return slices.Clone(c.schemes) }

// CanPing reports whether Ping can ask a repository whether it answers;
// when it cannot, the system's first scheme is used.
func (c *Cmd) CanPing() bool { return len(c.pingCmd) > 0 }

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
	name:          "git",
	bin:           "git",
	rootNames:     info("git").Markers,
	schemes:       info("git").Schemes,
	remoteSchemes: info("git").RemoteSchemes,
	scpRemotes:    true,
	// git 2.39 accepts "--" here; the Go command leaves it out only for
	// git 2.7.4, which fetch does not support (it needs GIT_CONFIG_COUNT,
	// git 2.31).
	pingCmd:   []string{"ls-remote", "-q", "--", "{scheme}://{repo}"},
	createCmd: [][]string{{"clone", "--depth={depth}", "--branch={branch}", "--", "{repo}", "{dir}"}},
	// --upload-pack on the command line beats a remote.origin.uploadpack
	// planted in .git/config, which git would run through the shell for a
	// local remote (for config, git keeps the first value it reads).
	updateCmd:      [][]string{{"fetch", "--upload-pack=git-upload-pack", "--tags", "origin"}},
	checkoutCmd:    []string{"checkout", "-q", "--detach", "{rev}", "--"},
	revisionCmd:    []string{"rev-parse", "--verify", "HEAD^{commit}"},
	remoteURLCmd:   []string{"config", "--get", "remote.origin.url"},
	uncommittedCmd: []string{"status", "--porcelain", "--untracked-files=no"},
	refRule:        lazyre.New(`^[^-\s\x00-\x1f\x7f][^\s\x00-\x1f\x7f]*$`),
	refHelp:        "a branch, tag or commit without spaces",
	env:            gitEnv,
	create:         gitCreate,
	update:         gitUpdate,
	uncommitted:    lines,
}

var vcsHg = &Cmd{
	name:          "hg",
	bin:           "hg",
	rootNames:     info("hg").Markers,
	schemes:       info("hg").Schemes,
	remoteSchemes: info("hg").RemoteSchemes,
	// HGPLAIN=+strictflags turns off user output tweaks and makes hg parse
	// only unambiguous early options. HGRCSKIPREPO=1 makes hg ignore the
	// repository's own .hg/hgrc (hooks, extensions, path rewrites): a
	// checkout in the tree may not be fetch's (see vetHg).
	extraEnv: []string{"HGPLAIN=+strictflags", "HGRCSKIPREPO=1"},
	// subrepos.allowed=false turns hg's subrepository support off for
	// every command, as the second line of defence behind
	// hgCheckSubrepos: hg aborts instead of cloning a subrepository.
	globalArgs: []string{"--noninteractive", "--config", "ui.interactive=false", "--config", "subrepos.allowed=false"},
	pingCmd:    []string{"identify", "--", "{scheme}://{repo}"},
	createCmd: [][]string{
		{"clone", "-U", "--", "{repo}", "{dir}"},
		{"update", "--check", "--rev={ref}"},
	},
	// The remote is given to pull explicitly: hg, not reading the
	// repository's hgrc, does not know [paths] default.
	updateCmd: [][]string{
		{"pull", "--", "{remote}"},
		{"update", "--check", "--rev={ref}"},
	},
	checkoutCmd:    []string{"update", "--check", "--rev={rev}"},
	revisionCmd:    []string{"log", "-r", ".", "-T", "{node}"},
	remoteURLCmd:   []string{"paths", "default"},
	uncommittedCmd: []string{"status", "-mard"},
	refRule:        nameRef,
	refHelp:        "a tag, branch, bookmark or hash",
	readRemote:     hgDefaultPath,
	checkCreate:    hgCheckCreate,
	checkUpdate:    hgCheckUpdate,
	uncommitted:    lines,
}

var vcsSvn = &Cmd{
	name:          "svn",
	bin:           "svn",
	rootNames:     info("svn").Markers,
	schemes:       info("svn").Schemes,
	remoteSchemes: info("svn").RemoteSchemes,
	globalArgs:    []string{"--non-interactive"},
	// A trailing "@" gives svn an empty peg revision, so an "@" inside
	// the URL is never read as one.
	pingCmd:        []string{"info", "--", "{scheme}://{repo}@"},
	createCmd:      [][]string{{"checkout", svnNoExternals, "--revision={ref}", "--", "{repo}@", "{dir}"}},
	updateCmd:      [][]string{{"update", svnNoExternals, "--revision={ref}"}},
	checkoutCmd:    []string{"update", svnNoExternals, "--revision={rev}"},
	revisionCmd:    []string{"info", "--show-item", "revision"},
	remoteURLCmd:   []string{"info", "--show-item", "url"},
	uncommittedCmd: []string{"status", "-q"},
	// A Subversion ref is a revision: branches and tags are paths.
	refRule:     lazyre.New(`^([0-9]+|HEAD)$`),
	refHelp:     "a revision number or HEAD (branches and tags are part of the URL)",
	uncommitted: lines,
}

var vcsBzr = &Cmd{
	name:          "bzr",
	bin:           "brz",
	fallbacks:     []string{"bzr"},
	rootNames:     info("bzr").Markers,
	schemes:       info("bzr").Schemes,
	remoteSchemes: info("bzr").RemoteSchemes,
	pingCmd:       []string{"info", "--", "{scheme}://{repo}"},
	createCmd: [][]string{
		{"branch", "--", "{repo}", "{dir}"},
		{"update", "--revision={ref}"},
	},
	// Plain pull refuses diverged branches; the Go command's --overwrite
	// would throw local commits away.
	updateCmd: [][]string{
		{"pull"},
		{"update", "--revision={ref}"},
	},
	checkoutCmd:    []string{"update", "--revision={rev}"},
	revisionCmd:    []string{"version-info", "--custom", "--template={revision_id}"},
	remoteURLCmd:   []string{"info"},
	uncommittedCmd: []string{"status", "--short", "--versioned"},
	refRule:        specRef,
	refHelp:        "a revision spec such as 3, tag:v1 or revid:ID",
	divergedMsg:    "branches have diverged",
	checkCreate:    bzrCheckCreate,
	checkUpdate:    bzrCheckUpdate,
	remoteURL:      bzrParent,
	uncommitted:    lines,
}

var vcsFossil = &Cmd{
	name:          "fossil",
	bin:           "fossil",
	rootNames:     append(info("fossil").Markers, RootName{Name: fossilRepoFile, File: true}),
	schemes:       info("fossil").Schemes,
	remoteSchemes: info("fossil").RemoteSchemes,
	createCmd: [][]string{
		{"clone", "--", "{repo}", "{dir}/" + fossilRepoFile},
		{"open", "--", fossilRepoFile, "{ref}"},
	},
	updateCmd: [][]string{
		{"pull"},
		{"update", "--nosync", "--", "{ref}"},
	},
	checkoutCmd:    []string{"update", "--nosync", "--", "{rev}"},
	revisionCmd:    []string{"info"},
	remoteURLCmd:   []string{"remote"},
	uncommittedCmd: []string{"changes"},
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
		for _, n := range c.rootNames {
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
		if c.name == name {
			return c.clone()
		}
	}
	return nil
}

// clone returns a copy of c that shares no slice with it.
func (c *Cmd) clone() *Cmd {
	d := *c
	d.fallbacks = slices.Clone(c.fallbacks)
	d.rootNames = slices.Clone(c.rootNames)
	d.schemes = slices.Clone(c.schemes)
	d.remoteSchemes = slices.Clone(c.remoteSchemes)
	d.extraEnv = slices.Clone(c.extraEnv)
	d.globalArgs = slices.Clone(c.globalArgs)
	d.pingCmd = slices.Clone(c.pingCmd)
	d.createCmd = cloneSteps(c.createCmd)
	d.updateCmd = cloneSteps(c.updateCmd)
	d.checkoutCmd = slices.Clone(c.checkoutCmd)
	d.revisionCmd = slices.Clone(c.revisionCmd)
	d.remoteURLCmd = slices.Clone(c.remoteURLCmd)
	d.uncommittedCmd = slices.Clone(c.uncommittedCmd)
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
