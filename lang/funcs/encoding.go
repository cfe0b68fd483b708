package funcs

import (
	"encoding/base64"
	"net/url"
	"unicode/utf8"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// Base64EncodeFunc encodes a string's UTF-8 bytes as standard base64.
var Base64EncodeFunc = stringToString("Encodes str as standard base64 (RFC 4648, with padding).",
	func(s string) (string, error) {
		return base64.StdEncoding.EncodeToString([]byte(s)), nil
	})

// Base64DecodeFunc decodes standard base64 whose bytes must be UTF-8 text.
var Base64DecodeFunc = stringToString("Decodes standard base64 text; the decoded bytes must be UTF-8 text.",
	func(s string) (string, error) {
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return "", function.NewArgErrorf(0, "the string is not valid standard base64: %s", err)
		}
		if !utf8.Valid(b) {
			return "", function.NewArgErrorf(0, "the decoded bytes are not UTF-8 text; pipeform strings hold text only")
		}
		return string(b), nil
	})

// URLEncodeFunc escapes a string for use in a URL query (spaces become +).
var URLEncodeFunc = stringToString("Escapes str for use in a URL query string.",
	func(s string) (string, error) { return url.QueryEscape(s), nil })

// stringToString builds a function of one string returning a string.
func stringToString(desc string, f func(string) (string, error)) function.Function {
	return function.New(&function.Spec{
		Description: desc,
		Params:      []function.Parameter{{Name: "str", Type: cty.String}},
		Type:        function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			out, err := f(args[0].AsString())
			if err != nil {
				return cty.NilVal, err
			}
			return cty.StringVal(out), nil
		},
	})
}
