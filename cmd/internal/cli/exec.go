package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/pipeform/pipeform/cmd/internal/views"
	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/targets/buildspec"
	"github.com/pipeform/pipeform/targets/local/runners"
)

// execFlags are pipeform exec's options [contract].
type execFlags struct {
	sources     []string
	source      string            // the primary source folder
	secondary   map[string]string // secondary source identifier -> folder
	artifacts   string
	env         []string
	secretsFile string
	result      string
	dryRun      bool
	timeout     time.Duration
	project     string
}

func (c *CLI) execCommand() *cobra.Command {
	var f execFlags
	cmd := &cobra.Command{
		Use:   "exec [BUILDSPEC]",
		Short: "Run one buildspec locally exactly like CodeBuild",
		Long: `exec runs a CodeBuild buildspec on this machine the way the CodeBuild agent
does: phases install, pre_build, build and post_build in the build shell (/bin/sh
unless env.shell says bash), variables and the working directory carried from
command to command, the phase failure rules, finally blocks and on-failure,
CODEBUILD_* variables, Parameter Store and Secrets Manager values from
--secrets-file (masked as *** everywhere), exported-variables, and artifacts
selected by CodeBuild's glob rules.

BUILDSPEC defaults to DIR/buildspec.yml. The source folder is copied (without
.git) to a temporary directory first, so the build never changes it. As in a
source CodeBuild checks out itself, a symbolic link that leads inside the
folder stays a link; one that leads outside it is left out, with a warning,
and never followed. Named pipes, sockets and devices are left out with a
warning, never opened. A folder of more than 1,048,576 files and folders is
refused (Source folder too large, exit 1). The log
streams to stdout and is saved to OUT/build.log; the primary artifact lands in
OUT/primary, secondary artifacts in OUT/secondary/<identifier>, report files in
OUT/reports/<group>. --result writes the CodeBuild API Build object as JSON.
Those three folders are replaced on every run, so exec refuses (exit 2) an OUT
whose primary, secondary or reports folder holds files it did not write (it
lists its own in OUT/.pipeform-artifacts), and an OUT that is a source folder.

Secondary sources are given as --source ID=DIR; each is copied the same way
and its copy is CODEBUILD_SRC_DIR_<ID>.

Ctrl-C and SIGTERM stop the build (STOPPED): its processes are killed and the
temporary directory removed.

Exit status: 0 when the build SUCCEEDED, 1 when it FAILED, TIMED_OUT or was
STOPPED, 2 for bad usage, 3 for an internal failure.`,
		Example: `  pipeform exec --source . --artifacts out
  pipeform exec ci/buildspec.yml --source . --artifacts out --env STAGE=test --secrets-file secrets.json
  pipeform exec --source . --dry-run`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			spec := ""
			if len(args) == 1 {
				spec = args[0]
			}
			return c.runExec(spec, &f)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&f.sources, "source", nil, "the primary source folder DIR (default \".\"; CODEBUILD_SRC_DIR is a copy of it), or a secondary source ID=DIR (repeatable)")
	fl.StringVar(&f.artifacts, "artifacts", "", "where artifacts, reports and build.log are written (required unless --dry-run)")
	fl.StringArrayVar(&f.env, "env", nil, "set a variable, overriding the buildspec: --env NAME=VALUE (repeatable)")
	fl.StringVar(&f.secretsFile, "secrets-file", "", "JSON file with parameter-store and secrets-manager values")
	fl.StringVar(&f.result, "result", "", "write the Build object (CodeBuild API shape) as JSON to this file")
	fl.BoolVar(&f.dryRun, "dry-run", false, "print the phases and commands that would run, and run nothing")
	fl.DurationVar(&f.timeout, "timeout", 60*time.Minute, "build timeout, like the project's timeoutInMinutes (a positive duration)")
	fl.StringVar(&f.project, "project", "", "CodeBuild project name used in CODEBUILD_BUILD_ID (default: the source folder's name)")
	return cmd
}

