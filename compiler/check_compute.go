package compiler

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/lang/config"
	"github.com/pipeform/pipeform/lang/constraints"
)

// computeTypesOf are the compute types CodeBuild runs each environment type
// on, where it restricts them (the CodeBuild User Guide, "Build environment
// compute modes and types",
// https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-compute-types.html):
// Lambda environments run only on Lambda compute, Windows containers only
// on MEDIUM and LARGE, GPU containers on SMALL and LARGE. LINUX_CONTAINER
// and ARM_CONTAINER take SMALL to 2XLARGE (any non-Lambda type). MAC_ARM
// is refused outright (macOSOnDemand), and the EC2 fleet types are left
// alone: the guide gives them no on-demand rows, but says nothing of
// refusing them either.
var computeTypesOf = map[string][]string{
	"LINUX_LAMBDA_CONTAINER":        lambdaComputeTypes,
	"ARM_LAMBDA_CONTAINER":          lambdaComputeTypes,
	"WINDOWS_CONTAINER":             {"BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE"},
	"WINDOWS_SERVER_2019_CONTAINER": {"BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE"},
	"WINDOWS_SERVER_2022_CONTAINER": {"BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE"},
	"LINUX_GPU_CONTAINER":           {"BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_LARGE"},
}

var lambdaComputeTypes = []string{"BUILD_LAMBDA_1GB", "BUILD_LAMBDA_2GB", "BUILD_LAMBDA_4GB", "BUILD_LAMBDA_8GB", "BUILD_LAMBDA_10GB"}

// fleetComputeTypes need the environment's computeConfiguration (vCPUs,
// memory, disk, instance type): the API model's ProjectEnvironment and
// ComputeConfiguration ("only need be specified when your project's or
// fleet's computeType is set to ATTRIBUTE_BASED_COMPUTE or
// CUSTOM_INSTANCE_TYPE"). Neither a project nor a batch build's env here
// has one, so CodeBuild refuses them.
var fleetComputeTypes = []string{"ATTRIBUTE_BASED_COMPUTE", "CUSTOM_INSTANCE_TYPE"}

// macOSOnDemand: "On-demand fleets do not support macOS" (Run builds on
// reserved capacity fleets,
// https://docs.aws.amazon.com/codebuild/latest/userguide/fleets.html). A
// project here has no fleet, nor a batch build without one, so MAC_ARM
// never runs.
const macOSOnDemand = "MAC_ARM"

// maxLambdaTimeout is the longest build Lambda compute runs, in minutes.
const maxLambdaTimeout = 15

func lambdaEnvironment(t string) bool { return strings.HasSuffix(t, "_LAMBDA_CONTAINER") }

// computeProblem says why CodeBuild refuses compute type ct with
// environment type et, or "" when it takes them (or either is not one of
// its values: that is the constraint table's error).
func computeProblem(ct, et string) string {
	if !contains(constraints.Enum("project", "compute_type"), ct) || !contains(constraints.Enum("project", "environment_type"), et) {
		return ""
	}
	switch {
	case et == macOSOnDemand:
		return "CodeBuild runs macOS builds only on a reserved capacity fleet (on-demand compute has no macOS), and there is no fleet here. Use a Linux or Windows environment type, or build on macOS in a batch build whose env block names a fleet."
	case contains(fleetComputeTypes, ct):
		return ct + " takes its vCPUs, memory, disk or instance type from the environment's computeConfiguration, which is not written here, so CodeBuild refuses it. Use one of the BUILD_GENERAL1_ compute types."
	}
	if allowed, ok := computeTypesOf[et]; ok {
		if contains(allowed, ct) {
			return ""
		}
		return "CodeBuild runs " + et + " only on " + quoteList(allowed) + "." + constraints.DidYouMean(ct, allowed)
	}
	if contains(lambdaComputeTypes, ct) {
		return ct + " is Lambda compute, which only runs the LINUX_LAMBDA_CONTAINER and ARM_LAMBDA_CONTAINER environment types. Use a BUILD_GENERAL1_ compute type, or a Lambda environment type."
	}
	return ""
}

