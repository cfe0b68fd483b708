package lang

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/lang/providers"
)

// blockSchemas are the schemas above by block path: the block types from
// the top of a file joined with dots.
var blockSchemas = func() map[string]*hcl.BodySchema {
	m := map[string]*hcl.BodySchema{
		"":                                rootSchema,
		"variable":                        variableSchema,
		"variable.validation":             validationSchema,
		"locals":                          {},
		"project":                         projectSchema,
		"project.env":                     envSchema,
		"project.proxy":                   proxySchema,
		"project.phase":                   phaseSchema,
		"project.report":                  reportSchema,
		"project.artifacts":               artifactsSchema,
		"project.secondary_artifacts":     artifactsSchema,
		"project.cache":                   cacheSchema,
		"pipeline":                        pipelineSchema,
		"pipeline.artifact_store":         artifactStoreSchema,
		"pipeline.variable":               pipelineVariableSchema,
		"pipeline.trigger":                triggerSchema,
		"pipeline.trigger.push":           pushSchema,
		"pipeline.trigger.pull_request":   pullRequestSchema,
		"pipeline.notification":           notificationSchema,
		"pipeline.role_statement":         roleStatementSchema,
		"project.batch":                   batchSchema,
		"project.batch.build":             batchBuildSchema,
		"project.batch.build.env":         batchEnvSchema,
		"project.batch.matrix":            batchMatrixSchema,
		"project.batch.matrix.static":     batchStaticSchema,
		"project.batch.matrix.static.env": batchEnvSchema,
		"project.batch.matrix.values":     batchValuesSchema,
		"project.batch.fanout":            batchFanoutSchema,
		"pipeline.stage":                  stageSchema,
		"pipeline.stage.on_failure":       onFailureSchema,
		"pipeline.stage.on_success":       conditionsSchema,
		"pipeline.stage.before_entry":     conditionsSchema,
		"pipeline.stage.action":           actionSchema,
		"pipeline.stage.action.local":     localSchema,
		"pipeline.stage.action." + providers.CustomBlock: customSchema,
	}
	for _, filter := range []string{"push.branches", "push.tags", "push.file_paths", "pull_request.branches", "pull_request.file_paths"} {
		m["pipeline.trigger."+filter] = includeExcludeSchema
	}
	for _, slot := range []string{"on_failure", "on_success", "before_entry"} {
		m["pipeline.stage."+slot+".condition"] = conditionSchema
		m["pipeline.stage."+slot+".condition.rule"] = ruleSchema
	}
	for block, s := range providerSchemas {
		m["pipeline.stage.action."+block] = s
	}
	return m
}()

// BlockSchema returns the schema of the block at path, the block types from
// the top of a file joined with dots ("" for the top level,
// "pipeline.stage.action.codecommit" for a provider block), or nil when no
// such block exists. Editors use it to offer the blocks and attributes
// valid where the cursor is.
func BlockSchema(path string) *hcl.BodySchema {
	return blockSchemas[path]
}
