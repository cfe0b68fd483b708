package main

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// source is one model file and the root the walk starts from.
type source struct {
	file, root, service string
	kind                string // "api", "cfn" or "events"
}

// sources are the models of what pipeform writes: the create-pipeline
// input (the codepipeline target), the CodeBuild project (which the
// cloudformation target writes as AWS::CodeBuild::Project, whose API twin
// carries the constraints), the resources of the CloudFormation template,
// and the EventBridge rules of notifications.
var sources = []source{
	{"api-codepipeline.json", "CreatePipelineInput", "CodePipeline", "api"},
	// What a pipeline_invoke action hands to the pipeline it starts.
	{"api-codepipeline.json", "StartPipelineExecutionInput", "CodePipeline", "api"},
	{"api-codebuild.json", "CreateProjectInput", "CodeBuild", "api"},
	{"cfn-codepipeline-pipeline.json", "", "", "cfn"},
	{"cfn-codebuild-project.json", "", "", "cfn"},
	{"cfn-events-rule.json", "", "", "cfn"},
	{"cfn-logs-loggroup.json", "", "", "cfn"},
	{"cfn-iam-role.json", "", "", "cfn"},
	{"cfn-iam-policy.json", "", "", "cfn"},
	{"cfn-s3-bucket.json", "", "", "cfn"},
	{"cfn-s3-bucketpolicy.json", "", "", "cfn"},
	{"CODEPIPELINE.md", "", "", "events"},
}

// members reads every constrained member of every source, not descending
// below a member that pruned says is skipped whole.
func members(dir string, pruned func(string) bool) ([]member, error) {
	var all []member
	for _, s := range sources {
		var ms []member
		var err error
		switch s.kind {
		case "api":
			ms, err = apiMembers(dir, s.file, s.root, s.service, pruned)
		case "cfn":
			ms, err = cfnMembers(dir, s.file, pruned)
		case "events":
			ms, err = eventMembers(dir, s.file)
		}
		if err != nil {
			return nil, err
		}
		all = append(all, ms...)
	}
	return all, nil
}

// find returns the entry of path: its own key, else a key with "*"
// standing for one path segment.
func find(path string) (entry, bool) {
	if e, ok := mapping[path]; ok {
		return e, true
	}
	for _, g := range globs {
		if g.re.MatchString(path) {
			return mapping[g.key], true
		}
	}
	return entry{}, false
}

type glob struct {
	key string
	re  *regexp.Regexp
}

// globs are the mapping keys that hold "*", longest first.
var globs = func() []glob {
	var out []glob
	for _, k := range sortedKeys(mapping) {
		if strings.Contains(k, "*") {
			parts := strings.Split(k, "*")
			for i := range parts {
				parts[i] = regexp.QuoteMeta(parts[i])
			}
			out = append(out, glob{k, regexp.MustCompile("^" + strings.Join(parts, "[^.\\[{]+") + "$")})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].key) > len(out[j].key) })
	return out
}()

// parent cuts the last segment off a member path, "" at the root.
func parent(path string) string {
	i := strings.LastIndexAny(path, ".[{")
	if i < 0 || strings.LastIndex(path, ":") > i {
		return ""
	}
	return path[:i]
}

// isPruned says whether path or one of its ancestors is skipped: nothing
// below it is written from HCL.
func isPruned(path string) bool {
	for p := path; p != ""; p = parent(p) {
		if e, ok := find(p); ok && e.all {
			return true
		}
	}
	return false
}

// lookup finds the mapping of path: its own entry, else the skip of an
// ancestor.
func lookup(path string) (entry, bool) {
	if e, ok := find(path); ok {
		return e, true
	}
	for p := parent(path); p != ""; p = parent(p) {
		if e, ok := find(p); ok && e.all {
			return e, true
		}
	}
	return entry{}, false
}

func generate(dir string) ([]byte, error) {
	ms, err := members(dir, isPruned)
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, m := range ms {
		if _, ok := lookup(m.Path); !ok {
			missing = append(missing, fmt.Sprintf("%s (%s)", m.Path, describe(m)))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%d constrained members have no mapping; map each to the HCL attribute that writes it, or record why it is not checked, in mapping.go:\n  %s",
			len(missing), strings.Join(missing, "\n  "))
	}
	return render(ms)
}

func describe(m member) string {
	var parts []string
	if len(m.Enum) > 0 {
		parts = append(parts, "enum "+strings.Join(m.Enum, "|"))
	}
	if m.Pattern != "" {
		parts = append(parts, "pattern "+m.Pattern)
	}
	add := func(name string, lo, hi int) {
		if lo >= 0 || hi >= 0 {
			parts = append(parts, fmt.Sprintf("%s %d..%d", name, lo, hi))
		}
	}
	add("length", m.MinLen, m.MaxLen)
	add("items", m.MinItems, m.MaxItems)
	add("value", m.MinValue, m.MaxValue)
	return strings.Join(parts, ", ")
}
