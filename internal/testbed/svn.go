package testbed

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/rogpeppe/go-internal/testscript"
)

// SvnServer is the real svnserve answering svn:// on a loopback port. Each
// connection gets its own "svnserve --inetd" process, so no port has to be
// guessed beforehand and no daemon can outlive Close. Every connection is
// logged in the bed's request log as "SVN svn://ADDR/REPO" (the URL the
// client opened), so a test can tell whether svn went to the network.
type SvnServer struct {
	// Addr is the listener's address, 127.0.0.1:PORT.
	Addr string
	// Root is the directory svnserve serves (its --root): repository NAME
	// is Root/NAME and is served at Base()/NAME.
	Root string

	bed  *Bed
	ln   net.Listener
	log  *os.File // svnserve's log and stderr
	wg   sync.WaitGroup
	mu   sync.Mutex
	done bool
	live map[*exec.Cmd]net.Conn
	// repos are the repositories AddRepo made.
	repos repoSet[*SvnRepo]
}

// StartSvn starts an svn server for the bed's repositories under
// Dir/svn. Only one may run per bed at a time (they share the directory).
// The caller must Close it; Bed.Close does not.
func (b *Bed) StartSvn() (*SvnServer, error) {
	if _, err := exec.LookPath("svnserve"); err != nil {
		return nil, fmt.Errorf("testbed: svnserve not installed (Debian package subversion): %w", err)
	}
	s := &SvnServer{
		Root: filepath.Join(b.Dir, "svn"),
		bed:  b,
		live: make(map[*exec.Cmd]net.Conn),
	}
	if err := os.MkdirAll(s.Root, 0o777); err != nil {
		return nil, fmt.Errorf("testbed: starting svn server: %w", err)
	}
	log, err := os.OpenFile(filepath.Join(b.internal, "svnserve.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o666)
	if err != nil {
		return nil, fmt.Errorf("testbed: opening svnserve log: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Close()
		return nil, fmt.Errorf("testbed: starting svn server: %w", err)
	}
	s.ln, s.log, s.Addr = ln, log, ln.Addr().String()
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// Base is the server's base URL, svn://127.0.0.1:PORT.
func (s *SvnServer) Base() string { return "svn://" + s.Addr }

func (s *SvnServer) accept() {
	defer s.wg.Done()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return // closed
		}
		if err := s.serve(conn); err != nil {
			fmt.Fprintf(s.log, "testbed: %v\n", err)
			conn.Close()
		}
	}
}

// serve hands conn to a new svnserve process.
func (s *SvnServer) serve(conn net.Conn) error {
	cmd := exec.Command("svnserve", "--inetd", "--root", s.Root, "--log-file", s.log.Name())
	cmd.Dir = s.Root
	cmd.Env = s.bed.homeEnv()
	cmd.Stdout, cmd.Stderr = conn, s.log
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return fmt.Errorf("starting svnserve: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return errors.New("svn server closed")
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting svnserve: %w", err)
	}
	s.live[cmd] = conn
	s.wg.Add(2)
	go func() {
		// Copying by hand, rather than giving svnserve the connection as
		// its stdin, lets the bed read the URL the client asks for.
		defer s.wg.Done()
		io.Copy(stdin, &svnSniffer{r: conn, record: s.bed.record, addr: s.Addr})
		stdin.Close()
	}()
	go func() {
		defer s.wg.Done()
		cmd.Wait()
		conn.Close() // ends the copy above
		s.mu.Lock()
		delete(s.live, cmd)
		s.mu.Unlock()
	}()
	return nil
}

// Close stops accepting connections, ends the ones open and waits for their
// svnserve processes to exit. It is safe to call more than once.
func (s *SvnServer) Close() error {
	s.mu.Lock()
	first := !s.done
	s.done = true
	for cmd, conn := range s.live {
		conn.Close()
		cmd.Process.Kill()
	}
	s.mu.Unlock()
	if !first {
		return nil
	}
	err := s.ln.Close()
	s.wg.Wait()
	return errors.Join(err, s.log.Close())
}

// svnURL finds the repository URL in a client's first message, which
// carries it as a length-prefixed string: "( 2 ( ... ) 28:svn://host/repo ...".
var svnURL = regexp.MustCompile(`[0-9]+:(svn://[^ ]+) `)

// svnSniffer passes a client's bytes through and logs the repository URL
// it names; a connection that never names one is logged by address.
type svnSniffer struct {
	r      io.Reader
	record func(string)
	addr   string
	head   []byte
	logged bool
}

// svnHeadMax bounds how much of a connection is searched for its URL.
const svnHeadMax = 4096

func (s *svnSniffer) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if !s.logged {
		s.head = append(s.head, p[:n]...)
		if m := svnURL.FindSubmatch(s.head); m != nil {
			s.logged = true
			s.record("SVN " + string(m[1]))
		} else if err != nil || len(s.head) > svnHeadMax {
			s.logged = true
			s.record("SVN svn://" + s.addr)
		}
	}
	return n, err
}

// SvnRepo is a Subversion repository served by an SvnServer. Its commits
// are revisions 1, 2, ...: the same calls give the same numbers.
type SvnRepo struct {
	// Name is the repository's name.
	Name string
	// Dir is the repository on disk, Root/Name.
	Dir string
	// URL is Base()/Name.
	URL string

	srv *SvnServer
	wc  string // a working copy the bed commits from
	mu  sync.Mutex
}

// AddRepo creates repository name whose first revision holds exactly files.
func (s *SvnServer) AddRepo(name string, files map[string]string) (*SvnRepo, error) {
	if err := checkRepoName(name); err != nil {
		return nil, err
	}
	r := &SvnRepo{
		Name: name,
		Dir:  filepath.Join(s.Root, filepath.FromSlash(name)),
		URL:  s.Base() + "/" + name,
		srv:  s,
		wc:   filepath.Join(s.bed.internal, "svn-wc", filepath.FromSlash(name)),
	}
	err := s.repos.add("svn", name, r, func() error {
		err := r.create(files)
		if err != nil {
			os.RemoveAll(r.Dir) // a half-made repository must not be served
			os.RemoveAll(r.wc)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Repo returns the repository AddRepo made under name, or nil.
func (s *SvnServer) Repo(name string) *SvnRepo { return s.repos.get(name) }

func (r *SvnRepo) create(files map[string]string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, err := os.Stat(r.Dir); err == nil {
		return fmt.Errorf("testbed: svn repository %s already exists in %s", r.Name, r.Dir)
	}
	if err := os.MkdirAll(filepath.Dir(r.Dir), 0o777); err != nil {
		return fmt.Errorf("testbed: svn repository %s: %w", r.Name, err)
	}
	if _, err := r.srv.bed.runTool("", "svnadmin", "create", "--", r.Dir); err != nil {
		return err
	}
	if _, err := r.svn("", "checkout", "--quiet", "--", "file://"+r.Dir, r.wc); err != nil {
		return err
	}
	_, err := r.commit(files, "initial commit")
	return err
}

// Commit makes a revision whose tree is exactly files and returns its
// number.
func (r *SvnRepo) Commit(files map[string]string, msg string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.commit(files, msg)
}

func (r *SvnRepo) commit(files map[string]string, msg string) (string, error) {
	if err := replaceFiles(r.wc, files, ".svn"); err != nil {
		return "", fmt.Errorf("testbed: commit to %s: %w", r.Name, err)
	}
	if _, err := r.svn(r.wc, "add", "--quiet", "--force", "--", "."); err != nil {
		return "", err
	}
	status, err := r.svn(r.wc, "status")
	if err != nil {
		return "", err
	}
	// "!" marks a versioned file that is gone: tell svn it was deleted.
	for _, l := range strings.Split(status, "\n") {
		if path, ok := strings.CutPrefix(l, "!"); ok {
			if _, err := r.svn(r.wc, "delete", "--quiet", "--", strings.TrimSpace(path)); err != nil {
				return "", err
			}
		}
	}
	if _, err := r.svn(r.wc, "commit", "--quiet", "--username=Testbed", "--message="+msg); err != nil {
		return "", err
	}
	if _, err := r.svn(r.wc, "update", "--quiet"); err != nil {
		return "", err
	}
	return r.rev()
}

// Rev returns the newest revision number.
func (r *SvnRepo) Rev() (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.rev()
}

func (r *SvnRepo) rev() (string, error) {
	return r.srv.bed.runTool("", "svnlook", "youngest", "--", r.Dir)
}

// svn runs svn with a configuration of the bed's own, never the user's.
func (r *SvnRepo) svn(dir string, args ...string) (string, error) {
	global := []string{"--non-interactive", "--config-dir=" + filepath.Join(r.srv.bed.internal, "svn-config")}
	return r.srv.bed.runTool(dir, "svn", append(global, args...)...)
}

// homeEnv is an environment with a home of the bed's and nothing of the
// user's.
func (b *Bed) homeEnv() []string {
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + filepath.Join(b.internal, "home"),
		"LC_ALL=C",
	}
}

// runTool runs an svn, brz or fossil command of the bed's own in dir (or
// the bed's directory) with the bed's environment and returns its trimmed
// stdout.
func (b *Bed) runTool(dir, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if dir == "" {
		cmd.Dir = b.Dir
	}
	cmd.Env = b.toolEnv()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("testbed: %s %s: %w: %s", name, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()+" "+stdout.String()))
	}
	return strings.TrimSpace(stdout.String()), nil
}

// toolEnv is the environment of the bed's own svn, brz and fossil
// commands: a home of the bed's, and the identity its commits carry.
func (b *Bed) toolEnv() []string {
	return append(b.homeEnv(),
		"USER=testbed",
		"BRZ_HOME="+b.bzrHome(),
		"BRZ_EMAIL="+authorName+" <"+authorEmail+">",
	)
}

// replaceFiles makes dir hold exactly files besides the VCS's own entry
// meta, which it leaves alone and which no file may name.
func replaceFiles(dir string, files map[string]string, meta string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Name() != meta {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	return writeFiles(dir, files, meta)
}

// scriptServers are the servers that repository commands started for a
// script's bed, kept until the script ends so later commands find them.
var scriptServers = struct {
	sync.Mutex
	svn    map[*Bed]*SvnServer
	fossil map[*Bed]*FossilServer
	bzr    map[*Bed]map[string]*BzrRepo
}{
	svn:    make(map[*Bed]*SvnServer),
	fossil: make(map[*Bed]*FossilServer),
	bzr:    make(map[*Bed]map[string]*BzrRepo),
}

// scriptServer returns the server of a kind that m holds for b, starting it
// on first use and stopping it when the script ends.
func scriptServer[S interface{ Close() error }](ts *testscript.TestScript, b *Bed, m map[*Bed]S, start func() (S, error)) S {
	scriptServers.Lock()
	defer scriptServers.Unlock()
	if s, ok := m[b]; ok {
		return s
	}
	s, err := start()
	ts.Check(err)
	m[b] = s
	ts.Defer(func() {
		scriptServers.Lock()
		delete(m, b)
		scriptServers.Unlock()
		if err := s.Close(); err != nil {
			ts.Logf("%v", err)
		}
	})
	return s
}

func cmdSvnRepo(ts *testscript.TestScript, neg bool, args []string) {
	b, name, files, kv := repoArgs(ts, neg, "svnrepo", args, "env")
	s := scriptServer(ts, b, scriptServers.svn, b.StartSvn)
	ts.Setenv("TESTBED_SVN", s.Base())
	r, err := s.AddRepo(name, files)
	ts.Check(err)
	rev, err := r.Rev()
	ts.Check(err)
	storeHash(ts, "svnrepo", name, rev, kv["env"])
}

func cmdSvnCommit(ts *testscript.TestScript, neg bool, args []string) {
	b, name, files, kv := repoArgs(ts, neg, "svncommit", args, "msg", "env")
	scriptServers.Lock()
	s := scriptServers.svn[b]
	scriptServers.Unlock()
	var r *SvnRepo
	if s != nil {
		r = s.Repo(name)
	}
	if r == nil {
		ts.Fatalf("svncommit: no svn repository %s (create it with svnrepo)", name)
	}
	rev, err := r.Commit(files, last(kv["msg"], "commit"))
	ts.Check(err)
	storeHash(ts, "svncommit", name, rev, kv["env"])
}
