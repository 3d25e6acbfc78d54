package vcs

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// gitAllowed is every git configuration key fetch accepts in a
// repository's own configuration: what git writes for the clones fetch
// makes (clone, shallow and partial clones, submodules, branches and
// remotes) and settings people keep there that neither name a program, a
// file to load, a URL to rewrite or a helper, nor change where git reads
// or writes. "*" stands for any subsection; a section mapped to true
// accepts every name. Anything else is refused, so that a setting git adds
// next year cannot slip through.
var gitAllowed = map[string]map[string]bool{
	"core": set("repositoryformatversion", "filemode", "bare", "logallrefupdates", "symlinks",
		"ignorecase", "precomposeunicode", "sparsecheckout", "sparsecheckoutcone", "autocrlf",
		"eol", "safecrlf", "quotepath", "abbrev", "checkstat", "trustctime", "untrackedcache",
		"splitindex", "commitgraph", "multipackindex", "compression", "loosecompression"),
	"remote.*": set("url", "pushurl", "fetch", "push", "tagopt", "promisor", "partialclonefilter",
		"prune", "prunetags", "skipdefaultupdate", "skipfetchall", "mirror"),
	"branch.*":    set("remote", "merge", "pushremote", "rebase", "description"),
	"submodule.*": set("url", "active", "update", "branch", "fetchrecursesubmodules", "ignore", "shallow"),
	"submodule":   set("active", "recurse"),
	"extensions":  set("objectformat", "partialclone"),
	"user":        set("name", "email", "useconfigonly"),
	"pull":        set("ff", "rebase"),
	"fetch":       set("prune", "prunetags", "recursesubmodules"),
	"merge":       set("ff"),
	"init":        set("defaultbranch"),
	"index":       set("sparse", "version"),
	"gc":          set("auto"),
	"lfs":         set("repositoryformatversion"),
	"lfs.*":       set("access"),
	"i18n":        set("commitencoding", "logoutputencoding"),
}

// gitAnyName are sections whose every key is inert (colours and advice
// messages), with or without a subsection.
var gitAnyName = set("color", "advice")

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// gitWhy explains, for the message, what a refused key could do.
func gitWhy(s gitSetting) string {
	switch s.Section {
	case "include", "includeif":
		return "would load another configuration file"
	case "url":
		return "rewrites repository URLs, sending git somewhere else"
	case "filter", "credential", "diff", "merge", "gpg", "sequence", "uploadpack", "receive", "difftool", "mergetool", "alias", "pager":
		return "could run a program"
	case "http", "https":
		return "changes how git connects (proxies, certificates, extra headers)"
	case "protocol":
		return "changes which transports git may use"
	}
	switch s.Key() {
	case "core.worktree":
		return "points git at another working tree"
	case "extensions.worktreeconfig":
		return "makes git read another configuration file"
	}
	switch s.Name {
	case "fsmonitor", "hookspath", "sshcommand", "askpass", "gitproxy", "alternaterefscommand",
		"editor", "pager", "uploadpack", "receivepack", "vcs", "helper", "program", "command", "cmd":
		return "could run a program"
	case "excludesfile", "attributesfile", "proxy":
		return "makes git load or connect to something the repository names"
	}
	return "is not on fetch's list of settings known to be harmless"
}

// gitValueOK checks the values of allowed keys that still matter: a
// remote must be a URL fetch accepts or an absolute local path (git writes
// those for local clones), and submodule.<name>.update must not be
// "!command".
func gitValueOK(s gitSetting) bool {
	if !plainValue(s.Value) {
		return false
	}
	switch s.Section + "." + s.Name {
	case "remote.url", "remote.pushurl", "submodule.url":
		if s.Sub == "" {
			return false
		}
		return gitRemoteOK(s.Value)
	case "submodule.update":
		return s.Sub != "" && slices.Contains([]string{"checkout", "rebase", "merge", "none"}, s.Value)
	}
	return true
}

