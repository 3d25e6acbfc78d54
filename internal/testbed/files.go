package testbed

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// writeFiles creates dir holding exactly files. Names are slash-separated
// relative paths; none may step outside dir or into the VCS's own
// directory (meta, ".git" or ".hg").
func writeFiles(dir string, files map[string]string, meta string) error {
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return err
	}
	for name, content := range files {
		if !filepath.IsLocal(filepath.FromSlash(name)) || strings.HasSuffix(name, "/") {
			return fmt.Errorf("file name %q must be a relative slash-separated path inside the repository", name)
		}
		for _, elem := range strings.Split(path.Clean(name), "/") {
			if strings.EqualFold(elem, meta) {
				return fmt.Errorf("file name %q must not contain %s", name, meta)
			}
		}
		dst := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o777); err != nil {
			return fmt.Errorf("file %q: %w", name, err)
		}
		if err := os.WriteFile(dst, []byte(content), 0o666); err != nil {
			return fmt.Errorf("file %q: %w", name, err)
		}
	}
	return nil
}

// readTree returns the regular files under dir, keyed by slash path.
func readTree(dir string) (map[string]string, error) {
	files := make(map[string]string)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reading files under %s: %w", dir, err)
	}
	return files, nil
}
