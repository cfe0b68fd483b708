package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// refDir is the shared reference folder next to the repository.
func refDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "..", "shared", "reference")
	if _, err := os.Stat(filepath.Join(dir, "api-codepipeline.json")); err != nil {
		// A fresh clone has no ../shared; CI always has it, so there a
		// missing model is a failure, not a reason to skip.
		msg := "the AWS models are not at " + dir + " (clone the shared folder next to the repository as ../shared to run this test)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return dir
}

// TestTableUpToDate regenerates the table and compares it with the
// committed table.go.
func TestTableUpToDate(t *testing.T) {
	src, err := generate(refDir(t))
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile(filepath.Join("..", "table.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(src, committed) {
		t.Error("lang/constraints/table.go is not what the models and gen/mapping.go give; run go generate ./lang/constraints and review the diff")
	}
}

// TestUnmappedMemberFails: a constrained member without a mapping stops
// the generator, naming the member.
func TestUnmappedMemberFails(t *testing.T) {
	dir := refDir(t)
	for _, key := range []string{pl + "executionMode", cb + "environment.computeType", "CODEPIPELINE.md:detail.state"} {
		saved := mapping[key]
		delete(mapping, key)
		_, err := generate(dir)
		mapping[key] = saved
		if err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("without a mapping for %s, generate returned %v", key, err)
		}
	}
}

// TestMappingKeysExist: every mapping key names a member of the models, so
// a renamed member cannot leave a stale entry behind.
func TestMappingKeysExist(t *testing.T) {
	ms, err := members(refDir(t), func(string) bool { return false })
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, m := range ms {
		for p := m.Path; p != ""; p = parent(p) {
			if _, ok := mapping[p]; ok {
				used[p] = true
			}
			for _, g := range globs {
				if g.re.MatchString(p) {
					used[g.key] = true
				}
			}
		}
	}
	for _, k := range sortedKeys(mapping) {
		if !used[k] {
			t.Errorf("mapping key %s matches no constrained member or its ancestors", k)
		}
	}
}