func (c *CLI) runExec(spec string, f *execFlags) error {
	// SIGTERM and Ctrl-C stop the build from the very start: a signal that
	// arrives while the source is copied must still stop it cleanly (the
	// temporary folder removed, exit 1), not kill pipeform outright.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	env, err := parseEnvFlags(f.env)
	if err != nil {
		return err
	}
	// A CodeBuild build always has a timeout (timeoutInMinutes is 5 to
	// 2160): zero or a negative duration is a mistake, not "no limit".
	if f.timeout < 0 {
		return usagef("--timeout %v is negative: give a duration such as 30m (CodeBuild allows 5m to 36h)", f.timeout)
	}
	if f.timeout == 0 {
		return usagef("--timeout %v: a build always has a timeout; give a duration such as 30m (CodeBuild allows 5m to 36h)", f.timeout)
	}
	if !f.dryRun && f.artifacts == "" {
		return usagef("exec needs --artifacts OUT: the folder that receives the artifacts and the build log")
	}
	if err := f.parseSources(); err != nil {
		return err
	}
	if err := f.checkOutputs(); err != nil {
		return err
	}
	defaultSpec := spec == ""
	if defaultSpec {
		spec = filepath.Join(f.source, "buildspec.yml")
	}
	src, why := readFileArg(spec)
	if why != "" {
		if alt := filepath.Join(f.source, "buildspec.yaml"); defaultSpec && fileExists(alt) {
			return usagef("cannot read the buildspec %s: %s. CodeBuild's default is buildspec.yml; to run %s, name it: pipeform exec %s --source %s", spec, why, alt, alt, f.source)
		}
		if defaultSpec {
			return usagef("cannot read the buildspec %s: %s. Give the buildspec file as the argument (pipeform exec BUILDSPEC), or --source the folder that holds buildspec.yml", spec, why)
		}
		return usagef("cannot read the buildspec %s: %s. Give the path of a buildspec YAML file", spec, why)
	}
	files := map[string]*hcl.File{spec: {Bytes: src}}
	bs, diags := buildspec.Parse(spec, src)
	cb := &runners.CodeBuild{
		Buildspec:     bs,
		BuildspecPath: spec,
		Env:           env,
		ProjectName:   f.project,
		Timeout:       f.timeout,
	}
	if cb.ProjectName == "" {
		cb.ProjectName = projectName(f.source)
	}
	cb.Locate = buildspec.EnvLocator(spec, src)
	if bs != nil && !diags.HasErrors() && f.dryRun {
		plan, pdiags := cb.Plan()
		diags = append(diags, pdiags...)
		c.writeDiags(files, diags)
		if diags.HasErrors() {
			return exit(ExitProblems)
		}
		views.WriteBuildPlan(c.Stdout, spec, plan)
		return nil
	}
	if bs == nil || diags.HasErrors() {
		c.writeDiags(files, diags)
		return exit(ExitProblems)
	}
	if f.secretsFile != "" {
		data, err := readSecretsFile(f.secretsFile)
		if err != nil {
			return err
		}
		// The file is not handed to the renderer: a diagnostic about it names
		// the key and the position, and its line (values included) is never
		// shown as a snippet.
		secrets, sdiags := runners.ParseSecrets(f.secretsFile, data)
		diags = append(diags, sdiags...)
		if sdiags.HasErrors() {
			c.writeDiags(files, diags)
			return exit(ExitProblems)
		}
		cb.Secrets = secrets
	}
	return c.execBuild(ctx, cb, f, files, diags)
}

// execTempPrefix names exec's temporary folders.
const execTempPrefix = "pipeform-exec-"

