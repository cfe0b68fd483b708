package compiler

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/lang/constraints"
	"github.com/pipeform/pipeform/lang/providers"
)

// checkArtifactCounts: inputs and outputs within the provider's bounds.
func checkInputCount(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		for _, a := range p.Actions() {
			checkRepeatedInputs(s, code, a)
		}
	}
	forProviderActions(s, func(a *graph.Action, pv *providers.Provider) {
		n := len(a.Inputs)
		if n < pv.MinInputs || n > pv.MaxInputs {
			s.d.errorf(code, "Wrong number of input artifacts", s.attrRange(a, "inputs"), a.DeclRange,
				"Action %q (%s) has %d input artifact(s); %s actions take %s.", a.ID(), pv.Block, n, pv.Provider, bounds(pv.MinInputs, pv.MaxInputs))
			return
		}
		if want, when := modeInputs(a); want >= 0 && n != want {
			s.d.errorf(code, "Wrong number of input artifacts", s.attrRange(a, "inputs"), a.DeclRange,
				"Action %q (%s) has %d input artifact(s); %s it takes %s.", a.ID(), pv.Block, n, when, bounds(want, want))
		}
	})
}

// checkRepeatedInputs: an action lists each input artifact once
// (CloudFormation's InputArtifacts are uniqueItems; the API refuses the
// repeat too).
func checkRepeatedInputs(s *state, code Code, a *graph.Action) {
	ca := s.actions[a]
	if ca == nil {
		return
	}
	seen := map[string]bool{}
	for _, in := range ca.Inputs {
		if seen[in.Name] {
			s.d.errorf(code, "Artifact listed twice", rangeOr(in.Range, s.attrRange(a, "inputs")), a.DeclRange,
				"Action %q lists the input artifact %q twice; CodePipeline takes each input once. Remove the repeat.", a.ID(), in.Name)
			return
		}
		seen[in.Name] = true
	}
}

// modeInputs is the exact input count some providers need in one mode
// (CODEPIPELINE.md §5), or -1.
func modeInputs(a *graph.Action) (int, string) {
	c := a.Configuration
	switch a.Block {
	case "lambda_deploy":
		if c["PublishedTargetVersion"] == "" {
			return 1, "without published_target_version"
		}
	case "inspector_scan":
		if c["InspectorRunMode"] == "SourceCodeScan" {
			return 1, "with run_mode SourceCodeScan"
		}
		if c["InspectorRunMode"] == "ECRImageScan" {
			return 0, "with run_mode ECRImageScan"
		}
	case "step_functions":
		if c["InputType"] == "FilePath" {
			return 1, "with input_type FilePath"
		}
	}
	return -1, ""
}

func checkOutputCount(s *state, code Code) {
	forProviderActions(s, func(a *graph.Action, pv *providers.Provider) {
		if n := len(a.Outputs); n < pv.MinOutputs || n > pv.MaxOutputs {
			s.d.errorf(code, "Wrong number of output artifacts", s.attrRange(a, "outputs"), a.DeclRange,
				"Action %q (%s) has %d output artifact(s); %s actions take %s.", a.ID(), pv.Block, n, pv.Provider, bounds(pv.MinOutputs, pv.MaxOutputs))
		}
	})
}

func bounds(lo, hi int) string {
	switch {
	case lo == hi && lo == 0:
		return "none"
	case lo == hi:
		return fmt.Sprintf("exactly %d", lo)
	}
	return fmt.Sprintf("%d to %d", lo, hi)
}

// forProviderActions calls f for every action with a catalog provider.
func forProviderActions(s *state, f func(*graph.Action, *providers.Provider)) {
	for _, p := range s.g.Pipelines {
		for _, a := range p.Actions() {
			if pv := providers.Lookup(a.Block); pv != nil {
				f(a, pv)
			}
		}
	}
}

