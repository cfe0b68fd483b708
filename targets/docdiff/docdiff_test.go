package docdiff

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDiffDocs(t *testing.T) {
	old := []byte(`{"pipeline":{"name":"p","stages":[{"name":"S","actions":[{"name":"a","runOrder":1}]},{"name":"B","actions":[{"name":"b"}]}]}}`)
	new := []byte(`{"pipeline":{"name":"p","stages":[{"name":"S","actions":[{"name":"a","runOrder":2},{"name":"c"}]}]}}`)
	var got []string
	for _, d := range Docs("x.json", old, new) {
		got = append(got, string(d.Op)+" "+d.Path+" "+d.Value)
	}
	want := []string{
		"- pipeline.stages[B] ",
		"~ pipeline.stages[S].actions[a].runOrder 1 -> 2",
		"+ pipeline.stages[S].actions[c] ",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diff (-want +got):\n%s", diff)
	}

	oldSpec := []byte("phases:\n  build:\n    commands: [a, b, c]\n")
	newSpec := []byte("phases:\n  build:\n    commands: [a, x, c]\n")
	got = nil
	for _, d := range Docs("x.yml", oldSpec, newSpec) {
		got = append(got, string(d.Op)+" "+d.Path+" "+d.Value)
	}
	want = []string{`+ phases.build.commands "x"`, `- phases.build.commands "b"`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("buildspec diff (-want +got):\n%s", diff)
	}
}

// A list of unnamed objects (policy statements) is diffed element by
// element: a statement that gains a resource shows as that resource, an
// added statement as one line at its index, never as the whole policy cut
// to a line on both sides.
func TestDiffDocsPolicyStatements(t *testing.T) {
	old := `{"Resources": {"Role": {"Properties": {"Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [
	  {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::b/*"},
	  {"Effect": "Allow", "Action": ["codebuild:StartBuild"], "Resource": ["arn:a"]}
	]}}]}}}}`
	new := `{"Resources": {"Role": {"Properties": {"Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [
	  {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::b/*"},
	  {"Effect": "Allow", "Action": ["codebuild:StartBuild"], "Resource": ["arn:a", "arn:b"]},
	  {"Effect": "Allow", "Action": ["ssm:GetParameters"], "Resource": "arn:p"}
	]}}]}}}}`
	got := Docs("t.json", []byte(old), []byte(new))
	st := "Resources.Role.Properties.Policies[0].PolicyDocument.Statement"
	want := []Detail{
		{Op: Add, Path: st + "[1].Resource", Value: `"arn:b"`},
		{Op: Add, Path: st + "[2]", Value: `{"Action":["ssm:GetParameters"],"Effect":"Allow","Resource":"arn:p"}`},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("details (-want +got):\n%s", diff)
	}
	// Removing them again mirrors it.
	got = Docs("t.json", []byte(new), []byte(old))
	want = []Detail{
		{Op: Delete, Path: st + "[1].Resource", Value: `"arn:b"`},
		{Op: Delete, Path: st + "[2]", Value: `{"Action":["ssm:GetParameters"],"Effect":"Allow","Resource":"arn:p"}`},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("details after removal (-want +got):\n%s", diff)
	}
}
