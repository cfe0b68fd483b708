package limits

import (
	"github.com/zclconf/go-cty/cty"
)

// MaxString is the most bytes of text one value may hold: a string, or
// all the strings of a list, map or object together. It is far above any
// buildspec or template AWS accepts, and it keeps a configuration such as
// "${s}${s}" doubled 34 times from exhausting memory.
const MaxString = 16 << 20

// TextSize returns how many bytes of text v holds, counting every string
// inside collections (a string referenced twice counts twice, as it would
// once joined), and stops counting once the total passes limit.
func TextSize(v cty.Value, limit int) int {
	v, _ = v.Unmark()
	if !v.IsKnown() || v.IsNull() {
		return 0
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return len(v.AsString())
	case ty.IsListType() || ty.IsSetType() || ty.IsMapType() || ty.IsTupleType() || ty.IsObjectType():
		n := 0
		for it := v.ElementIterator(); it.Next() && n <= limit; {
			k, el := it.Element()
			if ty.IsMapType() || ty.IsObjectType() {
				n += len(k.AsString())
			}
			n += TextSize(el, limit-n)
		}
		return n
	}
	return 0
}

// TooLong reports whether v holds more than MaxString bytes of text.
func TooLong(v cty.Value) bool {
	return TextSize(v, MaxString) > MaxString
}