// checkComputeEnv: the compute type suits the environment type (the
// project's, and each batch build's with the project's as its default),
// and a project on Lambda compute uses nothing Lambda compute lacks.
func checkComputeEnv(s *state, code Code) {
	forProjects(s, func(cp *config.Project, gp *graph.Project) {
		if p := computeProblem(gp.ComputeType, gp.EnvironmentType); p != "" {
			rng := cp.Ranges.Rng("compute_type", cp.Ranges.Rng("environment_type", cp.DeclRange))
			if gp.EnvironmentType == macOSOnDemand {
				rng = cp.Ranges.Rng("environment_type", cp.DeclRange)
			}
			s.d.errorf(code, "Unsupported compute type", rng, cp.DeclRange,
				"Project %q has compute_type %q with environment_type %q: %s", cp.Name, gp.ComputeType, gp.EnvironmentType, p)
		}
		for _, e := range batchEnvs(cp.Batch) {
			if e.Fleet != "" {
				continue // a fleet sets the build's compute, and CodeBuild ignores its type
			}
			et := orDefault(e.Type, gp.EnvironmentType)
			cts := e.ComputeTypes
			if len(cts) == 0 {
				cts = []string{orDefault(e.ComputeType, gp.ComputeType)}
			}
			for i, ct := range cts {
				if e.Type == "" && ct == gp.ComputeType {
					continue // nothing of its own: the project's, checked above
				}
				if p := computeProblem(ct, et); p != "" {
					key := "compute_type"
					switch {
					case len(e.ComputeTypes) > 0:
						key = config.ElemKey("compute_type", i)
					case e.ComputeType == "":
						key = "type"
					}
					s.d.errorf(code, "Unsupported compute type", e.Ranges.Rng(key, e.DeclRange), cp.DeclRange,
						"A batch build of project %q has compute_type %q with environment type %q: %s", cp.Name, ct, et, p)
					break
				}
			}
		}
		if lambdaEnvironment(gp.EnvironmentType) {
			checkLambdaProject(s, code, cp)
		}
		if who := windowsRunner(cp, gp); who != "" {
			checkWindowsProject(s, code, cp, who)
		}
	})
	checkCommandsCompute(s, code)
}

// The Commands action's defaults, when its configuration leaves them out
// (the action reference; CODEPIPELINE.md §5).
const (
	commandsEnvironmentType = "LINUX_CONTAINER"
	commandsComputeType     = "BUILD_GENERAL1_SMALL"
)

// checkCommandsCompute: a Commands action runs on CodePipeline-managed
// CodeBuild compute, so its compute type must suit its environment type
// as a project's does (the Commands action reference, configuration
// parameters EnvironmentType and ComputeType, which defer to CodeBuild's
// compute types:
// https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-Commands.html).
// Both have defaults (LINUX_CONTAINER, BUILD_GENERAL1_SMALL), so a
// Windows Commands action without compute_type runs on SMALL, which
// CodeBuild's Windows containers do not. The values themselves are the
// catalog's (checkConstraints).
func checkCommandsCompute(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		for _, a := range p.Actions() {
			if a.Block != "commands" {
				continue
			}
			et := orDefault(a.Configuration["EnvironmentType"], commandsEnvironmentType)
			ct, written := a.Configuration["ComputeType"]
			ct = orDefault(ct, commandsComputeType)
			prob := computeProblem(ct, et)
			if prob == "" {
				continue
			}
			attr, fix := "compute_type", ""
			if !written {
				attr, fix = "environment_type", " Its compute_type is not written, so it runs on the default, "+commandsComputeType+": write compute_type."
			}
			s.d.errorf(code, "Unsupported compute type", s.providerRange(a, attr), a.DeclRange,
				"The Commands action %q has compute_type %q with environment_type %q: %s%s", a.ID(), ct, et, prob, fix)
		}
	}
}

