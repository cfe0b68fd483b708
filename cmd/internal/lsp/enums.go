package lsp

import "github.com/pipeform/pipeform/compiler/graph"

// enumValues returns the values an attribute accepts, by block path (the
// block types from the top joined with dots, as lang.BlockSchema takes)
// and attribute name; nil when any value goes. Completion reads only this
// function value, so a fuller table can replace the one below.
var enumValues = knownEnums

// knownEnums are the fixed value sets docs/language.md gives, from the
// lists the checker uses where they are exported.
func knownEnums(block, attr string) []string {
	switch block + "#" + attr {
	case "project.report#format":
		return graph.ReportFileFormats
	}
	return enumTable[block+"#"+attr]
}

var enumTable = map[string][]string{
	"pipeline#type":                                                    {"V1", "V2"},
	"pipeline#execution_mode":                                          {"SUPERSEDED", "QUEUED", "PARALLEL"},
	"pipeline.trigger#provider_type":                                   {"CodeStarSourceConnection"},
	"pipeline.trigger.pull_request#events":                             {"OPEN", "UPDATED", "CLOSED"},
	"pipeline.stage.on_failure#result":                                 {"ROLLBACK", "RETRY"},
	"pipeline.stage.on_failure#retry_mode":                             {"FAILED_ACTIONS", "ALL_ACTIONS"},
	"project.phase#on_failure":                                         {"ABORT", "CONTINUE", "RETRY"},
	"project.cache#action":                                             {"restore", "save"},
	"project.env#shell":                                                {"bash", "/bin/sh", "powershell.exe", "cmd.exe"},
	"pipeline.stage.action.codebuild#category":                         {"Build", "Test"},
	"pipeline.stage.action.codecommit#output_artifact_format":          {"CODE_ZIP", "CODEBUILD_CLONE_REF"},
	"pipeline.stage.action.codestar_connection#output_artifact_format": {"CODE_ZIP", "CODEBUILD_CLONE_REF"},
	"pipeline.stage.action.step_functions#input_type":                  {"Literal", "FilePath"},
	"pipeline.stage.action.custom#category":                            {"Source", "Build", "Test", "Deploy", "Approval", "Invoke", "Compute"},
	"pipeline.stage.action.custom#owner":                               {"AWS", "ThirdParty", "Custom"},
}

func init() {
	for _, slot := range []string{"on_failure", "on_success", "before_entry"} {
		enumTable["pipeline.stage."+slot+".condition.rule#provider"] = []string{
			"CloudWatchAlarm", "CodeBuild", "Commands", "DeploymentWindow", "LambdaInvoke", "VariableCheck"}
	}
	enumTable["pipeline.stage.on_failure.condition#result"] = []string{"ROLLBACK"}
	enumTable["pipeline.stage.on_success.condition#result"] = []string{"ROLLBACK", "FAIL"}
	enumTable["pipeline.stage.before_entry.condition#result"] = []string{"FAIL", "SKIP"}
}
