package compiler

import "sort"

// check is one named rule; its name is the code of the diagnostics it
// reports (checkVariableRefs reports three codes of its own:
// variable-namespace, variable-order and variable-name).
type check struct {
	code Code
	run  func(*state, Code)
}

// checks run in order over the lowered, linked graph. Each is documented in
// docs/diagnostics.md under its summary with `Code: <code>`. Rules that the
// language stage already enforces (unique stage and action names, artifact
// references that name no output at all) are not repeated here.
var checks = []check{
	{"name-format", checkNames},
	{"name-case", checkNameCase},
	{"stage-count", checkStageCount},
	{"stage-actions", checkStageActions},
	{"source-required", checkSourceRequired},
	{"first-stage-source", checkFirstStageSource},
	{"source-stage", checkSourceStage},
	{"run-order", checkRunOrder},
	{"duplicate-artifact", checkDuplicateArtifact},
	{"artifact-order", checkArtifactOrder},
	{"clone-ref", checkCloneRef},
	{"input-count", checkInputCount},
	{"output-count", checkOutputCount},
	{"required-config", checkRequiredConfig},
	{"primary-source", checkPrimarySource},
	{"artifact-path", checkArtifactPath},
	{"config-length", checkConfigLength},
	{"action-timeout", checkActionTimeout},
	{"duplicate-namespace", checkDuplicateNamespace},
	{"reserved-namespace", checkReservedNamespace},
	{"namespace-artifact", checkNamespaceArtifact},
	{"variable-ref", checkVariableRefs},
	{"source-variables", checkSourceVariables},
	{"v2-only", checkV2Only},
	{"trigger-rules", checkTriggers},
	{"rollback-rules", checkRollback},
	{"stage-conditions", checkStageConditions},
	{"cross-region", checkCrossRegion},
	{"region-store", checkRegionStore},
	{"action-role", checkActionRole},
	{"role-arn", checkRoleARNs},
	{"cross-account-key", checkCrossAccountKey},
	{"region-name", checkRegionNames},
	{"pipeline-variable", checkPipelineVariableValues},
	{"project-name", checkProjectName},
	{"project-settings", checkProjectSettings},
	{"compute-env", checkComputeEnv},
	{"project-phases", checkProjectPhases},
	{"batch", checkBatch},
	{"batch-enabled", checkBatchEnabled},
	{"phase-commands", checkPhaseCommands},
	{"buildspec-values", checkBuildspecValues},
	{"env-name", checkEnvNames},
	{"env-source", checkEnvSources},
	{"buildspec-tabs", checkBuildspecTabs},
	{"buildspec-size", checkBuildspecSize},
	{"buildspec-override", checkBuildspecOverride},
	{"codebuild-artifact-name", checkCodeBuildArtifactName},
	{"codebuild-outputs", checkCodeBuildOutputs},
	{"project-timeout", checkProjectTimeout},
	{"reserved-env", checkReservedEnv},
	{"report-count", checkReportCount},
	{"buildspec-files", checkBuildspecFiles},
	{"report-group-name", checkReportGroupName},
	{"tags", checkTags},
	{"list-limits", checkListLimits},
	{"artifact-store", checkArtifactStores},
	{"invoke-cycle", checkInvokeCycles},
	{"action-commands", checkActionCommands},
	{"rule-config", checkRules},
	{"aws-value", checkConstraints},
	{"notification-target", checkNotificationTargets},
	{"role-statement", checkRoleStatements},
	{"role-permissions", checkRolePermissions},
}

// Checks lists the codes of the compiler's checks in the order they run.
func Checks() []string {
	out := make([]string, len(checks))
	for i, c := range checks {
		out[i] = string(c.code)
	}
	return out
}

func runChecks(s *state) {
	for _, c := range checks {
		c.run(s, c.code)
	}
}

func sortStrings(s []string) { sort.Strings(s) }
