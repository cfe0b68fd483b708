package lang

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/lang/providers"
)

// The schemas of every block kind, one package-level var each, in the order
// the blocks nest.

func attrs(names ...string) []hcl.AttributeSchema {
	out := make([]hcl.AttributeSchema, len(names))
	for i, n := range names {
		out[i] = hcl.AttributeSchema{Name: n}
	}
	return out
}

var rootSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "variable", LabelNames: []string{"name"}},
		{Type: "locals"},
		{Type: "project", LabelNames: []string{"name"}},
		{Type: "pipeline", LabelNames: []string{"name"}},
	},
}

var variableSchema = &hcl.BodySchema{
	Attributes: attrs("type", "default", "description", "sensitive"),
	Blocks:     []hcl.BlockHeaderSchema{{Type: "validation"}},
}

var validationSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "condition", Required: true},
		{Name: "error_message", Required: true},
	},
}

var projectSchema = &hcl.BodySchema{
	Attributes: attrs("name", "description", "image", "compute_type", "environment_type",
		"privileged", "timeout", "queued_timeout", "tags", "run_as", "for_each"),
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "env"},
		{Type: "proxy"},
		{Type: "phase", LabelNames: []string{"name"}},
		{Type: "report", LabelNames: []string{"group"}},
		{Type: "artifacts"},
		{Type: "secondary_artifacts", LabelNames: []string{"identifier"}},
		{Type: "cache"},
		{Type: "batch"},
	},
}

var batchSchema = &hcl.BodySchema{
	Attributes: attrs("kind", "fast_fail", "combine_artifacts", "timeout", "report_mode", "maximum_builds", "compute_types_allowed"),
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "build", LabelNames: []string{"identifier"}},
		{Type: "matrix"},
		{Type: "fanout"},
	},
}

var batchBuildSchema = &hcl.BodySchema{
	Attributes: attrs("buildspec", "depend_on", "ignore_failure", "debug_session"),
	Blocks:     []hcl.BlockHeaderSchema{{Type: "env"}},
}

var batchEnvSchema = &hcl.BodySchema{
	Attributes: attrs("compute_type", "image", "type", "fleet", "privileged_mode", "variables"),
}

// A matrix's dynamic section is a `values` block: `dynamic` is HCL's own
// block for generating blocks.
var batchMatrixSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{{Type: "static"}, {Type: "values"}},
}

var batchStaticSchema = &hcl.BodySchema{
	Attributes: attrs("ignore_failure", "debug_session"),
	Blocks:     []hcl.BlockHeaderSchema{{Type: "env"}},
}

var batchValuesSchema = &hcl.BodySchema{
	Attributes: attrs("buildspec", "compute_type", "image", "variables"),
}

var batchFanoutSchema = &hcl.BodySchema{Attributes: attrs("parallelism", "ignore_failure")}

var envSchema = &hcl.BodySchema{
	Attributes: attrs("shell", "variables", "parameter_store", "secrets_manager", "exported",
		"git_credential_helper"),
}

var proxySchema = &hcl.BodySchema{Attributes: attrs("upload_artifacts", "logs")}

var phaseSchema = &hcl.BodySchema{
	Attributes: attrs("run_as", "on_failure", "runtime_versions", "commands", "finally"),
}

var reportSchema = &hcl.BodySchema{
	Attributes: attrs("files", "base_directory", "discard_paths", "format"),
}

var artifactsSchema = &hcl.BodySchema{
	Attributes: attrs("files", "name", "discard_paths", "base_directory", "exclude_paths",
		"enable_symlinks", "s3_prefix"),
}

var cacheSchema = &hcl.BodySchema{Attributes: attrs("key", "fallback_keys", "action", "paths")}

var pipelineSchema = &hcl.BodySchema{
	Attributes: attrs("name", "type", "execution_mode", "role_arn", "region", "tags"),
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "artifact_store"},
		{Type: "variable", LabelNames: []string{"name"}},
		{Type: "trigger"},
		{Type: "notification", LabelNames: []string{"name"}},
		{Type: "role_statement"},
		{Type: "stage", LabelNames: []string{"name"}},
	},
}

var roleStatementSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "sid"},
		{Name: "effect"},
		{Name: "actions", Required: true},
		{Name: "resources", Required: true},
	},
}

var artifactStoreSchema = &hcl.BodySchema{Attributes: attrs("location", "encryption_key", "region")}

var pipelineVariableSchema = &hcl.BodySchema{Attributes: attrs("default", "description")}

var triggerSchema = &hcl.BodySchema{
	Attributes: attrs("provider_type", "source_action"),
	Blocks:     []hcl.BlockHeaderSchema{{Type: "push"}, {Type: "pull_request"}},
}

var pushSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{{Type: "branches"}, {Type: "tags"}, {Type: "file_paths"}},
}

var pullRequestSchema = &hcl.BodySchema{
	Attributes: attrs("events"),
	Blocks:     []hcl.BlockHeaderSchema{{Type: "branches"}, {Type: "file_paths"}},
}

var includeExcludeSchema = &hcl.BodySchema{Attributes: attrs("includes", "excludes")}

var notificationSchema = &hcl.BodySchema{Attributes: attrs("detail_types", "states", "target_arn")}

var stageSchema = &hcl.BodySchema{
	Attributes: attrs("name", "for_each"),
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "on_failure"},
		{Type: "on_success"},
		{Type: "before_entry"},
		{Type: "action", LabelNames: []string{"name"}},
	},
}

var onFailureSchema = &hcl.BodySchema{
	Attributes: attrs("result", "retry_mode"),
	Blocks:     []hcl.BlockHeaderSchema{{Type: "condition"}},
}

var conditionsSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "condition"}}}

var conditionSchema = &hcl.BodySchema{
	Attributes: attrs("result"),
	Blocks:     []hcl.BlockHeaderSchema{{Type: "rule", LabelNames: []string{"name"}}},
}

var ruleSchema = &hcl.BodySchema{
	Attributes: attrs("provider", "configuration", "commands", "inputs", "role_arn", "region"),
}

// actionSchema has every provider block of the catalog, custom, local and
// the codebuild shorthand attribute.
var actionSchema = func() *hcl.BodySchema {
	s := &hcl.BodySchema{
		Attributes: attrs("name", "for_each", "inputs", "outputs", "output_files", "namespace",
			"run_order", "region", "role_arn", "timeout_in_minutes", "commands",
			"output_variables", "environment_variables", "codebuild"),
		Blocks: []hcl.BlockHeaderSchema{{Type: "local"}, {Type: providers.CustomBlock}},
	}
	for _, p := range providers.All {
		s.Blocks = append(s.Blocks, hcl.BlockHeaderSchema{Type: p.Block})
	}
	return s
}()

var localSchema = &hcl.BodySchema{Attributes: attrs("commands", "shell")}

var customSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "category", Required: true},
		{Name: "owner", Required: true},
		{Name: "provider", Required: true},
		{Name: "version", Required: true},
		{Name: "configuration"},
	},
}

// providerSchemas are the schemas of the typed provider blocks, by block name.
var providerSchemas = func() map[string]*hcl.BodySchema {
	m := map[string]*hcl.BodySchema{}
	for _, p := range providers.All {
		s := &hcl.BodySchema{}
		for _, a := range p.Attrs {
			s.Attributes = append(s.Attributes, hcl.AttributeSchema{Name: a.Name, Required: a.Required})
		}
		m[p.Block] = s
	}
	return m
}()

// forEachSchema reads just the for_each attribute of a block.
var forEachSchema = &hcl.BodySchema{Attributes: attrs("for_each", "name")}
