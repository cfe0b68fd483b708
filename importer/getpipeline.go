package importer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/pipeform/pipeform/targets/buildspec"
	"github.com/pipeform/pipeform/targets/codepipeline"
)

// File is a file given to the importer: its name (for diagnostics) and
// its text.
type File struct {
	Path string
	Src  []byte
}

// Options are the inputs of a pipeline import besides the file itself.
type Options struct {
	// Buildspecs are buildspec files by CodeBuild project name (--buildspec
	// NAME=FILE): get-pipeline output holds no project, and a template's
	// project may name a buildspec file of its source.
	Buildspecs map[string]File
	// Region is the pipeline's own AWS Region: of a pipeline with
	// cross-Region artifact stores, the store of this Region is its own.
	// get-pipeline output names it in metadata.pipelineArn.
	Region string
}

// Kind is what a file to import holds.
type Kind int

const (
	KindBuildspec   Kind = iota
	KindGetPipeline      // aws codepipeline get-pipeline output
	KindTemplate         // a CloudFormation template
)

// Detect tells a get-pipeline document (a JSON object with "pipeline") and
// a CloudFormation template (Resources or AWSTemplateFormatVersion at the
// top) from a buildspec.
func Detect(src []byte) Kind {
	if t := bytes.TrimSpace(src); len(t) > 0 && t[0] == '{' {
		var top map[string]json.RawMessage
		if json.Unmarshal(t, &top) != nil {
			// Not valid JSON: guess from the text, so the reader of that
			// kind reports where the JSON breaks.
			switch {
			case bytes.Contains(t, []byte(`"pipeline"`)):
				return KindGetPipeline
			case bytes.Contains(t, []byte(`"Resources"`)):
				return KindTemplate
			}
		} else {
			if _, ok := top["pipeline"]; ok {
				return KindGetPipeline
			}
			_, res := top["Resources"]
			_, ver := top["AWSTemplateFormatVersion"]
			if res || ver {
				return KindTemplate
			}
		}
		return KindBuildspec
	}
	if yamlTop.Match(src) {
		return KindTemplate
	}
	return KindBuildspec
}

// yamlTop finds the top-level keys only a CloudFormation template has.
var yamlTop = regexp.MustCompile(`(?m)^(Resources|AWSTemplateFormatVersion)\s*:`)

// getPipelineOutput is what `aws codepipeline get-pipeline` prints.
type getPipelineOutput struct {
	Pipeline *codepipeline.PipelineDeclaration `json:"pipeline"`
	Metadata json.RawMessage                   `json:"metadata"`
}

// GetPipeline imports the output of `aws codepipeline get-pipeline` (or a
// create-pipeline input, which has the same "pipeline" member and "tags").
func GetPipeline(path string, src []byte, opts Options) ([]byte, hcl.Diagnostics) {
	w := &writer{path: path, src: src, projects: map[string]string{}, region: opts.Region}
	var generic map[string]any
	if err := json.Unmarshal(src, &generic); err != nil {
		return nil, hcl.Diagnostics{w.jsonError(err)}
	}
	var out struct {
		getPipelineOutput
		Tags []*codepipeline.Tag `json:"tags"`
	}
	if err := json.Unmarshal(src, &out); err != nil {
		return nil, hcl.Diagnostics{w.jsonError(err)}
	}
	if out.Pipeline == nil || out.Pipeline.Name == "" || len(out.Pipeline.Stages) == 0 {
		r := jsonKeyRange(path, src, "pipeline")
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Missing pipeline",
			Detail: "The file has no \"pipeline\" object with a name and stages. Give the output of aws codepipeline get-pipeline --name NAME.", Subject: &r}}
	}
	if p, ok := generic["pipeline"].(map[string]any); ok {
		delete(p, "version") // output only: the declaration's revision number
		w.unknownKeys(p, reflect.TypeOf(codepipeline.PipelineDeclaration{}), "pipeline")
	}
	for k := range generic {
		if k != "pipeline" && k != "metadata" && k != "tags" {
			w.warn(k, "Key not imported", fmt.Sprintf("%q is not part of get-pipeline output; it was left out.", k))
		}
	}
	var meta struct {
		PipelineArn string `json:"pipelineArn"`
	}
	json.Unmarshal(out.Metadata, &meta)
	if parts := strings.Split(meta.PipelineArn, ":"); w.region == "" && len(parts) > 3 {
		w.region = parts[3]
	}
	f := hclwrite.NewEmptyFile()
	w.buildspecProjects(f.Body(), out.Pipeline, opts)
	w.pipeline(f.Body(), out.Pipeline, out.Tags)
	spaceBlocks(f.Body())
	return hclwrite.Format(f.Bytes()), w.diags
}

