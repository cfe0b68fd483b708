// Package local is pipeform's local executor: it runs one pipeline of the
// compiled graph on this machine the way CodePipeline would.
//
// It owns the scheduler (stages in order, the actions of one run order in
// parallel with bounded parallelism, cancellation, resume from a failed
// stage), the run record under .pipeform/runs/<id>/ (a run.json snapshot
// written atomically plus an append-only journal of the changes since, one
// log per action, events.jsonl in EventBridge's CodePipeline and CodeBuild
// event shapes), the index of runs, the content-addressed artifact store under
// .pipeform/artifacts/, the per-pipeline lock, #{ns.VAR} resolution and the
// action cache. Running one action is the job of targets/local/runners; this
// package decides only what runs when, with which inputs.
//
// The executor never prints: progress leaves through the Hooks interface,
// which the CLI's views implement. It takes its clock, identifiers and
// directories as inputs (Options); it does run processes and write run state,
// which is why it is the one target that touches the filesystem.
//
// It may import compiler/graph, compiler/cron (the DeploymentWindow rule's
// cron, parsed as validate parses it), targets/local/runners, hcl and the
// standard library; never lang, compiler or cmd.
package local
