package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/pipeform/pipeform/targets"
)

// The --target aws mode of plan and apply: what generate would change in
// OUT, Terraform-style, and writing it.

type fileOp byte

const (
	opAdd    fileOp = '+'
	opChange fileOp = '~'
	opDelete fileOp = '-'
)

// fileChange is one file generate would add, change or delete, with the
// changes inside it (per resource, stage, action, buildspec phase/command).
type fileChange struct {
	Op      fileOp
	Path    string
	Details []detail
	// NotGenerated marks a change to a file no earlier generate wrote (OUT's
	// manifest does not list it): generate and apply replace it only with
	// --force.
	NotGenerated bool
}

// detail is one line of a file's change list.
type detail struct {
	Op    fileOp
	Path  string
	Value string // "old -> new", a value, or a type; may be empty
}

// planAWS is `plan --target aws`: it prints what generate would change in
// OUT and returns exit code 0 when nothing would change, 2 (ExitChanges)
// when something would, 1 on configuration errors.
func (c *CLI) planAWS(dir string, vars *varFlags, o awsOptions) error {
	o.Target = "all"
	files, owned, err := c.awsFiles(dir, vars, &o)
	if err != nil {
		return err
	}
	changes, err := planFiles(o.Out, files, owned, true)
	if err != nil {
		fmt.Fprintf(c.Stderr, "Error: %s\n", fileError(err))
		return exit(ExitInternal)
	}
	if o.JSON {
		if err := writePlanJSON(c.Stdout, o.Out, changes); err != nil {
			return exit(ExitInternal)
		}
		if len(changes) == 0 {
			return nil
		}
		return exit(ExitChanges)
	}
	if len(changes) == 0 {
		fmt.Fprintf(c.Stdout, "No changes. %s is up to date with the configuration.\n", o.Out)
		return nil
	}
	fmt.Fprintf(c.Stdout, "pipeform generate would make these changes in %s:\n\n", o.Out)
	writePlanChanges(c.Stdout, changes)
	add, change, del := countChanges(changes)
	fmt.Fprintf(c.Stdout, "\nPlan: %d to add, %d to change, %d to remove.\n", add, change, del)
	return exit(ExitChanges)
}

// applyAWS is `apply --target aws`: it writes what plan --target aws shows
// and prints the commands that deploy it.
func (c *CLI) applyAWS(dir string, vars *varFlags, o awsOptions) error {
	o.Target = "all"
	files, owned, err := c.awsFiles(dir, vars, &o)
	if err != nil {
		return err
	}
	changes, err := c.writeOut(o, files, owned, true)
	if err != nil {
		return err
	}
	if len(changes) > 0 {
		writePlanChanges(c.Stdout, changes)
		fmt.Fprintln(c.Stdout)
	}
	add, change, del := countChanges(changes)
	fmt.Fprintf(c.Stdout, "Apply complete! Files: %d added, %d changed, %d removed.\n", add, change, del)
	var deploy, pipelines []string
	for _, f := range files {
		if dirName, base := path.Split(f.Path); dirName == "cloudformation/" {
			pipelines = append(pipelines, strings.TrimSuffix(base, path.Ext(base)))
		}
	}
	stacks := stackNames(pipelines)
	large, imports := false, false
	for _, f := range files {
		dirName, base := path.Split(f.Path)
		name := strings.TrimSuffix(base, path.Ext(base))
		if dirName == "cloudformation/" {
			cmd := fmt.Sprintf("aws cloudformation deploy --template-file %s --stack-name %s --capabilities CAPABILITY_IAM",
				filepath.Join(o.Out, filepath.FromSlash(f.Path)), stacks[name])
			if len(f.Data) > maxInlineTemplate {
				cmd += " --s3-bucket BUCKET"
				large = true
			}
			deploy = append(deploy, cmd)
			imports = imports || bytes.Contains(f.Data, []byte("Fn::ImportValue"))
		}
	}
	if len(deploy) > 0 {
		fmt.Fprintf(c.Stdout, "\nTo deploy, run:\n\n")
		if imports {
			// Files are in path order, and a shared project's owner is the
			// first of its templates in that order (targets/cloudformation).
			fmt.Fprintf(c.Stdout, "  (in this order: a template that creates a CodeBuild project or CodeDeploy\n  application shared by pipelines comes before the templates that import from it)\n")
		}
		for _, d := range deploy {
			fmt.Fprintf(c.Stdout, "  %s\n", d)
		}
	}
	if large {
		fmt.Fprintf(c.Stdout, "\nCloudFormation takes templates over %d bytes only from S3: replace BUCKET with a bucket\nyou own in the stack's Region, and the AWS CLI uploads the template there.\n", maxInlineTemplate)
	}
	return nil
}

