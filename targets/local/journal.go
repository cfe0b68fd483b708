package local

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"time"
)

// A run's state is its run.json snapshot plus its journal,
// runs/<id>/journal.jsonl: every change of a stage, an action or the run
// between two snapshots is appended there as one line holding the changed
// entry whole, so a change costs one small write whatever the size of the
// run, and parallel actions never wait for each other's record. LoadRun
// replays the journal over the snapshot; the last line for an entry wins.
//
// Crash safety: a line is written with one write(2), so after a kill -9 the
// journal holds every change made before it (the kernel keeps what was
// written). Snapshots are written atomically and fsynced: at the start of a
// run or resume, when an approval starts waiting or a stage rule changes
// earlier records (the journal is then emptied), and at the end (the
// journal is then removed). A torn last line,
// which only a crash of the machine can leave, is skipped. Lines carry the
// attempt they belong to, so a journal left over from an earlier attempt
// never overrides the snapshot of a resume.

const journalFile = "journal.jsonl"

// Kinds of journal lines.
const (
	journalStage  = "stage"
	journalAction = "action"
	journalRun    = "run"
)

type journalLine struct {
	Attempt int    `json:"attempt"`
	Kind    string `json:"kind"`
	Stage   int    `json:"stage"`
	Action  int    `json:"action,omitempty"`
	// State is a *stageFields, an *ActionState or a *runFields.
	State json.RawMessage `json:"state"`
}

// stageFields is a stage without its actions (each has its own lines).
type stageFields struct {
	Status    string     `json:"status"`
	StartTime *time.Time `json:"start_time,omitempty"`
	EndTime   *time.Time `json:"end_time,omitempty"`
}

// runFields are the run-level members that change during a run.
type runFields struct {
	Status  string `json:"status"`
	Message string `json:"message,omitempty"`
}

// journal appends lines to one run's journal. Its methods are called with
// the scheduler's mu held, which orders the lines.
type journal struct {
	f       *os.File
	attempt int
	err     error // the first write error, reported at the end
	buf     bytes.Buffer
}

// openJournal starts an empty journal for the given attempt; the caller has
// just written the attempt's snapshot.
func openJournal(runDir string, attempt int) (*journal, error) {
	f, err := os.OpenFile(filepath.Join(runDir, journalFile), os.O_WRONLY|os.O_CREATE|os.O_TRUNC|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	return &journal{f: f, attempt: attempt}, nil
}

func (j *journal) write(kind string, stage, action int, state any) {
	if j == nil || j.err != nil {
		return
	}
	data, err := json.Marshal(state)
	if err == nil {
		j.buf.Reset()
		err = json.NewEncoder(&j.buf).Encode(journalLine{Attempt: j.attempt, Kind: kind, Stage: stage, Action: action, State: data})
	}
	if err == nil {
		_, err = j.f.Write(j.buf.Bytes())
	}
	j.err = err
}

// stage records stage i of r.
func (j *journal) stage(r *Run, i int) {
	st := r.Stages[i]
	j.write(journalStage, i, 0, stageFields{Status: st.Status, StartTime: st.StartTime, EndTime: st.EndTime})
}

// action records action k of stage i of r.
func (j *journal) action(r *Run, i, k int) {
	j.write(journalAction, i, k, r.Stages[i].Actions[k])
}

// run records the run-level members of r.
func (j *journal) run(r *Run) {
	j.write(journalRun, 0, 0, runFields{Status: r.Status, Message: r.Message})
}

// reset empties the journal after a snapshot.
func (j *journal) reset() {
	if j == nil || j.err != nil {
		return
	}
	j.err = j.f.Truncate(0)
}

// close closes the file; remove also deletes it (the run's final snapshot
// holds everything).
func (j *journal) close(remove bool) error {
	if j == nil {
		return nil
	}
	err := j.f.Close()
	if remove {
		os.Remove(j.f.Name())
	}
	if j.err != nil {
		return j.err
	}
	return err
}

// replayJournal applies the journal at path to r. Lines of another attempt,
// torn or foreign lines and lines naming entries r does not have are
// skipped. A finished snapshot is the run's last word: a journal left behind
// by a crash between writing it and removing the journal adds nothing.
func replayJournal(r *Run, path string) {
	if r.Finished() {
		return
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return
	}
	for _, raw := range bytes.Split(data, []byte{'\n'}) {
		var line journalLine
		if len(raw) == 0 || json.Unmarshal(raw, &line) != nil || line.Attempt != r.Attempt {
			continue
		}
		applyJournalLine(r, &line)
	}
}

func applyJournalLine(r *Run, line *journalLine) {
	switch line.Kind {
	case journalRun:
		var f runFields
		if json.Unmarshal(line.State, &f) == nil && f.Status != "" {
			r.Status, r.Message = f.Status, f.Message
		}
	case journalStage:
		var f stageFields
		if line.Stage < 0 || line.Stage >= len(r.Stages) || json.Unmarshal(line.State, &f) != nil || f.Status == "" {
			return
		}
		st := r.Stages[line.Stage]
		st.Status, st.StartTime, st.EndTime = f.Status, f.StartTime, f.EndTime
	case journalAction:
		if line.Stage < 0 || line.Stage >= len(r.Stages) {
			return
		}
		acts := r.Stages[line.Stage].Actions
		if line.Action < 0 || line.Action >= len(acts) {
			return
		}
		var a ActionState
		if json.Unmarshal(line.State, &a) != nil || a.Status == "" || a.ID() != acts[line.Action].ID() {
			return
		}
		acts[line.Action] = &a
	}
}
