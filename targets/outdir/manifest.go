package outdir

import (
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/pipeform/pipeform/targets"
)

// ManifestName is the file in OUT that lists what generate wrote there, one
// slash-separated path a line. Only files it lists are ever removed, so a
// hand-written template that shares OUT/cloudformation/ is left alone.
const ManifestName = ".pipeform-generated"

const manifestHeader = "# Written by pipeform generate: the files it manages in this directory.\n" +
	"# A listed file that is no longer generated is removed; nothing else is.\n"

// Owned is a folder of OUT and a file extension a target writes: the
// files of OUT that generating that target manages.
type Owned struct{ Dir, Ext string }

// OwnedBy lists what the named target (buildspec, codepipeline or
// cloudformation) writes in OUT; nothing for another name.
func OwnedBy(target string) []Owned {
	switch target {
	case "buildspec":
		return []Owned{{"buildspec", ".yml"}}
	case "codepipeline":
		return []Owned{{"codepipeline", ".json"}}
	case "cloudformation":
		return []Owned{{"cloudformation", ".json"}, {"cloudformation", ".yaml"}}
	}
	return nil
}

// Owns reports whether the slash-separated path p of OUT is one of o's
// files: directly in o.Dir, ending in o.Ext.
func (o Owned) Owns(p string) bool {
	dir, base := path.Split(p)
	return dir == o.Dir+"/" && strings.HasSuffix(base, o.Ext) && !strings.Contains(base, "/")
}

func ownedBy(owned []Owned, p string) bool {
	return slices.ContainsFunc(owned, func(o Owned) bool { return o.Owns(p) })
}

// ReadManifest lists the paths of OUT's manifest; none if there is none.
func ReadManifest(out string) ([]string, error) {
	data, err := os.ReadFile(filepath.Join(out, ManifestName))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			paths = append(paths, l)
		}
	}
	return paths, nil
}

// existingFiles lists the owned files in out that an earlier generate wrote
// (its manifest lists them) and that are still there, sorted.
func existingFiles(out string, owned []Owned) ([]string, error) {
	listed, err := ReadManifest(out)
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, p := range listed {
		if !ownedBy(owned, p) {
			continue
		}
		if fi, err := os.Lstat(filepath.Join(out, filepath.FromSlash(p))); err == nil && fi.Mode().IsRegular() {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	return slices.Compact(paths), nil
}

// WriteManifest records the generated files, keeping the entries of
// targets not selected this time (generate --target buildspec leaves the
// cloudformation entries as they were) whose files are still there. An
// unchanged manifest is not written again.
func WriteManifest(out string, files []targets.File, owned []Owned) error {
	listed, err := ReadManifest(out)
	if err != nil {
		return err
	}
	var paths []string
	for _, p := range listed {
		if !ownedBy(owned, p) {
			if _, err := os.Lstat(filepath.Join(out, filepath.FromSlash(p))); err == nil {
				paths = append(paths, p)
			}
		}
	}
	for _, f := range files {
		paths = append(paths, f.Path)
	}
	sort.Strings(paths)
	paths = slices.Compact(paths)
	data := manifestHeader + strings.Join(paths, "\n") + "\n"
	if old, err := os.ReadFile(filepath.Join(out, ManifestName)); err == nil && string(old) == data {
		return nil
	}
	root, err := openOut(out)
	if err != nil {
		return err
	}
	defer root.Close()
	if err := writeAtomic(root, ManifestName, []byte(data)); err != nil {
		return outError(out, ManifestName, "open", err)
	}
	return nil
}
