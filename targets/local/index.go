package local

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// The index of runs, .pipeform/runs/index.jsonl, lets `runs`, `last` and
// `apply` find runs without reading every run record: one line is appended
// when a run starts, when it is resumed and when it ends, each a summary of
// the run at that moment (the last line of a run wins). Lines are appended
// whole with O_APPEND, so concurrent runs of different pipelines never
// interleave; a torn line (a crash mid-write) is skipped on reading, and the
// next append starts on a fresh line. The index is rebuilt from the run
// folders when it is missing (runs recorded by an older pipeform).

const indexFile = "index.jsonl"

// Kinds of index lines.
const (
	indexStart  = "start"
	indexResume = "resume"
	indexEnd    = "end"
)

// indexLine is one line of the index.
type indexLine struct {
	Kind string `json:"kind"`
	RunInfo
	// Size and MTime are run.json's when the line was written: `runs`
	// trusts the line only while they still match, and reads the record
	// itself otherwise (an edited or damaged run.json).
	Size  int64 `json:"size"`
	MTime int64 `json:"mtime_ns"`
}

// RunInfo is one run as `pipeform runs` shows it.
type RunInfo struct {
	ID        string     `json:"id"`
	Pipeline  string     `json:"pipeline"`
	Status    string     `json:"status"`
	Attempt   int        `json:"attempt"`
	StartTime time.Time  `json:"start_time"`
	EndTime   *time.Time `json:"end_time,omitempty"`
	PID       int        `json:"pid"`
	Message   string     `json:"message,omitempty"`
	// Err is set when the run's record cannot be read; the other fields
	// are then what the index last knew (possibly nothing but the id).
	Err error `json:"-"`
}

// infoOf summarises a run.
func infoOf(r *Run) RunInfo {
	return RunInfo{ID: r.ID, Pipeline: r.Pipeline, Status: r.Status, Attempt: r.Attempt,
		StartTime: r.StartTime, EndTime: r.EndTime, PID: r.PID, Message: r.Message}
}

// Finished reports whether the run has ended.
func (i *RunInfo) Finished() bool {
	return (&Run{Status: i.Status}).Finished()
}

// RunningInfo reports whether the run is running now (its pipeline's lock is
// held for it), as Layout.Running does for a whole record.
func (l Layout) RunningInfo(i *RunInfo) bool {
	return l.Running(&Run{ID: i.ID, Pipeline: i.Pipeline})
}

func (l Layout) indexPath() string { return filepath.Join(l.RunsDir(), indexFile) }

// indexRun appends the run's current summary to the index. A failure is
// returned for the caller to report; the run record itself stays correct.
func (l Layout) indexRun(kind string, r *Run) error {
	line := indexLine{Kind: kind, RunInfo: infoOf(r)}
	if st, err := os.Stat(filepath.Join(l.RunDir(r.ID), "run.json")); err == nil {
		line.Size, line.MTime = st.Size(), st.ModTime().UnixNano()
	}
	if err := l.ensureIndex(); err != nil {
		return err
	}
	return appendLines(l.indexPath(), []indexLine{line})
}

// ensureIndex builds the index from the run folders when it does not exist.
func (l Layout) ensureIndex() error {
	if _, err := os.Stat(l.indexPath()); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	ents, err := os.ReadDir(l.RunsDir())
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var lines []indexLine
	for _, e := range ents {
		if !e.IsDir() || !validRunID(e.Name()) {
			continue
		}
		line := indexLine{Kind: indexStart, RunInfo: RunInfo{ID: e.Name()}}
		if r, err := l.LoadRun(e.Name()); err == nil {
			line.RunInfo = infoOf(r)
		}
		lines = append(lines, line)
	}
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].StartTime.Before(lines[j].StartTime) })
	return appendLines(l.indexPath(), lines)
}

// appendLines appends JSON lines to path in one write, starting on a fresh
// line when the file ends in a torn one.
func appendLines[T any](path string, lines []T) error {
	var buf bytes.Buffer
	for _, x := range lines {
		data, err := json.Marshal(x)
		if err != nil {
			return err
		}
		buf.Write(data)
		buf.WriteByte('\n')
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, st.Size()-1); err == nil && last[0] != '\n' {
			buf = *bytes.NewBuffer(append([]byte{'\n'}, buf.Bytes()...))
		}
	}
	_, err = f.Write(buf.Bytes())
	return err
}