// execBuild copies the source, runs the build and reports where its
// artifacts and log are.
func (c *CLI) execBuild(ctx context.Context, cb *runners.CodeBuild, f *execFlags, files map[string]*hcl.File, diags hcl.Diagnostics) error {
	// The copy of the source and the agent's state (secrets included)
	// live in a temporary folder held while the build runs: what an exec
	// killed with kill -9 left is removed by the next one.
	tmp, release, err := runners.NewTempDir(execTempPrefix)
	if err != nil {
		return c.internal("cannot create a temporary directory: %v", err)
	}
	defer release()
	defer os.RemoveAll(tmp)
	out, err := filepath.Abs(f.artifacts)
	if err != nil {
		return c.internal("%v", err)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		fmt.Fprintf(c.Stderr, "Error: cannot create the artifacts folder %s: %s.\n", out, describeErr(err))
		return exit(ExitProblems)
	}
	dirs := []string{f.source}
	for _, id := range sortedKeys(f.secondary) {
		dirs = append(dirs, f.secondary[id])
	}
	diags = append(diags, secretsInside(f.secretsFile, dirs)...)
	logPath := filepath.Join(out, "build.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		fmt.Fprintf(c.Stderr, "Error: cannot create the build log %s: %s.\n", logPath, describeErr(err))
		return exit(ExitProblems)
	}
	defer logFile.Close()
	cb.Log = io.MultiWriter(c.Stdout, logFile)
	if sdiags := c.copySources(ctx, cb, f, tmp, out); sdiags.HasErrors() {
		c.writeDiags(files, append(diags, sdiags...))
		return exit(ExitProblems)
	}

	cb.ArtifactsDir = out
	cb.WorkDir = filepath.Join(tmp, "agent")
	if err := os.Mkdir(cb.WorkDir, 0o700); err != nil {
		return c.internal("%v", err)
	}
	cb.BuildID = cb.ProjectName + ":" + newUUID()
	// Every process of the build carries its tag, so those that leave its
	// process groups (setsid, a double fork) still end with it; pipeform
	// adopts the orphans and stops what is left when the build ends.
	tag := "exec:" + newUUID()
	cb.BaseEnv = runners.Tagged(c.Environ(), tag)
	_ = runners.Contain()
	defer runners.StopDescendants()
	defer runners.StopTagged(tag)
	cb.Initiator = firstNonEmpty(c.Getenv("USER"), "pipeform")
	cb.Region = firstNonEmpty(c.Getenv("AWS_REGION"), c.Getenv("AWS_DEFAULT_REGION"))
	cb.ResolvedSourceVersion = gitHead(ctx, f.source)
	if ctx.Err() != nil {
		// Stopped while the build was being prepared: nothing has run.
		fmt.Fprintln(c.Stdout, "Build STOPPED before it started: pipeform was interrupted while preparing it.")
		return exit(ExitProblems)
	}

	build, rdiags := cb.Run(ctx)
	diags = append(diags, rdiags...)
	if err := runners.RecordArtifacts(out); err != nil {
		fmt.Fprintf(c.Stderr, "Error: cannot write %s: %s.\n", filepath.Join(out, runners.ArtifactsManifest), describeErr(err))
	}
	c.writeDiags(files, diags)
	if build == nil {
		return exit(ExitProblems)
	}
	if f.result != "" {
		data, _ := json.MarshalIndent(build, "", "  ")
		if err := os.WriteFile(f.result, append(data, '\n'), 0o644); err != nil {
			fmt.Fprintf(c.Stderr, "Error: cannot write the result %s: %s.\n", f.result, describeErr(err))
			return exit(ExitProblems)
		}
	}
	views.WriteBuildSummary(c.Stdout, build, logPath)
	if build.BuildStatus != runners.StatusSucceeded {
		return exit(ExitProblems)
	}
	return nil
}

// copySources copies the primary and secondary sources into tmp and points
// the build at the copies, writing what it left out to the build's log.
func (c *CLI) copySources(ctx context.Context, cb *runners.CodeBuild, f *execFlags, tmp, out string) hcl.Diagnostics {
	cb.SrcDir = filepath.Join(tmp, "src")
	if diags := c.copySource(ctx, f.source, cb.SrcDir, "--source DIR", f.secretsFile, cb.Log, out, tmp); diags.HasErrors() {
		return diags
	}
	for _, id := range sortedKeys(f.secondary) {
		to := filepath.Join(tmp, "secondary", id)
		if diags := c.copySource(ctx, f.secondary[id], to, "--source "+id+"=DIR", f.secretsFile, cb.Log, out, tmp); diags.HasErrors() {
			return diags
		}
		if cb.SecondarySrc == nil {
			cb.SecondarySrc = map[string]string{}
		}
		cb.SecondarySrc[id] = to
	}
	return nil
}

func (c *CLI) internal(format string, args ...any) error {
	fmt.Fprintf(c.Stderr, "Error: "+format+"\n", args...)
	return exit(ExitInternal)
}

func (c *CLI) writeDiags(files map[string]*hcl.File, diags hcl.Diagnostics) {
	if len(diags) == 0 {
		return
	}
	color := isTerminal(c.Stderr) && c.Getenv("NO_COLOR") == ""
	_ = views.WriteDiagnostics(c.Stderr, files, diags, 0, color)
}

func parseEnvFlags(flags []string) ([]graph.KeyValue, error) {
	var env []graph.KeyValue
	for _, s := range flags {
		k, v, ok := strings.Cut(s, "=")
		if !ok || !envName.MatchString(k) {
			return nil, usagef("--env wants NAME=VALUE with NAME made of letters, digits and _, got %q", s)
		}
		env = append(env, graph.KeyValue{Key: k, Value: v})
	}
	return env, nil
}

var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// parseSources splits --source into the primary folder and the secondary
// sources. Every folder must exist.
func (f *execFlags) parseSources() error {
	f.source, f.secondary = "", map[string]string{}
	for _, s := range f.sources {
		id, dir, ok := strings.Cut(s, "=")
		if !ok || !envName.MatchString(id) {
			if f.source != "" {
				return usagef("--source %s: there is one primary source (%s already); give secondary sources as ID=DIR", s, f.source)
			}
			f.source = s
			continue
		}
		if _, dup := f.secondary[id]; dup {
			return usagef("--source %s: secondary source %s is given twice", s, id)
		}
		f.secondary[id] = dir
	}
	if f.source == "" {
		f.source = "."
	}
	dirs := []string{f.source}
	for _, id := range sortedKeys(f.secondary) {
		dirs = append(dirs, f.secondary[id])
	}
	for _, dir := range dirs {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return usagef("--source %s is not a folder", dir)
		}
	}
	return nil
}