// maxInlineTemplate is the largest template body CloudFormation accepts
// inline; a larger one must be uploaded to S3 (aws cloudformation deploy
// --s3-bucket).
const maxInlineTemplate = 51200

// stackNames gives each pipeline its stack name. Pipeline names may hold
// ".", "_" and "@", which stack names may not, so two pipelines can map to
// the same name ("web.app" and "web_app"); deploying both to one stack
// would replace the first pipeline's resources with the second's. Those
// pipelines get a suffix from a hash of their own name instead.
func stackNames(pipelines []string) map[string]string {
	count := map[string]int{}
	for _, p := range pipelines {
		count[stackName(p)]++
	}
	out := map[string]string{}
	for _, p := range pipelines {
		s := stackName(p)
		if count[s] > 1 {
			sum := sha256.Sum256([]byte(p))
			s += "-" + hex.EncodeToString(sum[:4])
		}
		out[p] = s
	}
	return out
}

// stackName makes a CloudFormation stack name ([A-Za-z][-A-Za-z0-9]*) from a
// pipeline name.
func stackName(pipeline string) string {
	var b strings.Builder
	b.WriteString("pipeform-")
	for _, r := range pipeline {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}

// planFiles compares the generated files with OUT. details asks for what
// changed inside each file, which parses both versions of every changed
// file: only plan and apply --target aws print it.
func planFiles(out string, files []targets.File, owned []ownedFiles, details bool) ([]fileChange, error) {
	existing, err := existingFiles(out, owned)
	if err != nil {
		return nil, err
	}
	listed, err := readManifest(out)
	if err != nil {
		return nil, err
	}
	generated := map[string]bool{}
	var changes []fileChange
	for _, f := range files {
		generated[f.Path] = true
		old, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(f.Path)))
		switch {
		case os.IsNotExist(err):
			ch := fileChange{Op: opAdd, Path: f.Path}
			if details {
				ch.Details = diffDocs(f.Path, nil, f.Data)
			}
			changes = append(changes, ch)
		case err != nil:
			return nil, err
		case !bytes.Equal(old, f.Data):
			ch := fileChange{Op: opChange, Path: f.Path, NotGenerated: !slices.Contains(listed, f.Path)}
			if details {
				ch.Details = diffDocs(f.Path, old, f.Data)
			}
			changes = append(changes, ch)
		}
	}
	for _, p := range existing {
		if !generated[p] {
			changes = append(changes, fileChange{Op: opDelete, Path: p})
		}
	}
	sort.SliceStable(changes, func(i, j int) bool { return changes[i].Path < changes[j].Path })
	return changes, nil
}

// awsPlanJSON is `plan --target aws --json`: the changes of the text plan
// as a versioned document ("1.1"; a new field is a minor change: 1.1 added
// not_generated).
type awsPlanJSON struct {
	FormatVersion string           `json:"format_version"`
	Out           string           `json:"out"`
	Changes       []fileChangeJSON `json:"changes"`
	Summary       struct {
		Add    int `json:"add"`
		Change int `json:"change"`
		Remove int `json:"remove"`
	} `json:"summary"`
}

type fileChangeJSON struct {
	Op      string       `json:"op"`
	Path    string       `json:"path"`
	Details []detailJSON `json:"details"`
	// NotGenerated (since 1.1): the file is in OUT but no earlier
	// generate wrote it; generate and apply replace it only with --force.
	NotGenerated bool `json:"not_generated,omitempty"`
}

type detailJSON struct {
	Op    string `json:"op"`
	Path  string `json:"path"`
	Value string `json:"value,omitempty"`
}

