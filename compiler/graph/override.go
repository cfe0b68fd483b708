package graph

import "strings"

// InlineBuildspec reports whether a CodeBuild action's BuildspecOverride is
// an inline buildspec rather than a path or an S3 object, by the rule of
// CodeBuild's StartBuild that the local executor applies: a value (spaces
// trimmed) that is not an ARN and holds a line break or starts with "{"
// (targets/local's buildspecOverride). The compiler checks such a value with
// the buildspec parser; the executor runs it.
func InlineBuildspec(override string) bool {
	t := strings.TrimSpace(override)
	return !strings.HasPrefix(t, "arn:") && (strings.Contains(t, "\n") || strings.HasPrefix(t, "{"))
}
