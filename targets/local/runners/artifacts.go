package runners

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/targets/local/reports"
)

// Artifact collection (BUILDSPEC.md §10). Patterns are slash-separated and
// resolved against CODEBUILD_SRC_DIR or base-directory, never the shell's
// working directory; `*`, `?` and `[...]` match within one path component
// and a `**` component matches any number of components. A pattern that
// names a directory without wildcards takes everything under it. Absolute
// patterns are allowed and keep their path (without the leading slash) in
// the artifact.

// artifactFile is one file of an artifact: where it is and its path inside
// the artifact.
type artifactFile struct {
	src, rel string
}

// errNoMatch is CodeBuild's CLIENT_ERROR when nothing matched.
var errNoMatch = errors.New("no matching artifact paths found")

// collector resolves patterns for one build.
type collector struct {
	srcDir string
	// keepLinks is enable-symlinks: a symbolic link is one entry of the
	// artifact (written as a link); otherwise links are followed and a
	// linked folder's files are collected as if they were in it.
	keepLinks bool
	expand    func(string) string
	logf      func(format string, args ...any)
	// work is the agent's scratch folder (the saved shell state, secrets
	// included): no artifact or report takes a file from it, whatever
	// path, pattern or link leads there. private is its real path, worked
	// out at the first file collected (a build that collects nothing
	// does not resolve it).
	work     string
	private  string
	resolved bool
	skipped  bool // the skip of private files was logged
	// outside is set once a link leading out of the walk's base folder
	// was skipped (and logged): one line, however many such links.
	outside bool
	// entries counts what the walks have visited, up to maxWalkEntries.
	entries int
}

// maxWalkEntries bounds the entries one build's artifact, report and cache
// walks visit together: a walk that meets more is an error, not a hang.
var maxWalkEntries = 1 << 20 // a variable only so a test can lower it

// errTooManyEntries is a walk that reached maxWalkEntries.
var errTooManyEntries = fmt.Errorf("more than %d files and folders to walk: select fewer with the patterns or base-directory", maxWalkEntries)

// isPrivate reports whether the file p really lies in the agent's folder.
func (c *collector) isPrivate(p string) bool {
	if !c.resolved {
		c.resolved = true
		if c.work != "" {
			if real, err := filepath.EvalSymlinks(c.work); err == nil {
				c.private = real
			}
		}
	}
	if c.private == "" {
		return false
	}
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(c.private, real)
	return err == nil && filepath.IsLocal(rel) || real == c.private
}

// collect returns the files of one artifact (or report group) spec.
func (c *collector) collect(files []string, baseDir string, discard bool, exclude []string) ([]artifactFile, error) {
	bases := []string{c.srcDir}
	if baseDir != "" {
		bd := c.expand(baseDir)
		c.logf("Expanding base directory path: %s", bd)
		matches, err := c.baseDirs(bd)
		if err != nil {
			return nil, err
		}
		bases = matches
	}
	seen := map[string]bool{}
	var out []artifactFile
	for _, base := range bases {
		if baseDir != "" {
			c.logf("Expanding file paths for base directory %s", c.display(base))
		}
		c.logf("Assembling file list")
		for _, pat := range files {
			pat = c.expand(pat)
			c.logf("Expanding %s", pat)
			found, err := c.match(base, pat)
			if err != nil {
				return nil, err
			}
			if len(found) == 0 {
				c.logf("Skipping invalid file path %s", pat)
			}
			for _, f := range found {
				if excluded(f.rel, exclude, c.expand) {
					continue
				}
				if c.isPrivate(f.src) {
					if !c.skipped {
						c.logf("Skipping %s and the rest of the agent's own state: no artifact may take it", f.rel)
						c.skipped = true
					}
					continue
				}
				if discard {
					f.rel = path.Base(f.rel)
				}
				if seen[f.rel] {
					continue
				}
				seen[f.rel] = true
				out = append(out, f)
			}
		}
	}
	c.logf("Found %d file(s)", len(out))
	if len(out) == 0 {
		return nil, errNoMatch
	}
	sort.Slice(out, func(i, j int) bool { return out[i].rel < out[j].rel })
	return out, nil
}