// buildspecProjects writes a project block for each CodeBuild project of
// the pipeline whose buildspec was given, and warns about the others.
func (w *writer) buildspecProjects(body *hclwrite.Body, d *codepipeline.PipelineDeclaration, opts Options) {
	seen := map[string]bool{}
	for _, s := range d.Stages {
		for _, a := range s.Actions {
			name := a.Configuration["ProjectName"]
			if a.ActionTypeID == nil || a.ActionTypeID.Provider != "CodeBuild" || name == "" || seen[name] {
				continue
			}
			seen[name] = true
			f, ok := opts.Buildspecs[name]
			if !ok {
				w.warn(name, "Project not imported",
					fmt.Sprintf("get-pipeline output does not hold CodeBuild project %q, so the action refers to it by name and the local executor cannot run it. Pass its buildspec with --buildspec %s=FILE to import it as a project.", name, name))
				continue
			}
			w.givenProject(body, name, f, projectExtra{})
		}
	}
}

// givenProject writes the project block of a buildspec file given for
// project name, with what the project has besides.
func (w *writer) givenProject(body *hclwrite.Body, name string, f File, extra projectExtra) bool {
	b, diags := buildspec.Parse(f.Path, f.Src)
	w.diags = append(w.diags, diags...)
	if b == nil || diags.HasErrors() {
		return false
	}
	label := ProjectLabel(name)
	w.projects[name] = label
	if b.Batch == nil && extra.batch != nil {
		w.warn(name, "Project setting not imported",
			fmt.Sprintf("Project %s has a BuildBatchConfig, but its buildspec has no batch section, so there is no batch block to hold it; it was left out.", name))
	}
	if extra.env != nil {
		extra.env(b)
	}
	w.diags = append(w.diags, projectBlock(body, f.Path, f.Src, b, label, extra)...)
	return true
}

// spaceBlocks puts an empty line between the top-level blocks of body.
func spaceBlocks(body *hclwrite.Body) {
	blocks := body.Blocks()
	for _, b := range blocks {
		body.RemoveBlock(b)
	}
	for i, b := range blocks {
		if i > 0 {
			body.AppendNewline()
		}
		body.AppendBlock(b)
	}
}

// unknownKeys warns about every key of v that type t (a wire struct) has
// no field for: CodePipeline settings pipeform does not carry over.
func (w *writer) unknownKeys(v any, t reflect.Type, where string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return
		}
		fields := jsonFields(t)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ft, ok := fields[k]
			if !ok {
				w.warn(k, "Setting not imported",
					fmt.Sprintf("%s.%s is a setting pipeform does not have, so it was left out; set it in the console or your own template after creating the pipeline.", where, k))
				continue
			}
			w.unknownKeys(m[k], ft, where+"."+k)
		}
	case reflect.Slice:
		if l, ok := v.([]any); ok {
			for i, x := range l {
				w.unknownKeys(x, t.Elem(), fmt.Sprintf("%s[%d]", where, i))
			}
		}
	case reflect.Map:
		if m, ok := v.(map[string]any); ok && t.Elem().Kind() != reflect.String {
			for k, x := range m {
				w.unknownKeys(x, t.Elem(), where+"."+k)
			}
		}
	}
}

// jsonError turns a JSON decoding error into a diagnostic at its line.
func (w *writer) jsonError(err error) *hcl.Diagnostic {
	off := 0
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case asErr(err, &se):
		off = int(se.Offset)
	case asErr(err, &te):
		off = int(te.Offset)
	}
	off = min(off, len(w.src))
	line := 1 + bytes.Count(w.src[:off], []byte("\n"))
	col := 1 + off - (bytes.LastIndexByte(w.src[:off], '\n') + 1)
	pos := hcl.Pos{Line: line, Column: col, Byte: off}
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid JSON",
		Detail:  fmt.Sprintf("The file is not a get-pipeline document: %v.", err),
		Subject: &hcl.Range{Filename: w.path, Start: pos, End: pos}}
}

func asErr[T error](err error, target *T) bool {
	t, ok := err.(T)
	if ok {
		*target = t
	}
	return ok
}

// jsonKeyRange finds the first `"key"` or `key:` in src, for placing a
// warning; the start of the file if there is none.
func jsonKeyRange(path string, src []byte, key string) hcl.Range {
	rng := hcl.Range{Filename: path, Start: hcl.InitialPos, End: hcl.InitialPos}
	re := regexp.MustCompile(`"` + regexp.QuoteMeta(key) + `"|(?m)^[ \t-]*` + regexp.QuoteMeta(key) + `\s*:`)
	loc := re.FindIndex(src)
	if loc == nil {
		return rng
	}
	start := loc[0]
	line := 1 + bytes.Count(src[:start], []byte("\n"))
	col := 1 + start - (bytes.LastIndexByte(src[:start], '\n') + 1)
	rng.Start = hcl.Pos{Line: line, Column: col, Byte: start}
	rng.End = hcl.Pos{Line: line, Column: col + loc[1] - loc[0], Byte: loc[1]}
	return rng
}

// jsonFields maps the JSON member names of struct type t to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	fields := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		tag, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		fields[tag] = t.Field(i).Type
	}
	return fields
}
