package runners

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ArtifactsManifest, in an ArtifactsDir that `pipeform exec` writes to,
// lists the files builds wrote under the folders a build replaces on every
// run (ArtifactsSubdirs), as slash paths relative to ArtifactsDir, one a
// line.
const ArtifactsManifest = ".pipeform-artifacts"

// ArtifactsSubdirs are the folders of ArtifactsDir that a build replaces
// wholesale: the primary artifact, the secondary ones and the reports.
var ArtifactsSubdirs = []string{"primary", "secondary", "reports"}

// ForeignArtifacts lists the files under the ArtifactsSubdirs of dir that
// dir's ArtifactsManifest does not list, as slash paths relative to dir: a
// build into dir would delete them, and they may not be a build's. Files
// it cannot read are left out.
func ForeignArtifacts(dir string) []string {
	written := map[string]bool{}
	if data, err := os.ReadFile(filepath.Join(dir, ArtifactsManifest)); err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			if l != "" && !strings.HasPrefix(l, "#") {
				written[l] = true
			}
		}
	}
	var foreign []string
	for _, sub := range ArtifactsSubdirs {
		_ = filepath.WalkDir(filepath.Join(dir, sub), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			rel, _ := filepath.Rel(dir, p)
			if !written[filepath.ToSlash(rel)] {
				foreign = append(foreign, filepath.ToSlash(rel))
			}
			return nil
		})
	}
	return foreign
}

// RecordArtifacts writes dir's ArtifactsManifest, listing the files now
// under its ArtifactsSubdirs, so that the next build into dir may replace
// them. It writes a temporary file and renames it: a half-written list
// would refuse the next run.
func RecordArtifacts(dir string) error {
	var b strings.Builder
	b.WriteString("# Files written by pipeform exec; the next exec into this folder replaces them.\n")
	for _, sub := range ArtifactsSubdirs {
		_ = filepath.WalkDir(filepath.Join(dir, sub), func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(dir, p)
				b.WriteString(filepath.ToSlash(rel) + "\n")
			}
			return nil
		})
	}
	name := filepath.Join(dir, ArtifactsManifest)
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}
