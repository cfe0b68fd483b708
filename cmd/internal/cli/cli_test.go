package cli

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTerraformStyleFlags(t *testing.T) {
	in := []string{"plan", "-var", "a=1", "-var=b=2", "-var-file", "x.pfvars", "-var-file=y.pfvars", "--var", "c=3", "-v", "--", "-var"}
	want := []string{"plan", "--var", "a=1", "--var=b=2", "--var-file", "x.pfvars", "--var-file=y.pfvars", "--var", "c=3", "-v", "--", "-var"}
	if diff := cmp.Diff(want, terraformStyleFlags(in)); diff != "" {
		t.Errorf("terraformStyleFlags (-want +got):\n%s", diff)
	}
}
