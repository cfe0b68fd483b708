package compiler

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/lang/config"
)

// MaxInlineBuildspec is the largest buildspec CodeBuild accepts inline in a
// project definition, in characters.
const MaxInlineBuildspec = 25600

// forProjects calls f for every configuration project with its graph node.
func forProjects(s *state, f func(cp *config.Project, gp *graph.Project)) {
	for _, cp := range s.cfg.Projects {
		if gp := s.projects[cp]; gp != nil {
			f(cp, gp)
		}
	}
}

// checkPhaseCommands: pre_build, build and post_build need commands.
func checkPhaseCommands(s *state, code Code) {
	forProjects(s, func(cp *config.Project, _ *graph.Project) {
		for _, ph := range cp.Phases {
			if ph.Name != "install" && len(ph.Commands) == 0 {
				s.d.errorf(code, "Missing phase commands", ph.Ranges.Rng("commands", ph.DeclRange), cp.DeclRange,
					"Phase %q of project %q has no commands; CodeBuild requires commands in every phase except install. Add commands or remove the phase.", ph.Name, cp.Name)
			}
		}
	})
}

// checkBuildspecTabs: no tab characters in generated YAML text.
func checkBuildspecTabs(s *state, code Code) {
	forProjects(s, func(cp *config.Project, _ *graph.Project) {
		for _, ph := range cp.Phases {
			for _, list := range [][]string{ph.Commands, ph.Finally} {
				for _, c := range list {
					if strings.ContainsRune(c, '\t') {
						s.d.errorf(code, "Tab in buildspec", ph.Ranges.Rng("commands", ph.DeclRange), cp.DeclRange,
							"A command of phase %q of project %q contains a tab character; YAML forbids tabs for indentation and CodeBuild's parser rejects them in buildspecs. Use spaces.", ph.Name, cp.Name)
						return
					}
				}
			}
		}
	})
}

// checkBuildspecSize: the inline buildspec fits CodeBuild's limit. The size
// is the exact emitted size when Options.BuildspecSize is given, else a
// lower bound of the emitted YAML (text plus minimal syntax per entry).
func checkBuildspecSize(s *state, code Code) {
	forProjects(s, func(cp *config.Project, gp *graph.Project) {
		n, size := buildspecSize(gp.Buildspec), "at least %d"
		if f := s.opts.BuildspecSize; f != nil {
			if exact := f(gp.Buildspec); exact > 0 {
				n, size = exact, "%d"
			}
		}
		if n > MaxInlineBuildspec {
			s.d.errorf(code, "Buildspec too long", cp.DeclRange, hcl.Range{},
				"The buildspec of project %q is "+size+" characters; CodeBuild accepts at most %d inline. Move long scripts into files in the source and call them.", cp.Name, n, MaxInlineBuildspec)
		}
	})
}

// checkBuildspecOverride: an inline buildspec_override of a codebuild
// action is a buildspec the parser accepts (Options.ParseBuildspec), so it
// fails validate, not the build. Each error is reported at the attribute,
// with the line of the value it is on.
func checkBuildspecOverride(s *state, code Code) {
	parse := s.opts.ParseBuildspec
	if parse == nil {
		return
	}
	for _, p := range s.g.Pipelines {
		for _, a := range p.Actions() {
			v := a.Configuration["BuildspecOverride"]
			if a.Block != "codebuild" || !graph.InlineBuildspec(v) {
				continue
			}
			_, diags := parse("buildspec_override", []byte(v))
			for _, d := range diags {
				if d.Severity != hcl.DiagError {
					continue
				}
				line := 1
				if d.Subject != nil {
					line = d.Subject.Start.Line
				}
				s.d.errorf(code, "Invalid buildspec override", s.configRange(a, "BuildspecOverride"), a.DeclRange,
					"The inline buildspec_override of action %q is not a buildspec CodeBuild accepts. Line %d of the value: %s. %s "+
						"Fix the buildspec, or give the path of a buildspec file in the primary input instead.",
					a.ID(), line, d.Summary, strings.TrimSpace(d.Detail))
			}
		}
	}
}

