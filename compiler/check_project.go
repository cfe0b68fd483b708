package compiler

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/lang/config"
	"github.com/pipeform/pipeform/lang/constraints"
)

// MaxProjectDescription is the longest CodeBuild project description.
const MaxProjectDescription = 255

// checkProjectName: the CodeBuild project name matches the API's pattern.
// The cloudformation target applies the same rule (graph.ValidProjectName);
// checking it here lets validate catch it.
func checkProjectName(s *state, code Code) {
	forProjects(s, func(cp *config.Project, _ *graph.Project) {
		if graph.ValidProjectName(cp.Name) {
			return
		}
		from := "its label"
		if cp.Ranges.Has("name") {
			from = "its name attribute"
		} else if cp.Key != cty.NilVal {
			from = "its label and for_each key"
		}
		s.d.errorf(code, "Invalid CodeBuild project name", cp.Ranges.Rng("name", cp.DeclRange), cp.DeclRange,
			"The CodeBuild name of project %q, from %s, is %q; CodeBuild project names are 2 to 150 characters: a letter or digit, then letters, digits, \"-\" and \"_\". Set name to something like %q.",
			cp.Label, from, cp.Name, graph.SuggestProjectName(cp.Name))
	})
}

// checkProjectSettings: description and image (the project's and its
// batch builds') take values CodeBuild accepts (compute_type and environment_type are checked by the
// constraint table, checkConstraints).
func checkProjectSettings(s *state, code Code) {
	forProjects(s, func(cp *config.Project, _ *graph.Project) {
		bad := func(attr, format string, args ...any) {
			s.d.errorf(code, "Invalid project setting", cp.Ranges.Rng(attr, cp.DeclRange), cp.DeclRange, format, args...)
		}
		if n := utf8.RuneCountInString(cp.Description); n > MaxProjectDescription {
			bad("description", "The description of project %q is %d characters; CodeBuild allows at most %d. Shorten it.", cp.Name, n, MaxProjectDescription)
		}
		if strings.TrimSpace(cp.Image) == "" {
			bad("image", "Project %q has an empty image; CodeBuild needs the build image, such as %q. Give one, or leave image out for that default.", cp.Name, "aws/codebuild/standard:7.0")
		}
		for _, e := range batchEnvs(cp.Batch) {
			blank := func(key string) {
				s.d.errorf(code, "Invalid project setting", e.Ranges.Rng(key, e.Ranges.Rng("image", e.DeclRange)), cp.DeclRange,
					"A batch build of project %q has an empty image; CodeBuild needs the build image, such as %q. Give one, or leave image out to use the project's (%s).", cp.Name, "aws/codebuild/standard:7.0", cp.Image)
			}
			if e.Ranges.Has("image") && len(e.Images) == 0 && strings.TrimSpace(e.Image) == "" {
				blank("image")
			}
			for i, img := range e.Images {
				if strings.TrimSpace(img) == "" {
					blank(config.ElemKey("image", i))
				}
			}
		}
	})
}

// batchEnvs lists the env blocks of a batch's builds and matrix, whose
// settings CodeBuild takes as the project environment's.
func batchEnvs(b *config.Batch) []*config.BatchEnv {
	if b == nil {
		return nil
	}
	var envs []*config.BatchEnv
	for _, bb := range b.Builds {
		if bb.Env != nil {
			envs = append(envs, bb.Env)
		}
	}
	if m := b.Matrix; m != nil {
		for _, e := range []*config.BatchEnv{m.StaticEnv, m.DynamicEnv} {
			if e != nil {
				envs = append(envs, e)
			}
		}
	}
	return envs
}

// checkProjectPhases: a project has at least one phase (BUILDSPEC.md §2:
// phases is required, and a buildspec without any runs nothing).
func checkProjectPhases(s *state, code Code) {
	forProjects(s, func(cp *config.Project, _ *graph.Project) {
		if len(cp.Phases) == 0 && cp.Batch == nil { // a batch-only buildspec drives its builds' own buildspecs
			s.d.errorf(code, "Missing phases", cp.DeclRange, hcl.Range{},
				"Project %q has no phase blocks, so its buildspec would run nothing, and CodeBuild requires a phases section. Add at least one of install, pre_build, build and post_build, such as phase \"build\" { commands = [\"make\"] }.", cp.Name)
		}
	})
}