// checkLambdaProject: the CodeBuild User Guide, "Limitations of AWS Lambda
// compute" (https://docs.aws.amazon.com/codebuild/latest/userguide/lambda.html):
// no privileged mode (no Docker), no runtime-versions, builds of at most 15
// minutes with no timeout or queued timeout of their own; and the buildspec
// reference: no on-failure.
func checkLambdaProject(s *state, code Code, cp *config.Project) {
	bad := func(rng hcl.Range, format string, args ...any) {
		s.d.errorf(code, "Unsupported on Lambda compute", rng, cp.DeclRange, format, args...)
	}
	if cp.Privileged {
		bad(cp.Ranges.Rng("privileged", cp.DeclRange), "Project %q runs on Lambda compute, which has no privileged mode (no Docker daemon). Remove privileged, or use a container environment type such as LINUX_CONTAINER.", cp.Name)
	}
	// Lambda compute takes no timeout at all: its builds stop at 15
	// minutes. CreateProject refuses queuedTimeoutInMinutes there
	// ("Cannot specify queuedTimeoutInMinutes for lambda compute",
	// https://github.com/hashicorp/terraform-provider-aws/issues/34376),
	// and the CDK, citing the limitations above, refuses both timeouts
	// (validateLambdaBuildImage in aws-codebuild's project.ts).
	for _, attr := range []string{"timeout", "queued_timeout"} {
		if cp.Ranges.Has(attr) {
			bad(cp.Ranges.Rng(attr, cp.DeclRange), "Project %q runs on Lambda compute, which takes no %s: its builds run at most %d minutes and never wait in a queue, and CodeBuild refuses the setting for Lambda compute. Remove %s, or use a container environment type.", cp.Name, attr, maxLambdaTimeout, attr)
		}
	}
	for _, ph := range cp.Phases {
		if len(ph.RuntimeVersions) > 0 {
			bad(ph.Ranges.Rng("runtime_versions", ph.DeclRange), "Project %q runs on Lambda compute, which does not take runtime-versions: the Lambda image has its runtime built in. Remove runtime_versions, or pick the image of the runtime you need.", cp.Name)
		}
		// The buildspec reference: on-failure is supported only on
		// CodeBuild's own EC2 compute, not on Lambda (BUILDSPEC.md §5).
		if ph.OnFailure != "" {
			bad(ph.Ranges.Rng("on_failure", ph.DeclRange), "Project %q runs on Lambda compute, which does not support a phase's on-failure (only CodeBuild's EC2 compute does). Remove on_failure from phase %q, or use a container environment type.", cp.Name, ph.Name)
		}
	}
}

// windowsRunner says what runs the project's buildspec on Windows: the
// project itself, else its first batch build (a build block, or every
// build of a matrix) of a Windows type that runs the project's own
// buildspec; "" when nothing does. A build on a fleet is left out, since
// CodeBuild ignores its type.
func windowsRunner(cp *config.Project, gp *graph.Project) string {
	if windowsEnvironment(gp.EnvironmentType) {
		return fmt.Sprintf("Project %q runs a Windows environment type", cp.Name)
	}
	b := cp.Batch
	if b == nil {
		return ""
	}
	onWindows := func(e *config.BatchEnv) bool { return e != nil && e.Fleet == "" && windowsEnvironment(e.Type) }
	for _, bb := range b.Builds {
		if bb.Buildspec == "" && onWindows(bb.Env) {
			return fmt.Sprintf("Batch build %q of project %q runs the project's buildspec on %s", bb.Identifier, cp.Name, bb.Env.Type)
		}
	}
	if m := b.Matrix; m != nil && len(m.Buildspecs) == 0 && onWindows(m.StaticEnv) {
		return fmt.Sprintf("The matrix builds of project %q run the project's buildspec on %s", cp.Name, m.StaticEnv.Type)
	}
	return ""
}

// checkWindowsProject: run-as names a Linux user and is Linux only (the
// buildspec reference, run-as: "Available to Linux users only",
// https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html;
// BUILDSPEC.md §4), so a buildspec that runs on Windows (who) has none.
func checkWindowsProject(s *state, code Code, cp *config.Project, who string) {
	bad := func(rng hcl.Range) {
		s.d.errorf(code, "Unsupported on Windows", rng, cp.DeclRange,
			"%s, and run_as (the buildspec's run-as) is Linux only: it names the Linux user that runs the commands. Remove run_as, or use a Linux environment type.", who)
	}
	if cp.RunAs != "" {
		bad(cp.Ranges.Rng("run_as", cp.DeclRange))
	}
	for _, ph := range cp.Phases {
		if ph.RunAs != "" {
			bad(ph.Ranges.Rng("run_as", ph.DeclRange))
		}
	}
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
