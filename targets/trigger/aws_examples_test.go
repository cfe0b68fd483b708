package trigger

import (
	"testing"

	"github.com/pipeform/pipeform/compiler/graph"
)

// TestAWSDocumentedExamples evaluates the trigger filters of AWS's own
// examples, each row citing the page it comes from and the result the page
// states. The pages:
//
//	glob:    https://docs.aws.amazon.com/codepipeline/latest/userguide/syntax-glob.html
//	console: https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-filter.html
//	cli:     https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-filter-cli.html
func TestAWSDocumentedExamples(t *testing.T) {
	ie := func(inc []string, exc ...string) *graph.IncludeExclude {
		return &graph.IncludeExclude{Includes: inc, Excludes: exc}
	}
	main := ie([]string{"main"})
	for _, c := range []struct {
		page, says string
		push       *graph.GitFilter
		pr         *graph.GitFilter
		ev         Event
		want       bool
	}{
		{"glob", "*.java: a file name ending in .java", &graph.GitFilter{Branches: main, FilePaths: ie([]string{"*.java"})},
			nil, Event{Kind: Push, Branch: "main", Files: []string{"Foo.java"}}, true},
		{"glob", "* does not cross directory boundaries", &graph.GitFilter{Branches: main, FilePaths: ie([]string{"*.java"})},
			nil, Event{Kind: Push, Branch: "main", Files: []string{"src/Foo.java"}}, false},
		{"glob", "*.{java,class}: ending in .java or .class", &graph.GitFilter{Branches: main, FilePaths: ie([]string{"*.{java,class}"})},
			nil, Event{Kind: Push, Branch: "main", Files: []string{"Foo.class"}}, true},
		{"glob", "foo.?: foo. and a single character", &graph.GitFilter{Branches: main, FilePaths: ie([]string{"foo.?"})},
			nil, Event{Kind: Push, Branch: "main", Files: []string{"foo.cc"}}, false},
		{"glob", "directory/*: the files of directory, not of its subdirectories", &graph.GitFilter{Branches: main, FilePaths: ie([]string{"directory/*"})},
			nil, Event{Kind: Push, Branch: "main", Files: []string{"directory/subdirectory/my-file.jar"}}, false},
		{"glob", "directory/**: everything under directory", &graph.GitFilter{Branches: main, FilePaths: ie([]string{"directory/**"})},
			nil, Event{Kind: Push, Branch: "main", Files: []string{"directory/subdirectory/my-file.jar"}}, true},
		{"console", "prod*: file paths beginning with prod", &graph.GitFilter{Branches: main, FilePaths: ie([]string{"prod*"})},
			nil, Event{Kind: Push, Branch: "main", Files: []string{"prod-config.yml"}}, true},
		{"console", "exclusions are evaluated first and override inclusions", &graph.GitFilter{Branches: ie([]string{"**"}, "main")},
			nil, Event{Kind: Push, Branch: "main", Files: []string{"a"}}, false},
		{"cli", "tags: release-v0 and release-v1 start the pipeline", &graph.GitFilter{Tags: ie([]string{"release-v0", "release-v1"}, "release-v2")},
			nil, Event{Kind: Push, Tag: "release-v1"}, true},
		{"cli", "tags: release-v2 is excluded", &graph.GitFilter{Tags: ie([]string{"release-v0", "release-v1"}, "release-v2")},
			nil, Event{Kind: Push, Tag: "release-v2"}, false},
		{"cli", "branches feature/** and release/**, mainline excluded", &graph.GitFilter{Branches: ie([]string{"feature/**", "release/**"}, "mainline"), FilePaths: ie([]string{"projectA/**"})},
			nil, Event{Kind: Push, Branch: "release/2024/q1", Files: []string{"projectA/a.go"}}, true},
		{"cli", "a change only to an excluded file starts nothing", &graph.GitFilter{Branches: ie([]string{"feature/**"}), FilePaths: ie([]string{"projectA/**"}, "**/README.md")},
			nil, Event{Kind: Push, Branch: "feature/x", Files: []string{"projectA/README.md"}}, false},
		{"cli", "a pull request event not listed starts nothing", nil, &graph.GitFilter{Events: []string{"CLOSED"}, Branches: main},
			Event{Kind: PullRequest, PREvent: "OPEN", Branch: "main", Files: []string{"a"}}, false},
		{"cli", "a closed pull request into a listed branch", nil, &graph.GitFilter{Events: []string{"CLOSED"}, Branches: main},
			Event{Kind: PullRequest, PREvent: "CLOSED", Branch: "main", Files: []string{"a"}}, true},
	} {
		tr := &graph.Trigger{SourceActionName: "Source"}
		if c.push != nil {
			tr.Push = []*graph.GitFilter{c.push}
		}
		if c.pr != nil {
			tr.PullRequest = []*graph.GitFilter{c.pr}
		}
		p := &graph.Pipeline{Name: "p", Triggers: []*graph.Trigger{tr}, Stages: []*graph.Stage{{Name: "Source",
			Actions: []*graph.Action{source("Source", "CodeStarSourceConnection", map[string]string{"BranchName": "main"})}}}}
		res, diags := Evaluate([]*graph.Pipeline{p}, c.ev)
		if diags.HasErrors() {
			t.Fatalf("%s (%s): %v", c.says, c.page, diags)
		}
		if res[0].Starts != c.want {
			t.Errorf("%s (%s): starts = %v, want %v", c.says, c.page, res[0].Starts, c.want)
		}
	}
}
