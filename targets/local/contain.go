package local

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"

	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/targets/local/runners"
)

// Every process an action starts carries the tag
// <state folder>:<pipeline>/<run id>/<Stage.Action> in its environment
// (runners.TagVar), the state folder as a short hash of its path. The end
// of the action stops what carries its tag; the next apply or resume of the
// pipeline, holding its lock (so no run of it is live), stops whatever
// carries the pipeline's prefix: what a pipeform killed with kill -9 left
// running.

// pipelineTag is the prefix of the tags of every run of the pipeline
// pipeline in this state folder.
func (l Layout) pipelineTag(pipeline string) string {
	root := l.Root
	if real, err := filepath.EvalSymlinks(root); err == nil {
		root = real // the same folder, whichever path led to it
	}
	sum := sha256.Sum256([]byte(root))
	return hex.EncodeToString(sum[:6]) + ":" + pipeline + "/"
}

// actionTag is the tag of the processes of one action of the run.
func (s *scheduler) actionTag(a *graph.Action) string {
	s.tagPrefixOnce.Do(func() { s.tagPrefix = s.opts.Layout.pipelineTag(s.run.Pipeline) })
	return s.tagPrefix + s.run.ID + "/" + a.ID()
}

// stopLeftBehind stops the processes an earlier run of the pipeline left
// running when its pipeform was killed. The caller holds the pipeline's
// lock.
func (o *Options) stopLeftBehind(pipeline string) hcl.Diagnostics {
	n := runners.StopTagged(o.Layout.pipelineTag(pipeline))
	if n == 0 {
		return nil
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagWarning,
		Summary:  "Stopped processes of an interrupted run",
		Detail: fmt.Sprintf("%d processes started by an earlier run of pipeline %q were still running: its pipeform was killed before it could stop them (kill -9). They were stopped before this run started.",
			n, pipeline),
	}}
}

// stopAction stops what the action left running and says so in its log.
func stopAction(j *job, tag string) {
	if n := runners.StopTagged(tag); n > 0 {
		j.log.Own("Stopped %d processes the action left running (%s): nothing an action starts outlives it", n, runners.Masked("their process group or session was left"))
	}
}
