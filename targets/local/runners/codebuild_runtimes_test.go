package runners

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

func TestCompareRuntime(t *testing.T) {
	for _, c := range []struct{ runtime, requested, found, want string }{
		{"nodejs", "20", "20.20.2", "ok"},
		{"nodejs", "20.x", "20.1.0", "ok"},
		{"nodejs", "20", "18.19.0", "older"},
		{"nodejs", "18", "20.1.0", "newer"},
		{"nodejs", "latest", "4.0.0", "ok"},
		{"python", "3.11", "3.11.7", "ok"},
		{"python", "3.12", "3.11.7", "older"},
		{"python", "3.10", "3.11.7", "newer"},
		{"golang", "1.22", "1.26.8", "newer"},
		{"golang", "1.x", "1.26.8", "ok"},
		{"java", "corretto17", "17.0.15", "ok"},
		{"java", "corretto17.x", "21.0.1", "newer"},
		{"java", "openjdk8", "1.8.0", "ok"},
		{"java", "corretto11", "1.8.0", "older"},
		{"dotnet", "8.0", "6.0.100", "older"},
	} {
		if got := compareRuntime(c.runtime, c.requested, c.found); got != c.want {
			t.Errorf("%s %s against %s: %s, want %s", c.runtime, c.requested, c.found, got, c.want)
		}
	}
}

func TestCheckRuntime(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "node"), []byte("#!/bin/sh\necho v18.19.0\n"), 0o755)
	os.WriteFile(filepath.Join(dir, "java"), []byte("#!/bin/sh\necho 'openjdk version \"17.0.9\" 2023-10-17' >&2\n"), 0o755)
	ctx := context.Background()
	if c := checkRuntime(ctx, "nodejs", "20", dir); c.Result != "older" || c.Found != "18.19.0" || !c.Failed() {
		t.Errorf("nodejs: %+v", c)
	}
	if c := checkRuntime(ctx, "java", "corretto17", dir); c.Result != "ok" || c.Found != "17.0.9" {
		t.Errorf("java: %+v", c)
	}
	if c := checkRuntime(ctx, "python", "3.11", dir); c.Result != "missing" || !c.Failed() {
		t.Errorf("python: %+v", c)
	}
	if c := checkRuntime(ctx, "android", "29", dir); c.Result != "unchecked" || c.Failed() {
		t.Errorf("android: %+v", c)
	}
}
