package lang

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"
)

const precedenceConfig = `
variable "name" {
  type    = string
  default = "default"
}
variable "list" {
  type    = list(string)
  default = []
}
variable "obj" {
  type = object({
    a = string
    b = optional(number, 7)
  })
  default = { a = "x" }
}
variable "any" {}
`

func TestVariablePrecedence(t *testing.T) {
	tests := []struct {
		name  string
		fsys  fstest.MapFS
		opts  Options
		want  map[string]cty.Value
		diags []string
	}{{
		name: "defaults",
		opts: Options{Env: map[string]string{"any": "a"}},
		want: map[string]cty.Value{
			"name": cty.StringVal("default"),
			"list": cty.ListValEmpty(cty.String),
			"obj":  cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("x"), "b": cty.NumberIntVal(7)}),
			"any":  cty.StringVal("a"),
		},
	}, {
		name: "env < pfvars in name order < -var and -var-file in order",
		fsys: fstest.MapFS{
			"a.pfvars": {Data: []byte(`name = "a-file"` + "\n" + `any = "from-a"`)},
			"b.pfvars": {Data: []byte(`name = "b-file"`)},
		},
		opts: Options{
			Env: map[string]string{"name": "env", "list": `["e1", "e2"]`, "any": "env"},
			Args: []VarArg{
				{Name: "name", Value: "first"},
				{File: "x.pfvars", Src: []byte(`obj = { a = "file", b = 1 }`)},
				{Name: "name", Value: "[not parsed]"},
			},
		},
		want: map[string]cty.Value{
			"name": cty.StringVal("[not parsed]"),
			"list": cty.ListVal([]cty.Value{cty.StringVal("e1"), cty.StringVal("e2")}),
			"obj":  cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("file"), "b": cty.NumberIntVal(1)}),
			"any":  cty.StringVal("from-a"),
		},
	}, {
		name: "-var for a non-string type is an HCL expression",
		opts: Options{Args: []VarArg{{Name: "any", Value: "x"}, {Name: "obj", Value: `{ a = "y" }`}}},
		want: map[string]cty.Value{
			"name": cty.StringVal("default"),
			"list": cty.ListValEmpty(cty.String),
			"obj":  cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("y"), "b": cty.NumberIntVal(7)}),
			"any":  cty.StringVal("x"),
		},
	}, {
		name:  "bad -var values",
		opts:  Options{Args: []VarArg{{Name: "any", Value: "x"}, {Name: "list", Value: `[`}, {Name: "nope", Value: "1"}, {Name: "obj", Value: `{ b = 1 }`}}},
		diags: []string{"(no file):0: Invalid value for variable", "(no file):0: Value for undeclared variable", "<value for --var list>:1: Missing expression"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{"main.pf.hcl": {Data: []byte(precedenceConfig)}}
			for k, v := range tt.fsys {
				fsys[k] = v
			}
			res, diags := Load(fsys, tt.opts)
			var got []string
			for _, d := range diags {
				key := "(no file):0"
				if d.Subject != nil {
					key = d.Subject.Filename + ":" + itoa(d.Subject.Start.Line)
				}
				got = append(got, key+": "+d.Summary)
			}
			if diff := cmp.Diff(tt.diags, got); diff != "" {
				t.Fatalf("diagnostics (-want +got):\n%s\n%s", diff, diags)
			}
			if tt.want == nil {
				return
			}
			for _, v := range res.Config.Variables {
				if !v.Value.RawEquals(tt.want[v.Name]) {
					t.Errorf("var.%s = %#v, want %#v", v.Name, v.Value, tt.want[v.Name])
				}
			}
		})
	}
}

func itoa(n int) string { return cty.NumberIntVal(int64(n)).AsBigFloat().String() }