// windowsEnvironment says whether an environment type runs Windows.
func windowsEnvironment(t string) bool { return strings.HasPrefix(t, "WINDOWS_") }

// checkBuildspecValues: env.shell, on_failure, report formats and the cache
// action take the values the buildspec reader accepts (graph's rules).
func checkBuildspecValues(s *state, code Code) {
	forProjects(s, func(cp *config.Project, _ *graph.Project) {
		if e := cp.Env; e != nil && e.Shell != "" {
			shells, os := graph.LinuxShells, "Linux"
			if windowsEnvironment(cp.EnvironmentType) {
				shells, os = graph.WindowsShells, "Windows"
			}
			if !contains(shells, e.Shell) {
				s.d.errorf(code, "Invalid shell", e.Ranges.Rng("shell", e.DeclRange), cp.DeclRange,
					"Project %q has shell %q; CodeBuild runs %s builds (environment_type %s) with %s only. Use one of them, or leave shell out for /bin/sh.%s",
					cp.Name, e.Shell, os, cp.EnvironmentType, quoteList(shells), constraints.DidYouMean(e.Shell, shells))
			}
		}
		for _, ph := range cp.Phases {
			if ph.OnFailure != "" && !graph.ValidOnFailure(ph.OnFailure) {
				s.d.errorf(code, "Invalid on-failure", ph.Ranges.Rng("on_failure", ph.DeclRange), cp.DeclRange,
					"Phase %q of project %q has on_failure %q; it must be ABORT, CONTINUE, RETRY, RETRY-<count> (count 0 to %d), RETRY-<regex> or RETRY-<count>-<regex>, with a valid regular expression.%s",
					ph.Name, cp.Name, ph.OnFailure, graph.MaxRetryCount, onFailureSuggestion(ph.OnFailure))
			}
		}
		for _, r := range cp.Reports {
			if r.Format != "" && !graph.ValidReportFileFormat(r.Format) {
				s.d.errorf(code, "Invalid report file format", r.Ranges.Rng("format", r.DeclRange), cp.DeclRange,
					"Report %q of project %q has format %q; CodeBuild's report file formats are %s (in any case), and JUNITXML when format is left out.%s",
					r.Name, cp.Name, r.Format, quoteList(graph.ReportFileFormats), constraints.DidYouMean(r.Format, graph.ReportFileFormats))
			}
		}
		if c := cp.Cache; c != nil && c.Action != "" && !contains(graph.CacheActions, c.Action) {
			s.d.errorf(code, "Invalid cache action", c.Ranges.Rng("action", c.DeclRange), cp.DeclRange,
				"The cache of project %q has action %q; it must be \"restore\" or \"save\", or left out to restore at the start and save at the end.%s",
				cp.Name, c.Action, constraints.DidYouMean(c.Action, graph.CacheActions))
		}
	})
}

// onFailureSuggestion proposes a valid on-failure for v: v with its
// separators or case fixed (RETRY_2 → RETRY-2), else the nearest keyword.
func onFailureSuggestion(v string) string {
	fixed := strings.ReplaceAll(v, "_", "-")
	for _, c := range []string{fixed, strings.ToUpper(fixed)} {
		if c != v && graph.ValidOnFailure(c) {
			return fmt.Sprintf(" Did you mean %q?", c)
		}
	}
	return constraints.DidYouMean(v, graph.OnFailureModes)
}

