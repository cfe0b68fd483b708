package graph

import "fmt"

// Local modes of an action: what the local executor does with it.
const (
	// LocalRun: the executor runs the action (CodeBuild, sources, CodeDeploy,
	// S3 deploy, or the action's local block).
	LocalRun = "run"
	// LocalApproval: the run waits for a manual approval.
	LocalApproval = "approval"
	// LocalNotEmulated: the action has no local equivalent and is skipped.
	LocalNotEmulated = "not-emulated"
)

// LocalMode says what the local executor does with the action: its status
// (LocalRun, LocalApproval or LocalNotEmulated) and a one-line reason. The
// plan command and the executor both use it, so they never disagree.
func (a *Action) LocalMode() (status, reason string) {
	switch {
	case a.Local != nil:
		return LocalRun, "runs its local block in place of " + a.Type.Provider
	case a.Type.Category == CategoryApproval && a.Type.Provider == "Manual":
		return LocalApproval, "waits for manual approval"
	case a.Type.Category == CategorySource:
		return LocalRun, fmt.Sprintf("%s source: a snapshot of the working tree, or the folder given with --source %s=PATH", a.Type.Provider, a.Name)
	case a.Type.Owner == "AWS" && a.Type.Provider == "CodeBuild" && a.Project == nil:
		// A project defined outside pipeform: there is no buildspec to run.
		return LocalNotEmulated, fmt.Sprintf("CodeBuild project %q is not defined in pipeform, so its buildspec is unknown; define it with a project block, or add local { commands = [...] } to run something in its place",
			a.Configuration["ProjectName"])
	case a.RunsAsBatch():
		if plan, err := ReadBatch(a.Project.Buildspec.Batch); err == nil {
			return LocalRun, fmt.Sprintf("CodeBuild project %s runs as a batch (%s) of %d builds in the local shell: %s", a.Project.Name, plan.Kind, len(plan.Members), batchIDs(plan))
		}
		return LocalRun, "CodeBuild project " + a.Project.Name + " runs as a batch in the local shell"
	case a.Type.Owner == "AWS" && a.Type.Provider == "CodeBuild":
		return LocalRun, "CodeBuild project " + a.Project.Name + " runs in the local shell"
	case a.Type.Owner == "AWS" && a.Type.Provider == "Commands":
		return LocalRun, "Commands: the commands run in the local shell like a CodeBuild build"
	case a.Type.Owner == "AWS" && a.Type.Category == CategoryDeploy && a.Type.Provider == "CodeDeploy":
		return LocalRun, "CodeDeploy: the bundle's appspec.yml runs against a local target folder"
	case a.Type.Owner == "AWS" && a.Type.Category == CategoryDeploy && a.Type.Provider == "S3":
		return LocalRun, "S3 deploy: the artifact is copied into a local folder"
	}
	block := a.Block
	if block == "" {
		block = a.Type.Provider
	}
	return LocalNotEmulated, fmt.Sprintf("%s/%s (%s) has no local equivalent; add local { commands = [...] } to run something in its place",
		a.Type.Category, a.Type.Provider, block)
}

// RunsAsBatch says whether the action runs its project as a batch build
// (StartBuildBatch): a CodeBuild action of a pipeform project whose
// buildspec has a batch section and whose BatchEnabled is "true".
func (a *Action) RunsAsBatch() bool {
	return a.Type.Owner == "AWS" && a.Type.Provider == "CodeBuild" && a.Project != nil &&
		a.Project.Buildspec != nil && a.Project.Buildspec.Batch != nil && a.Configuration["BatchEnabled"] == "true"
}

// Cacheable says whether the local executor may skip the action as a cache
// hit: a CodeBuild action of a pipeform project or a Commands action,
// without a local block, when an identical earlier run (same inputs,
// project, resolved configuration and environment) succeeded. Sources, approvals, deployments and local blocks
// (which stand in for actions with side effects) always run. Whether an
// action is a hit is known only at run time, once its input artifacts are.
func (a *Action) Cacheable() bool {
	return a.Local == nil && a.Type.Owner == "AWS" &&
		(a.Type.Provider == "CodeBuild" && a.Project != nil || a.Type.Provider == "Commands")
}
