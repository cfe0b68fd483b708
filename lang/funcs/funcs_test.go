package funcs

import (
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

var (
	str  = cty.StringVal
	num  = cty.NumberIntVal
	numf = cty.NumberFloatVal
	strs = func(ss ...string) cty.Value {
		vals := make([]cty.Value, len(ss))
		for i, s := range ss {
			vals[i] = str(s)
		}
		return cty.ListVal(vals)
	}
	tuple = func(vs ...cty.Value) cty.Value { return cty.TupleVal(vs) }
	obj   = func(m map[string]cty.Value) cty.Value { return cty.ObjectVal(m) }
)

// call is one function call: expr is HCL evaluated with the table over
// testdata/config; either want is its value or err is a substring of the
// error.
type call struct {
	fn   string
	expr string
	want cty.Value
	err  string
}

var calls = []call{
	// Strings.
	{fn: "basename", expr: `basename("dist/app/index.html")`, want: str("index.html")},
	{fn: "basename", expr: `basename("")`, err: "the path is empty"},
	{fn: "chomp", expr: `chomp("a\n\n")`, want: str("a")},
	{fn: "chomp", expr: `chomp(["a"])`, err: "string required"},
	{fn: "dirname", expr: `dirname("dist/app/index.html")`, want: str("dist/app")},
	{fn: "dirname", expr: `dirname("index.html")`, want: str(".")},
	{fn: "dirname", expr: `dirname([])`, err: "string required"},
	{fn: "endswith", expr: `endswith("build.sh", ".sh")`, want: cty.True},
	{fn: "endswith", expr: `endswith("build.sh", ".py")`, want: cty.False},
	{fn: "endswith", expr: `endswith("a")`, err: "Not enough function arguments"},
	{fn: "format", expr: `format("%s-%03d", "build", 7)`, want: str("build-007")},
	{fn: "format", expr: `format("%d", "x")`, err: "unsupported value for \"%d\""},
	{fn: "formatlist", expr: `formatlist("%s.zip", ["a", "b"])`, want: strs("a.zip", "b.zip")},
	{fn: "formatlist", expr: `formatlist("%s-%s", ["a"], ["b", "c"])`, err: "inconsistent with argument 1"},
	{fn: "indent", expr: `indent(2, "a\nb")`, want: str("a\n  b")},
	{fn: "indent", expr: `indent("x", "a")`, err: "a number is required"},
	{fn: "join", expr: `join(",", ["a", "b"])`, want: str("a,b")},
	{fn: "join", expr: `join(",", "a")`, err: "list of string required"},
	{fn: "lower", expr: `lower("ABC")`, want: str("abc")},
	{fn: "lower", expr: `lower({})`, err: "string required"},
	{fn: "regex", expr: `regex("v(\\d+)", "v12")`, want: tuple(str("12"))},
	{fn: "regex", expr: `regex("x", "abc")`, err: "pattern did not match"},
	{fn: "regexall", expr: `regexall("\\d", "a1b2")`, want: cty.ListVal([]cty.Value{str("1"), str("2")})},
	{fn: "regexall", expr: `regexall("(", "a")`, err: "invalid regexp pattern"},
	{fn: "replace", expr: `replace("a-b-c", "-", "_")`, want: str("a_b_c")},
	{fn: "replace", expr: `replace("v12.3", "/v(\\d+)\\.(\\d+)/", "$2.$1")`, want: str("3.12")},
	{fn: "replace", expr: `replace("a", "/(/", "")`, err: "invalid regular expression /(/"},
	{fn: "split", expr: `split(",", "a,b")`, want: strs("a", "b")},
	{fn: "split", expr: `split(",")`, err: "Not enough function arguments"},
	{fn: "startswith", expr: `startswith("feature/x", "feature/")`, want: cty.True},
	{fn: "startswith", expr: `startswith("main", "feature/")`, want: cty.False},
	{fn: "startswith", expr: `startswith(null, "x")`, err: "must not be null"},
	{fn: "strcontains", expr: `strcontains("hello", "ell")`, want: cty.True},
	{fn: "strcontains", expr: `strcontains("hello", "x")`, want: cty.False},
	{fn: "strcontains", expr: `strcontains(["a"], "a")`, err: "string required"},
	{fn: "strrev", expr: `strrev("abc")`, want: str("cba")},
	{fn: "strrev", expr: `strrev([])`, err: "string required"},
	{fn: "substr", expr: `substr("hello", 1, 3)`, want: str("ell")},
	{fn: "substr", expr: `substr("hello", "a", 1)`, err: "a number is required"},
	{fn: "title", expr: `title("hello world")`, want: str("Hello World")},
	{fn: "title", expr: `title([])`, err: "string required"},
	{fn: "trim", expr: `trim("?!hello?!", "!?")`, want: str("hello")},
	{fn: "trim", expr: `trim("a")`, err: "Not enough function arguments"},
	{fn: "trimprefix", expr: `trimprefix("refs/heads/main", "refs/heads/")`, want: str("main")},
	{fn: "trimprefix", expr: `trimprefix("a")`, err: "Not enough function arguments"},
	{fn: "trimspace", expr: `trimspace("  a \n")`, want: str("a")},
	{fn: "trimspace", expr: `trimspace({})`, err: "string required"},
	{fn: "trimsuffix", expr: `trimsuffix("app.zip", ".zip")`, want: str("app")},
	{fn: "trimsuffix", expr: `trimsuffix("a")`, err: "Not enough function arguments"},
	{fn: "upper", expr: `upper("abc")`, want: str("ABC")},
	{fn: "upper", expr: `upper([])`, err: "string required"},

	// Collections.
	{fn: "alltrue", expr: `alltrue([true, true])`, want: cty.True},
	{fn: "alltrue", expr: `alltrue([true, false])`, want: cty.False},
	{fn: "alltrue", expr: `alltrue([])`, want: cty.True},
	{fn: "alltrue", expr: `alltrue([true, null])`, want: cty.False},
	{fn: "alltrue", expr: `alltrue(["x"])`, err: "a bool is required"},
	{fn: "anytrue", expr: `anytrue([false, true])`, want: cty.True},
	{fn: "anytrue", expr: `anytrue([])`, want: cty.False},
	{fn: "anytrue", expr: `anytrue([null, false])`, want: cty.False},
	{fn: "anytrue", expr: `anytrue(true)`, err: "list of bool required"},
	{fn: "chunklist", expr: `chunklist(["a", "b", "c"], 2)`, want: cty.ListVal([]cty.Value{strs("a", "b"), strs("c")})},
	{fn: "chunklist", expr: `chunklist(["a"], -1)`, err: "the size argument must be positive"},
	{fn: "coalesce", expr: `coalesce("", "b", "c")`, want: str("b")},
	{fn: "coalesce", expr: `coalesce(null, 2)`, want: num(2)},
	{fn: "coalesce", expr: `coalesce("a", [])`, err: "all arguments must have the same type"},
	{fn: "coalesce", expr: `coalesce()`, err: "at least one argument is required"},
	{fn: "coalesce", expr: `coalesce("", null)`, err: "every argument is null or an empty string"},
	{fn: "coalescelist", expr: `coalescelist([], ["a"])`, want: tuple(str("a"))},
	{fn: "coalescelist", expr: `coalescelist("a")`, err: "coalescelist arguments must be lists or tuples"},
	{fn: "compact", expr: `compact(["a", "", null, "b"])`, want: strs("a", "b")},
	{fn: "compact", expr: `compact("a")`, err: "list of string required"},
	{fn: "concat", expr: `concat(["a"], ["b"])`, want: tuple(str("a"), str("b"))},
	{fn: "concat", expr: `concat("a")`, err: "all arguments must be lists or tuples"},
	{fn: "contains", expr: `contains(["a", "b"], "b")`, want: cty.True},
	{fn: "contains", expr: `contains("ab", "b")`, err: "argument must be list, tuple, or set"},
	{fn: "distinct", expr: `distinct(["a", "b", "a"])`, want: strs("a", "b")},
	{fn: "distinct", expr: `distinct("a")`, err: "list of dynamic required"},
	{fn: "element", expr: `element(["a", "b"], 3)`, want: str("b")},
	{fn: "element", expr: `element([], 0)`, err: "empty"},
	{fn: "flatten", expr: `flatten([["a"], [["b"]], []])`, want: tuple(str("a"), str("b"))},
	{fn: "flatten", expr: `flatten("a")`, err: "can only flatten lists, sets and tuples"},
	{fn: "index", expr: `index(["a", "b"], "b")`, want: num(1)},
	{fn: "index", expr: `index(["a"], "z")`, err: "the value is not in the list"},
	{fn: "index", expr: `index({a = 1}, 1)`, err: "index wants a list or tuple, not object"},
	{fn: "keys", expr: `keys({b = 1, a = 2})`, want: tuple(str("a"), str("b"))},
	{fn: "keys", expr: `keys("a")`, err: "must have map or object type"},
	{fn: "length", expr: `length(["a", "b"])`, want: num(2)},
	{fn: "length", expr: `length({a = 1})`, want: num(1)},
	{fn: "length", expr: `length("héllo")`, want: num(5)},
	{fn: "length", expr: `length(1)`, err: "value must be a string, list, set, tuple, map or object, not number"},
	{fn: "lookup", expr: `lookup({a = "x"}, "b", "d")`, want: str("d")},
	{fn: "lookup", expr: `lookup("a", "b", "c")`, err: "lookup() requires a map as the first argument"},
	{fn: "merge", expr: `merge({a = 1}, {a = 2, b = 3})`, want: obj(map[string]cty.Value{"a": num(2), "b": num(3)})},
	{fn: "merge", expr: `merge("a")`, err: "arguments must be maps or objects"},
	{fn: "one", expr: `one(["a"])`, want: str("a")},
	{fn: "one", expr: `one(tolist([]))`, want: cty.NullVal(cty.DynamicPseudoType)},
	{fn: "one", expr: `one(["a", "b"])`, err: "one wants at most one"},
	{fn: "one", expr: `one(toset(["a", "b"]))`, err: "the collection has 2 elements"},
	{fn: "one", expr: `one("a")`, err: "one wants a list, set or tuple, not string"},
	{fn: "range", expr: `range(3)`, want: cty.ListVal([]cty.Value{num(0), num(1), num(2)})},
	{fn: "range", expr: `range("a")`, err: "a number is required"},
	{fn: "reverse", expr: `reverse(["a", "b"])`, want: tuple(str("b"), str("a"))},
	{fn: "reverse", expr: `reverse("ab")`, err: "can only reverse list or tuple"},
	{fn: "setintersection", expr: `setintersection(["a", "b"], ["b"])`, want: cty.SetVal([]cty.Value{str("b")})},
	{fn: "setintersection", expr: `setintersection("a")`, err: "set of dynamic required"},
	{fn: "setproduct", expr: `setproduct(["a"], ["x", "y"])`, want: cty.ListVal([]cty.Value{tuple(str("a"), str("x")), tuple(str("a"), str("y"))})},
	{fn: "setproduct", expr: `setproduct(["a"])`, err: "at least two arguments are required"},
	{fn: "setunion", expr: `setunion(["a"], ["b", "a"])`, want: cty.SetVal([]cty.Value{str("a"), str("b")})},
	{fn: "setunion", expr: `setunion("a")`, err: "set of dynamic required"},
	{fn: "slice", expr: `slice(["a", "b", "c"], 1, 3)`, want: tuple(str("b"), str("c"))},
	{fn: "slice", expr: `slice(["a"], 0, 5)`, err: "end index must not be greater than the length of the list"},
	{fn: "sort", expr: `sort(["b", "a"])`, want: strs("a", "b")},
	{fn: "sort", expr: `sort("a")`, err: "list of string required"},
	{fn: "transpose", expr: `transpose({a = ["x", "y"], b = ["x"]})`, want: cty.MapVal(map[string]cty.Value{"x": strs("a", "b"), "y": strs("a")})},
	{fn: "transpose", expr: `transpose({})`, want: cty.MapValEmpty(cty.List(cty.String))},
	{fn: "transpose", expr: `transpose({a = "x"})`, err: "list of string required"},
	{fn: "values", expr: `values({b = 1, a = 2})`, want: tuple(num(2), num(1))},
	{fn: "values", expr: `values("a")`, err: "values() requires a map"},
	{fn: "zipmap", expr: `zipmap(["a", "b"], [1, 2])`, want: obj(map[string]cty.Value{"a": num(1), "b": num(2)})},
	{fn: "zipmap", expr: `zipmap(["a"], [1, 2])`, err: "number of keys (1) does not match number of values (2)"},

	{fn: "sum", expr: `sum([1, 2.5, 3])`, want: numf(6.5)},
	{fn: "sum", expr: `sum(toset([2, 3]))`, want: num(5)},
	{fn: "sum", expr: `sum([])`, err: "cannot sum an empty list"},
	{fn: "sum", expr: `sum(["a"])`, err: "every element must be a number; found string"},
	{fn: "sum", expr: `sum([1, null])`, err: "every element must be a number; found a null"},
	{fn: "sum", expr: `sum(1)`, err: "sum wants a list, set or tuple of numbers, not number"},

	// Type conversions.
	{fn: "tobool", expr: `tobool("true")`, want: cty.True},
	{fn: "tobool", expr: `tobool("yes")`, err: `cannot convert "yes" to bool`},
	{fn: "tolist", expr: `tolist(["a", "b"])`, want: strs("a", "b")},
	{fn: "tolist", expr: `tolist("a")`, err: "cannot convert string to list of any single type"},
	{fn: "tomap", expr: `tomap({a = "x"})`, want: cty.MapVal(map[string]cty.Value{"a": str("x")})},
	{fn: "tomap", expr: `tomap("a")`, err: "cannot convert string to map of any single type"},
	{fn: "tonumber", expr: `tonumber("1.5")`, want: numf(1.5)},
	{fn: "tonumber", expr: `tonumber("x")`, err: `cannot convert "x" to number`},
	{fn: "toset", expr: `toset(["a", "a"])`, want: cty.SetVal([]cty.Value{str("a")})},
	{fn: "toset", expr: `toset("a")`, err: "cannot convert string to set of any single type"},
	{fn: "tostring", expr: `tostring(12)`, want: str("12")},
	{fn: "tostring", expr: `tostring(["a"])`, err: "cannot convert tuple to string"},

	// Numbers.
	{fn: "abs", expr: `abs(-3)`, want: num(3)},
	{fn: "abs", expr: `abs("x")`, err: "a number is required"},
	{fn: "ceil", expr: `ceil(1.2)`, want: num(2)},
	{fn: "ceil", expr: `ceil("x")`, err: "a number is required"},
	{fn: "floor", expr: `floor(1.8)`, want: num(1)},
	{fn: "floor", expr: `floor([])`, err: "number required"},
	{fn: "log", expr: `log(8, 2)`, want: num(3)},
	{fn: "log", expr: `log("x", 2)`, err: "a number is required"},
	{fn: "max", expr: `max(1, 5, 3)`, want: num(5)},
	{fn: "max", expr: `max()`, err: "must pass at least one number"},
	{fn: "min", expr: `min(4, 2)`, want: num(2)},
	{fn: "min", expr: `min("a")`, err: "a number is required"},
	{fn: "parseint", expr: `parseint("ff", 16)`, want: num(255)},
	{fn: "parseint", expr: `parseint("zz", 10)`, err: "cannot parse \"zz\" as a base 10 integer"},
	{fn: "pow", expr: `pow(2, 10)`, want: num(1024)},
	{fn: "pow", expr: `pow("x", 2)`, err: "a number is required"},
	{fn: "signum", expr: `signum(-7)`, want: num(-1)},
	{fn: "signum", expr: `signum("x")`, err: "a number is required"},

	// Encodings.
	{fn: "base64decode", expr: `base64decode("aGVsbG8=")`, want: str("hello")},
	{fn: "base64decode", expr: `base64decode("!!")`, err: "not valid standard base64"},
	{fn: "base64decode", expr: `base64decode("//4=")`, err: "not UTF-8 text"},
	{fn: "base64encode", expr: `base64encode("hello")`, want: str("aGVsbG8=")},
	{fn: "base64encode", expr: `base64encode([])`, err: "string required"},
	{fn: "csvdecode", expr: `csvdecode("a,b\n1,2\n")`, want: cty.ListVal([]cty.Value{obj(map[string]cty.Value{"a": str("1"), "b": str("2")})})},
	{fn: "csvdecode", expr: `csvdecode("a,b\n1\n")`, err: "wrong number of fields"},
	{fn: "jsondecode", expr: `jsondecode("{\"a\": [1, true]}")`, want: obj(map[string]cty.Value{"a": tuple(num(1), cty.True)})},
	{fn: "jsondecode", expr: `jsondecode("{")`, err: "EOF"},
	{fn: "jsonencode", expr: `jsonencode({b = [1, "x"], a = null})`, want: str(`{"a":null,"b":[1,"x"]}`)},
	{fn: "jsonencode", expr: `jsonencode()`, err: "Not enough function arguments"},
	{fn: "urlencode", expr: `urlencode("a b&c=d/é")`, want: str("a+b%26c%3Dd%2F%C3%A9")},
	{fn: "urlencode", expr: `urlencode({})`, err: "string required"},
	{fn: "yamldecode", expr: `yamldecode("a: 1\nb: [x, true, null, 1.5]\n")`, want: obj(map[string]cty.Value{
		"a": num(1), "b": tuple(str("x"), cty.True, cty.NullVal(cty.DynamicPseudoType), numf(1.5))})},
	{fn: "yamldecode", expr: `yamldecode("base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n")`, want: obj(map[string]cty.Value{
		"base": obj(map[string]cty.Value{"x": num(1), "y": num(2)}),
		"use":  obj(map[string]cty.Value{"x": num(1), "y": num(3)})})},
	{fn: "yamldecode", expr: `yamldecode("")`, want: cty.NullVal(cty.DynamicPseudoType)},
	{fn: "yamldecode", expr: `yamldecode("[]")`, want: cty.EmptyTupleVal},
	{fn: "yamldecode", expr: `yamldecode("0x10")`, want: num(16)},
	{fn: "yamldecode", expr: `yamldecode("123456789012345678901234567890")`, want: cty.MustParseNumberVal("123456789012345678901234567890")},
	{fn: "yamldecode", expr: `yamldecode("2024-01-02")`, want: str("2024-01-02")},
	{fn: "yamldecode", expr: `yamldecode("a: [")`, err: "invalid YAML"},
	{fn: "yamldecode", expr: `yamldecode("a: 1\n---\nb: 2\n")`, err: "more than one YAML document"},
	{fn: "yamldecode", expr: `yamldecode("? [a]\n: 1\n")`, err: "a mapping key must be a scalar, not a sequence"},
	{fn: "yamldecode", expr: `yamldecode(".inf")`, err: ".inf is not a finite number"},
	{fn: "yamldecode", expr: `yamldecode("a: 1\n<<: [1]\n")`, err: "a merge key (<<) must refer to a mapping"},
	{fn: "yamlencode", expr: `yamlencode({b = ["x", "true", 1.5, null], a = {}, c = []})`,
		want: str("a: {}\nb:\n  - x\n  - \"true\"\n  - 1.5\n  - null\nc: []\n")},
	{fn: "yamlencode", expr: `yamlencode("line1\nline2\n")`, want: str("|\n  line1\n  line2\n")},
	{fn: "yamlencode", expr: `yamlencode(["yes", "On", "n", "0x10", "1e3", "~", "a: b", "plain"])`,
		want: str("- \"yes\"\n- \"On\"\n- \"n\"\n- \"0x10\"\n- \"1e3\"\n- \"~\"\n- 'a: b'\n- plain\n")},
	{fn: "yamlencode", expr: `yamlencode(10)`, want: str("10\n")},
	{fn: "yamlencode", expr: `yamlencode()`, err: "Not enough function arguments"},

	// Hashes.
	{fn: "md5", expr: `md5("hello")`, want: str("5d41402abc4b2a76b9719d911017c592")},
	{fn: "md5", expr: `md5([])`, err: "string required"},
	{fn: "sha1", expr: `sha1("hello")`, want: str("aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d")},
	{fn: "sha1", expr: `sha1([])`, err: "string required"},
	{fn: "sha256", expr: `sha256("hello")`, want: str("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")},
	{fn: "sha256", expr: `sha256({})`, err: "string required"},
	{fn: "sha512", expr: `sha512("")`, want: str("cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e")},
	{fn: "sha512", expr: `sha512([])`, err: "string required"},

	// Files.
	{fn: "file", expr: `file("scripts/build.sh")`, want: str("echo build\n")},
	{fn: "file", expr: `file("./scripts/../scripts/build.sh")`, want: str("echo build\n")},
	{fn: "file", expr: `file("missing.txt")`, err: `cannot read "missing.txt": no such file`},
	{fn: "file", expr: `file("../funcs.go")`, err: `"../funcs.go" is outside the configuration directory`},
	{fn: "file", expr: `file("scripts/../../x")`, err: "is outside the configuration directory"},
	{fn: "file", expr: `file("/etc/passwd")`, err: `"/etc/passwd" is not a relative slash-separated path`},
	{fn: "file", expr: `file("C:\\x")`, err: "is not a relative slash-separated path"},
	{fn: "file", expr: `file("")`, err: "the path is empty"},
	{fn: "file", expr: `file("blob.bin")`, err: `"blob.bin" is not UTF-8 text`},
	{fn: "file", expr: `file("scripts")`, err: `cannot read "scripts"`},
	{fn: "fileexists", expr: `fileexists("scripts/build.sh")`, want: cty.True},
	{fn: "fileexists", expr: `fileexists("nope.sh")`, want: cty.False},
	{fn: "fileexists", expr: `fileexists("scripts")`, err: `"scripts" exists but is not a regular file`},
	{fn: "fileexists", expr: `fileexists("../x")`, err: "is outside the configuration directory"},
	{fn: "filemd5", expr: `filemd5("scripts/build.sh")`, want: str("e5f1eb140845545c9144af7022ef16d3")},
	{fn: "filemd5", expr: `filemd5("nope")`, err: `cannot read "nope": no such file`},
	{fn: "filesha1", expr: `filesha1("blob.bin")`, want: str("132fc8539b71cb2f8ccf6f0e8d6abff00be952f9")},
	{fn: "filesha1", expr: `filesha1("../x")`, err: "is outside the configuration directory"},
	{fn: "filesha256", expr: `filesha256("scripts/build.sh")`, want: str("d52939ae1382db8499d890ab09796038d17ac8a1a0ff31a9a22613bd06a72249")},
	{fn: "filesha256", expr: `filesha256("scripts")`, err: `cannot read "scripts"`},
	{fn: "filesha512", expr: `filesha512("scripts/build.sh")`,
		want: str("fb59d287e6411a38d9745baa8b82cffdca8b463d9ab47a3f05314cf8b827d2a20fa46de12f30096c5ba7fd07e2a299b062fc0eb052c2f798dae0c376103b4db8")},
	{fn: "filesha512", expr: `filesha512("/etc/hosts")`, err: "is not a relative slash-separated path"},
	{fn: "fileset", expr: `fileset("scripts", "*.sh")`, want: cty.SetVal([]cty.Value{str("build.sh"), str("test.sh")})},
	{fn: "fileset", expr: `fileset(".", "**/*.sh")`, want: cty.SetVal([]cty.Value{
		str("scripts/build.sh"), str("scripts/lib/common.sh"), str("scripts/test.sh")})},
	{fn: "fileset", expr: `fileset("scripts", "{build,lib/common}.sh")`, want: cty.SetVal([]cty.Value{str("build.sh"), str("lib/common.sh")})},
	{fn: "fileset", expr: `fileset(".", "*.md")`, want: cty.SetVal([]cty.Value{str("README.md")})},
	{fn: "fileset", expr: `fileset("nowhere", "*")`, want: cty.SetValEmpty(cty.String)},
	{fn: "fileset", expr: `fileset(".", "[")`, err: `invalid pattern "["`},
	{fn: "fileset", expr: `fileset(".", "{a")`, err: `unmatched "{"`},
	{fn: "fileset", expr: `fileset("scripts/build.sh", "*")`, err: `"scripts/build.sh" is a file, not a directory`},
	{fn: "fileset", expr: `fileset("..", "*")`, err: "is outside the configuration directory"},
	{fn: "templatefile", expr: `templatefile("templates/buildspec.yml.tpl", {commands = ["make", "make test"]})`,
		want: str("version: 0.2\nphases:\n  build:\n    commands:\n      - make\n      - make test\n")},
	{fn: "templatefile", expr: `templatefile("templates/upper.tpl", {name = "x"})`, want: str("X")},
	{fn: "templatefile", expr: `templatefile("templates/broken.tpl", {})`, err: "the template has errors: templates/broken.tpl:1,"},
	{fn: "templatefile", expr: `templatefile("templates/unknown.tpl", {})`, err: `Unknown variable: There is no variable named "nobody"`},
	{fn: "templatefile", expr: `templatefile("templates/recurse.tpl", {})`, err: "templatefile cannot be called from inside a template"},
	{fn: "templatefile", expr: `templatefile("templates/upper.tpl", "x")`, err: "vars must be a map or object, not string"},
	{fn: "templatefile", expr: `templatefile("templates/upper.tpl", {"a b" = 1})`, err: `"a b" is not a valid variable name`},
	{fn: "templatefile", expr: `templatefile("../x.tpl", {})`, err: "is outside the configuration directory"},

	// Error handling.
	{fn: "can", expr: `can(tonumber("1"))`, want: cty.True},
	{fn: "can", expr: `can(tonumber("x"))`, want: cty.False},
	{fn: "can", expr: `can()`, err: "Not enough function arguments"},
	{fn: "try", expr: `try(tonumber("x"), 7)`, want: num(7)},
	{fn: "try", expr: `try(tonumber("x"), tobool("x"))`, err: "no expression succeeded"},
}

func TestFunctions(t *testing.T) {
	table := Table(os.DirFS("testdata/config"))
	for _, c := range calls {
		t.Run(c.expr, func(t *testing.T) {
			if _, ok := table[c.fn]; !ok {
				t.Fatalf("%s is not in the table", c.fn)
			}
			got, diags := eval(t, c.expr, table)
			if c.err != "" {
				if !diags.HasErrors() {
					t.Fatalf("got %#v, want an error containing %q", got, c.err)
				}
				if msg := diags.Error(); !strings.Contains(msg, c.err) {
					t.Fatalf("error %q does not contain %q", msg, c.err)
				}
				return
			}
			if diags.HasErrors() {
				t.Fatalf("unexpected error: %s", diags.Error())
			}
			if !got.RawEquals(c.want) {
				t.Fatalf("got  %#v\nwant %#v", got, c.want)
			}
		})
	}
}

// TestEveryFunctionTested requires a success and a failure case for every
// function in the table, so a new function cannot arrive untested.
func TestEveryFunctionTested(t *testing.T) {
	ok, failed := map[string]bool{}, map[string]bool{}
	for _, c := range calls {
		if c.err == "" {
			ok[c.fn] = true
		} else {
			failed[c.fn] = true
		}
	}
	for _, name := range Names() {
		if !ok[name] {
			t.Errorf("%s has no success case in calls", name)
		}
		if !failed[name] {
			t.Errorf("%s has no error case in calls", name)
		}
	}
}

func TestOmitted(t *testing.T) {
	table := Table(nil)
	for name := range Omitted {
		if _, ok := table[name]; ok {
			t.Errorf("%s is both in the table and in Omitted", name)
		}
	}
	_, diags := eval(t, `upper(timestamp())`, table)
	_, other := eval(t, `timestmp()`, table)
	diags = append(diags, other...)
	ExplainOmitted(diags)
	if len(diags) != 2 {
		t.Fatalf("got %d diagnostics, want 2: %v", len(diags), diags)
	}
	if diags[0].Summary != "Call to unknown function" || diags[0].Detail != Omitted["timestamp"] {
		t.Errorf("timestamp() gave %q: %q", diags[0].Summary, diags[0].Detail)
	}
	if !strings.HasPrefix(diags[1].Detail, `There is no function named "timestmp".`) {
		t.Errorf("timestmp() gave %q, want hcl's own detail", diags[1].Detail)
	}
}

// TestUnknowns checks that unknown arguments, even nested ones, give
// unknown results rather than errors or wrong values.
func TestUnknowns(t *testing.T) {
	table := Table(os.DirFS("testdata/config"))
	vars := map[string]cty.Value{
		"us": cty.UnknownVal(cty.String),
		"ul": cty.ListVal([]cty.Value{str("a"), cty.UnknownVal(cty.String)}),
		"ub": cty.ListVal([]cty.Value{cty.True, cty.UnknownVal(cty.Bool)}),
	}
	for _, expr := range []string{
		`startswith(us, "a")`, `replace(us, "a", "b")`, `length(us)`, `index(ul, "z")`,
		`alltrue(ub)`, `anytrue([false, ub[1]])`, `transpose({a = ul})`, `yamlencode(ul)`,
		`yamldecode(us)`, `md5(us)`, `base64encode(us)`, `file(us)`, `fileexists(us)`,
		`fileset(".", us)`, `templatefile("templates/upper.tpl", {name = us})`,
	} {
		e, diags := hclsyntax.ParseExpression([]byte(expr), "test.hcl", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", expr, diags.Error())
		}
		got, diags := e.Value(&hcl.EvalContext{Variables: vars, Functions: table})
		if diags.HasErrors() {
			t.Errorf("%s: unexpected error: %s", expr, diags.Error())
			continue
		}
		if got.IsWhollyKnown() {
			t.Errorf("%s = %#v, want an unknown result", expr, got)
		}
	}
}

func TestNilFS(t *testing.T) {
	_, diags := eval(t, `file("a.txt")`, Table(nil))
	if !strings.Contains(diags.Error(), "file functions are not available here") {
		t.Fatalf("got %v", diags)
	}
}

func eval(t *testing.T, expr string, table map[string]function.Function) (cty.Value, hcl.Diagnostics) {
	t.Helper()
	e, diags := hclsyntax.ParseExpression([]byte(expr), "test.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("cannot parse %s: %s", expr, diags.Error())
	}
	return e.Value(&hcl.EvalContext{Functions: table})
}

// TestYAMLRoundTrip checks that yamldecode reads back what yamlencode
// writes, including strings that look like other YAML types.
func TestYAMLRoundTrip(t *testing.T) {
	table := Table(nil)
	for _, expr := range []string{
		`{a = "true", b = "1.5", c = "null", d = "", e = "~", f = "- x", g = "a: b", h = "#c"}`,
		`["multi\nline\n", "trailing space \nx", "  lead", "é", "0x10", "1e3", "yes", "no"]`,
		`{nested = {list = [1, 2.5, -3, true, null], empty = {}, none = []}}`,
		`123456789012345678901234567890`,
	} {
		want, diags := eval(t, expr, table)
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		got, diags := eval(t, "yamldecode(yamlencode("+expr+"))", table)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", expr, diags.Error())
		}
		if !got.Equals(want).True() {
			t.Errorf("%s came back as %#v", expr, got)
		}
	}
}

func BenchmarkTable(b *testing.B) {
	for b.Loop() {
		Table(nil)
	}
}