// checkEnvNames: buildspec environment variable names (variables,
// parameter_store, secrets_manager keys and exported) are shell names.
func checkEnvNames(s *state, code Code) {
	forProjects(s, func(cp *config.Project, _ *graph.Project) {
		e := cp.Env
		if e == nil {
			return
		}
		bad := func(attr, name, part string) {
			rng := e.Ranges.Rng(part, e.Ranges.Rng(attr, e.DeclRange))
			s.d.errorf(code, "Invalid environment variable name", rng, cp.DeclRange,
				"%s of project %q has the name %q; the build shell can set and export only names of letters, digits and '_' that do not start with a digit. Rename it, for example to %q.",
				attr, cp.Name, name, suggestEnvName(name))
		}
		for _, kind := range []struct {
			attr string
			m    map[string]string
		}{{"variables", e.Variables}, {"parameter_store", e.ParameterStore}, {"secrets_manager", e.SecretsManager}} {
			for _, k := range sortedKeys(kind.m) {
				if !graph.ValidEnvName(k) {
					bad(kind.attr, k, config.KeyKey(kind.attr, k))
				}
			}
		}
		for i, x := range e.Exported {
			if !graph.ValidEnvName(x) {
				bad("exported", x, config.ElemKey("exported", i))
			}
		}
	})
	forProjects(s, func(cp *config.Project, _ *graph.Project) {
		for _, e := range batchEnvs(cp.Batch) {
			for _, k := range batchEnvNames(e) {
				if !graph.ValidEnvName(k) {
					s.d.errorf(code, "Invalid environment variable name", e.Ranges.Rng(config.KeyKey("variables", k), e.Ranges.Rng("variables", e.DeclRange)), cp.DeclRange,
						"The variables of a batch build of project %q have the name %q; the build shell can set only names of letters, digits and '_' that do not start with a digit. Rename it, for example to %q.",
						cp.Name, k, suggestEnvName(k))
				}
			}
		}
	})
}

// batchEnvNames lists the variable names of a batch env block, static and
// matrix ones, sorted.
func batchEnvNames(e *config.BatchEnv) []string {
	names := sortedKeys(e.Variables)
	for _, k := range sortedKeys(e.MatrixVariables) {
		if _, dup := e.Variables[k]; !dup {
			names = append(names, k)
		}
	}
	return names
}

// reParameterName is an SSM parameter name (letters, digits and _.-/, at
// most 2048 characters) or a parameter ARN (SSM PutParameter: Name).
var reParameterName = regexp.MustCompile(`^(arn:\S+|[a-zA-Z0-9_./-]+)$`)

// checkEnvSources: parameter_store values are SSM parameter names, and
// secrets_manager values are secret-id:json-key:version-stage:version-id
// with a secret-id (reference BUILDSPEC.md §4); CodeBuild fails the build
// on anything else before the first phase. A parameter name holding a $
// reference is left alone: real buildspecs build names from variables
// ("/${TARGET_ENV}/db/password").
func checkEnvSources(s *state, code Code) {
	forProjects(s, func(cp *config.Project, _ *graph.Project) {
		e := cp.Env
		if e == nil {
			return
		}
		at := func(attr, k string) hcl.Range {
			return e.Ranges.Rng(config.ValueKey(attr, k), e.Ranges.Rng(attr, e.DeclRange))
		}
		for _, k := range sortedKeys(e.ParameterStore) {
			if v := e.ParameterStore[k]; len(v) > 2048 || !reParameterName.MatchString(v) && !strings.Contains(v, "$") {
				s.d.errorf(code, "Invalid parameter name", at("parameter_store", k), cp.DeclRange,
					"parameter_store of project %q sets %s from %q, which is no Parameter Store parameter name: names are letters, digits and _.-/ (such as \"/ci/db/password\"), or a parameter ARN.",
					cp.Name, k, v)
			}
		}
		for _, k := range sortedKeys(e.SecretsManager) {
			if problem := secretReferenceProblem(e.SecretsManager[k]); problem != "" {
				s.d.errorf(code, "Invalid secret reference", at("secrets_manager", k), cp.DeclRange,
					"secrets_manager of project %q sets %s from %q, which %s. Write secret-id:json-key:version-stage:version-id, leaving out what is not needed, such as \"ci/db:password\" or \"ci/db\".",
					cp.Name, k, e.SecretsManager[k], problem)
			}
		}
	})
}