func buildspecSize(bs *graph.Buildspec) int {
	n := len("version: 0.2\n")
	list := func(xs []string) {
		for _, x := range xs {
			n += len(x) + 7 // indentation and "- "
		}
	}
	kvs := func(xs []graph.KeyValue) {
		for _, kv := range xs {
			n += len(kv.Key) + len(kv.Value) + 6
		}
	}
	if e := bs.Env; e != nil {
		kvs(e.Variables)
		kvs(e.ParameterStore)
		kvs(e.SecretsManager)
		list(e.ExportedVariables)
	}
	for _, ph := range bs.Phases {
		if ph != nil {
			list(ph.Commands)
			list(ph.Finally)
			kvs(ph.RuntimeVersions)
		}
	}
	for _, r := range bs.Reports {
		n += len(r.Name) + len(r.BaseDirectory)
		list(r.Files)
	}
	if a := bs.Artifacts; a != nil {
		list(a.Files)
		for _, sa := range a.Secondary {
			n += len(sa.Identifier)
			list(sa.Files)
		}
	}
	if c := bs.Cache; c != nil {
		list(c.Paths)
	}
	return n
}

// reEnvSuffix: CodeBuild exposes inputs as CODEBUILD_SRC_DIR_<name>.
var reEnvSuffix = regexp.MustCompile(`^[A-Za-z0-9_]{1,127}$`)

// checkCodeBuildArtifactName: artifacts that CodeBuild sees by name are
// valid environment variable suffixes.
func checkCodeBuildArtifactName(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		for _, a := range p.Actions() {
			if a.Block != "codebuild" {
				continue
			}
			// The primary input is CODEBUILD_SRC_DIR itself and needs no
			// suffix; every other input does.
			primary := a.Configuration["PrimarySource"]
			if primary == "" && len(a.Inputs) == 1 {
				primary = a.Inputs[0].Name
			}
			var refs []*graph.ArtifactRef
			for _, in := range a.Inputs {
				if in.Name != primary {
					refs = append(refs, in)
				}
			}
			if len(a.Outputs) > 1 {
				refs = append(refs, a.Outputs...)
			}
			for _, r := range refs {
				if reArtifactName.MatchString(r.Name) && !reEnvSuffix.MatchString(r.Name) {
					s.d.errorf(code, "Artifact name not usable by CodeBuild", rangeOr(r.Range, a.DeclRange), a.DeclRange,
						"CodeBuild action %q sees artifact %q as CODEBUILD_SRC_DIR_%s or as a secondary artifact identifier, which allow only letters, digits and '_'. Rename it, for example to %q.",
						a.ID(), r.Name, r.Name, strings.ReplaceAll(r.Name, "-", "_"))
				}
			}
		}
	}
}

// checkCodeBuildOutputs: an action with outputs runs a project that
// uploads artifacts: with one output, an artifacts (or secondary_artifacts)
// block; with several, a secondary artifact named like each.
func checkCodeBuildOutputs(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		for _, a := range p.Actions() {
			if a.Block != "codebuild" || a.Project == nil || len(a.Outputs) == 0 {
				continue
			}
			if a.Project.Buildspec.Artifacts == nil {
				o := a.Outputs[0]
				fix := "an artifacts { files = [\"**/*\"] } block listing the files to upload"
				if len(a.Outputs) > 1 {
					fix = fmt.Sprintf("a secondary_artifacts block named like each output (%s), each with the files to upload", quoteList(refNames(a.Outputs)))
				}
				s.d.errorf(code, "Output artifact not in project", rangeOr(o.Range, a.DeclRange), a.DeclRange,
					"Action %q outputs %s, but project %q has no artifacts block, so the build would upload nothing (CodeBuild fails such a build). Add to the project %s, or remove outputs.",
					a.ID(), quoteList(refNames(a.Outputs)), a.Project.Name, fix)
				continue
			}
			if len(a.Outputs) < 2 {
				continue
			}
			var ids []string
			if art := a.Project.Buildspec.Artifacts; art != nil {
				for _, sa := range art.Secondary {
					ids = append(ids, sa.Identifier)
				}
			}
			for _, o := range a.Outputs {
				if !contains(ids, o.Name) {
					s.d.errorf(code, "Output artifact not in project", rangeOr(o.Range, a.DeclRange), a.DeclRange,
						"Action %q has several outputs, so each must be a secondary_artifacts block of project %q; %q is not (it has %s). Add secondary_artifacts %q to the project.%s",
						a.ID(), a.Project.Name, o.Name, quoteList(ids), o.Name, didYouMean(o.Name, ids))
				}
			}
		}
	}
}

