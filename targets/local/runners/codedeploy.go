package runners

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/hcl/v2"
	"go.yaml.in/yaml/v3"
)

// CodeDeploy runs a CodeDeploy (EC2/on-premises) action the way
// codedeploy-local does, against a local target folder instead of an
// instance: the bundle's appspec.yml `files` are copied under Target (which
// stands for the instance's "/"), `permissions` are applied as far as a
// non-root user can (modes only), and the lifecycle hooks run in AWS's order.
// ApplicationStop, BeforeBlockTraffic and AfterBlockTraffic run the scripts
// of the previous successful revision, as on AWS, so they do not run on the
// first deployment.
type CodeDeploy struct {
	// Bundle is the input artifact: the revision, appspec.yml at its root.
	Bundle string
	// Target is the folder that stands for the instance's "/".
	Target string
	// State keeps what the deployment group remembers between deployments:
	// the last successful revision and the files it installed.
	State                           string
	Application, DeploymentGroup    string
	DeploymentID, DeploymentGroupID string
	Env                             []string
	Log                             io.Writer

	// leftovers are the process groups of hook scripts, which may hold
	// background processes (a daemon an ApplicationStart hook started).
	leftovers []int
	// outputs are the hooks' output pipes, drained until every background
	// process writing to them ends; stopLeftovers waits for them.
	outputs []*hookOutput
}

// CodeDeployHooks is codedeploy-local's default lifecycle event list, in
// order. DownloadBundle and Install are the agent's own steps.
var CodeDeployHooks = []string{
	"BeforeBlockTraffic", "AfterBlockTraffic", "ApplicationStop", "DownloadBundle",
	"BeforeInstall", "Install", "AfterInstall", "ApplicationStart", "ValidateService",
	"BeforeAllowTraffic", "AfterAllowTraffic",
}

// previousRevisionHooks run the scripts of the last successful revision.
var previousRevisionHooks = map[string]bool{"ApplicationStop": true, "BeforeBlockTraffic": true, "AfterBlockTraffic": true}

// AppSpec is the subset of appspec.yml (version 0.0) the local run uses.
type AppSpec struct {
	Version            any                      `yaml:"version"`
	OS                 string                   `yaml:"os"`
	Files              []AppSpecFile            `yaml:"files"`
	FileExistsBehavior string                   `yaml:"file_exists_behavior"`
	Permissions        []AppSpecPermission      `yaml:"permissions"`
	Hooks              map[string][]AppSpecHook `yaml:"hooks"`
}

// AppSpecFile is one entry of appspec.yml's files.
type AppSpecFile struct {
	Source      string `yaml:"source"`
	Destination string `yaml:"destination"`
}

// AppSpecPermission is one entry of appspec.yml's permissions.
type AppSpecPermission struct {
	Object  string   `yaml:"object"`
	Pattern string   `yaml:"pattern"`
	Except  []string `yaml:"except"`
	Owner   string   `yaml:"owner"`
	Group   string   `yaml:"group"`
	Mode    string   `yaml:"mode"`
	Type    []string `yaml:"type"`
}

// AppSpecHook is one script of a lifecycle event in appspec.yml's hooks.
type AppSpecHook struct {
	Location string `yaml:"location"`
	Timeout  int    `yaml:"timeout"`
	RunAs    string `yaml:"runas"`
}

