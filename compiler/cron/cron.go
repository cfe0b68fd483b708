package cron

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Expr is a DeploymentWindow Cron expression: the days and times when a
// deployment is allowed. The format is the one of CodePipeline's
// DeploymentWindow rule reference
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-DeploymentWindow.html):
// six required fields and an optional year,
//
//	Seconds Minutes Hours Day-of-month Month Day-of-week [Year]
//
// Seconds has no values ("N/A") and takes only `*`. The other fields take
// `*`, `,`, `-` and `/`; names (JAN-DEC, SUN-SAT with SUN = 1); `?` in
// day of month or day of week, and in exactly one of them, since the two
// cannot both be given nor both be left open (the rule, like EventBridge's
// cron, is Quartz's); `L` (day of month: the last day, `L-3` three days
// before it; day of week: alone Saturday, after a day the last such day of
// the month, `6L`); `W` (day of month: the weekday nearest the day, never
// in another month, `15W`, `LW`); and `#` (day of week: `6#3`, the third
// Friday). A time is inside the window when its minute matches.
type Expr struct {
	src    string
	fields [6]func(t time.Time) bool // minute, hour, dom, month, dow, year
}

var (
	monthNames = map[string]int{"JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12}
	dayNames   = map[string]int{"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
)

// Field indexes of Expr.fields.
const (
	minute = iota
	hour
	dayOfMonth
	month
	dayOfWeek
	year
)

type spec struct {
	name   string
	lo, hi int
	names  map[string]int
	value  func(t time.Time) int
}

var specs = [...]spec{
	minute:     {"minutes", 0, 59, nil, func(t time.Time) int { return t.Minute() }},
	hour:       {"hours", 0, 23, nil, func(t time.Time) int { return t.Hour() }},
	dayOfMonth: {"day of month", 1, 31, nil, func(t time.Time) int { return t.Day() }},
	month:      {"month", 1, 12, monthNames, func(t time.Time) int { return int(t.Month()) }},
	dayOfWeek:  {"day of week", 1, 7, dayNames, func(t time.Time) int { return int(t.Weekday()) + 1 }},
	year:       {"year", 1970, 2199, nil, func(t time.Time) int { return t.Year() }},
}

// Parse reads a Cron expression; the error says which field is wrong and
// why, in a sentence fragment that fits after "Cron "x": ".
func Parse(src string) (*Expr, error) {
	f := strings.Fields(src)
	if len(f) != 6 && len(f) != 7 {
		return nil, fmt.Errorf("it has %d fields; a DeploymentWindow cron has 6 (seconds, minutes, hours, day of month, month, day of week) and an optional year, such as \"* 0 9-17 ? * MON-FRI *\"", len(f))
	}
	if f[0] != "*" {
		return nil, fmt.Errorf("the seconds field is %q; DeploymentWindow's seconds field takes no values, only *", f[0])
	}
	if len(f) == 6 {
		f = append(f, "*")
	}
	switch dom, dow := f[1+dayOfMonth], f[1+dayOfWeek]; {
	case dom == "?" && dow == "?":
		return nil, fmt.Errorf("both day of month and day of week are ?; give one of them (* for every day) and leave only the other as ?")
	case dom != "?" && dow != "?":
		return nil, fmt.Errorf("day of month %q and day of week %q are both given; one of them must be ? (for example \"* * * ? * MON-FRI\" or \"* * * 1 * ?\")", dom, dow)
	}
	e := &Expr{src: src}
	for i, sp := range specs {
		m, err := parseField(f[i+1], i, sp)
		if err != nil {
			return nil, fmt.Errorf("the %s field %q: %v", sp.name, f[i+1], err)
		}
		e.fields[i] = m
	}
	return e, nil
}

// String is the expression as written.
func (e *Expr) String() string { return e.src }

// Contains reports whether t, in its own location, is inside the window.
func (e *Expr) Contains(t time.Time) bool {
	for _, f := range e.fields {
		if !f(t) {
			return false
		}
	}
	return true
}

func always(time.Time) bool { return true }

func parseField(src string, idx int, sp spec) (func(time.Time) bool, error) {
	switch {
	case src == "*":
		return always, nil
	case src == "?":
		if idx != dayOfMonth && idx != dayOfWeek {
			return nil, fmt.Errorf("? is only for day of month and day of week")
		}
		return always, nil
	}
	var parts []func(time.Time) bool
	for _, item := range strings.Split(src, ",") {
		p, err := parseItem(item, idx, sp)
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

func (sp spec) num(s string) (int, error) {
	if n, ok := sp.names[strings.ToUpper(s)]; ok {
		return n, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < sp.lo || n > sp.hi {
		return 0, fmt.Errorf("%q is not a value from %d to %d", s, sp.lo, sp.hi)
	}
	return n, nil
}

func lastDay(t time.Time) int {
	return time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, t.Location()).Day()
}

// nearestWeekday is the weekday of t's month nearest day d, never crossing
// into another month (Quartz's W: 1W on a Saturday is Monday the 3rd).
func nearestWeekday(t time.Time, d int) int {
	last := lastDay(t)
	if d > last {
		d = last
	}
	switch time.Date(t.Year(), t.Month(), d, 0, 0, 0, 0, t.Location()).Weekday() {
	case time.Saturday:
		if d == 1 {
			return 3
		}
		return d - 1
	case time.Sunday:
		if d == last {
			return d - 2
		}
		return d + 1
	}
	return d
}

func parseItem(item string, idx int, sp spec) (func(time.Time) bool, error) {
	switch {
	case idx == dayOfMonth && item == "LW":
		return func(t time.Time) bool { return t.Day() == nearestWeekday(t, lastDay(t)) }, nil
	case idx == dayOfMonth && strings.HasPrefix(item, "L"):
		off := 0
		if rest := strings.TrimPrefix(item, "L"); rest != "" {
			n, err := strconv.Atoi(strings.TrimPrefix(rest, "-"))
			if !strings.HasPrefix(rest, "-") || err != nil || n < 0 || n > 30 {
				return nil, fmt.Errorf("%q is not L or L-N (N days before the last day, 0 to 30)", item)
			}
			off = n
		}
		return func(t time.Time) bool { return t.Day() == lastDay(t)-off }, nil
	case idx == dayOfMonth && strings.HasSuffix(item, "W"):
		d, err := sp.num(strings.TrimSuffix(item, "W"))
		if err != nil {
			return nil, err
		}
		return func(t time.Time) bool { return t.Day() == nearestWeekday(t, d) }, nil
	case idx == dayOfWeek && item == "L":
		return func(t time.Time) bool { return t.Weekday() == time.Saturday }, nil
	case idx == dayOfWeek && strings.HasSuffix(item, "L"):
		d, err := sp.num(strings.TrimSuffix(item, "L"))
		if err != nil {
			return nil, err
		}
		return func(t time.Time) bool { return int(t.Weekday())+1 == d && t.Day()+7 > lastDay(t) }, nil
	case idx == dayOfWeek && strings.Contains(item, "#"):
		ds, ks, _ := strings.Cut(item, "#")
		d, err := sp.num(ds)
		k, kerr := strconv.Atoi(ks)
		if err != nil || kerr != nil || k < 1 || k > 5 {
			return nil, fmt.Errorf("%q is not DAY#N with N from 1 to 5", item)
		}
		return func(t time.Time) bool { return int(t.Weekday())+1 == d && (t.Day()-1)/7+1 == k }, nil
	}
	return parseRange(item, sp)
}

// parseRange reads N, A-B, */S, N/S and A-B/S.
func parseRange(item string, sp spec) (func(time.Time) bool, error) {
	rng, stepSrc, hasStep := strings.Cut(item, "/")
	step := 1
	if hasStep {
		var err error
		if step, err = strconv.Atoi(stepSrc); err != nil || step < 1 {
			return nil, fmt.Errorf("%q is not a positive step", stepSrc)
		}
	}
	from, to := sp.lo, sp.hi
	if rng != "*" {
		a, b, isRange := strings.Cut(rng, "-")
		var err error
		if from, err = sp.num(a); err != nil {
			return nil, err
		}
		to = from
		if isRange {
			if to, err = sp.num(b); err != nil {
				return nil, err
			}
		} else if hasStep {
			to = sp.hi
		}
		if to < from {
			return nil, fmt.Errorf("the range %s is reversed", rng)
		}
	}
	value := sp.value
	return func(t time.Time) bool {
		v := value(t)
		return v >= from && v <= to && (v-from)%step == 0
	}, nil
}
