package cloudformation

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLogicalIDs(t *testing.T) {
	s := newIDSet()
	got := []string{
		s.id("Project", "web-build", ""),
		s.id("Project", "web_build", ""), // same CamelCase: numbered
		s.id("Project", "a", ""),
		s.id("Project", "a", "Role"),
		s.id("Project", "a-role", ""), // would be ProjectA's role
		s.id("Project", "a-role", "Role"),
		s.id("Project", "web-build", ""), // asked again: the same ID
		s.id("", "pipeline", ""),         // a fixed ID is never handed out
		s.id("Notification", "ünïcode ✓", ""),
		s.id("Variable", "", ""),
	}
	want := []string{
		"ProjectWebBuild", "ProjectWebBuild2", "ProjectA", "ProjectARole", "ProjectARole2", "ProjectARoleRole",
		"ProjectWebBuild", "Pipeline2", "NotificationNCode", "VariableX",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("logical IDs (-want +got):\n%s", diff)
	}
}