// Run deploys. It reports failures as diagnostics naming the hook or file.
//
// On AWS the agent leaves the daemons an ApplicationStart hook starts
// running: that is what the hook is for. A local deployment keeps them for
// the rest of the deployment (ValidateService can check them) and stops them
// when the action ends, saying so in the log, so no server started by a run
// outlives it.
func (c *CodeDeploy) Run(ctx context.Context) hcl.Diagnostics {
	defer c.stopLeftovers()
	spec, diags := ReadAppSpec(c.Bundle)
	if diags.HasErrors() {
		return diags
	}
	prevDir := filepath.Join(c.State, "last-revision")
	prev, _ := ReadAppSpec(prevDir)
	OwnLine(c.Log, "Deployment %s of %s to %s/%s (target folder %s)", c.DeploymentID, c.Application, c.Application, c.DeploymentGroup, c.Target)
	for _, event := range CodeDeployHooks {
		if ctx.Err() != nil {
			return nil
		}
		switch event {
		case "DownloadBundle":
			continue
		case "Install":
			OwnLine(c.Log, "LifecycleEvent - Install")
			if d := c.install(spec); d.HasErrors() {
				return d
			}
			continue
		}
		s, root := spec, c.Bundle
		if previousRevisionHooks[event] {
			s, root = prev, prevDir
		}
		if s == nil || len(s.Hooks[event]) == 0 {
			continue
		}
		OwnLine(c.Log, "LifecycleEvent - %s", event)
		for _, h := range s.Hooks[event] {
			if d := c.runHook(ctx, event, root, h); d.HasErrors() {
				return d
			}
		}
	}
	if ctx.Err() != nil {
		return nil
	}
	// Remember this revision for the next deployment's ApplicationStop.
	os.RemoveAll(prevDir)
	if err := CopyTree(c.Bundle, prevDir); err != nil {
		return codedeployDiag("Cannot record the deployed revision", ioWords(err)+".")
	}
	OwnLine(c.Log, "Deployment %s succeeded", c.DeploymentID)
	return nil
}

// ReadAppSpec reads appspec.yml (or appspec.yaml) at the root of dir. A
// missing dir gives nil and no diagnostics.
func ReadAppSpec(dir string) (*AppSpec, hcl.Diagnostics) {
	if _, err := os.Stat(dir); err != nil {
		return nil, nil
	}
	var data []byte
	var err error
	name := "appspec.yml"
	for _, n := range []string{"appspec.yml", "appspec.yaml"} {
		if data, err = os.ReadFile(filepath.Join(dir, n)); err == nil {
			name = n
			break
		}
	}
	if err != nil {
		return nil, codedeployDiag("Missing appspec.yml",
			"The CodeDeploy action's input artifact has no appspec.yml (or appspec.yaml) at its root. Add one to the artifact, for example with the producing project's artifacts files.")
	}
	var spec AppSpec
	if err := yaml.Unmarshal(data, &spec); err != nil {
		return nil, codedeployDiag("Invalid appspec.yml", fmt.Sprintf("%s could not be read: %v.", name, err))
	}
	if v := fmt.Sprint(spec.Version); v != "0" && v != "0.0" {
		return nil, codedeployDiag("Invalid appspec.yml", fmt.Sprintf("%s has version %q; the only allowed value is 0.0.", name, v))
	}
	for event := range spec.Hooks {
		if !knownHook(event) {
			return nil, codedeployDiag("Invalid appspec.yml", fmt.Sprintf("%s has a hook for %q, which is not a lifecycle event of EC2/on-premises deployments. Valid events: %s.", name, event, strings.Join(CodeDeployHooks, ", ")))
		}
		if event == "DownloadBundle" || event == "Install" {
			return nil, codedeployDiag("Invalid appspec.yml", fmt.Sprintf("%s has a hook for %s, which is reserved for the CodeDeploy agent.", name, event))
		}
	}
	return &spec, nil
}

func knownHook(event string) bool {
	for _, e := range CodeDeployHooks {
		if e == event {
			return true
		}
	}
	return false
}

