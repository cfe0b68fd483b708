package codepipelinetest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// SharedDir is the shared reference folder next to the repository
// (../shared from the repository root).
func SharedDir() string {
	_, file, _, _ := runtime.Caller(0)
	// file is <repo>/targets/codepipeline/codepipelinetest/paths.go
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "..", "shared")
}

// RequireShared returns the path of elem inside the shared reference
// folder. When it is absent (a fresh clone without ../shared) the test is
// skipped with a message saying so, unless the CI environment variable is
// set: CI always has the folder, so there its absence fails the test.
func RequireShared(t testing.TB, elem ...string) string {
	t.Helper()
	path := filepath.Join(append([]string{SharedDir()}, elem...)...)
	if _, err := os.Stat(path); err != nil {
		msg := "the shared reference material is not at " + path + " (clone it next to the repository as ../shared to run this test)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return path
}

// LoadModel reads the CodePipeline API model from the shared reference
// folder; see RequireShared for when it is absent.
func LoadModel(t testing.TB) *Model {
	t.Helper()
	data, err := os.ReadFile(RequireShared(t, "reference", "api-codepipeline.json"))
	if err != nil {
		t.Fatalf("reading the CodePipeline API model: %v", err)
	}
	m, err := ParseModel(data)
	if err != nil {
		t.Fatalf("parsing the CodePipeline API model: %v", err)
	}
	return m
}
