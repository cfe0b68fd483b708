package constraints

import (
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/agext/levenshtein"

	"github.com/pipeform/pipeform/lang/providers"
)

// Constraint is what AWS accepts for one HCL attribute (or, with Part, for
// the keys or values of a map attribute). A bound of -1 is no bound.
type Constraint struct {
	Block string // block path, e.g. "pipeline.stage.on_failure"
	Attr  string // attribute name, e.g. "retry_mode"
	// Part is "key" or "value" for the keys or values of a map attribute,
	// a field name for that field of each object of a list of objects
	// (source_revisions' revisionType), "" for the attribute's value (or,
	// for a list, each element).
	Part string
	// Service and Shape name the member in words: "CodePipeline" and
	// "StageRetryMode".
	Service, Shape string
	Enum           []string
	// Patterns are regular expressions the whole value must match.
	Patterns           []string
	MinLen, MaxLen     int // characters of a string (each element of a list)
	MinItems, MaxItems int // elements of a list, entries of a map
	// MinValue and MaxValue bound a number; -1 is no bound, so a bound of
	// -1 itself cannot be written (-90 and -180 can).
	MinValue, MaxValue int
	// Fractional says the number may have a fractional part; every number
	// member of AWS's models is an integer, and so is every provider
	// attribute unless the catalog says otherwise.
	Fractional bool
	// Unique says the elements of a list are distinct (a CloudFormation
	// schema's uniqueItems).
	Unique bool
	// Sources are the model members the constraint comes from.
	Sources []string
}

// Skip is a constrained member the table deliberately does not check.
type Skip struct {
	Member string
	Reason string
}

// Table returns the generated constraints, sorted by block and attribute.
// The caller must not change them.
func Table() []Constraint { return table }

// Lookup returns the constraints of attribute attr of a block at path
// block: the generated ones, then for a provider block the catalog's. The
// caller must not change the slice or the constraints.
func Lookup(block, attr string) []*Constraint {
	return index()[[2]string{block, attr}]
}

// index maps block path and attribute to its constraints, built once.
var index = sync.OnceValue(func() map[[2]string][]*Constraint {
	m := map[[2]string][]*Constraint{}
	add := func(c *Constraint) {
		k := [2]string{c.Block, c.Attr}
		m[k] = append(m[k], c)
	}
	for i := range table {
		add(&table[i])
	}
	for _, p := range providers.All {
		for i := range p.Attrs {
			if c := catalogConstraint(p, &p.Attrs[i]); c != nil {
				add(c)
			}
		}
	}
	return m
})

// Enum returns the valid values of attribute attr in a block whose path is
// block (dot-joined HCL block types from the file root, such as
// "pipeline.stage.action.custom" or "project"), or nil when the attribute
// has no enum.
func Enum(block, attr string) []string {
	if slot, ok := strings.CutPrefix(block, "pipeline.stage."); ok && attr == "result" {
		if values := SlotResults[strings.TrimSuffix(slot, ".condition")]; values != nil && strings.HasSuffix(slot, ".condition") {
			return append([]string(nil), values...)
		}
	}
	for _, c := range Lookup(block, attr) {
		if c.Part == "" && len(c.Enum) > 0 {
			return append([]string(nil), c.Enum...)
		}
	}
	if values := buildspecEnums[[2]string{block, attr}]; values != nil {
		return append([]string(nil), values...)
	}
	if strings.HasSuffix(block, ".condition.rule") && attr == "provider" {
		return providers.RuleProviders()
	}
	return nil
}

// PartEnum returns the values a field of the objects of a list attribute
// takes (part as in Constraint.Part, such as source_revisions'
// revisionType), or nil when it has no enumerated values.
func PartEnum(block, attr, part string) []string {
	for _, c := range Lookup(block, attr) {
		if c.Part == part && len(c.Enum) > 0 {
			return append([]string(nil), c.Enum...)
		}
	}
	return nil
}

// actionBlock is the path of an action block; provider blocks sit in it.
const actionBlock = "pipeline.stage.action"