// checkProjectTimeout: timeout 5–2160, queued_timeout 5–480 minutes.
func checkProjectTimeout(s *state, code Code) {
	forProjects(s, func(cp *config.Project, _ *graph.Project) {
		// A written 0 is checked like any other value: only a timeout
		// left out takes CodeBuild's default.
		if cp.Ranges.Has("timeout") && (cp.Timeout < 5 || cp.Timeout > 2160) {
			s.d.errorf(code, "Invalid project timeout", cp.Ranges.Rng("timeout", cp.DeclRange), cp.DeclRange,
				"Project %q has timeout %d; CodeBuild accepts 5 to 2160 minutes. Set one in that range, or leave timeout out for CodeBuild's default of 60.", cp.Name, cp.Timeout)
		}
		if cp.Ranges.Has("queued_timeout") && (cp.QueuedTimeout < 5 || cp.QueuedTimeout > 480) {
			s.d.errorf(code, "Invalid project timeout", cp.Ranges.Rng("queued_timeout", cp.DeclRange), cp.DeclRange,
				"Project %q has queued_timeout %d; CodeBuild accepts 5 to 480 minutes. Set one in that range, or leave queued_timeout out for CodeBuild's default of 480.", cp.Name, cp.QueuedTimeout)
		}
	})
}

// checkReservedEnv: no CODEBUILD_ variables; no exported AWS_ variables.
func checkReservedEnv(s *state, code Code) {
	forProjects(s, func(cp *config.Project, _ *graph.Project) {
		e := cp.Env
		if e == nil {
			return
		}
		for _, kind := range []struct {
			attr string
			m    map[string]string
		}{{"variables", e.Variables}, {"parameter_store", e.ParameterStore}, {"secrets_manager", e.SecretsManager}} {
			for _, k := range sortedKeys(kind.m) {
				if strings.HasPrefix(k, "CODEBUILD_") {
					s.d.errorf(code, "Reserved environment variable", e.Ranges.Rng(kind.attr, e.DeclRange), cp.DeclRange,
						"%s of project %q sets %s; names starting with CODEBUILD_ are reserved by CodeBuild. Rename it.", kind.attr, cp.Name, k)
				}
			}
		}
		for _, x := range e.Exported {
			if strings.HasPrefix(x, "AWS_") {
				s.d.errorf(code, "Reserved environment variable", e.Ranges.Rng("exported", e.DeclRange), cp.DeclRange,
					"Project %q exports %s; CodeBuild cannot export names starting with AWS_.", cp.Name, x)
			}
		}
	})
	forProjects(s, func(cp *config.Project, _ *graph.Project) {
		for _, e := range batchEnvs(cp.Batch) {
			for _, k := range batchEnvNames(e) {
				if strings.HasPrefix(k, "CODEBUILD_") {
					s.d.errorf(code, "Reserved environment variable", e.Ranges.Rng(config.KeyKey("variables", k), e.Ranges.Rng("variables", e.DeclRange)), cp.DeclRange,
						"The variables of a batch build of project %q set %s; names starting with CODEBUILD_ are reserved by CodeBuild. Rename it.", cp.Name, k)
				}
			}
		}
	})
	checkReservedActionEnv(s, code)
}