// conditional lists the configuration keys required only in some cases
// (CODEPIPELINE.md §5): block, attribute, and when it is required.
var conditional = []struct {
	block, attr, key string
	when             func(a *graph.Action) (bool, string)
}{
	{"codebuild", "primary_source", "PrimarySource", func(a *graph.Action) (bool, string) {
		return distinctInputs(a) > 1, "with more than one input artifact"
	}},
	{"codebuild", "batch_enabled", "BatchEnabled", func(a *graph.Action) (bool, string) {
		return a.Configuration["CombineArtifacts"] == "true", "with combine_artifacts"
	}},
	{"s3_deploy", "object_key", "ObjectKey", func(a *graph.Action) (bool, string) {
		return a.Configuration["Extract"] == "false", "when extract is false"
	}},
	{"cloudformation", "template_path", "TemplatePath", cfnModes("CREATE_UPDATE", "REPLACE_ON_FAILURE", "CHANGE_SET_REPLACE")},
	{"cloudformation", "role_arn", "RoleArn", cfnModes("CREATE_UPDATE", "REPLACE_ON_FAILURE", "DELETE_ONLY", "CHANGE_SET_REPLACE")},
	{"cloudformation", "change_set_name", "ChangeSetName", cfnModes("CHANGE_SET_REPLACE", "CHANGE_SET_EXECUTE")},
	{"step_functions", "input", "Input", func(a *graph.Action) (bool, string) {
		return a.Configuration["InputType"] == "FilePath", "when input_type is FilePath"
	}},
	{"inspector_scan", "repository", "ECRRepositoryName", func(a *graph.Action) (bool, string) {
		return a.Configuration["InspectorRunMode"] == "ECRImageScan", "when run_mode is ECRImageScan"
	}},
	{"eks", "helm_chart_location", "HelmChartLocation", func(a *graph.Action) (bool, string) {
		return a.Configuration["HelmReleaseName"] != "", "with helm_release_name"
	}},
	{"eks", "manifest_files", "ManifestFiles", func(a *graph.Action) (bool, string) {
		return a.Configuration["HelmReleaseName"] == "", "without helm_release_name (kubectl deployments)"
	}},
	{"lambda_deploy", "function_alias", "FunctionAlias", func(a *graph.Action) (bool, string) {
		return a.Configuration["DeployStrategy"] != "", "with deploy_strategy"
	}},
	// EC2 deploys either a target directory with its scripts or a deploy
	// spec (CODEPIPELINE.md §5).
	{"ec2_deploy", "target_directory", "TargetDirectory", func(a *graph.Action) (bool, string) {
		return a.Configuration["DeploySpec"] == "", "without deploy_spec (give target_directory and post_script, or deploy_spec)"
	}},
	{"ec2_deploy", "post_script", "PostScript", func(a *graph.Action) (bool, string) {
		return a.Configuration["TargetDirectory"] != "" && a.Configuration["DeploySpec"] == "", "with target_directory"
	}},
}

// exclusive lists configuration keys an action takes only without
// another: block, the attribute that excludes, and those it excludes.
var exclusive = []struct {
	block, attr, key string
	excludes         []string // attribute names
}{
	{"ec2_deploy", "deploy_spec", "DeploySpec", []string{"target_directory", "pre_script", "post_script"}},
}

func cfnModes(modes ...string) func(a *graph.Action) (bool, string) {
	return func(a *graph.Action) (bool, string) {
		mode := a.Configuration["ActionMode"]
		for _, m := range modes {
			if m == mode {
				return true, "when action_mode is " + mode
			}
		}
		return false, ""
	}
}

// checkRequiredConfig: conditionally required configuration is present.
func checkRequiredConfig(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		for _, a := range p.Actions() {
			for _, c := range conditional {
				if c.block != a.Block || a.Configuration[c.key] != "" {
					continue
				}
				if need, when := c.when(a); need {
					s.d.errorf(code, "Missing required configuration", s.providerRange(a, ""), a.DeclRange,
						"Action %q needs %s %s (configuration key %s). Add it to the %s block.", a.ID(), c.attr, when, c.key, a.Block)
				}
			}
			for _, x := range exclusive {
				if x.block != a.Block || a.Configuration[x.key] == "" {
					continue
				}
				for _, other := range x.excludes {
					if _, set := a.Configuration[configKey(a.Block, other)]; set {
						s.d.errorf(code, "Conflicting configuration", s.providerRange(a, other), a.DeclRange,
							"Action %q sets both %s and %s; a %s action takes one or the other. Remove %s, or remove %s.", a.ID(), x.attr, other, a.Block, other, x.attr)
					}
				}
			}
		}
	}
}

