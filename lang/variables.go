package lang

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/pipeform/pipeform/lang/config"
	"github.com/pipeform/pipeform/lang/funcs"
	"github.com/pipeform/pipeform/lang/limits"
)

// varDecl is a declared input variable while its value is being worked out.
type varDecl struct {
	cfg         *config.Variable
	defaults    *typeexpr.Defaults
	hasDefault  bool
	validations []*hcl.BodyContent
	// raw is the winning value before conversion; rng where it was written
	// (nil for -var and PF_VAR_ values, which have no file).
	raw    cty.Value
	hasRaw bool
	rng    *hcl.Range
	failed bool
}

// decodeVariables decodes the variable blocks, resolves each one's value by
// precedence and publishes var.* in the root context.
func (l *loader) decodeVariables(blocks hcl.Blocks, varFiles []*hcl.File) []*config.Variable {
	dups := newDupCheck("variable")
	for _, b := range blocks {
		name := b.Labels[0]
		if !hclsyntax.ValidIdentifier(name) {
			l.errorf(b.LabelRanges[0], "Invalid variable name", "%q is not a valid name: use letters, digits, underscores and dashes, starting with a letter.", name)
			continue
		}
		if !dups.add(l, name, b.DefRange) {
			continue
		}
		l.vars[name] = l.decodeVariable(b)
	}

	// Values by precedence: default < PF_VAR_ < *.pfvars < -var/-var-file.
	for _, name := range sortedNames(l.opts.Env) {
		if v := l.vars[name]; v != nil {
			l.setRaw(v, l.parseRawValue(v, l.opts.Env[name], "PF_VAR_"+name), nil)
		}
	}
	for _, f := range varFiles {
		l.applyVarFile(f)
	}
	for _, a := range l.opts.Args {
		if a.File != "" || a.Src != nil {
			l.applyVarFile(l.parse(a.Src, a.File))
			continue
		}
		v := l.vars[a.Name]
		if v == nil {
			l.diags = append(l.diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Value for undeclared variable",
				Detail: fmt.Sprintf("A --var value was given for %q, but no variable of that name is declared.%s",
					a.Name, suggest(a.Name, sortedNames(l.vars))),
			})
			continue
		}
		l.setRaw(v, l.parseRawValue(v, a.Value, "--var "+a.Name), nil)
	}

	out := make([]*config.Variable, 0, len(l.vars))
	vals := map[string]cty.Value{}
	for _, name := range sortedNames(l.vars) {
		v := l.vars[name]
		l.finalValue(v)
		vals[name] = v.cfg.Value
		if v.cfg.Sensitive {
			// Marked in the evaluation context only, so hcl's diagnostic
			// writer leaves it out of its "with var.x as ..." lines; the
			// model keeps the plain value.
			vals[name] = v.cfg.Value.Mark(funcs.Sensitive)
			l.noteSensitive(vals[name])
		}
		out = append(out, v.cfg)
	}
	l.root.Variables["var"] = cty.ObjectVal(vals)
	return out
}

func (l *loader) decodeVariable(b *hcl.Block) *varDecl {
	content, diags := b.Body.Content(variableSchema)
	l.diags = append(l.diags, diags...)
	v := &varDecl{cfg: &config.Variable{Name: b.Labels[0], Type: cty.DynamicPseudoType, DeclRange: b.DefRange}}
	sc := &scope{ctx: nil}
	if a := content.Attributes["type"]; a != nil {
		ty, defaults, diags := typeexpr.TypeConstraintWithDefaults(a.Expr)
		l.diags = append(l.diags, diags...)
		if !diags.HasErrors() {
			v.cfg.Type, v.defaults = ty, defaults
		}
	}
	v.cfg.Description = l.str(content.Attributes, "description", sc)
	v.cfg.Sensitive = l.boolean(content.Attributes, "sensitive", sc)
	if a := content.Attributes["default"]; a != nil {
		val := l.eval(a.Expr, sc)
		if val.IsWhollyKnown() {
			if cv, err := l.convertVar(v, val); err != nil {
				l.errorf(a.Expr.Range(), "Invalid default value for variable", "This default value is not compatible with the variable's type constraint: %s.", err)
				v.failed = true
			} else {
				v.raw, v.hasRaw, v.hasDefault = cv, true, true
				v.rng = a.Expr.Range().Ptr()
			}
		} else {
			v.failed = true
		}
	}
	for _, vb := range content.Blocks {
		vc, diags := vb.Body.Content(validationSchema)
		l.diags = append(l.diags, diags...)
		if !diags.HasErrors() {
			v.validations = append(v.validations, vc)
		}
	}
	return v
}

// convertVar applies the type's optional-attribute defaults and converts.
func (l *loader) convertVar(v *varDecl, val cty.Value) (cty.Value, error) {
	if v.defaults != nil {
		val = v.defaults.Apply(val)
	}
	cv, err := convert.Convert(val, v.cfg.Type)
	return cv, withPath(err, "var."+v.cfg.Name)
}

// withPath puts the path of a conversion error, from root, in front of its
// message (`var.x.items[1].port: a number is required`), so a mistake deep
// in an object or a list can be found.
func withPath(err error, root string) error {
	var pe cty.PathError
	if !errors.As(err, &pe) || len(pe.Path) == 0 {
		return err
	}
	var b strings.Builder
	b.WriteString(root)
	for _, step := range pe.Path {
		switch s := step.(type) {
		case cty.GetAttrStep:
			fmt.Fprintf(&b, ".%s", s.Name)
		case cty.IndexStep:
			switch {
			case s.Key.Type() == cty.String:
				fmt.Fprintf(&b, "[%q]", s.Key.AsString())
			case s.Key.Type() == cty.Number:
				fmt.Fprintf(&b, "[%s]", s.Key.AsBigFloat().Text('f', -1))
			default:
				return err
			}
		}
	}
	return fmt.Errorf("%s: %w", b.String(), err)
}