// checkReservedActionEnv: the environment variables of CodeBuild and
// Commands actions (both run on CodeBuild) do not start with CODEBUILD_.
func checkReservedActionEnv(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		for _, a := range p.Actions() {
			ca := s.actions[a]
			if ca == nil || ca.Provider == nil {
				continue
			}
			var names []string
			var ranges config.Ranges
			switch a.Block {
			case "codebuild":
				if v, ok := ca.Provider.Attrs["environment_variables"]; ok && v.IsWhollyKnown() && !v.IsNull() && v.CanIterateElements() {
					for k := range v.AsValueMap() {
						names = append(names, k)
					}
				}
				ranges = ca.Provider.Ranges
			case "commands":
				for _, e := range a.EnvironmentVariables {
					names = append(names, e.Name)
				}
				ranges = ca.Ranges
			}
			sortStrings(names)
			for _, k := range names {
				if strings.HasPrefix(k, "CODEBUILD_") {
					s.d.errorf(code, "Reserved environment variable", ranges.Rng(config.KeyKey("environment_variables", k), ranges.Rng("environment_variables", a.DeclRange)), a.DeclRange,
						"The environment_variables of action %q set %s; names starting with CODEBUILD_ are reserved by CodeBuild, which runs the action. Rename it.", a.ID(), k)
				}
			}
		}
	}
}

// checkBuildspecFiles: every report group and every secondary artifact
// lists its files, which CodeBuild requires (reference/BUILDSPEC.md §9 and
// §10; the buildspec reader refuses a file without them too). The top-level
// artifacts block may leave files out: pipeform then writes **/*.
func checkBuildspecFiles(s *state, code Code) {
	forProjects(s, func(cp *config.Project, _ *graph.Project) {
		missing := func(files []string, ranges config.Ranges, decl hcl.Range, what, example string) {
			if len(files) > 0 {
				return
			}
			s.d.errorf(code, "Missing files", ranges.Rng("files", decl), cp.DeclRange,
				"%s of project %q lists no files; CodeBuild requires files there and fails the build without them. Add the files to collect, such as files = [%q].",
				what, cp.Name, example)
		}
		for _, r := range cp.Reports {
			missing(r.Files, r.Ranges, r.DeclRange, fmt.Sprintf("Report %q", r.Name), "reports/*.xml")
		}
		for _, a := range cp.SecondaryArtifacts {
			missing(a.Files, a.Ranges, a.DeclRange, fmt.Sprintf("Secondary artifact %q", a.Identifier), "**/*")
		}
	})
}

// MaxReportGroupName is the longest report group name (CodeBuild's
// ReportGroupName).
const MaxReportGroupName = 128

// checkReportGroupName: a report named (not an ARN) makes CodeBuild create
// the report group <project name>-<report name> ("Report group naming" in
// the CodeBuild user guide), whose name is at most 128 characters. A name
// read from a $variable is known only at run time.
func checkReportGroupName(s *state, code Code) {
	forProjects(s, func(cp *config.Project, _ *graph.Project) {
		for _, r := range cp.Reports {
			if strings.HasPrefix(r.Name, "arn:") || strings.Contains(r.Name, "$") {
				continue
			}
			group := cp.Name + "-" + r.Name
			if n := utf8.RuneCountInString(group); n > MaxReportGroupName {
				s.d.errorf(code, "Report group name too long", r.DeclRange, cp.DeclRange,
					"Report %q of project %q makes CodeBuild create the report group %q, which is %d characters; report group names are at most %d. Shorten the report name or the project name, or give the ARN of an existing report group.",
					r.Name, cp.Name, group, n, MaxReportGroupName)
			}
		}
	})
}

// checkReportCount: at most 5 report groups per project.
func checkReportCount(s *state, code Code) {
	forProjects(s, func(cp *config.Project, _ *graph.Project) {
		if len(cp.Reports) > 5 {
			s.d.errorf(code, "Too many report groups", cp.Reports[5].DeclRange, cp.DeclRange,
				"Project %q has %d reports; CodeBuild allows at most 5 report groups per project.", cp.Name, len(cp.Reports))
		}
	})
}

func refNames(refs []*graph.ArtifactRef) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.Name
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sortStrings(keys)
	return keys
}