// checkOutputs makes sure, before the build runs, that --artifacts can be a
// folder and that --result can be written: finding out after a long build
// would throw its result away.
func (f *execFlags) checkOutputs() error {
	if f.artifacts != "" {
		if st, err := os.Stat(f.artifacts); err == nil && !st.IsDir() {
			return usagef("--artifacts %s is a file: give a folder (it is created when missing) for the artifacts and the build log", f.artifacts)
		}
		if err := f.checkArtifactsFolder(); err != nil {
			return err
		}
	}
	if f.result != "" {
		if st, err := os.Stat(f.result); err == nil && st.IsDir() {
			return usagef("--result %s is a directory: give the path of the JSON file to write", f.result)
		}
		dir := filepath.Dir(f.result)
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return usagef("--result %s: the directory %s does not exist; create it first or give another path", f.result, dir)
		}
	}
	return nil
}

// checkArtifactsFolder refuses an --artifacts folder whose primary,
// secondary or reports folder holds files an earlier exec did not write
// (the build would delete them), and one that is a source folder (the
// build's artifacts would be mixed into, or replace, the source).
func (f *execFlags) checkArtifactsFolder() error {
	out := realPath(f.artifacts)
	for _, src := range append([]string{f.source}, f.secondaryDirs()...) {
		if realPath(src) == out {
			return usagef("--artifacts %s is the source folder %s: the build would write its artifacts and log among the source files, replacing any primary, secondary or reports folder there. Give a folder of its own, such as --artifacts out", f.artifacts, src)
		}
	}
	foreign := runners.ForeignArtifacts(f.artifacts)
	if len(foreign) == 0 {
		return nil
	}
	more := ""
	if len(foreign) > 3 {
		more = fmt.Sprintf(" and %d more", len(foreign)-3)
		foreign = foreign[:3]
	}
	return usagef("--artifacts %s holds files pipeform did not write (%s%s): a build replaces the primary, secondary and reports folders there, which would delete them. Move those files away, or give another folder (a new or empty one)", f.artifacts, strings.Join(foreign, ", "), more)
}

func (f *execFlags) secondaryDirs() []string {
	var dirs []string
	for _, id := range sortedKeys(f.secondary) {
		dirs = append(dirs, f.secondary[id])
	}
	return dirs
}

// realPath is p made absolute with symbolic links resolved, as far as it
// exists.
func realPath(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		return r
	}
	return abs
}

// projectName derives a CodeBuild project name from the source folder.
func projectName(source string) string {
	abs, err := filepath.Abs(source)
	if err != nil {
		return "local"
	}
	name := regexp.MustCompile(`[^A-Za-z0-9_-]+`).ReplaceAllString(filepath.Base(abs), "-")
	if len(name) < 2 {
		return "local"
	}
	return name
}

// gitHead is the commit the source folder is checked out at, when it is a
// git work tree; CODEBUILD_RESOLVED_SOURCE_VERSION.
func gitHead(ctx context.Context, dir string) string {
	out, err := exec.CommandContext(ctx, "git", "-C", dir, "rev-parse", "--verify", "-q", "HEAD").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// copySource copies the source folder from (given as flag) to to with the
// snapshot of apply's source actions, so both hold the same files, links,
// limits and warnings. A build run directly downloads its source itself, and
// a git checkout by CodeBuild keeps symbolic links (aws/aws-cdk#7343): links
// are held as in a CODEBUILD_CLONE_REF source, one leading inside the folder
// kept as a link, one leading outside it left out, none followed. Named
// pipes, sockets and devices are left out, never opened. Unlike a source
// action, every file under the folder is taken, ignored or not, as AWS's
// local build tool copies a source folder. Never copied: .git, pipeform's
// state (.pipeform), the folders leave (the artifacts folder and the
// build's temporary folder, when they lie inside the source) and the
// secrets file (found as a file, whatever its name, or a link to it).
func (c *CLI) copySource(ctx context.Context, from, to, flag, secretsFile string, log io.Writer, leave ...string) hcl.Diagnostics {
	src := &runners.Source{
		Dir: from, Out: to, Clone: true, AllFiles: true,
		Exclude: []string{".pipeform"}, Leave: leave, Log: log, Flag: flag,
		MaxEntries: c.SourceEntries,
	}
	if secretsFile != "" {
		src.Omit = []string{secretsFile}
	}
	_, diags := src.Run(ctx)
	return diags
}

// fileExists reports whether path names a regular file.
func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}
