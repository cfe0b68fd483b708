package graph

import "testing"

func TestValidOnFailure(t *testing.T) {
	for v, want := range map[string]bool{
		"ABORT": true, "continue": true, "Retry": true, "RETRY-3": true, "RETRY-0": true, "RETRY-100": true,
		"RETRY-101": false, "RETRY-.*timeout.*": true, "RETRY-2-.*timeout.*": true, "RETRY-": false,
		"IGNORE": false, "": false, "RETRY-101-.*x.*": false, "RETRY-(": false, "RETRY-3-(": false,
	} {
		if got := ValidOnFailure(v); got != want {
			t.Errorf("ValidOnFailure(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestValidNames(t *testing.T) {
	for name, want := range map[string]bool{"ab": true, "b": false, "a b": false, "bü": false, "-a": false, "a-b_c": true} {
		if got := ValidProjectName(name); got != want {
			t.Errorf("ValidProjectName(%q) = %v, want %v", name, got, want)
		}
	}
	for name, want := range map[string]bool{"A": true, "_x1": true, "": false, "A-B": false, "1X": false} {
		if got := ValidEnvName(name); got != want {
			t.Errorf("ValidEnvName(%q) = %v, want %v", name, got, want)
		}
	}
}
