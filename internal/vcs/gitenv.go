package vcs

import (
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// gitRepoEnv are variables that point git at a particular repository. A
// user who runs fetch from a git hook has them set, and they would turn
// every clone into an operation on that repository.
var gitRepoEnv = []string{
	"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
	"GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_NAMESPACE", "GIT_PREFIX",
}

// gitEnv makes git non-interactive and applies fetch's transport policy
// and its defense against a planted repository configuration.
//
// Non-interactive: GIT_TERMINAL_PROMPT=0 and GCM_INTERACTIVE=never always;
// GIT_ASKPASS is set empty unless the user set one, so git neither prompts
// nor runs an askpass program named by a repository's core.askPass.
// GIT_SSH_COMMAND is the user's ssh command plus -o BatchMode=yes (see
// gitSSHCommand).
//
// Transports: git's protocol.<name>.allow settings are given as
// command-scope configuration (GIT_CONFIG_COUNT, git 2.31+, appended after
// any the user set): ext is never allowed; file is allowed only for what
// the user asked for directly, not for submodules (git's own default since
// CVE-2022-39253, which a user's global "always" would undo); http and git
// are refused unless r.Insecure, except for a plaintext remote the user
// typed (r.PlainRemote, see gitPlainPolicy). GIT_ALLOW_PROTOCOL is not used for this,
// because listing file there would allow it for submodules too. A user's
// own GIT_ALLOW_PROTOCOL takes precedence over all protocol.* settings in
// git, so it is kept (it also defines the secure schemes, as in the Go
// command), with ext removed from it.
//
// Logins: r.CredentialHelper is added as one more credential.helper in
// command scope, which git consults after the system, global and
// repository ones, so the user's own helpers keep working and answer
// first. It goes through GIT_CONFIG_COUNT rather than "-c" so that it is
// not part of the command line shown by -x.
//
// Planted configuration: a checkout in the tree may not have been made by
// fetch (an archive source can unpack a .git directory anywhere), and
// "fetch -u" runs git in it. Command-scope settings beat the repository's
// .git/config, so fetch sets core.fsmonitor=false (git status and checkout
// would run it) and core.hooksPath=/dev/null (fetch's checkouts and merges
// run no hooks; the user's own git commands still do). GIT_SSH_COMMAND in
// the environment beats any core.sshCommand, GIT_ASKPASS any core.askPass,
// and the fetch of an update passes --upload-pack, which beats
// remote.origin.uploadpack (run through the shell for a local remote).
// Submodules inherit all of this except --upload-pack, which matters only
// for local remotes, and those are refused for submodules.
//
// These overrides are defence in depth: before git runs in an existing
// checkout, vetGit has read its configuration and accepted only keys on an
// allow-list of inert ones, so a planted credential.helper, filter driver,
// include.path, core.gitProxy or url.*.insteadOf is refused, not run.
// runner.go adds GIT_CEILING_DIRECTORIES (gitCeiling) to every git
// command, so git never looks above the directory it is pointed at.
func gitEnv(r *Runner, env []string) []string {
	for _, k := range gitRepoEnv {
		env = unsetEnv(env, k)
	}
	env = setEnv(env, "GIT_TERMINAL_PROMPT", "0")
	env = setEnv(env, "GCM_INTERACTIVE", "never")
	if v, _ := getEnv(env, "GIT_ASKPASS"); v == "" {
		env = setEnv(env, "GIT_ASKPASS", "")
	}
	env = setEnv(env, "GIT_SSH_COMMAND", gitSSHCommand(r, env))
	if allow, ok := getEnv(env, "GIT_ALLOW_PROTOCOL"); ok {
		env = setEnv(env, "GIT_ALLOW_PROTOCOL", withoutExt(allow))
	}
	cfg := []string{"protocol.ext.allow=never", "protocol.file.allow=user"}
	cfg = append(cfg, gitPlainPolicy(r)...)
	cfg = append(cfg, "core.fsmonitor=false", "core.hooksPath=/dev/null")
	if r.CredentialHelper != "" {
		cfg = append(cfg, "credential.helper="+r.CredentialHelper)
	}
	env, cfg = gitLoginConfig(r, env, cfg)
	return addGitConfig(env, cfg)
}

// withoutExt removes ext from a GIT_ALLOW_PROTOCOL list.
func withoutExt(allow string) string {
	var keep []string
	for p := range strings.SplitSeq(allow, ":") {
		if p != "ext" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, ":")
}

// addGitConfig appends key=value settings to the GIT_CONFIG_COUNT list in
// env, after the user's, so that fetch's win.
func addGitConfig(env []string, kvs []string) []string {
	n := 0
	if v, ok := getEnv(env, "GIT_CONFIG_COUNT"); ok {
		if i, err := strconv.Atoi(v); err == nil && i > 0 {
			n = i
		}
	}
	for _, kv := range kvs {
		k, v, _ := strings.Cut(kv, "=")
		env = setEnv(env, "GIT_CONFIG_KEY_"+strconv.Itoa(n), k)
		env = setEnv(env, "GIT_CONFIG_VALUE_"+strconv.Itoa(n), v)
		n++
	}
	return setEnv(env, "GIT_CONFIG_COUNT", strconv.Itoa(n))
}

// gitSSHCommand is the ssh command git runs: the user's GIT_SSH_COMMAND,
// else their GIT_SSH, else the core.sshCommand of their own (global or
// system) configuration, never a repository's, else "ssh -o
// ControlMaster=no" (a shared master would outlive the command and keep
// its pipes open). OpenSSH gets -o BatchMode=yes appended, so it fails
// instead of asking for a password or a host key confirmation; PuTTY's
// plink, which does not take -o, is left as it is. r.SSHKeyFile adds
// "-i FILE -o IdentitiesOnly=yes".
func gitSSHCommand(r *Runner, env []string) string {
	ssh, _ := getEnv(env, "GIT_SSH_COMMAND")
	if ssh == "" {
		if prog, _ := getEnv(env, "GIT_SSH"); prog != "" {
			ssh = shellQuote(prog)
		} else if ssh = userSSHCommand(env); ssh == "" {
			ssh = "ssh -o ControlMaster=no"
		}
	}
	openSSH := isOpenSSH(ssh, env)
	if openSSH {
		ssh += " -o BatchMode=yes"
	}
	if r.SSHKeyFile != "" {
		ssh += " -i " + shellQuote(r.SSHKeyFile)
		if openSSH {
			ssh += " -o IdentitiesOnly=yes"
		}
	}
	return ssh
}

// isOpenSSH guesses, as git does, whether ssh is OpenSSH rather than PuTTY.
func isOpenSSH(ssh string, env []string) bool {
	if v, _ := getEnv(env, "GIT_SSH_VARIANT"); v != "" && v != "auto" {
		return v == "ssh"
	}
	f := strings.Fields(ssh)
	if len(f) == 0 {
		return false
	}
	prog := strings.ToLower(strings.TrimSuffix(filepath.Base(strings.Trim(f[0], `'"`)), ".exe"))
	return prog != "plink" && prog != "tortoiseplink" && prog != "putty"
}

// shellQuote quotes s for sh, which is how git runs GIT_SSH_COMMAND.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// userSSHCache remembers core.sshCommand per configuration environment, so
// the lookup runs once, not before every git command.
var userSSHCache sync.Map

// userSSHCommand returns core.sshCommand from the user's system, global
// and command-scope configuration. GIT_DIR points nowhere so that no
// repository's configuration is read.
func userSSHCommand(env []string) string {
	var key strings.Builder
	for _, kv := range env {
		if k, _, _ := strings.Cut(kv, "="); k == "HOME" || k == "XDG_CONFIG_HOME" || k == "PATH" || strings.HasPrefix(k, "GIT_CONFIG") {
			key.WriteString(kv + "\x00")
		}
	}
	if v, ok := userSSHCache.Load(key.String()); ok {
		return v.(string)
	}
	cmd := exec.Command("git", "config", "--get", "core.sshCommand")
	cmd.Env = setEnv(env, "GIT_DIR", "/nonexistent/fetch-no-repository")
	cmd.Dir = "/"
	out, _ := cmd.Output() // unset (exit 1) and errors both mean: none
	v := strings.TrimSpace(string(out))
	userSSHCache.Store(key.String(), v)
	return v
}
