package vcs

import (
	"strconv"
	"strings"
)

// GitPhase is the part of a clone or fetch one of git's progress lines is
// about.
type GitPhase int

// The phases ParseGitProgress tells apart.
const (
	// GitRemote is the server preparing the pack ("remote: Counting
	// objects", "Compressing objects", "Enumerating objects").
	GitRemote GitPhase = iota + 1
	// GitReceiving is the pack arriving ("Receiving objects").
	GitReceiving
	// GitDeltas is the pack being indexed ("Resolving deltas").
	GitDeltas
	// GitCheckout is the work tree being written ("Updating files",
	// "Checking out files").
	GitCheckout
)

// GitProgress is what one of git's --progress lines says, without its
// wording (which may name temporary paths) or its rate.
type GitProgress struct {
	Phase GitPhase
	// Percent is how far the phase has come, 0 to 100, or -1 when the
	// line does not say.
	Percent int
	// Bytes is how much of the pack has arrived (GitReceiving), 0 when
	// the line does not say.
	Bytes int64
}

// gitPhases maps the start of a progress line to its phase.
var gitPhases = []struct {
	prefix string
	phase  GitPhase
}{
	{"remote:", GitRemote},
	{"Enumerating objects:", GitRemote},
	{"Counting objects:", GitRemote},
	{"Compressing objects:", GitRemote},
	{"Receiving objects:", GitReceiving},
	{"Resolving deltas:", GitDeltas},
	{"Updating files:", GitCheckout},
	{"Checking out files:", GitCheckout},
}

// ParseGitProgress reads one of git's progress lines, such as
// "Receiving objects:  45% (450/1000), 1.20 MiB | 500.00 KiB/s". It
// reports false for every other line ("Cloning into '...'", warnings),
// which a display must not show as they are.
func ParseGitProgress(line string) (GitProgress, bool) {
	line = strings.TrimSpace(line)
	for _, p := range gitPhases {
		rest, ok := strings.CutPrefix(line, p.prefix)
		if !ok {
			continue
		}
		g := GitProgress{Phase: p.phase, Percent: -1}
		rest = strings.TrimSpace(rest)
		if pct, after, ok := strings.Cut(rest, "%"); ok {
			if n, err := strconv.Atoi(strings.TrimSpace(pct)); err == nil && n >= 0 && n <= 100 {
				g.Percent = n
			}
			rest = after
		}
		if p.phase == GitReceiving {
			// "(450/1000), 1.20 MiB | 500.00 KiB/s" or ", done."
			if _, after, ok := strings.Cut(rest, "), "); ok {
				size, _, _ := strings.Cut(after, "|")
				g.Bytes = parseGitSize(strings.TrimSpace(size))
			}
		}
		return g, true
	}
	return GitProgress{}, false
}

// parseGitSize reads a size as git prints it: "912 bytes", "1.20 KiB",
// "3.50 MiB", "1.01 GiB". It returns 0 for anything else.
func parseGitSize(s string) int64 {
	num, unit, ok := strings.Cut(s, " ")
	if !ok {
		return 0
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || f < 0 {
		return 0
	}
	mult := map[string]float64{"bytes": 1, "byte": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40}[strings.TrimRight(unit, ",")]
	return int64(f * mult)
}
