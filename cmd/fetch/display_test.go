package main

import (
	"strings"
	"testing"

	"github.com/gofetch/fetch/fetch"
)

func TestStepText(t *testing.T) {
	tests := []struct {
		name string
		step fetch.Progress
		want string
	}{
		{"a queued source is waiting", fetch.Progress{Step: fetch.StepWaiting, Percent: -1}, "waiting"},
		{"a clone shows its percent and bytes", fetch.Progress{Step: fetch.StepCloning, Percent: 45, Bytes: 1258291}, "cloning 45% 1.2 MiB"},
		{"a clone without figures is just cloning", fetch.Progress{Step: fetch.StepCloning, Percent: -1}, "cloning"},
		{"a checkout shows its percent", fetch.Progress{Step: fetch.StepCheckingOut, Percent: 80}, "checking out 80%"},
		{"a download shows done and total in one unit", fetch.Progress{Step: fetch.StepDownloading, Percent: 30, Bytes: 12 << 20, Total: 40 << 20}, "downloading 12/40 MiB"},
		{"a download of unknown size shows what came", fetch.Progress{Step: fetch.StepDownloading, Percent: -1, Bytes: 3 << 10}, "downloading 3.0 KiB"},
		{"unpacking counts files with commas", fetch.Progress{Step: fetch.StepUnpacking, Percent: -1, Files: 1204}, "unpacking 1,204 files"},
		{"one file is one file", fetch.Progress{Step: fetch.StepUnpacking, Percent: -1, Files: 1}, "unpacking 1 file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := stepText(tt.step); got != tt.want {
				t.Errorf("stepText(%+v) = %q, want %q", tt.step, got, tt.want)
			}
		})
	}
}

// TestRowLineFitsSixtyColumns: a row never reaches the last column, and
// a long source is cut in its middle so that the state stays visible.
func TestRowLineFitsSixtyColumns(t *testing.T) {
	src := "example.org/a/rather/long/import/path/that/must/be/elided/charlie"
	line := rowLine(src, "downloading 12.0/40.0 MiB", len(src), 60)
	if n := len([]rune(line)); n > 59 {
		t.Errorf("row is %d columns wide, more than 59: %q", n, line)
	}
	if !strings.HasSuffix(line, "downloading 12.0/40.0 MiB") {
		t.Errorf("row lost its state: %q", line)
	}
	if !strings.Contains(line, "example.org/a/") || !strings.Contains(line, "/charlie") || !strings.Contains(line, "...") {
		t.Errorf("source not elided in the middle: %q", line)
	}
	short := rowLine("example.org/a", "waiting", 20, 60)
	if short != " example.org/a         waiting" {
		t.Errorf("short row = %q", short)
	}
}
