package constraints

// The values of the buildspec keys that the project block writes. The
// buildspec has no machine-readable model, so these are written here by
// hand from the buildspec reference (reference/BUILDSPEC.md §4, §7–§11),
// the one place the compiler, the buildspec reader and the language server
// take them from.

// Build shells CodeBuild supports (env.shell).
var (
	LinuxShells   = []string{"bash", "/bin/sh"}
	WindowsShells = []string{"powershell.exe", "cmd.exe"}
	// Shells is every supported shell, Linux ones first.
	Shells = append(append([]string{}, LinuxShells...), WindowsShells...)
)

// ReportFileFormats are the report file formats (reports.<name>.file-format;
// CodeBuild accepts them in any case): test reports, then code coverage.
var ReportFileFormats = []string{"CUCUMBERJSON", "JUNITXML", "NUNITXML", "NUNIT3XML", "TESTNGXML", "VISUALSTUDIOTRX",
	"CLOVERXML", "COBERTURAXML", "JACOCOXML", "SIMPLECOV"}

// OnFailureModes are the fixed words of a phase's on-failure; RETRY also
// takes a count and/or a regular expression (RETRY-2, RETRY-.*timeout.*).
var OnFailureModes = []string{"ABORT", "CONTINUE", "RETRY"}

// CacheActions are the values of cache.action.
var CacheActions = []string{"restore", "save"}

// SlotResults narrow the model's one Result enum to what each condition
// slot accepts (reference CODEPIPELINE.md §2; the service documents it, the
// models do not): Enum serves these, and the compiler's stage-conditions
// check reports a Result value used in the wrong slot.
var SlotResults = map[string][]string{
	"before_entry": {"FAIL", "SKIP"},
	"on_success":   {"ROLLBACK", "FAIL"},
	"on_failure":   {"ROLLBACK"},
}

// Effects are the effects of an IAM policy statement (role_statement).
var Effects = []string{"Allow", "Deny"}

// buildspecEnums are the buildspec values, and the other hand-written
// value lists of the language, by block path and attribute.
var buildspecEnums = map[[2]string][]string{
	{"pipeline.role_statement", "effect"}: Effects,
	{"project.env", "shell"}:              Shells,
	{"project.report", "format"}:          ReportFileFormats,
	{"project.phase", "on_failure"}:       OnFailureModes,
	{"project.cache", "action"}:           CacheActions,
}
