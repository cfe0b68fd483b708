package local

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// The functions in this file are the read side of the run store for readers
// other than the scheduler (the console): they take ids and names that came
// from outside and check them before they become paths, so a reader never
// builds a path under .pipeform itself.

// ErrNotFound says that a run, log, artifact or file does not exist.
var ErrNotFound = errors.New("not found")

// validRunID reports whether id can name a run directory: letters, digits,
// '-' and '_' (a UUID, or what --run-id accepts), starting with a letter or
// a digit, so that an id on a command line (pipeform resume ID, logs ID) is
// never read as a flag, nor a directory as a hidden one.
func validRunID(id string) bool {
	if id == "" || len(id) > 128 || id[0] == '-' || id[0] == '_' {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// CheckRunID says in words why id cannot name a run, or returns nil.
func CheckRunID(id string) error {
	if !validRunID(id) {
		return fmt.Errorf("run id %q may hold only letters, digits, '-' and '_' (at most 128), and starts with a letter or a digit", id)
	}
	return nil
}

// Run reads one run by its exact id; ErrNotFound when there is none.
func (l Layout) Run(id string) (*Run, error) {
	if !validRunID(id) {
		return nil, ErrNotFound
	}
	r, err := l.LoadRun(id)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	return r, err
}

// ReadLog returns an action's log (masked, as the run wrote it) from byte
// offset on, and the offset its end is at, so a reader can follow a log that
// grows. An action that has not started has an empty log.
func (l Layout) ReadLog(r *Run, actionID string, offset int64) ([]byte, int64, error) {
	a := r.Action(actionID)
	if a == nil {
		return nil, 0, ErrNotFound
	}
	if a.Log == "" {
		return nil, 0, nil
	}
	f, err := os.Open(filepath.Join(l.RunDir(r.ID), LogFile(a.ID())))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	if offset < 0 || offset > st.Size() {
		offset = 0 // the log was rewritten by a retry: start again
	}
	data := make([]byte, st.Size()-offset)
	n, err := f.ReadAt(data, offset)
	if err != nil && err != io.EOF {
		return nil, 0, err
	}
	return data[:n], offset + int64(n), nil
}

// StoredEvent is one line of a run's event log, with its detail kept as
// raw JSON for the reader to decode as it needs.
type StoredEvent struct {
	Event
	Detail json.RawMessage `json:"detail"`
}

// PipelineDetail decodes the detail of a CodePipeline event; nil for other
// events.
func (e *StoredEvent) PipelineDetail() *PipelineDetail {
	if e.Source != "aws.codepipeline" {
		return nil
	}
	var d PipelineDetail
	if json.Unmarshal(e.Detail, &d) != nil {
		return nil
	}
	return &d
}

// Events reads a run's events, in the order they happened. A line that is
// cut short (a run killed mid-write) is skipped.
func (l Layout) Events(runID string) ([]StoredEvent, error) {
	if !validRunID(runID) {
		return nil, ErrNotFound
	}
	return readJSONL(filepath.Join(l.RunDir(runID), "events.jsonl"), func(*StoredEvent) bool { return true })
}

// Trigger is what started a run, from its first STARTED pipeline event
// (trigger-type and trigger-detail, as CodePipeline reports them); nil when
// the events do not say. It reads only as far as that event, which opens
// the log.
func (l Layout) Trigger(runID string) *ExecutionTrigger {
	if !validRunID(runID) {
		return nil
	}
	f, err := os.Open(filepath.Join(l.RunDir(runID), "events.jsonl"))
	if err != nil {
		return nil
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var e StoredEvent
		if json.Unmarshal(sc.Bytes(), &e) != nil || e.DetailType != DetailPipeline {
			continue
		}
		if d := e.PipelineDetail(); d != nil && d.ExecutionTrigger != nil {
			return d.ExecutionTrigger
		}
	}
	return nil
}

// ArtifactFile is one entry of a stored artifact.
type ArtifactFile struct {
	// Path is slash-separated, relative to the artifact's root.
	Path string
	Size int64
	Dir  bool
	// Link is a symbolic link's target.
	Link string
}

// validDigest reports whether d is a sha256 in hex, as the store names
// artifacts.
func validDigest(d string) bool {
	if len(d) != 64 {
		return false
	}
	for _, r := range d {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}

// ArtifactFiles lists a stored artifact's files in path order.
func (l Layout) ArtifactFiles(digest string) ([]ArtifactFile, error) {
	if !validDigest(digest) {
		return nil, ErrNotFound
	}
	root := filepath.Join(l.ArtifactsDir(), digest)
	if _, err := os.Stat(root); err != nil {
		return nil, ErrNotFound
	}
	var files []ArtifactFile
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == root {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		f := ArtifactFile{Path: filepath.ToSlash(rel), Dir: d.IsDir()}
		if d.Type()&fs.ModeSymlink != 0 {
			f.Link, _ = os.Readlink(p)
		} else if info, err := d.Info(); err == nil && !d.IsDir() {
			f.Size = info.Size()
		}
		files = append(files, f)
		return nil
	})
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, err
}

// OpenArtifactFile opens one regular file of a stored artifact. rel is
// slash-separated and relative; a path that leaves the artifact (.., an
// absolute path, a symbolic link pointing out) is refused as ErrNotFound.
func (l Layout) OpenArtifactFile(digest, rel string) (*os.File, error) {
	if !validDigest(digest) || !fs.ValidPath(rel) || rel == "." || strings.Contains(rel, `\`) {
		return nil, ErrNotFound
	}
	root, err := os.OpenRoot(filepath.Join(l.ArtifactsDir(), digest))
	if err != nil {
		return nil, ErrNotFound
	}
	defer root.Close()
	f, err := root.Open(filepath.FromSlash(rel))
	if err != nil {
		return nil, ErrNotFound
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, ErrNotFound
	}
	return f, nil
}
