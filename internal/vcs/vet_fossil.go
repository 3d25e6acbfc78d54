package vcs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// fossilRefused are fossil settings that name a program, a script, a
// proxy or a file to load, or turn on scripting: fossil keeps settings in
// the repository database, next to dozens of entries it writes itself
// (sync state, per-checkout and per-URL records, server state), so this
// one list is of what is refused rather than of what is accepted. The
// prefixes cover families (hook state, email sending).
var fossilRefused = set("ssh-command", "proxy", "th1-setup", "th1-hooks", "tcl", "tcl-setup", "tclsh",
	"hooks", "pgp-command", "editor", "diff-command", "gdiff-command", "merge-command", "gmerge-command",
	"web-browser", "ssl-ca-location", "ssl-identity", "email-send-command", "email-send-method",
	"email-send-dir", "email-send-db", "clean-glob", "allow-symlinks", "manifest", "empty-dirs")

var fossilRefusedPrefixes = []string{"hook-", "email-", "th1-", "tcl"}

// vetFossilSettings reads the checkout database and the repository
// database with fetch's own SQLite reader (no SQL runs, so a planted view
// or trigger cannot either): the checkout must name the repository fetch
// keeps beside it, and no setting of either database may be one that
// runs a program, loads a script or file, or sends fossil through a
// proxy. A hot journal, which fossil would roll back into the database
// after this check, is refused. Versioned settings (.fossil-settings/ in
// the working tree) are only globs and flags: none names a program, and
// the ones that write outside what the repository holds (manifest,
// empty-dirs, allow-symlinks) are refused there too.
func vetFossilSettings(dir, ckout, repo string) error {
	for _, db := range []string{ckout, repo} {
		for _, suffix := range []string{"-journal", "-wal"} {
			if _, err := os.Lstat(db + suffix); err == nil {
				return untrusted("fossil", dir, db+suffix, "", "is a journal that fossil would apply to the database after fetch checked it")
			}
		}
	}
	ck, err := fossilTable(dir, ckout, "vvar")
	if err != nil {
		return err
	}
	for _, r := range ck {
		if r[0] == "repository" {
			v := r[1]
			if !filepath.IsAbs(v) {
				v = filepath.Join(dir, v)
			}
			if filepath.Clean(v) != repo {
				return untrusted("fossil", dir, ckout, "repository", "names a repository other than the one beside it ("+r[1]+")")
			}
		}
		if err := fossilSetting(dir, ckout, r[0]); err != nil {
			return err
		}
	}
	cfg, err := fossilTable(dir, repo, "config")
	if err != nil {
		return err
	}
	for _, r := range cfg {
		if err := fossilSetting(dir, repo, r[0]); err != nil {
			return err
		}
	}
	settings := filepath.Join(dir, ".fossil-settings")
	entries, err := os.ReadDir(settings)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("fossil checkout %s: %w", dir, err)
	}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".no-warn")
		if err := fossilSetting(dir, filepath.Join(settings, e.Name()), name); err != nil {
			return err
		}
	}
	return nil
}

// fossilSetting refuses a setting on the list.
func fossilSetting(dir, file, name string) error {
	refused := fossilRefused[name]
	for _, p := range fossilRefusedPrefixes {
		refused = refused || strings.HasPrefix(name, p)
	}
	if refused {
		return untrusted("fossil", dir, file, name, "could run a program, load a script or file, or make fossil write or connect elsewhere")
	}
	return nil
}

// fossilTable returns the name and value columns of a table.
func fossilTable(dir, file, table string) ([][2]string, error) {
	db, err := openSQLite(file)
	if err != nil {
		return nil, untrusted("fossil", dir, file, "", fmt.Sprintf("cannot be read by fetch (%v)", err))
	}
	rows, err := db.table(table)
	if err != nil {
		return nil, untrusted("fossil", dir, file, "", fmt.Sprintf("cannot be read by fetch (%v)", err))
	}
	var out [][2]string
	for _, r := range rows {
		var nv [2]string
		for i := 0; i < 2 && i < len(r); i++ {
			switch v := r[i].(type) {
			case string:
				nv[i] = v
			case int64:
				nv[i] = fmt.Sprint(v)
			}
		}
		out = append(out, nv)
	}
	return out, nil
}
