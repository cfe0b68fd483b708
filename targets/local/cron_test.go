package local

import (
	"testing"
	"time"
)

func TestWindow(t *testing.T) {
	at := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	for _, c := range []struct {
		cron string
		yes  []string
		no   []string
	}{
		{"* * 9-17 ? * MON-FRI *", []string{"2026-12-07T09:00:00Z", "2026-12-11T17:59:00Z"}, []string{"2026-12-05T12:00:00Z", "2026-12-07T18:00:00Z", "2026-12-07T08:59:00Z"}},
		{"* 0/15 * * * ?", []string{"2026-12-07T10:45:00Z"}, []string{"2026-12-07T10:46:00Z"}},
		{"* * * L * ?", []string{"2026-02-28T10:00:00Z"}, []string{"2026-02-27T10:00:00Z"}},
		{"* * * ? * 6L", []string{"2026-12-25T10:00:00Z"}, []string{"2026-12-18T10:00:00Z"}},
		{"* * * ? * 2#1", []string{"2026-12-07T10:00:00Z"}, []string{"2026-12-14T10:00:00Z"}},
		{"* * * ? JAN,DEC * 2026", []string{"2026-12-07T10:00:00Z"}, []string{"2026-11-07T10:00:00Z", "2027-12-07T10:00:00Z"}},
	} {
		w, err := parseWindow(c.cron)
		if err != nil {
			t.Fatalf("%q: %v", c.cron, err)
		}
		for _, s := range c.yes {
			if !w.contains(at(s)) {
				t.Errorf("%q does not contain %s", c.cron, s)
			}
		}
		for _, s := range c.no {
			if w.contains(at(s)) {
				t.Errorf("%q contains %s", c.cron, s)
			}
		}
	}
	for cron, want := range map[string]string{
		"* * 9-17 ? *":     "it has 5 fields; a DeploymentWindow cron has 6 (seconds, minutes, hours, day of month, month, day of week) and an optional year",
		"* * 25 ? * *":     `the hours field "25": "25" is not a value from 0 to 23`,
		"* * * 15W * ?":    `the day of month field "15W": W (nearest weekday) is not supported by the local executor`,
		"* * 17-9 ? * *":   `the hours field "17-9": the range 17-9 is reversed`,
		"* * * ? * FUNDAY": `the day of week field "FUNDAY": "FUNDAY" is not a value from 1 to 7`,
		"* */0 * ? * *":    `the minutes field "*/0": "0" is not a positive step`,
	} {
		if _, err := parseWindow(cron); err == nil || err.Error() != want {
			t.Errorf("%q: got %v, want %s", cron, err, want)
		}
	}
}
