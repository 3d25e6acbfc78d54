//go:build !linux

package tree

func bootID() string { return "" }

func startTime(int) string { return "" }

// renameNoReplaceAt renames d/oldname to d/newname by path: without
// renameat2 it checks first, which is enough because the caller holds the
// destination's lock.
func renameNoReplaceAt(d *dirHandle, oldname, newname string) error {
	return renameChecked(d.join(oldname), d.join(newname))
}