var opNames = map[fileOp]string{opAdd: "add", opChange: "change", opDelete: "remove"}

func writePlanJSON(w io.Writer, out string, changes []fileChange) error {
	doc := awsPlanJSON{FormatVersion: "1.1", Out: out, Changes: []fileChangeJSON{}}
	for _, ch := range changes {
		fc := fileChangeJSON{Op: opNames[ch.Op], Path: ch.Path, Details: []detailJSON{}, NotGenerated: ch.NotGenerated}
		for _, d := range ch.Details {
			fc.Details = append(fc.Details, detailJSON{Op: opNames[d.Op], Path: d.Path, Value: d.Value})
		}
		doc.Changes = append(doc.Changes, fc)
	}
	doc.Summary.Add, doc.Summary.Change, doc.Summary.Remove = countChanges(changes)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func countChanges(changes []fileChange) (add, change, del int) {
	for _, ch := range changes {
		switch ch.Op {
		case opAdd:
			add++
		case opChange:
			change++
		case opDelete:
			del++
		}
	}
	return
}

func writePlanChanges(w io.Writer, changes []fileChange) {
	for _, ch := range changes {
		if ch.NotGenerated {
			fmt.Fprintf(w, "  %c %s (not generated by pipeform: replaced only with --force)\n", ch.Op, ch.Path)
		} else {
			fmt.Fprintf(w, "  %c %s\n", ch.Op, ch.Path)
		}
		for _, d := range ch.Details {
			if d.Value == "" {
				fmt.Fprintf(w, "      %c %s\n", d.Op, d.Path)
			} else {
				fmt.Fprintf(w, "      %c %s: %s\n", d.Op, d.Path, d.Value)
			}
		}
	}
}

// diffDocs compares two generated documents structurally. old is nil for a
// new file. Documents that do not parse are compared as text.
func diffDocs(name string, old, new []byte) []detail {
	newV, err := decodeDoc(name, new)
	if err != nil {
		return nil
	}
	var oldV any = map[string]any{}
	if old != nil {
		if oldV, err = decodeDoc(name, old); err != nil {
			return []detail{{Op: opChange, Path: "(whole file)", Value: "not readable before"}}
		}
	}
	var out []detail
	diffValue("", oldV, newV, &out)
	return out
}

func decodeDoc(name string, data []byte) (any, error) {
	var v any
	if strings.HasSuffix(name, ".json") {
		err := json.Unmarshal(data, &v)
		return v, err
	}
	err := yaml.Unmarshal(data, &v)
	return v, err
}

// expandable are the paths whose members are listed one by one when they
// are added or removed whole: template sections, pipeline stages and
// actions, buildspec phases and their commands. Elsewhere an added or removed
// value is one line.
var expandable = map[string]bool{
	"": true, "Resources": true, "Parameters": true, "Outputs": true,
	"pipeline": true, "pipeline.stages": true, "pipeline.stages[*]": true, "pipeline.stages[*].actions": true,
	"phases": true, "phases.*": true, "phases.*.commands": true, "phases.*.finally": true,
}

var (
	bracketRE = regexp.MustCompile(`\[[^\]]*\]`)
	phaseRE   = regexp.MustCompile(`^phases\.[a-z_]+`)
)

func isExpandable(p string) bool {
	p = bracketRE.ReplaceAllString(p, "[*]")
	p = phaseRE.ReplaceAllString(p, "phases.*")
	return expandable[p]
}

func join(p, key string) string {
	if p == "" {
		return key
	}
	return p + "." + key
}

// diffValue appends the differences between old and new at path p.
func diffValue(p string, old, new any, out *[]detail) {
	switch o := old.(type) {
	case map[string]any:
		if n, ok := new.(map[string]any); ok {
			for _, k := range unionKeys(o, n) {
				ov, inOld := o[k]
				nv, inNew := n[k]
				switch {
				case !inOld:
					added(opAdd, join(p, k), nv, out)
				case !inNew:
					added(opDelete, join(p, k), ov, out)
				default:
					diffValue(join(p, k), ov, nv, out)
				}
			}
			return
		}
	case []any:
		if n, ok := new.([]any); ok {
			diffList(p, o, n, out)
			return
		}
	}
	if !equalJSON(old, new) {
		diffScalar(p, old, new, out)
	}
}

func diffScalar(p string, old, new any, out *[]detail) {
	os, ok1 := old.(string)
	ns, ok2 := new.(string)
	if ok1 && ok2 && strings.HasSuffix(p, ".BuildSpec") {
		// An inline buildspec: compared as the buildspec it is, so a
		// command shows under its phase as in buildspec/<project>.yml.
		var oy, ny map[string]any
		if yaml.Unmarshal([]byte(os), &oy) == nil && yaml.Unmarshal([]byte(ns), &ny) == nil && oy != nil && ny != nil {
			diffValue(p, oy, ny, out)
			return
		}
	}
	if ok1 && ok2 && (strings.Contains(os, "\n") || strings.Contains(ns, "\n")) {
		// Other multi-line text: line by line.
		*out = append(*out, detail{Op: opChange, Path: p})
		diffLines(p, trimmedLines(os), trimmedLines(ns), out)
		return
	}
	*out = append(*out, detail{Op: opChange, Path: p, Value: short(old) + " -> " + short(new)})
}

// trimmedLines splits text into lines without their indentation.
func trimmedLines(s string) []string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return lines
}