// install copies the files section and applies permissions. Sources are
// read inside the revision and destinations written inside the target
// folder through os.Root: a source or object with .., or a symbolic link
// in either folder, never reaches a file outside them.
func (c *CodeDeploy) install(spec *AppSpec) hcl.Diagnostics {
	if err := os.MkdirAll(c.Target, 0o755); err != nil {
		return codedeployDiag("Cannot install a file", ioWords(err)+".")
	}
	bundle, err := os.OpenRoot(c.Bundle)
	if err != nil {
		return codedeployDiag("Cannot install a file", ioWords(err)+".")
	}
	defer bundle.Close()
	target, err := os.OpenRoot(c.Target)
	if err != nil {
		return codedeployDiag("Cannot install a file", ioWords(err)+".")
	}
	defer target.Close()
	cleanup := filepath.Join(c.State, "installed-files")
	if data, err := os.ReadFile(cleanup); err == nil {
		// Like the agent, first remove what the last deployment installed.
		for _, p := range strings.Split(string(data), "\n") {
			if p != "" {
				target.Remove(filepath.FromSlash(p))
			}
		}
	}
	var installed []string
	for _, f := range spec.Files {
		files, d := c.installFiles(bundle, target, f, strings.ToUpper(spec.FileExistsBehavior))
		if d.HasErrors() {
			return d
		}
		installed = append(installed, files...)
	}
	OwnLine(c.Log, "Installed %d files", len(installed))
	if err := os.MkdirAll(c.State, 0o755); err != nil {
		return codedeployDiag("Cannot install a file", ioWords(err)+".")
	}
	if err := os.WriteFile(cleanup, []byte(strings.Join(installed, "\n")+"\n"), 0o644); err != nil {
		return codedeployDiag("Cannot install a file", ioWords(err)+".")
	}
	c.permissions(target, spec)
	return nil
}

// inRoot is the path of an appspec path (source, destination, object)
// relative to the folder that stands for its root: cleaned as an absolute
// path first, so .. never climbs above it, as on the instance /.. is /.
func inRoot(p string) string {
	rel := strings.TrimPrefix(path.Clean("/"+filepath.ToSlash(p)), "/")
	if rel == "" {
		return "."
	}
	return filepath.FromSlash(rel)
}

// installFiles installs one files entry and returns what it installed.
func (c *CodeDeploy) installFiles(bundle, target *os.Root, f AppSpecFile, behavior string) ([]string, hcl.Diagnostics) {
	src := filepath.FromSlash(path.Clean(strings.TrimPrefix(filepath.ToSlash(f.Source), "/")))
	if src != "." && !filepath.IsLocal(src) {
		return nil, codedeployDiag("Invalid appspec.yml", fmt.Sprintf("The files source %q leaves the revision: a source is a path inside the revision, relative to its root. Remove the .. from it.", f.Source))
	}
	dest := inRoot(f.Destination)
	files, err := codedeployList(bundle, src)
	if err != nil {
		return nil, codedeployDiag("Invalid appspec.yml", fmt.Sprintf("The files source %q is not in the revision (%s). Fix the source in appspec.yml: it is relative to the revision root.", f.Source, ioWords(err)))
	}
	var installed []string
	for _, rel := range files {
		from := filepath.Join(src, filepath.FromSlash(rel))
		to := filepath.Join(dest, filepath.FromSlash(rel))
		if rel == "." {
			to = filepath.Join(dest, filepath.Base(filepath.Join(c.Bundle, src)))
		}
		if strings.HasPrefix(rel, "appspec.y") && src == "." {
			continue
		}
		if _, err := target.Lstat(to); err == nil {
			switch behavior {
			case "RETAIN":
				continue
			case "OVERWRITE":
			default:
				return nil, codedeployDiag("File already exists at location",
					fmt.Sprintf("The deployment failed because %s already exists and file_exists_behavior is DISALLOW (the default). Set file_exists_behavior to OVERWRITE or RETAIN in appspec.yml, or remove the file.", "/"+filepath.ToSlash(to)))
			}
		}
		if err := copyBetween(bundle, from, target, to); err != nil {
			return nil, codedeployDiag("Cannot install a file", ioWords(err)+".")
		}
		installed = append(installed, filepath.ToSlash(to))
	}
	return installed, nil
}

