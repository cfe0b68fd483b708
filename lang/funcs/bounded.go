package funcs

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/pipeform/pipeform/lang/limits"
)

// maxProduct bounds the elements setproduct may return.
const maxProduct = 1 << 20

// bounded wraps f so that no call can build a value holding more than
// limits.MaxString bytes of text: it refuses arguments that already hold
// more (join of a list repeating one large string would copy it once per
// element), checks the few functions that can multiply their input
// (replace, format, formatlist, indent, setproduct) before calling them,
// and checks every result.
//
// It also hides sensitive values in the function's errors (tonumber's
// "cannot convert ... to number", file's "cannot read ..."): its
// parameters accept marked values, so it sees which arguments are
// sensitive, and f unmarks them and marks its result as before.
func bounded(name string, f function.Function) function.Function {
	params := f.Params()
	for i := range params {
		params[i].AllowMarked = true
	}
	var varParam *function.Parameter
	if vp := f.VarParam(); vp != nil {
		p := *vp
		p.AllowMarked = true
		varParam = &p
	}
	return function.New(&function.Spec{
		Description: f.Description(),
		Params:      params,
		VarParam:    varParam,
		Type: func(args []cty.Value) (cty.Type, error) {
			ty, err := f.ReturnTypeForValues(args)
			if err != nil {
				return ty, redactError(err, args)
			}
			return ty, nil
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			v, err := guardedCall(name, f, args)
			if err != nil {
				return cty.NilVal, redactError(err, args)
			}
			return v, nil
		},
	})
}

// guardedCall checks the sizes of args, calls f and checks the size of its result.
func guardedCall(name string, f function.Function, args []cty.Value) (cty.Value, error) {
	n := 0
	for _, a := range args {
		n += limits.TextSize(a, limits.MaxString-n)
		if n > limits.MaxString {
			return cty.NilVal, fmt.Errorf("the arguments hold more than %s of text, the most one value may hold", mib(limits.MaxString))
		}
	}
	if check := growthChecks[name]; check != nil {
		plain := make([]cty.Value, len(args))
		for i, a := range args {
			plain[i], _ = a.UnmarkDeep()
		}
		if err := check(plain); err != nil {
			return cty.NilVal, err
		}
	}
	v, err := f.Call(args)
	if err == nil && limits.TooLong(v) {
		return cty.NilVal, fmt.Errorf("the result would hold more than %s of text, the most one value may hold", mib(limits.MaxString))
	}
	return v, err
}

func mib(n int) string { return fmt.Sprintf("%d MiB", n>>20) }

// growthChecks refuse, before the call, arguments that would make a
// function build a result far larger than its input.
var growthChecks = map[string]func(args []cty.Value) error{
	"replace": func(args []cty.Value) error {
		str, sub, repl, ok := knownStrings3(args)
		if !ok {
			return nil
		}
		count := len(str) + 1 // a regular expression may match between any two bytes
		if !(len(sub) > 1 && strings.HasPrefix(sub, "/") && strings.HasSuffix(sub, "/")) && sub != "" {
			count = strings.Count(str, sub)
		}
		if len(str)+count*len(repl) > limits.MaxString {
			return function.NewArgErrorf(2, "replacing %d matches with %d bytes each would make more than %s of text, the most one value may hold", count, len(repl), mib(limits.MaxString))
		}
		return nil
	},
	"format":     checkFormatWidths,
	"formatlist": checkFormatWidths,
	"indent": func(args []cty.Value) error {
		if len(args) < 2 || !known(args[0]) || !known(args[1]) {
			return nil
		}
		spaces, _ := args[0].AsBigFloat().Int64()
		lines := strings.Count(args[1].AsString(), "\n") + 1
		if spaces > limits.MaxString || spaces*int64(lines) > limits.MaxString {
			return function.NewArgErrorf(0, "indenting %d lines by %d spaces would make more than %s of text, the most one value may hold", lines, spaces, mib(limits.MaxString))
		}
		return nil
	},
	"setproduct": func(args []cty.Value) error {
		product := big.NewInt(1)
		for _, a := range args {
			if !known(a) || !a.CanIterateElements() {
				return nil
			}
			product.Mul(product, big.NewInt(int64(a.LengthInt())))
		}
		if product.Cmp(big.NewInt(maxProduct)) > 0 {
			return fmt.Errorf("the product has %s elements, more than the %d a value may hold", product, maxProduct)
		}
		return nil
	},
}

func known(v cty.Value) bool {
	v, _ = v.Unmark()
	return v.IsWhollyKnown() && !v.IsNull()
}

func knownStrings3(args []cty.Value) (a, b, c string, ok bool) {
	if len(args) != 3 {
		return "", "", "", false
	}
	var s [3]string
	for i, v := range args {
		v, _ = v.Unmark()
		if !known(v) || v.Type() != cty.String {
			return "", "", "", false
		}
		s[i] = v.AsString()
	}
	return s[0], s[1], s[2], true
}

// checkFormatWidths refuses a format string whose width or precision
// (%999999999s) would pad a value past the limit.
func checkFormatWidths(args []cty.Value) error {
	if len(args) == 0 {
		return nil
	}
	f, _ := args[0].Unmark()
	if !known(f) || f.Type() != cty.String {
		return nil
	}
	s := f.AsString()
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		n := 0
		for i++; i < len(s) && strings.IndexByte("0123456789.-+# []", s[i]) >= 0; i++ {
			if c := s[i]; c >= '0' && c <= '9' {
				n = min(n*10+int(c-'0'), limits.MaxString+1)
			} else {
				n = 0
			}
			if n > limits.MaxString {
				return function.NewArgErrorf(0, "a width or precision in the format is larger than %s, the most one value may hold", mib(limits.MaxString))
			}
		}
	}
	return nil
}