// catalogConstraint builds the constraint of a provider block attribute
// from the provider catalog, nil when it has no documented limit.
func catalogConstraint(p *providers.Provider, a *providers.Attr) *Constraint {
	if !a.Limited() {
		return nil
	}
	c := &Constraint{
		Block: actionBlock + "." + p.Block, Attr: a.Name, Service: "CodePipeline", Shape: p.Provider + " " + orName(a.Key, a.Name),
		Enum: a.Enum, MinLen: -1, MaxLen: -1, MinItems: -1, MaxItems: -1, MinValue: -1, MaxValue: -1,
		Fractional: a.Fractional,
		Sources:    []string{"lang/providers: " + p.Block + "." + a.Name},
	}
	if a.KeyPattern != "" { // a map whose keys are limited
		c.Part, c.Shape, c.Patterns = "key", c.Shape+" name", []string{a.KeyPattern}
		c.MinLen, c.MaxLen = a.KeyLength[0], a.KeyLength[1]
		return c
	}
	if a.Pattern != "" {
		c.Patterns = []string{a.Pattern}
	}
	if a.MaxItems > 0 {
		c.MaxItems = a.MaxItems
	}
	if a.Range != nil {
		c.MinValue, c.MaxValue = a.Range[0], a.Range[1]
	}
	if a.Length != nil {
		c.MinLen, c.MaxLen = a.Length[0], a.Length[1]
	}
	return c
}

func orName(key, attr string) string {
	if key != "" {
		return key
	}
	return attr
}

var patterns sync.Map // pattern -> *regexp.Regexp

// matches says whether all of v matches the model pattern p (model patterns
// are unanchored; the services match them against the whole value).
func matches(p, v string) bool {
	re, ok := patterns.Load(p)
	if !ok {
		re, _ = patterns.LoadOrStore(p, regexp.MustCompile(`^(?:`+p+`)$`))
	}
	return re.(*regexp.Regexp).MatchString(v)
}

// CheckString says what is wrong with one string value (an attribute's, a
// list element's, a map key's or value's), or "" when it is accepted. The
// sentence starts with the value's description, such as `"QUEUE" is not
// one of the values CodePipeline's ExecutionMode takes`.
func (c *Constraint) CheckString(v string) string {
	what := c.Service + "'s " + c.Shape
	if len(c.Enum) > 0 && !contains(c.Enum, v) {
		return fmt.Sprintf("%q is not one of the values %s takes: %s.%s", v, what, quoteList(c.Enum), DidYouMean(v, c.Enum))
	}
	n := utf8.RuneCountInString(v)
	if c.MinLen >= 0 && n < c.MinLen || c.MaxLen >= 0 && n > c.MaxLen {
		return fmt.Sprintf("%q is %d characters; %s takes %s.", clip(v), n, what, c.lengths())
	}
	for _, p := range c.Patterns {
		if !matches(p, v) {
			return fmt.Sprintf("%q does not match the pattern %s of %s.", clip(v), p, what)
		}
	}
	return ""
}

// CheckCount says what is wrong with the number of elements of a list or
// entries of a map, or "".
func (c *Constraint) CheckCount(n int) string {
	if c.MinItems >= 0 && n < c.MinItems || c.MaxItems >= 0 && n > c.MaxItems {
		return fmt.Sprintf("it has %d %s; %s's %s takes %s.", n, plural(n, "entry", "entries"), c.Service, c.Shape, bounds(c.MinItems, c.MaxItems, "entry", "entries"))
	}
	return ""
}

// CheckUnique says what is wrong when the elements of a list that must be
// distinct are not, and the index of the first repeat; "" and -1 when they
// are distinct or need not be.
func (c *Constraint) CheckUnique(elems []string) (string, int) {
	if !c.Unique {
		return "", -1
	}
	seen := make(map[string]bool, len(elems))
	for i, e := range elems {
		if seen[e] {
			return fmt.Sprintf("%q is listed twice; %s's %s takes distinct values. Remove the repeat.", clip(e), c.Service, c.Shape), i
		}
		seen[e] = true
	}
	return "", -1
}