// copyBetween copies the file name of from to the file to of into, with
// its mode (made writable by its owner), creating the folders it needs.
func copyBetween(from *os.Root, name string, into *os.Root, to string) error {
	in, err := from.Open(name)
	if err != nil {
		return err
	}
	if err := into.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		in.Close()
		return err
	}
	return copyOpened(in, 0, func(perm fs.FileMode) (*os.File, error) {
		return into.OpenFile(to, copyFlags, perm)
	})
}

// codedeployList lists the regular files under src in root ("." when src
// is a file).
func codedeployList(root *os.Root, src string) ([]string, error) {
	info, err := root.Stat(src)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return []string{"."}, nil
	}
	var files []string
	err = fs.WalkDir(root.FS(), filepath.ToSlash(src), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(filepath.FromSlash(src), filepath.FromSlash(p))
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}

// permissions applies `mode` inside the target folder; owner, group, ACLs
// and SELinux contexts need root and are logged as not applied.
func (c *CodeDeploy) permissions(target *os.Root, spec *AppSpec) {
	for _, p := range spec.Permissions {
		if p.Owner != "" || p.Group != "" {
			OwnLine(c.Log, "Permissions: owner/group of %s not applied locally", p.Object)
		}
		if p.Mode == "" {
			continue
		}
		mode, err := strconv.ParseUint(p.Mode, 8, 32)
		if err != nil {
			OwnLine(c.Log, "Permissions: mode %q of %s is not octal; skipped", p.Mode, p.Object)
			continue
		}
		object := filepath.ToSlash(inRoot(p.Object))
		pattern := p.Pattern
		if pattern == "" {
			pattern = "**"
		}
		_ = fs.WalkDir(target.FS(), object, func(q string, d fs.DirEntry, err error) error {
			if err != nil || q == object && d.IsDir() {
				return nil
			}
			kind := "file"
			if d.IsDir() {
				kind = "directory"
			}
			if len(p.Type) > 0 && !codedeployHas(p.Type, kind) || d.Type()&fs.ModeSymlink != 0 {
				return nil
			}
			if pattern != "**" {
				if ok, _ := filepath.Match(pattern, d.Name()); !ok {
					return nil
				}
			}
			if codedeployHas(p.Except, d.Name()) {
				return nil
			}
			return target.Chmod(filepath.FromSlash(q), fs.FileMode(mode))
		})
	}
}

