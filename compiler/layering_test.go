package compiler_test

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/pipeform/pipeform/"

// fileHelpers are the packages under targets/ that are not targets but
// work on the targets' files for the CLI: comparing them (docdiff) and
// managing the output folder they are written to (outdir).
var fileHelpers = map[string]bool{"docdiff": true, "outdir": true}

// targetOf returns the target a package belongs to ("buildspec" for
// targets/buildspec and below), or "" for packages outside targets/<x>
// and for the file helpers.
func targetOf(pkg string) string {
	rest, ok := strings.CutPrefix(pkg, module+"targets/")
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(rest, "/")
	if fileHelpers[name] {
		return ""
	}
	return name
}

// isFileHelper reports whether pkg is targets/docdiff, targets/outdir or
// below.
func isFileHelper(pkg string) bool {
	rest, ok := strings.CutPrefix(pkg, module+"targets/")
	name, _, _ := strings.Cut(rest, "/")
	return ok && fileHelpers[name]
}

func under(pkg, dir string) bool {
	return pkg == module+dir || strings.HasPrefix(pkg, module+dir+"/")
}

// layeringViolation says why pkg may not depend on dep, or "".
func layeringViolation(pkg, dep string) string {
	switch {
	case under(pkg, "lang") && (under(dep, "compiler") || under(dep, "targets") || under(dep, "cmd")):
		return "lang never imports compiler, targets or cmd"
	case under(pkg, "compiler") && (under(dep, "targets") || under(dep, "cmd")):
		return "the compiler imports no target and not the CLI"
	case pkg == module+"compiler/dag" && strings.Contains(strings.SplitN(dep, "/", 2)[0], "."):
		return "compiler/dag uses only the standard library"
	case under(pkg, "targets") && (dep == module+"compiler" || under(dep, "lang/config") || under(dep, "cmd")):
		return "targets read compiler/graph, never compiler, lang/config or the CLI"
	case under(pkg, "cmd/internal/console") && (dep == module+"lang" || under(dep, "lang/config") || under(dep, "lang/eval") || dep == module+"compiler" || under(dep, "cmd/internal/cli")):
		return "the console reads pipelines as compiler/graph and runs through targets/local; the CLI loads the configuration for it"
	case under(pkg, "importer") && (dep == module+"compiler" || dep == module+"lang" || under(dep, "lang/config") || under(dep, "cmd")):
		return "the importer reads the targets' models and lang/providers, never the loader, the compiler or the CLI"
	case under(dep, "importer") && !under(pkg, "importer") && !under(pkg, "cmd"):
		return "only the CLI imports the importer"
	case isFileHelper(pkg) && targetOf(dep) != "":
		return "docdiff and outdir work on any target's files and import no target"
	case targetOf(pkg) != "" && isFileHelper(dep):
		return "targets return files; comparing and writing them (docdiff, outdir) is the CLI's business"
	}
	pt, dt := targetOf(pkg), targetOf(dep)
	if pt != "" && dt != "" && pt != dt && !(pt == "cloudformation" && (dt == "buildspec" || dt == "codepipeline")) {
		return "targets do not import each other (CloudFormation may embed buildspec and codepipeline output)"
	}
	return ""
}

// TestLayering enforces STYLE.md's import direction on every package of
// the module with go list -deps.
func TestLayering(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go command not found")
	}
	cmd := exec.Command("go", "list", "-e", "-f", "{{.ImportPath}}\t{{join .Deps \" \"}}", "./...")
	cmd.Dir = ".."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, deps, _ := strings.Cut(line, "\t")
		n++
		for _, dep := range strings.Fields(deps) {
			if why := layeringViolation(pkg, dep); why != "" {
				t.Errorf("%s depends on %s: %s", strings.TrimPrefix(pkg, module), strings.TrimPrefix(dep, module), why)
			}
		}
	}
	if n < 5 {
		t.Fatalf("go list found only %d packages", n)
	}
}

func TestLayeringRules(t *testing.T) {
	for _, c := range []struct {
		pkg, dep string
		bad      bool
	}{
		{"lang", "compiler/graph", true},
		{"lang/eval", "lang/config", false},
		{"cmd/internal/console", "lang", true},
		{"cmd/internal/console", "cmd/internal/cli", true},
		{"cmd/internal/console", "targets/local", false},
		{"compiler", "targets/buildspec", true},
		{"compiler", "lang/config", false},
		{"targets/local", "compiler/graph", false},
		{"targets/local/runners", "compiler/dag", false},
		{"targets/local", "compiler", true},
		{"targets/codepipeline", "lang/config", true},
		{"targets/codepipeline", "targets/buildspec", true},
		{"targets/cloudformation", "targets/buildspec", false},
		{"targets/local/runners", "targets/local", false},
		{"targets/local", "targets", false},
		{"importer", "lang/providers", false},
		{"importer", "targets/buildspec", false},
		{"importer", "compiler", true},
		{"importer", "cmd/internal/cli", true},
		{"cmd/internal/cli", "importer", false},
		{"targets/local", "importer", true},
		{"targets/outdir", "targets/docdiff", false},
		{"targets/outdir", "targets", false},
		{"targets/outdir", "targets/buildspec", true},
		{"targets/docdiff", "targets/cloudformation", true},
		{"targets/cloudformation", "targets/outdir", true},
		{"cmd/internal/cli", "targets/outdir", false},
	} {
		if got := layeringViolation(module+c.pkg, module+c.dep) != ""; got != c.bad {
			t.Errorf("%s -> %s: violation %v, want %v", c.pkg, c.dep, got, c.bad)
		}
	}
	if layeringViolation(module+"compiler/dag", "github.com/x/y") == "" || layeringViolation(module+"compiler/dag", "sort") != "" {
		t.Error("compiler/dag standard-library rule wrong")
	}
}