// gitRemoteOK accepts what git writes as a remote for fetch's clones: an
// absolute local path, an scp-style user@host:path, or a URL of a scheme
// git transports itself (never "<transport>::", which runs a helper).
func gitRemoteOK(v string) bool {
	switch {
	case v == "" || strings.HasPrefix(v, "-") || transportRe.MatchString(v):
		return false
	case strings.HasPrefix(v, "/"):
		return true
	case !strings.Contains(v, "://"):
		return scpRe.MatchString(v)
	}
	u, err := url.Parse(v)
	if err != nil || strings.HasPrefix(u.Hostname(), "-") || strings.HasPrefix(u.User.Username(), "-") {
		return false
	}
	return slices.Contains([]string{"https", "http", "ssh", "git", "git+ssh", "ssh+git", "file"}, u.Scheme)
}

// gitDirState is what vetting found in one git directory.
type gitDirState struct {
	dir      string // the git directory
	module   bool   // under another's modules/
	worktree string // core.worktree, resolved, for modules
	hasTree  bool
}

// vetGit checks the checkout at dir before git runs there:
//
//   - .git is a real directory, not a symbolic link or a gitfile;
//   - no git directory (the checkout's, its submodules' under
//     .git/modules, any nested one in the working tree) has commondir,
//     objects/info/alternates, objects/info/http-alternates,
//     config.worktree, a legacy remotes/ or branches/ file, a symbolic
//     link or anything that is not a file or directory;
//   - every key of every config is on the allow-list gitAllowed, with
//     values that cannot run anything;
//   - a submodule's core.worktree leads into the checkout, and every
//     gitfile in the working tree (a submodule's .git) names one of the
//     checkout's own submodule repositories whose core.worktree is that
//     very directory.
func vetGit(dir string) error {
	top, err := metaDir("git", dir, ".git")
	if err != nil {
		return err
	}
	gitdirs, err := vetGitDir(dir, top, false)
	if err != nil {
		return err
	}
	modules := map[string]*gitDirState{}
	for _, g := range gitdirs {
		if g.module {
			modules[g.dir] = g
		}
	}
	// Nested checkouts: a submodule's gitfile, or a repository git may
	// enter as an embedded submodule.
	gitfiles := map[string]string{} // module git directory -> its working tree
	err = walkNested(dir, top, ".git", func(p string, d fs.DirEntry) error {
		switch t := d.Type(); {
		case t.IsDir():
			more, err := vetGitDir(dir, p, false)
			for _, g := range more {
				if g.module {
					modules[g.dir] = g
				}
			}
			return err
		case t.IsRegular():
			target, err := readGitfile(p)
			if err != nil {
				return untrusted("git", dir, p, "", "is a gitfile fetch cannot read")
			}
			if g := modules[target]; g == nil || gitfiles[target] != "" {
				return untrusted("git", dir, p, "", "names a repository that is not one of the checkout's own submodules")
			}
			gitfiles[target] = filepath.Dir(p)
			return nil
		}
		return untrusted("git", dir, p, "", "is neither a directory nor a file, which could make git read or write outside the checkout")
	})
	if err != nil {
		return err
	}
	for _, g := range modules {
		cfg := filepath.Join(g.dir, "config")
		if !g.hasTree {
			continue
		}
		if !within(g.worktree, dir) || g.worktree == dir || within(g.worktree, top) {
			return untrusted("git", dir, cfg, "core.worktree", "points git at a working tree outside the checkout")
		}
		if wt, ok := gitfiles[g.dir]; ok && wt != g.worktree {
			return untrusted("git", dir, cfg, "core.worktree", "points git at another working tree than the submodule's own")
		}
	}
	return nil
}

// readGitfile returns the git directory a gitfile names, absolute and
// cleaned.
func readGitfile(p string) (string, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return "", err
	}
	v, ok := strings.CutPrefix(strings.TrimRight(string(b), "\r\n"), "gitdir: ")
	if !ok || v == "" || !plainValue(v) {
		return "", errors.New("not a gitfile")
	}
	if !filepath.IsAbs(v) {
		v = filepath.Join(filepath.Dir(p), v)
	}
	return filepath.Clean(v), nil
}

// gitRootRefusals are files in a git directory that make git read
// objects, references or configuration from elsewhere.
var gitRootRefusals = map[string]string{
	"commondir":                    "makes git use the repository it names (a linked worktree's), which fetch never makes",
	"objects/info/alternates":      "makes git read objects from, and run programs of, the repositories it names",
	"objects/info/http-alternates": "makes git fetch objects from the places it names",
	"config.worktree":              "is a second configuration file, which fetch never makes",
}