// parseRawValue reads a -var or PF_VAR_ value: literally for primitive
// types (and untyped variables), as an HCL expression otherwise.
func (l *loader) parseRawValue(v *varDecl, raw, origin string) cty.Value {
	ty := v.cfg.Type
	if ty == cty.DynamicPseudoType || ty.IsPrimitiveType() {
		return cty.StringVal(raw)
	}
	name := fmt.Sprintf("<value for %s>", origin)
	if d := limits.CheckNesting([]byte(raw), name, false); d != nil {
		l.diags = append(l.diags, d)
		return cty.DynamicVal
	}
	expr, diags := hclsyntax.ParseExpression([]byte(raw), name, hcl.InitialPos)
	l.diags = append(l.diags, diags...)
	if diags.HasErrors() {
		return cty.DynamicVal
	}
	val, diags := expr.Value(nil)
	l.diags = append(l.diags, diags...)
	if diags.HasErrors() {
		return cty.DynamicVal
	}
	return val
}

func (l *loader) setRaw(v *varDecl, val cty.Value, rng *hcl.Range) {
	v.raw, v.hasRaw, v.rng = val, true, rng
	v.failed = !val.IsWhollyKnown()
}

// applyVarFile applies the attributes of a *.pfvars or -var-file file.
func (l *loader) applyVarFile(f *hcl.File) {
	if f == nil || f.Body == nil {
		return
	}
	attrs, diags := f.Body.JustAttributes()
	l.diags = append(l.diags, diags...)
	for _, name := range sortedNames(attrs) {
		a := attrs[name]
		v := l.vars[name]
		if v == nil {
			l.diags = append(l.diags, &hcl.Diagnostic{
				Severity: hcl.DiagWarning,
				Summary:  "Value for undeclared variable",
				Detail: fmt.Sprintf("The file sets %q, but no variable of that name is declared, so the value is ignored.%s",
					name, suggest(name, sortedNames(l.vars))),
				Subject: a.NameRange.Ptr(),
			})
			continue
		}
		val, diags := a.Expr.Value(nil)
		l.diags = append(l.diags, diags...)
		if diags.HasErrors() {
			val = cty.DynamicVal
		}
		l.setRaw(v, val, a.Expr.Range().Ptr())
	}
}

// finalValue converts the winning value and reports missing ones.
func (l *loader) finalValue(v *varDecl) {
	v.cfg.Value = cty.DynamicVal
	if v.failed {
		return
	}
	if !v.hasRaw {
		l.errorf(v.cfg.DeclRange, "No value for required variable",
			"The variable %q has no default, so it needs a value. Give one on the command line with --var %s=VALUE, in the environment with PF_VAR_%s=VALUE, or in a file: a line %s = \"VALUE\" in a *.pfvars file in the configuration directory, or in a file passed with --var-file. Or add a default to the variable block.",
			v.cfg.Name, v.cfg.Name, v.cfg.Name, v.cfg.Name)
		v.failed = true
		return
	}
	cv, err := l.convertVar(v, v.raw)
	if err != nil {
		d := &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid value for variable",
			Detail:   fmt.Sprintf("The value given for %q is not compatible with its type constraint %s: %s.", v.cfg.Name, typeexpr.TypeString(v.cfg.Type), err),
			Subject:  v.rng,
		}
		l.diags = append(l.diags, d)
		v.failed = true
		return
	}
	v.cfg.Value = cv
}

// checkValidations runs every variable's validation rules; it runs after
// locals so conditions may use them.
func (l *loader) checkValidations() {
	sc := &scope{ctx: l.root}
	for _, name := range sortedNames(l.vars) {
		v := l.vars[name]
		if v.failed {
			continue
		}
		for _, vc := range v.validations {
			l.checkValidation(v, vc, sc)
		}
	}
}

func (l *loader) checkValidation(v *varDecl, vc *hcl.BodyContent, sc *scope) {
	cond := vc.Attributes["condition"]
	raw := l.eval(cond.Expr, sc)
	if !raw.IsWhollyKnown() {
		return
	}
	val, err := convert.Convert(raw, cty.Bool)
	if err != nil || val.IsNull() {
		l.errorf(cond.Expr.Range(), "Invalid validation condition", "The condition must be true or false, not %s.", friendly(raw))
		return
	}
	if val.True() {
		return
	}
	msg := l.errorMessage(vc.Attributes["error_message"], sc)
	if msg == "" {
		msg = fmt.Sprintf("The value of %q does not satisfy its validation rule.", v.cfg.Name)
	}
	subject := v.rng
	// The value's line would show a sensitive value (from a *.pfvars file,
	// say) in the snippet: point at the rule instead.
	if subject == nil || v.cfg.Sensitive {
		subject = cond.Expr.Range().Ptr()
	}
	l.diags = append(l.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Variable validation failed",
		Detail:   fmt.Sprintf("%s\n\nThis was checked by the validation rule at %s.", msg, shortPos(cond.Expr.Range())),
		Subject:  subject,
	})
}

// errorMessage evaluates a validation's error_message. A message computed
// from a sensitive value is not shown, as Terraform does.
func (l *loader) errorMessage(attr *hcl.Attribute, sc *scope) string {
	if attr == nil {
		return ""
	}
	v := l.evalMarked(attr.Expr, sc)
	if v.ContainsMarked() {
		return "The error message included a sensitive value, so it is not displayed."
	}
	if !v.IsWhollyKnown() || v.IsNull() {
		return ""
	}
	cv, err := convert.Convert(v, cty.String)
	if err != nil {
		l.typeError(attr, err.Error())
		return ""
	}
	return cv.AsString()
}