// checkPrimarySource: PrimarySource names one of the action's inputs.
func checkPrimarySource(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		for _, a := range p.Actions() {
			ps, ok := a.Configuration["PrimarySource"]
			if !ok || a.Block != "codebuild" {
				continue
			}
			names := inputNames(a)
			if !contains(names, ps) {
				s.d.errorf(code, "Unknown primary source", s.providerRange(a, "primary_source"), a.DeclRange,
					"primary_source %q is not an input of action %q; its inputs are %s.%s", ps, a.ID(), quoteList(names), didYouMean(ps, names))
			}
		}
	}
}

// artifactPathKeys are configuration keys holding "Artifact::path".
var artifactPathKeys = map[string]bool{
	"TemplatePath": true, "TemplateConfiguration": true, "Parameters": true,
	"DeploymentTargets": true, "ParameterOverrides": false,
}

var reArtifactPath = regexp.MustCompile(`^([A-Za-z0-9_-]+)::`)

// templatePathKeys must be "Artifact::path": CodePipeline reads the
// template (and its configuration) from an input artifact only, so a bare
// file name or an artifact without a path is refused (CloudFormation and
// StackSets action references, reference CODEPIPELINE.md "Artifacts").
var templatePathKeys = map[string]bool{"TemplatePath": true, "TemplateConfiguration": true}

var reFullArtifactPath = regexp.MustCompile(`^[A-Za-z0-9_-]+::.+$`)

// artifactNameKeys are configuration keys whose whole value names an input
// artifact (CodeDeployToECS).
var artifactNameKeys = map[string]bool{
	"TaskDefinitionTemplateArtifact": true, "AppSpecTemplateArtifact": true,
	"Image1ArtifactName": true, "Image2ArtifactName": true, "Image3ArtifactName": true, "Image4ArtifactName": true,
}

// checkArtifactPath: Artifact::path values name one of the inputs.
func checkArtifactPath(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		for _, a := range p.Actions() {
			pv := providers.Lookup(a.Block)
			if pv == nil {
				continue
			}
			for _, attr := range pv.Attrs {
				v := a.Configuration[attr.Key]
				if templatePathKeys[attr.Key] && v != "" && !strings.Contains(v, "#{") && !reFullArtifactPath.MatchString(v) {
					s.d.errorf(code, "Invalid artifact path", s.providerRange(a, attr.Name), a.DeclRange,
						"%s = %q is not an artifact path: CodePipeline reads it from an input artifact, written ArtifactName::path/in/artifact, such as %q.",
						attr.Name, v, suggestArtifactPath(v, inputNames(a)))
					continue
				}
				var m []string
				switch {
				case artifactPathKeys[attr.Key]:
					m = reArtifactPath.FindStringSubmatch(v)
				case artifactNameKeys[attr.Key] && v != "":
					m = []string{v, v}
				}
				if m == nil || contains(inputNames(a), m[1]) {
					continue
				}
				s.d.errorf(code, "Artifact path names no input", s.providerRange(a, attr.Name), a.DeclRange,
					"%s = %q refers to artifact %q, which is not an input of action %q. Add artifact.%s to inputs, or use one of %s.",
					attr.Name, a.Configuration[attr.Key], m[1], a.ID(), m[1], quoteList(inputNames(a)))
			}
		}
	}
}