// added lists an added (or removed) value; an added one member by member
// where the path is expandable.
func added(op fileOp, p string, v any, out *[]detail) {
	if op == opAdd && isExpandable(p) {
		switch v := v.(type) {
		case map[string]any:
			for _, k := range unionKeys(v, nil) {
				if k == "name" || k == "Name" {
					continue
				}
				added(op, join(p, k), v[k], out)
			}
			return
		case []any:
			if names, ok := listNames(v); ok {
				for i, e := range v {
					added(op, p+"["+names[i]+"]", e, out)
				}
				return
			}
			for _, e := range v {
				*out = append(*out, detail{Op: op, Path: p, Value: short(e)})
			}
			return
		}
	}
	d := detail{Op: op, Path: p}
	switch v := v.(type) {
	case map[string]any:
		if t, ok := v["Type"].(string); ok {
			d.Value = t
		}
	default:
		d.Value = short(v)
	}
	*out = append(*out, d)
}

// diffList matches named elements (stages, actions, ...) by name, and
// compares lists of scalars (commands) element by element.
func diffList(p string, old, new []any, out *[]detail) {
	oldNames, ok1 := listNames(old)
	newNames, ok2 := listNames(new)
	if ok1 && ok2 {
		oi := map[string]int{}
		for i, n := range oldNames {
			oi[n] = i
		}
		ni := map[string]int{}
		for i, n := range newNames {
			ni[n] = i
		}
		for i, n := range oldNames {
			if _, ok := ni[n]; !ok {
				added(opDelete, p+"["+n+"]", old[i], out)
			}
		}
		var kept []string
		for i, n := range newNames {
			j, ok := oi[n]
			if !ok {
				added(opAdd, p+"["+n+"]", new[i], out)
				continue
			}
			kept = append(kept, n)
			diffValue(p+"["+n+"]", old[j], new[i], out)
		}
		var oldKept []string
		for _, n := range oldNames {
			if _, ok := ni[n]; ok {
				oldKept = append(oldKept, n)
			}
		}
		if strings.Join(kept, "\x00") != strings.Join(oldKept, "\x00") {
			*out = append(*out, detail{Op: opChange, Path: p, Value: "order " + strings.Join(oldKept, ", ") + " -> " + strings.Join(kept, ", ")})
		}
		return
	}
	if allScalars(old) && allScalars(new) {
		diffLines(p, shortAll(old), shortAll(new), out)
		return
	}
	diffObjects(p, old, new, out)
}

