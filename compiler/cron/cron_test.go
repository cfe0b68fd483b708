package cron

import (
	"testing"
	"time"
)

func at(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func TestContains(t *testing.T) {
	for _, c := range []struct {
		cron    string
		yes, no []string
	}{
		// Weekdays 9:00 to 17:59 (December 7, 2026 is a Monday).
		{"* * 9-17 ? * MON-FRI *", []string{"2026-12-07T09:00:00Z", "2026-12-11T17:59:00Z"}, []string{"2026-12-05T12:00:00Z", "2026-12-07T18:00:00Z", "2026-12-07T08:59:00Z"}},
		{"* 0/15 * * * ?", []string{"2026-12-07T10:45:00Z"}, []string{"2026-12-07T10:46:00Z"}},
		{"* */20 * * * ?", []string{"2026-12-07T10:40:00Z"}, []string{"2026-12-07T10:50:00Z"}},
		{"* 5/15 * * * ?", []string{"2026-12-07T10:20:00Z"}, []string{"2026-12-07T10:15:00Z"}},
		{"* * * L * ?", []string{"2026-02-28T10:00:00Z", "2028-02-29T10:00:00Z"}, []string{"2026-02-27T10:00:00Z", "2028-02-28T10:00:00Z"}},
		{"* * * L-3 * ?", []string{"2026-01-28T10:00:00Z"}, []string{"2026-01-31T10:00:00Z"}},
		// The nearest weekday: the 15th of August 2026 is a Saturday, so
		// 15W is Friday the 14th; the 1st of August, also a Saturday, gives
		// Monday the 3rd (W stays in the month); the last day of May 2026 is
		// a Sunday, so LW is Friday the 29th.
		{"* * * 15W * ?", []string{"2026-08-14T10:00:00Z", "2026-12-15T10:00:00Z"}, []string{"2026-08-15T10:00:00Z", "2026-08-17T10:00:00Z"}},
		{"* * * 1W * ?", []string{"2026-08-03T10:00:00Z"}, []string{"2026-08-01T10:00:00Z", "2026-07-31T10:00:00Z"}},
		{"* * * LW * ?", []string{"2026-05-29T10:00:00Z"}, []string{"2026-05-31T10:00:00Z"}},
		{"* * * ? * 6L", []string{"2026-12-25T10:00:00Z"}, []string{"2026-12-18T10:00:00Z"}},
		{"* * * ? * L", []string{"2026-12-05T10:00:00Z"}, []string{"2026-12-06T10:00:00Z"}},
		{"* * * ? * 2#1", []string{"2026-12-07T10:00:00Z"}, []string{"2026-12-14T10:00:00Z"}},
		{"* * * ? * MON,WED,FRI", []string{"2026-12-09T10:00:00Z"}, []string{"2026-12-08T10:00:00Z"}},
		{"* * * ? JAN,DEC * 2026", []string{"2026-12-07T10:00:00Z"}, []string{"2026-11-07T10:00:00Z", "2027-12-07T10:00:00Z"}},
		{"* * * 1-15 jul ?", []string{"2026-07-15T10:00:00Z"}, []string{"2026-07-16T10:00:00Z"}},
	} {
		e, err := Parse(c.cron)
		if err != nil {
			t.Fatalf("%q: %v", c.cron, err)
		}
		for _, s := range c.yes {
			if !e.Contains(at(t, s)) {
				t.Errorf("%q does not contain %s", c.cron, s)
			}
		}
		for _, s := range c.no {
			if e.Contains(at(t, s)) {
				t.Errorf("%q contains %s", c.cron, s)
			}
		}
	}
}

func TestParseErrors(t *testing.T) {
	for cron, want := range map[string]string{
		"* * 9-17 ? *":           `it has 5 fields; a DeploymentWindow cron has 6 (seconds, minutes, hours, day of month, month, day of week) and an optional year, such as "* 0 9-17 ? * MON-FRI *"`,
		"0 0 9-17 ? * MON-FRI *": `the seconds field is "0"; DeploymentWindow's seconds field takes no values, only *`,
		"* 9-17 ? * MON-FRI *":   `day of month "*" and day of week "*" are both given; one of them must be ? (for example "* * * ? * MON-FRI" or "* * * 1 * ?")`,
		"* * 9 * * MON":          `day of month "*" and day of week "MON" are both given; one of them must be ? (for example "* * * ? * MON-FRI" or "* * * 1 * ?")`,
		"* * 9 ? * ?":            `both day of month and day of week are ?; give one of them (* for every day) and leave only the other as ?`,
		"* * ? * * ?":            `the hours field "?": ? is only for day of month and day of week`,
		"* * 25 ? * *":           `the hours field "25": "25" is not a value from 0 to 23`,
		"* * 17-9 ? * *":         `the hours field "17-9": the range 17-9 is reversed`,
		"* * * ? * FUNDAY":       `the day of week field "FUNDAY": "FUNDAY" is not a value from 1 to 7`,
		"* */0 * ? * *":          `the minutes field "*/0": "0" is not a positive step`,
		"* * * L-40 * ?":         `the day of month field "L-40": "L-40" is not L or L-N (N days before the last day, 0 to 30)`,
		"* * * ? * 6#6":          `the day of week field "6#6": "6#6" is not DAY#N with N from 1 to 5`,
		"* * * ? L *":            `the month field "L": "L" is not a value from 1 to 12`,
		"* * * ? * * 1969":       `the year field "1969": "1969" is not a value from 1970 to 2199`,
	} {
		if _, err := Parse(cron); err == nil || err.Error() != want {
			t.Errorf("%q:\n got %v\nwant %s", cron, err, want)
		}
	}
}
