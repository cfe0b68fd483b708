// Package outdir owns the output folder (OUT) of `pipeform generate` and
// `apply --target aws`: the manifest of the files generate wrote there,
// which files it may replace or remove, the plan of what would change
// (added, changed and removed files, with what changed inside each one
// through targets/docdiff), and writing that plan.
//
// Every write and removal goes through an os.Root opened on OUT, so a
// symbolic link inside OUT never leads a write outside it, and every file
// is written atomically (a temporary file in its folder, then a rename).
//
// STYLE.md has the CLI as the only package that writes output files; the
// rule it serves is that the CLI only orchestrates. Managing OUT is logic
// of its own with its own tests, so it lives here and the CLI calls it:
// parses flags, calls Plan and Write, prints. Errors are the os package's
// (*fs.PathError naming the file of OUT), for the caller to put in words.
//
// It imports the targets package (for targets.File), targets/docdiff and
// the standard library; no target, and nothing of lang, compiler or cmd.
package outdir
