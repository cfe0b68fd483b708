package funcs

import (
	"errors"
	"sort"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// Sensitive is the cty mark of the values of sensitive variables and of
// everything computed from them, as in Terraform.
const Sensitive = "sensitive"

// Hidden replaces a sensitive value in every message.
const Hidden = "(sensitive value)"

// minRawSecret is the shortest secret also replaced where it appears
// unquoted: a shorter one would blot out letters of ordinary words.
const minRawSecret = 4

// SensitiveTexts returns the text of every sensitive part of v (its
// strings, and its numbers as written), and whether v has a sensitive
// part at all.
func SensitiveTexts(v cty.Value) ([]string, bool) {
	if !v.IsMarked() && !v.Type().IsCollectionType() && !v.Type().IsObjectType() && !v.Type().IsTupleType() {
		return nil, false
	}
	plain, pvm := v.UnmarkDeepWithPaths()
	var out []string
	sensitive := false
	for _, pm := range pvm {
		if _, ok := pm.Marks[Sensitive]; !ok {
			continue
		}
		sensitive = true
		part, err := pm.Path.Apply(plain)
		if err != nil {
			continue
		}
		out = appendTexts(out, part)
	}
	return out, sensitive
}

func appendTexts(out []string, v cty.Value) []string {
	if !v.IsKnown() || v.IsNull() {
		return out
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return append(out, v.AsString())
	case ty == cty.Number:
		return append(out, v.AsBigFloat().Text('f', -1))
	case ty == cty.Bool:
		return out // "true" and "false" are not secrets worth hiding words for
	case ty.IsCollectionType() || ty.IsTupleType() || ty.IsObjectType():
		for it := v.ElementIterator(); it.Next(); {
			_, el := it.Element()
			out = appendTexts(out, el)
		}
	}
	return out
}

// Redact replaces every secret in s with Hidden: quoted as cty and hcl
// quote it ("hunter2"), and bare when it is long enough not to hide parts
// of ordinary words.
func Redact(s string, secrets []string) string {
	if len(secrets) == 0 {
		return s
	}
	// Messages also show values made from a secret: names suggested
	// from it, upper- or lower-cased. Hide those forms too.
	var sorted []string
	for _, sec := range secrets {
		sorted = append(sorted, sec)
		if len(sec) >= minRawSecret {
			sorted = append(sorted, strings.ToUpper(sec), strings.ToLower(sec), nameForm(sec, '-'), nameForm(sec, '_'))
		}
	}
	sort.Slice(sorted, func(i, j int) bool { return len(sorted[i]) > len(sorted[j]) })
	for _, sec := range sorted {
		if sec == "" {
			continue
		}
		s = strings.ReplaceAll(s, strconv.Quote(sec), Hidden)
		s = strings.ReplaceAll(s, `"`+sec+`"`, Hidden)
		if len(sec) >= minRawSecret {
			s = strings.ReplaceAll(s, sec, Hidden)
		}
	}
	return s
}

// redactError hides the sensitive parts of args in a function's error,
// keeping an argument error's index so hcl still points at the argument.
func redactError(err error, args []cty.Value) error {
	var secrets []string
	for _, a := range args {
		texts, _ := SensitiveTexts(a)
		secrets = append(secrets, texts...)
	}
	if len(secrets) == 0 {
		return err
	}
	var ae function.ArgError
	if errors.As(err, &ae) {
		return function.NewArgError(ae.Index, errors.New(Redact(ae.Error(), secrets)))
	}
	return errors.New(Redact(err.Error(), secrets))
}

// nameForm replaces what a name may not hold with sep, the way
// suggestions for AWS names are made.
func nameForm(s string, sep rune) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return sep
	}, s)
}