// diffObjects compares lists of unnamed objects (policy statements, ...):
// elements kept whole are matched with an LCS; a run of removed elements
// followed by added ones is compared pairwise, so a statement that gained a
// resource shows as that one change (whichever order the edit script
// gives them in); the rest are listed as added or
// removed at their index.
func diffObjects(p string, old, new []any, out *[]detail) {
	a, b := canonicalAll(old), canonicalAll(new)
	var ops []fileOp
	edits(a, b, func(op fileOp) { ops = append(ops, op) })
	i, j := 0, 0
	for k := 0; k < len(ops); {
		if ops[k] == 0 {
			i, j, k = i+1, j+1, k+1
			continue
		}
		var dels, adds int
		for ; k < len(ops) && ops[k] != 0; k++ {
			if ops[k] == opDelete {
				dels++
			} else {
				adds++
			}
		}
		for n := 0; n < dels || n < adds; n++ {
			switch {
			case n < dels && n < adds:
				diffValue(fmt.Sprintf("%s[%d]", p, j+n), old[i+n], new[j+n], out)
			case n < dels:
				*out = append(*out, detail{Op: opDelete, Path: fmt.Sprintf("%s[%d]", p, i+n), Value: short(old[i+n])})
			default:
				*out = append(*out, detail{Op: opAdd, Path: fmt.Sprintf("%s[%d]", p, j+n), Value: short(new[j+n])})
			}
		}
		i, j = i+dels, j+adds
	}
}

func canonicalAll(list []any) []string {
	out := make([]string, len(list))
	for i, e := range list {
		b, _ := json.Marshal(e)
		out[i] = string(b)
	}
	return out
}

// diffLines writes a minimal +/- edit script between two lists (LCS).
func diffLines(p string, a, b []string, out *[]detail) {
	i, j := 0, 0
	edits(a, b, func(op fileOp) {
		switch op {
		case opAdd:
			*out = append(*out, detail{Op: opAdd, Path: p, Value: b[j]})
			j++
		case opDelete:
			*out = append(*out, detail{Op: opDelete, Path: p, Value: a[i]})
			i++
		default:
			i, j = i+1, j+1
		}
	})
}

// edits calls step with the LCS edit script from a to b: 0 for a kept
// element, opDelete for one of a removed, opAdd for one of b added.
func edits(a, b []string, step func(fileOp)) {
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			step(0)
			i, j = i+1, j+1
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			step(opAdd)
			j++
		default:
			step(opDelete)
			i++
		}
	}
}

// listNames returns the "name"/"Name" of every element, if all have one and
// they are unique.
func listNames(list []any) ([]string, bool) {
	if len(list) == 0 {
		return nil, false
	}
	names := make([]string, len(list))
	seen := map[string]bool{}
	for i, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, false
		}
		n, ok := m["name"].(string)
		if !ok {
			n, ok = m["Name"].(string)
		}
		if !ok || seen[n] {
			return nil, false
		}
		seen[n] = true
		names[i] = n
	}
	return names, true
}

func allScalars(list []any) bool {
	for _, e := range list {
		switch e.(type) {
		case map[string]any, []any:
			return false
		}
	}
	return true
}

func shortAll(list []any) []string {
	out := make([]string, len(list))
	for i, e := range list {
		out[i] = short(e)
	}
	return out
}

// short renders a value as compact JSON, cut to 100 characters.
func short(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	s := strings.TrimSpace(buf.String())
	if r := []rune(s); len(r) > 100 {
		s = string(r[:99]) + "…"
	}
	return s
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

func unionKeys(a, b map[string]any) []string {
	seen := map[string]bool{}
	var keys []string
	for _, m := range []map[string]any{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}

// awsTarget holds the --target local|aws flag of plan and apply and the
// flags of the aws mode (--out, --format, --region).
type awsTarget struct {
	target string
	opts   awsOptions
}

func (t *awsTarget) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&t.target, "target", "local", "local (run on this machine) or aws (the generated AWS configuration in --out)")
	t.opts.register(cmd)
	if cmd.Name() == "apply" { // plan writes nothing, so it has no --force
		t.opts.registerForce(cmd)
	}
}

// isAWS reports whether --target aws was given; an unknown target or --out
// without --target aws is a usage error.
func (t *awsTarget) isAWS() (bool, error) {
	switch t.target {
	case "aws":
		return true, nil
	case "local", "":
		if t.opts.Out != "" {
			return false, usagef("--out only applies with --target aws")
		}
		if t.opts.Force {
			return false, usagef("--force only applies with --target aws")
		}
		return false, nil
	}
	return false, usagef("--target must be local or aws, not %q", t.target)
}
