package main

import (
	"strings"
	"testing"

	"github.com/gofetch/fetch/doctor"
)

func TestWriteDoctorText(t *testing.T) {
	report := &doctor.Report{ImportPath: "example.org/foo", Findings: []doctor.Finding{
		{ID: "path.syntax", Stage: doctor.StagePath, Verdict: doctor.Pass, Seen: "valid"},
		{ID: "tls.expiring", Stage: doctor.StageNetwork, Verdict: doctor.Warn, Seen: "expires soon", Fix: "renew"},
		{ID: "tls.hostname", Stage: doctor.StageNetwork, Verdict: doctor.Fail, Seen: "wrong name", Fix: "reissue"},
	}}
	tests := []struct {
		name  string
		color bool
		want  string
	}{
		{"off a terminal the lines are plain, grouped by stage", false,
			"path:\n" +
				"  pass path.syntax: valid\n" +
				"network:\n" +
				"  warn tls.expiring: expires soon -- fix: renew\n" +
				"  FAIL tls.hostname: wrong name -- fix: reissue\n" +
				"example.org/foo: 1 passed, 1 warnings, 1 failed\n"},
		{"on a terminal only the verdicts are coloured", true,
			"path:\n" +
				"  \x1b[32mpass\x1b[0m path.syntax: valid\n" +
				"network:\n" +
				"  \x1b[33mwarn\x1b[0m tls.expiring: expires soon -- fix: renew\n" +
				"  \x1b[1;31mFAIL\x1b[0m tls.hostname: wrong name -- fix: reissue\n" +
				"example.org/foo: 1 passed, 1 warnings, 1 failed\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if err := writeDoctorText(&b, report, tt.color); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("got\n%s\nwant\n%s", b.String(), tt.want)
			}
		})
	}
}
