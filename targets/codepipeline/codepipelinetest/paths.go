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

// LoadModel reads the CodePipeline API model from the shared reference
// folder, failing the test if it cannot.
func LoadModel(t testing.TB) *Model {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(SharedDir(), "reference", "api-codepipeline.json"))
	if err != nil {
		t.Fatalf("reading the CodePipeline API model: %v", err)
	}
	m, err := ParseModel(data)
	if err != nil {
		t.Fatalf("parsing the CodePipeline API model: %v", err)
	}
	return m
}