// vetGitDir checks the git directory g of the checkout at dir and the
// submodule repositories under its modules/ directory, and returns them
// all.
func vetGitDir(dir, g string, module bool) ([]*gitDirState, error) {
	err := walkMeta("git", dir, g, nil, func(rel string, d fs.DirEntry) error {
		first, rest, _ := strings.Cut(rel, "/")
		if (first == "remotes" || first == "branches") && rest != "" && !d.IsDir() {
			return untrusted("git", dir, filepath.Join(g, filepath.FromSlash(rel)), "", "defines a remote the old way, which fetch never does")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return vetGitRepo(dir, g, module)
}

// vetGitRepo checks one git directory and, recursively, its modules;
// vetGitDir has walked all of them already.
func vetGitRepo(dir, g string, module bool) ([]*gitDirState, error) {
	st := &gitDirState{dir: g, module: module}
	cfg := filepath.Join(g, "config")
	data, err := os.ReadFile(cfg)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("git checkout %s: %w", dir, err)
	}
	settings, err := parseGitConfig(data)
	if err != nil {
		return nil, untrusted("git", dir, cfg, "", fmt.Sprintf("cannot be read by fetch (%v)", err))
	}
	for _, s := range settings {
		if module && s.Section == "core" && s.Name == "worktree" {
			if st.hasTree || s.NoValue || s.Value == "" || !plainValue(s.Value) {
				return nil, untrusted("git", dir, cfg, s.Key(), gitWhy(s))
			}
			st.hasTree = true
			st.worktree = s.Value
			if !filepath.IsAbs(st.worktree) {
				st.worktree = filepath.Join(g, st.worktree)
			}
			st.worktree = filepath.Clean(st.worktree)
			continue
		}
		if !gitKeyAllowed(s) {
			return nil, untrusted("git", dir, cfg, s.Key(), gitWhy(s))
		}
		if !gitValueOK(s) {
			why := fmt.Sprintf("has a value fetch does not accept there (%q)", s.Value)
			if transportRe.MatchString(s.Value) {
				why = fmt.Sprintf("uses the <transport>::<address> form (%q), which runs a helper program", s.Value)
			}
			return nil, untrusted("git", dir, cfg, s.Key(), why)
		}
	}
	if err := refuseFiles("git", dir, g, gitRootRefusals); err != nil {
		return nil, err
	}
	all := []*gitDirState{st}
	// Submodule repositories: directories under modules/ that hold a HEAD
	// and objects. Names may contain slashes, so look at every level.
	mods := filepath.Join(g, "modules")
	if _, err := os.Lstat(mods); err != nil {
		return all, nil
	}
	err = filepath.WalkDir(mods, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("git checkout %s: %w", dir, err)
		}
		if !d.IsDir() || p == mods {
			return nil
		}
		if !isGitDir(p) {
			return nil
		}
		sub, err := vetGitRepo(dir, p, true)
		all = append(all, sub...)
		if err != nil {
			return err
		}
		return fs.SkipDir
	})
	return all, err
}

// isGitDir reports whether p looks like a git directory.
func isGitDir(p string) bool {
	head, err := os.Lstat(filepath.Join(p, "HEAD"))
	if err != nil || !head.Mode().IsRegular() {
		return false
	}
	objects, err := os.Lstat(filepath.Join(p, "objects"))
	return err == nil && objects.IsDir()
}

// gitKeyAllowed reports whether s is on the allow-list.
func gitKeyAllowed(s gitSetting) bool {
	if gitAnyName[s.Section] {
		return true
	}
	section := s.Section
	if s.Sub != "" {
		section += ".*"
	}
	return gitAllowed[section][s.Name]
}

// gitCeiling adds the parent of dir, where git is run, to
// GIT_CEILING_DIRECTORIES (after any the user set), so that git never
// looks for a repository above the directory fetch pointed it at: a
// directory that is not a checkout fails instead of becoming part of an
// enclosing one.
func gitCeiling(env []string, dir string) []string {
	if dir == "" || !filepath.IsAbs(dir) {
		return env
	}
	parent := filepath.Dir(dir)
	if parent == dir {
		return env
	}
	if v, _ := getEnv(env, "GIT_CEILING_DIRECTORIES"); v != "" {
		parent = v + string(filepath.ListSeparator) + parent
	}
	return setEnv(env, "GIT_CEILING_DIRECTORIES", parent)
}
