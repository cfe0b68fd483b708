package cloudformation

import (
	"regexp"
	"strings"
	"testing"
)

// Pipelines whose names differ only in characters a stack name cannot hold
// must still deploy to different stacks; the others keep the plain name.
func TestStackNames(t *testing.T) {
	got := StackNames([]string{"web.app", "web_app", "api", "web-app2"})
	if got["api"] != "pipeform-api" || got["web-app2"] != "pipeform-web-app2" {
		t.Errorf("plain names changed: %v", got)
	}
	if got["web.app"] == got["web_app"] || !strings.HasPrefix(got["web.app"], "pipeform-web-app-") {
		t.Errorf("colliding names: %v", got)
	}
	for _, s := range got {
		if !regexp.MustCompile(`^[A-Za-z][-A-Za-z0-9]{0,127}$`).MatchString(s) {
			t.Errorf("invalid stack name %q", s)
		}
	}
}
