//go:build !linux

package tree

func bootID() string { return "" }

func startTime(int) string { return "" }

func renameNoReplace(oldpath, newpath string) error {
	return renameChecked(oldpath, newpath)
}