// CheckNumber says what is wrong with a number, or "".
func (c *Constraint) CheckNumber(n *big.Float) string {
	if !c.Fractional && !n.IsInt() {
		return fmt.Sprintf("%s is not a whole number; %s's %s takes whole numbers.", n.Text('g', -1), c.Service, c.Shape)
	}
	if c.MinValue != -1 && n.Cmp(big.NewFloat(float64(c.MinValue))) < 0 || c.MaxValue != -1 && n.Cmp(big.NewFloat(float64(c.MaxValue))) > 0 {
		return fmt.Sprintf("%s is out of range; %s's %s takes %s.", n.Text('g', -1), c.Service, c.Shape, bounds(c.MinValue, c.MaxValue, "", ""))
	}
	return ""
}

func (c *Constraint) lengths() string { return bounds(c.MinLen, c.MaxLen, "character", "characters") }

// bounds renders a range: "1 to 35 characters", "at most 10 entries".
func bounds(lo, hi int, one, many string) string {
	unit := ""
	if many != "" {
		unit = " " + plural(hi, one, many)
	}
	switch {
	case (lo > 0 || lo < -1) && hi != -1:
		return fmt.Sprintf("%d to %d%s", lo, hi, unit)
	case hi >= 0:
		return fmt.Sprintf("at most %d%s", hi, unit)
	default:
		return fmt.Sprintf("at least %d%s", lo, " "+plural(lo, one, many))
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// clip shortens a long value for a message.
func clip(v string) string {
	if utf8.RuneCountInString(v) <= 60 {
		return v
	}
	r := []rune(v)
	return string(r[:57]) + "..."
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// quoteList renders values as "a", "b" and "c".
func quoteList(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = fmt.Sprintf("%q", v)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

// normalize folds case and drops separators, so that QUEUE_D, queued and
// Queued compare equal.
func normalize(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch r {
		case '_', '-', ' ', '.', '/':
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Suggest returns the value of valid that v most likely meant, or "": the
// one equal to it ignoring case and separators (RETRY_2 → RETRY-2), else
// the shortest it is a prefix of (BUILD_GENERAL1_XL →
// BUILD_GENERAL1_XLARGE), else the shortest that contains it (ZIP →
// CODE_ZIP), else the nearest within three edits (QUEUE → QUEUED; V3 → V2).
func Suggest(v string, valid []string) string {
	nv := normalize(v)
	if nv == "" {
		return ""
	}
	best, bestDist := "", 4
	for _, c := range valid {
		if normalize(c) == nv {
			return c
		}
	}
	for _, c := range valid {
		if nc := normalize(c); len(nv) >= 2 && strings.HasPrefix(nc, nv) && (best == "" || len(c) < len(best)) {
			best = c
		}
	}
	if best != "" {
		return best
	}
	for _, c := range valid {
		if nc := normalize(c); len(nv) >= 3 && strings.Contains(nc, nv) && (best == "" || len(c) < len(best)) {
			best = c
		}
	}
	if best != "" {
		return best
	}
	for _, c := range valid {
		d := levenshtein.Distance(nv, normalize(c), nil)
		if d < bestDist || d == bestDist && best != "" && closer(nv, normalize(c), normalize(best)) {
			best, bestDist = c, d
		}
	}
	return best
}

// closer breaks a tie between two equally distant candidates: the one whose
// first differing character is nearer to v's (V3 → V2 rather than V1).
func closer(v, a, b string) bool {
	return gap(v, a) < gap(v, b)
}

// gap is how far apart v and c are at their first differing byte.
func gap(v, c string) int {
	for i := 0; i < len(v) && i < len(c); i++ {
		if v[i] != c[i] {
			return max(int(v[i]), int(c[i])) - min(int(v[i]), int(c[i]))
		}
	}
	return 0
}

// DidYouMean returns ` Did you mean "x"?` for Suggest's answer, or "".
func DidYouMean(v string, valid []string) string {
	if s := Suggest(v, valid); s != "" && s != v {
		return fmt.Sprintf(" Did you mean %q?", s)
	}
	return ""
}