func TestLocalCycleChain(t *testing.T) {
	src := `
locals {
  d = local.b
  b = "${local.c}-x"
}
locals {
  c = upper(local.a)
  a = local.b
}
`
	_, diags := Load(fstest.MapFS{"main.pf.hcl": {Data: []byte(src)}}, Options{})
	if len(diags) != 1 {
		t.Fatalf("want one diagnostic, got %v", diags)
	}
	d := diags[0]
	want := "local.b -> local.c -> local.a -> local.b"
	if d.Summary != "Cycle in local values" || !strings.Contains(d.Detail, want) || d.Subject.Start.Line != 4 {
		t.Fatalf("got %s at line %d, want the chain %s at line 4", d.Detail, d.Subject.Start.Line, want)
	}
}

// A value that does not fit a nested type constraint is reported with the
// path to the wrong part, and a duplicate uses the right article.
func TestVariableConversionPath(t *testing.T) {
	fsys := fstest.MapFS{"main.pf.hcl": {Data: []byte(`
variable "y" {
  type    = object({ l = list(object({ n = number })) })
  default = { l = [{ n = 1 }, { n = "x" }] }
}
variable "z" {
  type    = map(number)
  default = {}
}
variable "z" {}
`)}}
	_, diags := Load(fsys, Options{Env: map[string]string{"z": `{a = "b"}`}})
	want := []string{
		`Invalid value for variable: The value given for "z" is not compatible with its type constraint map(number): var.z["a"]: a number is required.`,
		`Invalid default value for variable: This default value is not compatible with the variable's type constraint: var.y.l[1].n: a number is required.`,
		`Duplicate variable: A variable named "z" was already declared at main.pf.hcl:6,1. Names must be unique; rename or remove one of them.`,
	}
	var got []string
	for _, d := range diags {
		got = append(got, d.Summary+": "+d.Detail)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

func TestArticle(t *testing.T) {
	for word, want := range map[string]string{"action": "An", "stage": "A", "variable": "A", "object": "An"} {
		if got := article(word); got != want {
			t.Errorf("article(%q) = %q, want %q", word, got, want)
		}
	}
}

// The model keeps which pipeline variable defaults and which env.variables
// entries are sensitive, a sensitive bool included (its "true" is no text
// to mask), so the executor can mask them where it records them as fields.
func TestSensitiveFields(t *testing.T) {
	fsys := fstest.MapFS{"main.pf.hcl": {Data: []byte(`
variable "dry" {
  type      = bool
  sensitive = true
  default   = true
}
variable "token" {
  type      = string
  sensitive = true
  default   = "tok-SENS-4242"
}
project "show" {
  env {
    variables = { DRY = var.dry, TOKEN = "x-${var.token}", PLAIN = "yes" }
  }
}
pipeline "web" {
  variable "dry_run" { default = var.dry }
  variable "plain" { default = "no" }
  stage "Build" {
    action "show" { codebuild = project.show }
    action "env" {
      codebuild {
        project               = project.show
        environment_variables = { E = var.dry, T = "x-${var.token}", P = "plain" }
      }
    }
    action "cmds" {
      commands {}
      commands              = ["true"]
      environment_variables = { C = var.dry, P = "plain" }
    }
  }
}
`)}}
	res, diags := Load(fsys, Options{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	env := res.Config.Projects[0].Env
	if want := []string{"DRY", "TOKEN"}; !slices.Equal(env.SensitiveVariables, want) || env.Variables["DRY"] != "true" {
		t.Errorf("env: sensitive %q (want %q), DRY=%q", env.SensitiveVariables, want, env.Variables["DRY"])
	}
	got := map[string]bool{}
	for _, v := range res.Config.Pipelines[0].Variables {
		got[v.Name] = v.Sensitive
	}
	if !got["dry_run"] || got["plain"] {
		t.Errorf("pipeline variables sensitive: %v, want dry_run only", got)
	}
	acts := map[string][]string{}
	for _, a := range res.Config.Pipelines[0].Stages[0].Actions {
		acts[a.Name] = a.SensitiveEnvironment
	}
	want := map[string][]string{"show": nil, "env": {"E", "T"}, "cmds": {"C"}}
	if diff := cmp.Diff(want, acts); diff != "" {
		t.Errorf("actions' sensitive environment (-want +got):\n%s", diff)
	}
}