// suggestArtifactPath puts the file of v in the action's first input.
func suggestArtifactPath(v string, inputs []string) string {
	art := "src"
	if len(inputs) > 0 {
		art = inputs[0]
	}
	file := v
	if i := strings.LastIndex(v, "::"); i >= 0 {
		file = v[i+2:]
	}
	if file == "" {
		file = "template.yml"
	}
	return art + "::" + file
}

// checkConfigLength: configuration values at most 1000 characters.
func checkConfigLength(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		for _, a := range p.Actions() {
			keys := make([]string, 0, len(a.Configuration))
			for k := range a.Configuration {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				v := a.Configuration[k]
				n := utf8.RuneCountInString(v)
				if n == 0 && !refusesEmpty(a.Block, k) {
					s.d.errorf(code, "Empty configuration value", s.configRange(a, k), a.DeclRange,
						"The %s configuration of action %q is empty; CodePipeline refuses an empty configuration value (it takes 1 to 1000 characters). Give a value, or leave the attribute out to leave %s unset.", k, a.ID(), k)
				}
				if n > 1000 {
					s.d.errorf(code, "Configuration value too long", s.configRange(a, k), a.DeclRange,
						"The %s configuration of action %q is %d characters; CodePipeline allows 1000 (counting #{...} references as written). Move long text into a file in an input artifact.", k, a.ID(), n)
				}
			}
			// Configuration keys (custom blocks) and action environment
			// variables are the constraint table's (checkConstraints).
		}
	}
}

// refusesEmpty says whether another check already refuses an empty
// configuration key k: the constraint of the provider attribute that
// writes it ("Invalid value") or the project-name check, so that one
// mistake gives one error.
func refusesEmpty(block, key string) bool {
	if block == "codebuild" && key == "ProjectName" {
		return true // the project's name: the project-name check's error
	}
	pv := providers.Lookup(block)
	if pv == nil {
		return false
	}
	for _, attr := range pv.Attrs {
		if attr.Key != key || attr.Type != cty.String {
			continue
		}
		for _, c := range constraints.Lookup("pipeline.stage.action."+block, attr.Name) {
			if c.CheckString("") != "" {
				return true
			}
		}
	}
	return false
}

// configKey is the configuration key provider attribute attr writes.
func configKey(block, attr string) string {
	if pv := providers.Lookup(block); pv != nil {
		if at := pv.Attr(attr); at != nil {
			return at.Key
		}
	}
	return ""
}

// configRange finds the attribute that became configuration key k.
func (s *state) configRange(a *graph.Action, key string) hcl.Range {
	if pv := providers.Lookup(a.Block); pv != nil {
		for _, attr := range pv.Attrs {
			if attr.Key == key {
				return s.providerRange(a, attr.Name)
			}
		}
	}
	return s.providerRange(a, "configuration")
}

// checkActionTimeout: timeout_in_minutes only on manual approval, 5–86400.
func checkActionTimeout(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		for _, a := range p.Actions() {
			t := a.TimeoutInMinutes
			ca := s.actions[a]
			if ca == nil {
				continue
			}
			rng, set := ca.Ranges.Get("timeout_in_minutes")
			if !set { // a written 0 is checked too
				continue
			}
			if a.Type.Category != graph.CategoryApproval {
				s.d.errorf(code, "Invalid action timeout", rng, a.DeclRange,
					"Action %q sets timeout_in_minutes, which CodePipeline only honours for manual approval actions. Remove it.", a.ID())
			} else if t < 5 || t > 86400 {
				s.d.errorf(code, "Invalid action timeout", rng, a.DeclRange,
					"timeout_in_minutes is %d; it must be 5 to 86400 (60 days).", t)
			}
		}
	}
}

// distinctInputs counts the different input artifacts of a (one listed
// twice is the input-count check's error, not a second input).
func distinctInputs(a *graph.Action) int {
	seen := map[string]bool{}
	for _, in := range a.Inputs {
		seen[in.Name] = true
	}
	return len(seen)
}

func inputNames(a *graph.Action) []string {
	var out []string
	for _, in := range a.Inputs {
		out = append(out, in.Name)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