// secretReferenceProblem says what is wrong with a secrets-manager
// reference, or "". A secret ARN holds colons of its own: its first seven
// fields are the secret-id.
func secretReferenceProblem(v string) string {
	fields := strings.Split(v, ":")
	id := fields[0]
	if strings.HasPrefix(v, "arn:") && len(fields) >= 7 {
		id, fields = strings.Join(fields[:7], ":"), fields[6:]
	}
	switch {
	case strings.TrimSpace(id) == "":
		return "names no secret (the secret-id, a secret name or ARN, comes first)"
	case len(fields) > 4:
		return fmt.Sprintf("has %d fields after the secret-id; a reference has at most json-key, version-stage and version-id", len(fields)-1)
	}
	return ""
}

// suggestEnvName turns name into a shell variable name.
func suggestEnvName(name string) string {
	var b strings.Builder
	for _, r := range name {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	out := b.String()
	if out == "" || out[0] >= '0' && out[0] <= '9' {
		out = "_" + out
	}
	return out
}

// Tag rules: CodePipeline keys 1–128 and values 0–256 characters; CodeBuild
// keys 1–127 and values 0–255 of letters, digits, spaces and _.:/=@+-, at
// most 50 tags.
var reCodeBuildTag = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=@+\-]*$`)

type tagRules struct {
	service          string
	maxKey, maxValue int
	pattern          *regexp.Regexp
	maxTags          int
}

var (
	pipelineTags = tagRules{service: "CodePipeline", maxKey: 128, maxValue: 256, maxTags: 50}
	projectTags  = tagRules{service: "CodeBuild", maxKey: 127, maxValue: 255, pattern: reCodeBuildTag, maxTags: 50}
)

// checkTags: pipeline and project tags fit their service's limits.
func checkTags(s *state, code Code) {
	check := func(what string, tags map[string]string, r tagRules, ranges config.Ranges, ctx hcl.Range) {
		rng := ranges.Rng("tags", ctx)
		if len(tags) > r.maxTags {
			s.d.errorf(code, "Invalid tag", rng, ctx, "%s has %d tags; %s allows at most %d.", what, len(tags), r.service, r.maxTags)
		}
		for _, k := range sortedKeys(tags) {
			v := tags[k]
			var problem string
			switch nk, nv := utf8.RuneCountInString(k), utf8.RuneCountInString(v); {
			case nk == 0:
				problem = "the key is empty"
			case nk > r.maxKey:
				problem = fmt.Sprintf("the key is %d characters, more than %d", nk, r.maxKey)
			case nv > r.maxValue:
				problem = fmt.Sprintf("the value is %d characters, more than %d", nv, r.maxValue)
			case r.pattern != nil && !(r.pattern.MatchString(k) && r.pattern.MatchString(v)):
				problem = "it uses a character other than letters, digits, spaces and _.:/=@+-"
			case strings.HasPrefix(strings.ToLower(k), "aws:"):
				// AWS's tagging rules reserve the prefix for tags AWS itself
				// applies (Tagging AWS resources, "Tag naming limits").
				problem = "keys starting with aws: are reserved for AWS; drop or change the prefix"
			default:
				continue
			}
			s.d.errorf(code, "Invalid tag", ranges.Rng(config.KeyKey("tags", k), rng), ctx,
				"The tag %q = %q of %s is not valid: %s. %s tag keys are 1 to %d characters and values at most %d.",
				k, v, what, problem, r.service, r.maxKey, r.maxValue)
		}
	}
	for _, cp := range s.cfg.Pipelines {
		check(fmt.Sprintf("pipeline %q", cp.Name), cp.Tags, pipelineTags, cp.Ranges, cp.DeclRange)
	}
	forProjects(s, func(cp *config.Project, _ *graph.Project) {
		check(fmt.Sprintf("project %q", cp.Name), cp.Tags, projectTags, cp.Ranges, cp.DeclRange)
	})
}
