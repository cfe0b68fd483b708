package local

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// window is a DeploymentWindow rule's Cron expression: the days and times
// when a deployment is allowed. The format is CodePipeline's (user guide,
// "DeploymentWindow" rule reference): six required fields and an optional
// year, Seconds Minutes Hours Day-of-month Month Day-of-week [Year], with
// `*`, `?` (day fields), `,`, `-`, `/`, names (JAN-DEC, SUN-SAT with
// SUN = 1), `L` (last day of the month; `5L`, the last Thursday) and `#`
// (`6#3`, the third Friday). The reference gives Seconds as "N/A": a time
// is in the window when its minute matches, whatever the seconds field
// says. `W` (nearest weekday) is not supported locally and is reported.
type window struct {
	expr   string
	fields [6]func(t time.Time) bool // minute, hour, dom, month, dow, year
}

var (
	monthNames = map[string]int{"JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12}
	dayNames   = map[string]int{"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
)

func parseWindow(expr string) (*window, error) {
	f := strings.Fields(expr)
	if len(f) != 6 && len(f) != 7 {
		return nil, fmt.Errorf("it has %d fields; a DeploymentWindow cron has 6 (seconds, minutes, hours, day of month, month, day of week) and an optional year", len(f))
	}
	if len(f) == 6 {
		f = append(f, "*")
	}
	w := &window{expr: expr}
	specs := []struct {
		name     string
		lo, hi   int
		names    map[string]int
		value    func(t time.Time) int
		dayField bool
	}{
		{"minutes", 0, 59, nil, func(t time.Time) int { return t.Minute() }, false},
		{"hours", 0, 23, nil, func(t time.Time) int { return t.Hour() }, false},
		{"day of month", 1, 31, nil, func(t time.Time) int { return t.Day() }, true},
		{"month", 1, 12, monthNames, func(t time.Time) int { return int(t.Month()) }, false},
		{"day of week", 1, 7, dayNames, func(t time.Time) int { return int(t.Weekday()) + 1 }, true},
		{"year", 1970, 2199, nil, func(t time.Time) int { return t.Year() }, false},
	}
	for i, sp := range specs {
		src := f[i+1]
		m, err := parseCronField(src, sp.lo, sp.hi, sp.names, sp.value, i)
		if err != nil {
			return nil, fmt.Errorf("the %s field %q: %v", sp.name, src, err)
		}
		w.fields[i] = m
	}
	return w, nil
}

// contains reports whether t is inside the window.
func (w *window) contains(t time.Time) bool {
	for _, f := range w.fields {
		if !f(t) {
			return false
		}
	}
	return true
}

// parseCronField compiles one field; idx 2 is day of month, 4 day of week.
func parseCronField(src string, lo, hi int, names map[string]int, value func(time.Time) int, idx int) (func(time.Time) bool, error) {
	if src == "*" || src == "?" && (idx == 2 || idx == 4) {
		return func(time.Time) bool { return true }, nil
	}
	var parts []func(time.Time) bool
	for _, item := range strings.Split(src, ",") {
		p, err := cronItem(item, lo, hi, names, value, idx)
		if err != nil {
			return nil, err
		}
		parts = append(parts, p)
	}
	return func(t time.Time) bool {
		for _, p := range parts {
			if p(t) {
				return true
			}
		}
		return false
	}, nil
}

func cronItem(item string, lo, hi int, names map[string]int, value func(time.Time) int, idx int) (func(time.Time) bool, error) {
	num := func(s string) (int, error) {
		if n, ok := names[strings.ToUpper(s)]; ok {
			return n, nil
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < lo || n > hi {
			return 0, fmt.Errorf("%q is not a value from %d to %d", s, lo, hi)
		}
		return n, nil
	}
	lastDay := func(t time.Time) int { return time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, t.Location()).Day() }
	switch {
	case idx == 2 && item == "L":
		return func(t time.Time) bool { return t.Day() == lastDay(t) }, nil
	case strings.ContainsAny(item, "W"):
		return nil, fmt.Errorf("W (nearest weekday) is not supported by the local executor")
	case idx == 4 && strings.HasSuffix(item, "L"):
		d, err := num(strings.TrimSuffix(item, "L"))
		if err != nil {
			return nil, err
		}
		return func(t time.Time) bool { return int(t.Weekday())+1 == d && t.Day()+7 > lastDay(t) }, nil
	case idx == 4 && strings.Contains(item, "#"):
		ds, ks, _ := strings.Cut(item, "#")
		d, err := num(ds)
		k, kerr := strconv.Atoi(ks)
		if err != nil || kerr != nil || k < 1 || k > 5 {
			return nil, fmt.Errorf("%q is not DAY#N with N from 1 to 5", item)
		}
		return func(t time.Time) bool { return int(t.Weekday())+1 == d && (t.Day()-1)/7+1 == k }, nil
	}
	rng, stepSrc, hasStep := strings.Cut(item, "/")
	step := 1
	if hasStep {
		var err error
		if step, err = strconv.Atoi(stepSrc); err != nil || step < 1 {
			return nil, fmt.Errorf("%q is not a positive step", stepSrc)
		}
	}
	from, to := lo, hi
	if rng != "*" {
		a, b, isRange := strings.Cut(rng, "-")
		var err error
		if from, err = num(a); err != nil {
			return nil, err
		}
		to = from
		if isRange {
			if to, err = num(b); err != nil {
				return nil, err
			}
		} else if hasStep {
			to = hi
		}
		if to < from {
			return nil, fmt.Errorf("the range %s is reversed", rng)
		}
	}
	return func(t time.Time) bool {
		v := value(t)
		return v >= from && v <= to && (v-from)%step == 0
	}, nil
}
