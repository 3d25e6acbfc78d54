package vcs

// vetFossilSettings checks the settings in a fossil checkout's databases.
func vetFossilSettings(dir, ckout, repo string) error { return nil }
