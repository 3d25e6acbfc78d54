package vcs

import (
	"net/url"
	"strings"
)

// A password typed in a remote (https://user:pw@host/repo) is the user's
// way of logging in, not part of the repository's name. Left in the URL,
// git would keep it in the checkout's .git/config (mode 0644, for as long
// as the checkout lives), and every later command would show it to
// anyone who can read the tree. So fetch never hands git a URL with a
// password:
//
//   - Create clones the remote without the password (the user name stays,
//     so git asks for that user's login, and the user's own credential
//     helpers do not answer for another user);
//   - every git command whose Runner has a Login (Create sets it from the
//     remote it was given; callers set it for Update from the URL the user
//     typed again) gets the password from a credential helper of fetch's
//     own, configured for that scheme and host only, which prints it from
//     the environment of that one command (never the command line, which
//     -x shows and other users can read in ps). For that host the user's
//     helpers are set aside, as git sets them aside when the URL carries
//     a password: the typed password is what the user meant. A redirect
//     or submodule to another host never gets it.
//
// hg removes the password itself when it writes [paths] default into the
// new checkout's .hg/hgrc (hg clone, since Mercurial 1.x), and hg pull is
// given the remote explicitly, so hg needs nothing here. brz keeps the
// URL it branched from (see bzrLogin); svn keeps passwords only in the
// user's own ~/.subversion auth cache, under the user's own settings.

// urlLogin is a user name and password split out of a remote.
type urlLogin struct {
	scheme, host string // where the login is for
	user, pass   string
}

// splitLogin returns remote without its password, and the login it held.
// A remote without a password (or not an http(s) URL, where git would not
// use one) is returned unchanged with a nil login.
func splitLogin(remote string) (string, *urlLogin) {
	u, err := url.Parse(remote)
	if err != nil || u.User == nil || (u.Scheme != "https" && u.Scheme != "http") {
		return remote, nil
	}
	pass, ok := u.User.Password()
	if !ok {
		return remote, nil
	}
	l := &urlLogin{scheme: u.Scheme, host: strings.ToLower(u.Host), user: u.User.Username(), pass: pass}
	u.User = url.User(l.user)
	return u.String(), l
}

// withLogin returns a copy of r whose commands log in with the password in
// remote, or r itself when remote has none.
func (r *Runner) withLogin(remote string) *Runner {
	if _, l := splitLogin(remote); l == nil {
		return r
	}
	var c Runner
	if r != nil {
		c = *r
	}
	c.Login = remote
	return &c
}

// Environment variables that carry a typed login to fetch's credential
// helper, in the environment of one git command only.
const (
	loginUserEnv = "FETCH_GIT_URL_USERNAME"
	loginPassEnv = "FETCH_GIT_URL_PASSWORD"
)

// loginHelper is the credential helper that answers with the typed login.
// git runs it through the shell with "get", "store" or "erase"; only get
// prints anything.
const loginHelper = `!f() { test "$1" = get && printf 'username=%s\npassword=%s\n' "$` + loginUserEnv + `" "$` + loginPassEnv + `"; }; f`

// gitLoginConfig adds to env and cfg the credential helper for r.Login,
// if it has a password: an empty credential.<url>.helper first, which
// clears the helpers configured before it for that host, then fetch's
// own.
func gitLoginConfig(r *Runner, env, cfg []string) ([]string, []string) {
	env = unsetEnv(unsetEnv(env, loginUserEnv), loginPassEnv)
	if r == nil || r.Login == "" {
		return env, cfg
	}
	_, l := splitLogin(r.Login)
	if l == nil {
		return env, cfg
	}
	key := "credential." + l.scheme + "://" + l.host + ".helper"
	cfg = append(cfg, key+"=", key+"="+loginHelper)
	env = setEnv(env, loginUserEnv, l.user)
	env = setEnv(env, loginPassEnv, l.pass)
	return env, cfg
}