func codedeployHas(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// runHook runs one hook script from root with the agent's environment.
func (c *CodeDeploy) runHook(ctx context.Context, event, root string, h AppSpecHook) hcl.Diagnostics {
	// The script is found, and made executable, inside the revision only,
	// through an os.Root: a location with .. or a symbolic link in the
	// revision never runs, or changes the mode of, a file outside it.
	rel := filepath.FromSlash(path.Clean(strings.TrimPrefix(filepath.ToSlash(h.Location), "/")))
	if !filepath.IsLocal(rel) {
		return codedeployDiag("Invalid appspec.yml",
			fmt.Sprintf("The %s hook location %q leaves the revision: a location is a path inside the revision, relative to its root. Remove the .. from it.", event, h.Location))
	}
	revision, err := os.OpenRoot(root)
	if err != nil {
		return codedeployDiag("Script failed", fmt.Sprintf("The %s script %s could not run: %s.", event, h.Location, IOReason(err)))
	}
	info, err := revision.Stat(rel)
	if err == nil && info.Mode()&0o111 == 0 {
		// The agent makes scripts executable too.
		err = revision.Chmod(rel, info.Mode()|0o111)
	}
	revision.Close()
	if err != nil {
		return codedeployDiag("Script does not exist at specified location",
			fmt.Sprintf("The %s hook names %q, which is not in the revision (%s). Fix the location in appspec.yml (it is relative to the revision root).", event, h.Location, ioWords(err)))
	}
	script := filepath.Join(root, rel)
	timeout := time.Duration(h.Timeout) * time.Second
	if h.Timeout <= 0 {
		timeout = time.Hour
	}
	if h.RunAs != "" {
		OwnLine(c.Log, "runas %s is not applied locally", h.RunAs)
	}
	OwnLine(c.Log, "Script - %s", h.Location)
	out, err := newHookOutput(event, c.Log)
	if err != nil {
		return codedeployDiag("Script failed", fmt.Sprintf("The %s script %s could not run: %s.", event, h.Location, IOReason(err)))
	}
	c.outputs = append(c.outputs, out)
	var cmd *exec.Cmd
	var timedOut bool
	for try := 1; ; try++ {
		cmd = c.hookCommand(script, root, event, out.w)
		timedOut, err = RunProcess(ctx, cmd, timeout)
		// The script was copied into the revision folder just now; a
		// process another action forks at the same moment holds the copy's
		// descriptor until it runs its own program, and exec then fails
		// with "text file busy" (the fork/exec race of Go issue 22315).
		// It passes within moments: try again.
		if cmd.Process != nil || !errors.Is(err, syscall.ETXTBSY) || try == 20 || ctx.Err() != nil {
			break
		}
		time.Sleep(time.Duration(try) * 10 * time.Millisecond)
	}
	out.scriptEnded()
	if cmd.Process != nil {
		c.leftovers = append(c.leftovers, cmd.Process.Pid)
	}
	if ctx.Err() != nil && !timedOut {
		return nil
	}
	if timedOut {
		return codedeployDiag("Script timed out",
			fmt.Sprintf("The %s script %s did not finish within %s. Raise its timeout in appspec.yml or make it faster.", event, h.Location, timeout))
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return codedeployDiag("Script failed",
			fmt.Sprintf("The %s script %s failed with exit code %d; see the action's log.", event, h.Location, ee.ExitCode()))
	}
	if err != nil {
		return codedeployDiag("Script failed", fmt.Sprintf("The %s script %s could not run: %s. Check that the script is readable and that the interpreter its #! line names is installed.", event, h.Location, ioWords(err)))
	}
	return nil
}

// hookCommand is the command that runs one hook script, writing to w.
func (c *CodeDeploy) hookCommand(script, root, event string, w *os.File) *exec.Cmd {
	cmd := exec.Command(script)
	if !codedeployHasShebang(script) {
		// Like the agent (and execvp), a script without #! runs in /bin/sh.
		cmd = exec.Command("/bin/sh", script)
	}
	cmd.Dir = root
	cmd.Env = append(append([]string{}, c.Env...),
		"LIFECYCLE_EVENT="+event,
		"DEPLOYMENT_ID="+c.DeploymentID,
		"APPLICATION_NAME="+c.Application,
		"DEPLOYMENT_GROUP_NAME="+c.DeploymentGroup,
		"DEPLOYMENT_GROUP_ID="+c.DeploymentGroupID,
		"PIPEFORM_DEPLOY_ROOT="+c.Target,
	)
	cmd.Stdout, cmd.Stderr = w, w
	return cmd
}

// stopLeftovers stops what the hooks left running, at the end of the
// deployment.
func (c *CodeDeploy) stopLeftovers() {
	stopped := false
	for _, pgid := range c.leftovers {
		if StopLeftovers(pgid, c.Env) {
			stopped = true
		}
	}
	if StopTagged(OwnTag(c.Env)) > 0 {
		stopped = true
	}
	c.leftovers = nil
	// With the writers gone the pipes close; what the background
	// processes wrote after their hook ended is logged now.
	for _, o := range c.outputs {
		o.finish()
	}
	c.outputs = nil
	if stopped {
		OwnLine(c.Log, "Stopped the background processes the hook scripts started: on AWS they keep running on the instance; a local deployment ends them with its action")
	}
}

func codedeployHasShebang(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 2)
	n, _ := io.ReadFull(f, head)
	return n == 2 && string(head) == "#!"
}

func codedeployDiag(summary, detail string) hcl.Diagnostics {
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summary, Detail: detail}}
}