// readIndex folds the index into one entry per run, in the order the runs
// were first indexed.
func (l Layout) readIndex() ([]indexLine, error) {
	if err := l.ensureIndex(); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(l.indexPath())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	pos := map[string]int{}
	var out []indexLine
	for _, raw := range bytes.Split(data, []byte{'\n'}) {
		var line indexLine
		if len(raw) == 0 || json.Unmarshal(raw, &line) != nil || !validRunID(line.ID) {
			continue // a torn or foreign line
		}
		if i, ok := pos[line.ID]; ok {
			out[i] = line
			continue
		}
		pos[line.ID] = len(out)
		out = append(out, line)
	}
	return out, nil
}

// RunInfos lists every run, oldest first, from the index: it reads one file
// and stats each run.json, and reads a record only when it changed since it
// was indexed. A run whose record cannot be read is listed with Err set; a
// run whose folder was removed is left out.
func (l Layout) RunInfos() ([]RunInfo, error) {
	lines, err := l.readIndex()
	if err != nil {
		return nil, err
	}
	var infos []RunInfo
	for _, line := range lines {
		info := line.RunInfo
		st, err := os.Stat(filepath.Join(l.RunDir(line.ID), "run.json"))
		switch {
		case err != nil:
			if _, derr := os.Stat(l.RunDir(line.ID)); errors.Is(derr, fs.ErrNotExist) {
				continue // removed by hand
			}
			info.Err = fmt.Errorf("run %s: run.json cannot be read: %w", line.ID, err)
		case st.Size() != line.Size || st.ModTime().UnixNano() != line.MTime || !info.Finished():
			// Changed since indexed, or still running (its journal says
			// more than the index): read the record itself.
			r, err := l.LoadRun(line.ID)
			if err != nil {
				info.Err = err
				break
			}
			info = infoOf(r)
		}
		infos = append(infos, info)
	}
	sort.SliceStable(infos, func(i, j int) bool {
		if !infos[i].StartTime.Equal(infos[j].StartTime) {
			return infos[i].StartTime.Before(infos[j].StartTime)
		}
		return infos[i].ID < infos[j].ID
	})
	return infos, nil
}

// lastRun is the id of the run started last: the last "start" line of the
// index, read from the end of the file so that its cost does not grow with
// the number of runs. "" when there is none.
func (l Layout) lastRun() (string, error) {
	if err := l.ensureIndex(); err != nil {
		return "", err
	}
	f, err := os.Open(l.indexPath())
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", err
	}
	const chunk = 16 << 10
	end := st.Size()
	var tail []byte // the bytes after end not yet split into lines
	for end > 0 || len(tail) > 0 {
		start := max(0, end-chunk)
		buf := make([]byte, end-start, int(end-start)+len(tail))
		if _, err := f.ReadAt(buf, start); err != nil && err != io.EOF {
			return "", err
		}
		buf = append(buf, tail...)
		lines := bytes.Split(buf, []byte{'\n'})
		// The first piece may be the end of a line that starts before
		// start: keep it for the next round, unless at the file's start.
		first := 0
		if start > 0 {
			first, tail = 1, lines[0]
		} else {
			tail = nil
		}
		for i := len(lines) - 1; i >= first; i-- {
			var line indexLine
			if json.Unmarshal(lines[i], &line) == nil && line.Kind == indexStart && validRunID(line.ID) {
				return line.ID, nil
			}
		}
		end = start
	}
	return "", nil
}

// A run that started and has not ended (it is running, or its pipeform was
// killed) has a marker .pipeform/live/<id> holding its pipeline's name, so
// that apply finds what a killed run left behind without reading any earlier
// run: the markers are as many as the runs that did not end.

func (l Layout) liveDir() string { return filepath.Join(l.Root, "live") }

func (l Layout) markLive(r *Run) error {
	if err := os.MkdirAll(l.liveDir(), 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(l.liveDir(), r.ID), []byte(r.Pipeline), 0o644)
}

func (l Layout) unmarkLive(r *Run) { os.Remove(filepath.Join(l.liveDir(), r.ID)) }

// liveRuns lists the runs of a pipeline that did not end.
func (l Layout) liveRuns(pipeline string) []string {
	ents, err := os.ReadDir(l.liveDir())
	if err != nil {
		return nil
	}
	var ids []string
	for _, e := range ents {
		if !validRunID(e.Name()) {
			continue
		}
		if data, err := os.ReadFile(filepath.Join(l.liveDir(), e.Name())); err == nil && string(data) == pipeline {
			ids = append(ids, e.Name())
		}
	}
	return ids
}
