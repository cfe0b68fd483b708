package trigger

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pipeform/pipeform/compiler/graph"
)

func source(name, provider string, cfg map[string]string) *graph.Action {
	return &graph.Action{Name: name, Type: graph.ActionType{Category: graph.CategorySource, Provider: provider}, Configuration: cfg}
}

// The trigger of the user guide's pipeline JSON example.
func examplePipeline() *graph.Pipeline {
	files := &graph.IncludeExclude{Includes: []string{"projectA/**", "common/**/*.js"}, Excludes: []string{"**/README.md", "**/LICENSE", "**/CONTRIBUTING.md"}}
	branches := &graph.IncludeExclude{Includes: []string{"feature/**", "release/**"}, Excludes: []string{"mainline"}}
	p := &graph.Pipeline{Name: "MyServicePipeline", Triggers: []*graph.Trigger{{
		SourceActionName: "ApplicationSource",
		Push:             []*graph.GitFilter{{FilePaths: files, Branches: branches, Tags: &graph.IncludeExclude{Includes: []string{"release-v0", "release-v1"}, Excludes: []string{"release-v2"}}}},
		PullRequest:      []*graph.GitFilter{{Events: []string{"CLOSED"}, Branches: branches, FilePaths: files}},
	}}}
	p.Stages = []*graph.Stage{{Name: "Source", Actions: []*graph.Action{source("ApplicationSource", "CodeStarSourceConnection", map[string]string{"BranchName": "mainline"})}}}
	return p
}

func TestEvaluate(t *testing.T) {
	p := examplePipeline()
	for _, c := range []struct {
		name string
		ev   Event
		want bool
	}{
		{"push feature with projectA change", Event{Kind: Push, Branch: "feature/login", Files: []string{"projectA/app.go"}}, true},
		{"push feature with only README", Event{Kind: Push, Branch: "feature/login", Files: []string{"projectA/README.md"}}, false},
		{"push feature with README and js", Event{Kind: Push, Branch: "feature/login", Files: []string{"README.md", "common/lib/a.js"}}, true},
		{"push mainline excluded", Event{Kind: Push, Branch: "mainline", Files: []string{"projectA/app.go"}}, false},
		{"push other branch", Event{Kind: Push, Branch: "dev", Files: []string{"projectA/app.go"}}, false},
		{"push feature no files", Event{Kind: Push, Branch: "feature/x"}, false},
		{"tag release-v1", Event{Kind: Push, Tag: "release-v1"}, true},
		{"tag release-v2 excluded", Event{Kind: Push, Tag: "release-v2"}, false},
		{"tag other", Event{Kind: Push, Tag: "v3"}, false},
		{"pr closed into release", Event{Kind: PullRequest, PREvent: "CLOSED", Branch: "release/1", Files: []string{"projectA/x"}}, true},
		{"pr opened into release", Event{Kind: PullRequest, PREvent: "OPEN", Branch: "release/1", Files: []string{"projectA/x"}}, false},
		{"pr closed, only excluded files", Event{Kind: PullRequest, PREvent: "CLOSED", Branch: "release/1", Files: []string{"projectA/LICENSE"}}, false},
	} {
		res, diags := Evaluate([]*graph.Pipeline{p}, c.ev)
		if diags.HasErrors() {
			t.Fatalf("%s: %v", c.name, diags)
		}
		if res[0].Starts != c.want {
			t.Errorf("%s: starts = %v, want %v (%+v)", c.name, res[0].Starts, c.want, res[0].Sources[0].Filters)
		}
	}
}

func TestEvaluateReasons(t *testing.T) {
	res, _ := Evaluate([]*graph.Pipeline{examplePipeline()}, Event{Kind: Push, Branch: "feature/x", Files: []string{"docs/README.md", "other.txt"}})
	got := res[0].Sources[0].Filters[0].Checks
	want := []*Check{
		{Criterion: "branches", Matched: true, Reason: `"feature/x" matches include "feature/**"`},
		{Criterion: "file_paths", Files: []string{"docs/README.md", "other.txt"},
			Reason: `no changed file counts: docs/README.md (exclude "**/README.md"); other.txt (no include of "projectA/**", "common/**/*.js")`},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Error(diff)
	}
}

func TestDefaultDetection(t *testing.T) {
	p := &graph.Pipeline{Name: "p", Stages: []*graph.Stage{{Actions: []*graph.Action{
		source("cc", "CodeCommit", map[string]string{"BranchName": "main"}),
		source("gh", "CodeStarSourceConnection", map[string]string{"BranchName": "dev", "DetectChanges": "false"}),
		source("s3", "S3", nil),
	}}}}
	res, _ := Evaluate([]*graph.Pipeline{p}, Event{Kind: Push, Branch: "main"})
	var got []bool
	for _, s := range res[0].Sources {
		got = append(got, s.Starts)
	}
	if diff := cmp.Diff([]bool{true, false, false}, got); diff != "" {
		t.Error(diff)
	}
	res, _ = Evaluate([]*graph.Pipeline{p}, Event{Kind: PullRequest, PREvent: "OPEN", Branch: "main"})
	if res[0].Starts {
		t.Error("a pull request started a pipeline without triggers")
	}
}

func TestInvalidPattern(t *testing.T) {
	p := examplePipeline()
	p.Triggers[0].Push[0].Branches = &graph.IncludeExclude{Includes: []string{"feature/{a"}}
	res, diags := Evaluate([]*graph.Pipeline{p}, Event{Kind: Push, Branch: "feature/a"})
	if len(diags) != 1 || diags[0].Summary != "Invalid trigger pattern" || res[0].Starts {
		t.Errorf("got %v, starts %v", diags, res[0].Starts)
	}
}

func TestReasonListsSomeFiles(t *testing.T) {
	var files []string
	for i := range 12 {
		files = append(files, fmt.Sprintf("projectA/f%02d.go", i))
	}
	res, _ := Evaluate([]*graph.Pipeline{examplePipeline()}, Event{Kind: Push, Branch: "feature/x", Files: files})
	c := res[0].Sources[0].Filters[0].Checks[1]
	want := "12 changed file(s) match an include: projectA/f00.go, projectA/f01.go, projectA/f02.go, projectA/f03.go, projectA/f04.go, projectA/f05.go, projectA/f06.go, projectA/f07.go, projectA/f08.go, projectA/f09.go and 2 more"
	if c.Reason != want || len(c.Files) != 12 {
		t.Errorf("reason %q, %d files", c.Reason, len(c.Files))
	}
}
