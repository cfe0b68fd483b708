package local

// Hooks receive a run's progress. The scheduler calls them one at a time
// (never concurrently), with the run record locked, so an implementation may
// read r freely but must not keep it or block for long. Views (the terminal
// view, plain lines, NDJSON) implement Hooks; the executor itself never
// prints.
type Hooks interface {
	RunStarted(r *Run)
	StageStarted(r *Run, s *StageState)
	ActionStarted(r *Run, a *ActionState)
	// ActionLog is one line of an action's log (masked, without the
	// newline).
	ActionLog(r *Run, a *ActionState, line string)
	// ActionWaiting says a manual approval now waits for
	// `pipeform approve`.
	ActionWaiting(r *Run, a *ActionState, message string)
	ActionFinished(r *Run, a *ActionState)
	StageFinished(r *Run, s *StageState)
	RunFinished(r *Run)
}

// NopHooks ignores every event; embed it to implement only some.
type NopHooks struct{}

func (NopHooks) RunStarted(*Run)                          {}
func (NopHooks) StageStarted(*Run, *StageState)           {}
func (NopHooks) ActionStarted(*Run, *ActionState)         {}
func (NopHooks) ActionLog(*Run, *ActionState, string)     {}
func (NopHooks) ActionWaiting(*Run, *ActionState, string) {}
func (NopHooks) ActionFinished(*Run, *ActionState)        {}
func (NopHooks) StageFinished(*Run, *StageState)          {}
func (NopHooks) RunFinished(*Run)                         {}

// StageLogger is an optional extension of Hooks: a line of a stage's own
// log (its conditions' rules, an automatic retry, a rollback). Views that
// implement it show these lines; the scheduler calls it like the others.
type StageLogger interface {
	StageLog(r *Run, s *StageState, line string)
}