func (c *collector) display(dir string) string {
	if rel, err := filepath.Rel(c.srcDir, dir); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	if real, err := filepath.EvalSymlinks(c.srcDir); err == nil {
		if rel, err := filepath.Rel(real, dir); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return dir
}

// baseDirs resolves base-directory, which may be a pattern selecting
// several directories.
func (c *collector) baseDirs(bd string) ([]string, error) {
	full := bd
	if !filepath.IsAbs(bd) {
		full = filepath.Join(c.srcDir, filepath.FromSlash(strings.TrimPrefix(bd, "./")))
	}
	matches, err := filepath.Glob(full)
	if err != nil {
		return nil, fmt.Errorf("invalid base-directory %q: the pattern is malformed (an unclosed [ or a trailing \\)", bd)
	}
	var dirs []string
	for _, m := range matches {
		if st, err := os.Stat(m); err == nil && st.IsDir() {
			dirs = append(dirs, m)
		}
	}
	if len(dirs) == 0 {
		return nil, errNoMatch
	}
	return dirs, nil
}

// match finds the files pattern names under base.
func (c *collector) match(base, pat string) ([]artifactFile, error) {
	pat = strings.TrimPrefix(filepath.ToSlash(pat), "./")
	root, relTo := base, base
	if strings.HasPrefix(pat, "/") {
		root, relTo = "/", "/"
		pat = strings.TrimLeft(pat, "/")
	}
	segs := strings.Split(strings.TrimSuffix(pat, "/"), "/")
	// Walk only from the pattern's literal prefix.
	i := 0
	for i < len(segs)-1 && !hasMeta(segs[i]) {
		i++
	}
	if !hasMeta(segs[len(segs)-1]) && i == len(segs)-1 {
		i = len(segs)
	}
	start := filepath.Join(root, filepath.FromSlash(strings.Join(segs[:i], "/")))
	rest := segs[i:]
	st, err := os.Stat(start)
	if err != nil {
		return nil, nil
	}
	if len(rest) == 0 && !st.IsDir() {
		return []artifactFile{{src: start, rel: relSlash(relTo, start)}}, nil
	}
	var out []artifactFile
	// Links are followed only while they stay inside the folder the
	// pattern is resolved against (the source, the base directory, or /
	// for an absolute pattern).
	confine, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, nil
	}
	err = c.walk(start, confine, nil, func(p string) {
		rel := relSlash(start, p)
		if len(rest) == 0 || matchSegs(rest, strings.Split(rel, "/")) {
			out = append(out, artifactFile{src: p, rel: relSlash(relTo, p)})
		}
	})
	return out, err
}

