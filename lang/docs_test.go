package lang

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/pipeform/pipeform/lang/providers"
)

// TestLanguageDoc checks that docs/language.md names every block and
// attribute of every schema and every provider block.
func TestLanguageDoc(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "docs", "language.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(src)
	schemas := []*hcl.BodySchema{rootSchema, variableSchema, validationSchema, projectSchema, envSchema,
		proxySchema, phaseSchema, reportSchema, artifactsSchema, cacheSchema, pipelineSchema,
		artifactStoreSchema, pipelineVariableSchema, triggerSchema, pushSchema, pullRequestSchema,
		includeExcludeSchema, notificationSchema, roleStatementSchema, stageSchema, onFailureSchema, conditionsSchema,
		conditionSchema, ruleSchema, actionSchema, localSchema, customSchema}
	for _, s := range providerSchemas {
		schemas = append(schemas, s)
	}
	for _, s := range schemas {
		for _, a := range s.Attributes {
			if !strings.Contains(doc, "`"+a.Name+"`") {
				t.Errorf("docs/language.md does not mention attribute `%s`", a.Name)
			}
		}
		for _, b := range s.Blocks {
			if !strings.Contains(doc, "`"+b.Type) {
				t.Errorf("docs/language.md does not mention block `%s`", b.Type)
			}
		}
	}
	for _, p := range providers.All {
		head := "#### `" + p.Block + "`"
		i := strings.Index(doc, head)
		if i < 0 {
			t.Errorf("docs/language.md has no section for provider block `%s`", p.Block)
			continue
		}
		// The provider's own section: up to the next heading.
		sec := doc[i+len(head):]
		if j := strings.Index(sec, "\n#"); j >= 0 {
			sec = sec[:j]
		}
		for _, a := range p.Attrs {
			if !strings.Contains(sec, "`"+a.Name+"`") {
				t.Errorf("docs/language.md: the section of `%s` does not list its attribute `%s`", p.Block, a.Name)
			}
			if a.Key != "" && !strings.Contains(sec, "`"+a.Key+"`") {
				t.Errorf("docs/language.md: the section of `%s` does not name the configuration key `%s` of `%s`", p.Block, a.Key, a.Name)
			}
			checkLimitsDoc(t, p.Block, a, sec)
		}
	}
}

// TestBlockSchema checks that every block a schema names has a schema at
// its path.
func TestBlockSchema(t *testing.T) {
	var walk func(path string, s *hcl.BodySchema)
	walk = func(path string, s *hcl.BodySchema) {
		for _, b := range s.Blocks {
			p := b.Type
			if path != "" {
				p = path + "." + b.Type
			}
			sub := BlockSchema(p)
			if sub == nil {
				t.Errorf("BlockSchema(%q) is nil", p)
				continue
			}
			walk(p, sub)
		}
	}
	walk("", BlockSchema(""))
	if BlockSchema("pipeline.stage.action.codecommit").Attributes[0].Name != "repository" {
		t.Error("provider block schema not found")
	}
}

// checkLimitsDoc: the row of a provider attribute in docs/language.md
// states the catalog's limits: every valid value, the most elements and the
// number range (the catalog is the one place they are written).
func checkLimitsDoc(t *testing.T, block string, a providers.Attr, sec string) {
	t.Helper()
	row := ""
	for _, line := range strings.Split(sec, "\n") {
		if strings.HasPrefix(line, "| `"+a.Name+"` |") {
			row = line
		}
	}
	if row == "" {
		if a.Limited() {
			t.Errorf("docs/language.md: the section of `%s` has no table row for `%s`", block, a.Name)
		}
		return
	}
	for _, v := range a.Enum {
		if !strings.Contains(row, "`"+v+"`") {
			t.Errorf("docs/language.md: the row of `%s` in `%s` does not list the value `%s`", a.Name, block, v)
		}
	}
	if a.MaxItems > 0 && !strings.Contains(strings.ToLower(row), fmt.Sprintf("at most %d", a.MaxItems)) {
		t.Errorf("docs/language.md: the row of `%s` in `%s` does not say \"at most %d\"", a.Name, block, a.MaxItems)
	}
	if r := a.Range; r != nil {
		want := fmt.Sprintf("%d to %d", r[0], r[1])
		if r[1] == -1 {
			want = fmt.Sprintf("at least %d", r[0])
		}
		if !strings.Contains(row, want) {
			t.Errorf("docs/language.md: the row of `%s` in `%s` does not say %q", a.Name, block, want)
		}
	}
	if a.Type == cty.Number && !a.Fractional && !strings.Contains(row, "whole number") {
		t.Errorf("docs/language.md: the row of `%s` in `%s` does not say it takes a whole number", a.Name, block)
	}
}
