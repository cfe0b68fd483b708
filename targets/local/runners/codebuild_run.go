package runners

import (
	"context"

	"github.com/hashicorp/hcl/v2"
)

func (cb *CodeBuild) run(ctx context.Context) (*Build, hcl.Diagnostics) {
	return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Not implemented yet"}}
}