// walk calls fn for every regular file (and, with keepLinks, every link)
// under dir, in lexical order. Without keepLinks a symbolic link is
// followed: a linked folder is walked as if it were a folder (CodeBuild
// zips the files a link points to unless enable-symlinks is set). A link
// whose target lies outside confine (the real path of the folder the
// pattern is resolved against) is skipped, with one log line for all of
// them, so a link to / never walks the machine; a link to a folder already
// being walked (a loop) and a dangling link are logged and skipped. Named
// pipes, sockets and devices are skipped: opening a pipe would wait
// forever. seen holds the real paths of the folders being walked, dir's
// ancestors. More than maxWalkEntries entries is errTooManyEntries.
func (c *collector) walk(dir, confine string, seen []string, fn func(string)) error {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil
	}
	if slices.Contains(seen, real) {
		c.logf("Skipping %s: a symbolic link makes it a folder that contains it (a loop)", c.display(dir))
		return nil
	}
	seen = append(seen, real)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	for _, e := range entries {
		if c.entries++; c.entries > maxWalkEntries {
			return errTooManyEntries
		}
		p := filepath.Join(dir, e.Name())
		var err error
		switch {
		case e.IsDir():
			err = c.walk(p, confine, seen, fn)
		case e.Type()&fs.ModeSymlink != 0:
			err = c.walkLink(p, confine, seen, fn)
		case e.Type().IsRegular():
			fn(p)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// walkLink is walk's step for the symbolic link p.
func (c *collector) walkLink(p, confine string, seen []string, fn func(string)) error {
	if c.keepLinks {
		fn(p)
		return nil
	}
	target, err := filepath.EvalSymlinks(p)
	if err != nil {
		c.logf("Skipping symbolic link %s: its target does not exist (or links lead in a loop)", c.display(p))
		return nil
	}
	if rel, err := filepath.Rel(confine, target); err != nil || !filepath.IsLocal(rel) && target != confine {
		if !c.outside {
			where := c.display(confine)
			if where == "." {
				where = "the source folder"
			}
			c.logf("Skipping symbolic link %s and every other link that leads outside %s", c.display(p), where)
			c.outside = true
		}
		return nil
	}
	st, err := os.Stat(target)
	switch {
	case err != nil:
		return nil
	case st.IsDir():
		return c.walk(p, confine, seen, fn)
	case st.Mode().IsRegular():
		fn(p)
	}
	return nil
}

func relSlash(base, p string) string {
	rel, err := filepath.Rel(base, p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(rel)
}

func hasMeta(s string) bool { return strings.ContainsAny(s, "*?[") }

// matchSegs matches path components against pattern components, `**`
// standing for any number of components.
func matchSegs(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			if len(pat) == 1 {
				return true
			}
			for i := 0; i <= len(name); i++ {
				if matchSegs(pat[1:], name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], name[0]); !ok {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}

// excluded reports whether rel, or a directory containing it, matches one
// of the exclude-paths patterns.
func excluded(rel string, exclude []string, expand func(string) string) bool {
	parts := strings.Split(rel, "/")
	for _, e := range exclude {
		segs := strings.Split(strings.TrimSuffix(strings.TrimPrefix(expand(e), "./"), "/"), "/")
		for n := 1; n <= len(parts); n++ {
			if matchSegs(segs, parts[:n]) {
				return true
			}
		}
	}
	return false
}

// writeArtifact replaces the folder dest of out (the artifacts folder) with
// the files. Symbolic links are copied as
// links when keepLinks (enable-symlinks) is set, else as the files they
// point to. Every file lands inside dest: a path that leaves it (a pattern
// with .. that selects files outside its base directory) is an error, and
// writes go through an os.Root, so no link inside dest (or out) leads a
// file out of it either.
func writeArtifact(out *os.Root, dest string, files []artifactFile, keepLinks bool) error {
	for _, f := range files {
		if !filepath.IsLocal(filepath.FromSlash(f.rel)) {
			return fmt.Errorf("%s would be written outside the artifact: a pattern with .. may not select files above its base directory; select them with an absolute path or a base-directory instead", f.rel)
		}
	}
	if err := out.RemoveAll(dest); err != nil {
		return err
	}
	if err := out.MkdirAll(dest, 0o755); err != nil {
		return err
	}
	root, err := out.OpenRoot(dest)
	if err != nil {
		return err
	}
	defer root.Close()
	for _, f := range files {
		to := filepath.FromSlash(f.rel)
		if err := root.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return err
		}
		if keepLinks {
			if target, err := os.Readlink(f.src); err == nil {
				if err := root.Symlink(target, to); err != nil {
					return err
				}
				continue
			}
		}
		if err := copyInto(root, f.src, to); err != nil {
			return err
		}
	}
	return nil
}

// copyInto copies the file src to name inside root, keeping its mode.
func copyInto(root *os.Root, src, name string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	return copyOpened(in, 0, func(perm fs.FileMode) (*os.File, error) {
		return root.OpenFile(name, copyFlags, perm)
	})
}

// validIdentifier matches a secondary artifact identifier: letters, digits
// and underscores, under 128 characters (BUILDSPEC.md §13: the identifier
// is also the suffix of CODEBUILD_SRC_DIR_<id>, and an output artifact's
// name under CodePipeline). It becomes a folder name, so nothing else may
// pass.
var validIdentifier = regexp.MustCompile(`^[A-Za-z0-9_]{1,127}$`)

// uploadArtifacts is the UPLOAD_ARTIFACTS phase: report files, then the
// primary and secondary artifacts.
func (a *agent) uploadArtifacts() {
	p := a.beginPhase("UPLOAD_ARTIFACTS", true)
	c := &collector{srcDir: a.cb.SrcDir, logf: a.logf, expand: a.expand, work: a.sh.work}
	a.collectReports(c)
	status, pctx := StatusSucceeded, PhaseContext{}
	fail := func(err error) {
		if status != StatusSucceeded {
			return
		}
		status = StatusFailed
		pctx = PhaseContext{StatusCode: "CLIENT_ERROR", Message: a.log.String(err.Error())}
	}
	if art := a.bs.Artifacts; art != nil {
		if len(art.Files) > 0 {
			if loc, err := a.artifact(c, art, "primary"); err != nil {
				fail(err)
			} else {
				a.build.Artifacts = &BuildArtifacts{Location: loc}
			}
		}
		for _, sec := range art.Secondary {
			if !validIdentifier.MatchString(sec.Identifier) {
				fail(fmt.Errorf("invalid secondary artifact identifier %q: an identifier is letters, digits and underscores (at most 127), the name of an output artifact", sec.Identifier))
				continue
			}
			loc, err := a.artifact(c, &sec.Artifacts, filepath.Join("secondary", sec.Identifier))
			if err != nil {
				fail(err)
				continue
			}
			a.build.SecondaryArtifacts = append(a.build.SecondaryArtifacts,
				&BuildArtifacts{Location: loc, ArtifactIdentifier: sec.Identifier})
		}
	}
	a.endPhase(p, status, pctx, true)
	if status != StatusSucceeded {
		a.fail(status)
	}
}

// artifact collects and writes one artifact under ArtifactsDir/sub.
func (a *agent) artifact(c *collector, spec *graph.Artifacts, sub string) (string, error) {
	c.keepLinks = isTrue(spec.EnableSymlinks)
	files, err := c.collect(spec.Files, spec.BaseDirectory, isTrue(spec.DiscardPaths), spec.ExcludePaths)
	if err != nil {
		return "", err
	}
	if a.cb.ArtifactsDir == "" {
		return "", nil
	}
	if err := a.writeOut(sub, files, c.keepLinks); err != nil {
		return "", fmt.Errorf("cannot write artifact %s: %s", sub, ioWords(err))
	}
	return filepath.Join(a.cb.ArtifactsDir, sub), nil
}

// collectReports copies each report group's files to
// ArtifactsDir/reports/<group> and reads them into the build's Reports.
// Missing and malformed report files are logged, never fatal: CodeBuild
// does not fail a build over its reports.
func (a *agent) collectReports(c *collector) {
	for _, r := range a.bs.Reports {
		name := a.expand(r.Name)
		if i := strings.LastIndexByte(name, '/'); i >= 0 && strings.HasPrefix(name, "arn:") {
			name = name[i+1:]
		}
		format := reports.Normalize(r.FileFormat)
		a.logf("Preparing to copy %s report %s", format, name)
		c.keepLinks = false
		files, err := c.collect(r.Files, r.BaseDirectory, isTrue(r.DiscardPaths), nil)
		if err != nil {
			a.logf("Report %s: %v; report upload skipped", name, err)
			continue
		}
		g := reports.NewGroup(name, format)
		for _, f := range files {
			if err := addReportFile(g, f); err != nil {
				a.logf("Report %s: %v; the file is left out of the report", name, err)
			}
		}
		g.Finish()
		a.maskReport(g)
		a.logReport(g)
		loc := ""
		if a.cb.ArtifactsDir != "" {
			sub := filepath.Join("reports", reportFolder(name))
			if err := a.writeOut(sub, files, false); err != nil {
				a.logf("Report %s: cannot write its files: %s", name, ioWords(err))
			} else {
				loc = filepath.Join(a.cb.ArtifactsDir, sub)
			}
		}
		a.build.Reports = append(a.build.Reports, g)
		a.build.ReportLocations = append(a.build.ReportLocations, loc)
	}
}

// maxReportFile bounds the report file read into memory; CodeBuild's own
// limit is lower.
const maxReportFile = 64 << 20

// addReportFile reads one collected report file into the group.
func addReportFile(g *reports.Group, f artifactFile) error {
	st, err := os.Stat(f.src)
	if err != nil {
		g.Problems = append(g.Problems, f.rel+": "+ioWords(err))
		return fmt.Errorf("%s cannot be read: %s", f.rel, ioWords(err))
	}
	if st.Size() > maxReportFile {
		msg := fmt.Sprintf("%s is %d bytes, more than the %d bytes a report file may have", f.rel, st.Size(), maxReportFile)
		g.Problems = append(g.Problems, msg)
		return errors.New(msg)
	}
	// At most the size it had: a file still being written must not grow
	// past the bound while it is read.
	data, err := readHeld(f.src, st.Size())
	if err != nil {
		g.Problems = append(g.Problems, f.rel+": "+ioWords(err))
		return fmt.Errorf("%s cannot be read: %s", f.rel, ioWords(err))
	}
	return g.Add(f.rel, data)
}

// readHeld reads at most size bytes of the file at path: what it held when
// it was looked at, not what is appended since.
func readHeld(path string, size int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var b bytes.Buffer
	err = CopyHeld(&b, f, size)
	return b.Bytes(), err
}

// maskReport masks secret values in what the record keeps of the report
// files' text: case names and messages, and problems.
func (a *agent) maskReport(g *reports.Group) {
	for i := range g.Cases {
		c := &g.Cases[i]
		c.Prefix, c.Name, c.Message = a.log.String(c.Prefix), a.log.String(c.Name), a.log.String(c.Message)
	}
	for i, p := range g.Problems {
		g.Problems[i] = a.log.String(p)
	}
}

// logReport logs a group's summary and its failing cases, masked like the
// rest of the log.
func (a *agent) logReport(g *reports.Group) {
	if len(g.Problems) == len(g.Files) { // nothing could be read: the problems said it
		return
	}
	a.logf("Report %s (%s): %s", g.Name, g.FileFormat, g.Summary())
	for _, c := range g.Failures() {
		line := fmt.Sprintf("  %s %s", c.Status, c.ID())
		if c.Message != "" {
			line += ": " + c.Message
		}
		a.logf("%s", line)
	}
}

// writeOut writes an artifact into the folder sub of ArtifactsDir, through
// an os.Root on ArtifactsDir: a link inside it (OUT/secondary made a link
// to another folder) leads nothing out.
func (a *agent) writeOut(sub string, files []artifactFile, keepLinks bool) error {
	if err := os.MkdirAll(a.cb.ArtifactsDir, 0o755); err != nil {
		return err
	}
	out, err := os.OpenRoot(a.cb.ArtifactsDir)
	if err != nil {
		return err
	}
	defer out.Close()
	return writeArtifact(out, sub, files, keepLinks)
}

// reportFolder is the folder name of a report group under reports/: the
// name with every character but letters, digits, '.', '-' and '_' made '_',
// and never "." or ".." (which would name reports/ or the artifacts folder
// itself, replaced whole).
func reportFolder(name string) string {
	safe := strings.Map(func(r rune) rune {
		if r == '.' || r == '-' || r == '_' || r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return r
		}
		return '_'
	}, name)
	if strings.Trim(safe, ".") == "" {
		safe = strings.Repeat("_", max(len(safe), 1))
	}
	return safe
}

// expand substitutes $NAME and ${NAME} with the build's variables, the way
// the agent expands artifact paths.
func (a *agent) expand(s string) string {
	return os.Expand(s, func(name string) string {
		v, _ := a.sh.state.lookup(name)
		return v
	})
}

func isTrue(b *bool) bool { return b != nil && *b }

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
