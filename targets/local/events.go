package local

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/targets/local/runners"
)

// Event is one EventBridge event envelope, as CodePipeline and CodeBuild
// send them (reference: CODEPIPELINE.md §7). events.jsonl holds one per line.
type Event struct {
	Version    string   `json:"version"`
	ID         string   `json:"id"`
	DetailType string   `json:"detail-type"`
	Source     string   `json:"source"`
	Account    string   `json:"account"`
	Time       string   `json:"time"`
	Region     string   `json:"region"`
	Resources  []string `json:"resources"`
	Detail     any      `json:"detail"`
}

// EventBridge detail-type values.
const (
	DetailPipeline   = "CodePipeline Pipeline Execution State Change"
	DetailStage      = "CodePipeline Stage Execution State Change"
	DetailAction     = "CodePipeline Action Execution State Change"
	DetailBuildState = "CodeBuild Build State Change"
	DetailBuildPhase = "CodeBuild Build Phase Change"
)

// PipelineDetail is the detail of the three CodePipeline event kinds; the
// members a level does not have stay empty and are omitted.
type PipelineDetail struct {
	Pipeline                  string            `json:"pipeline"`
	ExecutionID               string            `json:"execution-id"`
	StartTime                 string            `json:"start-time"`
	ExecutionTrigger          *ExecutionTrigger `json:"execution-trigger,omitempty"`
	Stage                     string            `json:"stage,omitempty"`
	Action                    string            `json:"action,omitempty"`
	ActionExecutionID         string            `json:"action-execution-id,omitempty"`
	State                     string            `json:"state"`
	StopExecutionComments     string            `json:"stop-execution-comments,omitempty"`
	Region                    string            `json:"region,omitempty"`
	Type                      *EventActionType  `json:"type,omitempty"`
	InputArtifacts            []EventArtifact   `json:"input-artifacts,omitempty"`
	OutputArtifacts           []EventArtifact   `json:"output-artifacts,omitempty"`
	ExecutionResult           *ExecutionResult  `json:"execution-result,omitempty"`
	StageLastRetryAttemptTime string            `json:"stage-last-retry-attempt-time,omitempty"`
	Version                   json.Number       `json:"version"`
	PipelineExecutionAttempt  json.Number       `json:"pipeline-execution-attempt"`
}

// ExecutionTrigger says what started a pipeline execution.
type ExecutionTrigger struct {
	TriggerType   string `json:"trigger-type"`
	TriggerDetail string `json:"trigger-detail"`
}

// EventActionType is an action event's type member (the ActionTypeId).
type EventActionType struct {
	Owner    string `json:"owner"`
	Category string `json:"category"`
	Provider string `json:"provider"`
	Version  string `json:"version"`
}

// EventArtifact is one input or output artifact of an action event; the
// location is the local artifact store.
type EventArtifact struct {
	Name       string     `json:"name"`
	S3Location S3Location `json:"s3location"`
}

// S3Location is where an artifact lives: bucket ".pipeform", key
// "artifacts/<sha256>" locally.
type S3Location struct {
	Bucket string `json:"bucket"`
	Key    string `json:"key"`
}

// ExecutionResult is a finished action's execution-result member.
type ExecutionResult struct {
	ExternalExecutionURL     string `json:"external-execution-url"`
	ExternalExecutionSummary string `json:"external-execution-summary"`
	ExternalExecutionID      string `json:"external-execution-id"`
	ErrorCode                string `json:"error-code,omitempty"`
}

// BuildStateDetail is the detail of "CodeBuild Build State Change".
type BuildStateDetail struct {
	BuildStatus           string           `json:"build-status"`
	ProjectName           string           `json:"project-name"`
	BuildID               string           `json:"build-id"`
	CurrentPhase          string           `json:"current-phase"`
	CurrentPhaseContext   string           `json:"current-phase-context"`
	Version               string           `json:"version"`
	AdditionalInformation *BuildAdditional `json:"additional-information"`
}

// BuildPhaseDetail is the detail of "CodeBuild Build Phase Change".
type BuildPhaseDetail struct {
	CompletedPhase         string           `json:"completed-phase"`
	CompletedPhaseStatus   string           `json:"completed-phase-status"`
	CompletedPhaseDuration int64            `json:"completed-phase-duration-seconds"`
	CompletedPhaseStart    string           `json:"completed-phase-start"`
	CompletedPhaseEnd      string           `json:"completed-phase-end"`
	CompletedPhaseContext  string           `json:"completed-phase-context"`
	ProjectName            string           `json:"project-name"`
	BuildID                string           `json:"build-id"`
	Version                string           `json:"version"`
	AdditionalInformation  *BuildAdditional `json:"additional-information"`
}

// BuildAdditional is CodeBuild's additional-information object.
type BuildAdditional struct {
	BuildComplete    bool              `json:"build-complete"`
	Initiator        string            `json:"initiator"`
	BuildStartTime   string            `json:"build-start-time,omitempty"`
	TimeoutInMinutes int               `json:"timeout-in-minutes"`
	Source           *BuildSource      `json:"source,omitempty"`
	Environment      *BuildEnvironment `json:"environment,omitempty"`
	Logs             *BuildLogs        `json:"logs,omitempty"`
	Phases           []BuildPhaseInfo  `json:"phases,omitempty"`
}

// BuildLogs is a build event's logs member: the CloudWatch Logs group and
// stream CodeBuild would write, and a deep-link that locally is the action's
// log file.
type BuildLogs struct {
	GroupName  string `json:"group-name"`
	StreamName string `json:"stream-name"`
	DeepLink   string `json:"deep-link"`
}

// BuildSource is a build event's source member.
type BuildSource struct {
	Type     string `json:"type"`
	Location string `json:"location"`
}

// BuildEnvironment is a build event's environment member.
type BuildEnvironment struct {
	Image                string   `json:"image"`
	PrivilegedMode       bool     `json:"privileged-mode"`
	ComputeType          string   `json:"compute-type"`
	Type                 string   `json:"type"`
	EnvironmentVariables []string `json:"environment-variables"`
}

// BuildPhaseInfo is one entry of a build event's phases list.
type BuildPhaseInfo struct {
	PhaseType         string   `json:"phase-type"`
	PhaseStatus       string   `json:"phase-status,omitempty"`
	StartTime         string   `json:"start-time"`
	EndTime           string   `json:"end-time,omitempty"`
	DurationInSeconds *int64   `json:"duration-in-seconds,omitempty"`
	PhaseContext      []string `json:"phase-context,omitempty"`
}

// codebuildTime is the human format CodeBuild uses inside
// additional-information.
const codebuildTime = "Jan 2, 2006 3:04:05 PM"

// isoMillis is the start-time format of CodePipeline events.
const isoMillis = "2006-01-02T15:04:05.000Z07:00"

// eventLog appends events to events.jsonl, one whole line per write.
type eventLog struct {
	mu      sync.Mutex
	f       *os.File
	newID   func() string
	now     func() time.Time
	region  string
	account string
}

func openEventLog(runDir string, newID func() string, now func() time.Time, region, account string) (*eventLog, error) {
	f, err := os.OpenFile(filepath.Join(runDir, "events.jsonl"), os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	if err := dropTornLine(f); err != nil {
		f.Close()
		return nil, err
	}
	return &eventLog{f: f, newID: newID, now: now, region: region, account: account}, nil
}

// dropTornLine cuts a last line that has no newline (an event half written
// when the machine crashed) off a file that only whole lines are appended
// to, so that a resume's events start on a line of their own and every
// line stays one JSON event. The caller holds the pipeline's lock: nobody
// else appends.
func dropTornLine(f *os.File) error {
	st, err := f.Stat()
	if err != nil || st.Size() == 0 {
		return err
	}
	const chunk = 64 << 10
	end := st.Size()
	buf := make([]byte, 1)
	if _, err := f.ReadAt(buf, end-1); err != nil || buf[0] == '\n' {
		return err
	}
	for end > 0 {
		start := max(0, end-chunk)
		buf = make([]byte, end-start)
		if _, err := f.ReadAt(buf, start); err != nil {
			return err
		}
		if i := bytes.LastIndexByte(buf, '\n'); i >= 0 {
			return f.Truncate(start + int64(i) + 1)
		}
		end = start
	}
	return f.Truncate(0)
}

func (l *eventLog) close() error {
	if l == nil {
		return nil
	}
	return l.f.Close()
}

// emit writes one event; a failure to write is not fatal to the run.
func (l *eventLog) emit(detailType, source, resource string, detail any) {
	if l == nil {
		return
	}
	l.write(l.encode(nil, detailType, source, resource, detail))
}

// encode appends one event and its newline to buf.
func (l *eventLog) encode(buf []byte, detailType, source, resource string, detail any) []byte {
	ev := Event{
		Version: "0", ID: l.newID(), DetailType: detailType, Source: source,
		Account: l.account, Time: l.now().UTC().Format(time.RFC3339), Region: l.region,
		Resources: []string{resource}, Detail: detail,
	}
	data, err := json.Marshal(ev)
	if err != nil {
		return buf
	}
	return append(append(buf, data...), '\n')
}

// write appends whole lines in one write.
func (l *eventLog) write(lines []byte) {
	if len(lines) == 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	_, _ = l.f.Write(lines)
}

func (l *eventLog) pipelineARN(pipeline string) string {
	return fmt.Sprintf("arn:aws:codepipeline:%s:%s:%s", l.region, l.account, pipeline)
}

// pipelineDetail starts a CodePipeline detail for run r.
func pipelineDetail(r *Run, state string) *PipelineDetail {
	return &PipelineDetail{
		Pipeline: r.Pipeline, ExecutionID: r.ID, StartTime: r.StartTime.UTC().Format(isoMillis),
		State: state, Version: "1.0", PipelineExecutionAttempt: json.Number(fmt.Sprintf("%d.0", r.Attempt)),
	}
}

// actionEventType is the action's ActionTypeId in event form.
func actionEventType(a *graph.Action) *EventActionType {
	return &EventActionType{Owner: a.Type.Owner, Category: a.Type.Category, Provider: a.Type.Provider, Version: a.Type.Version}
}

// eventArtifacts lists artifacts with their store location.
func eventArtifacts(refs []*graph.ArtifactRef, digests map[string]string) []EventArtifact {
	var out []EventArtifact
	for _, ref := range refs {
		key := "artifacts/"
		if d := digests[ref.Name]; d != "" {
			key += d
		}
		out = append(out, EventArtifact{Name: ref.Name, S3Location: S3Location{Bucket: ".pipeform", Key: key}})
	}
	return out
}

// buildEvents emits the CodeBuild phase changes of a finished build and its
// final state change.
func (l *eventLog) buildEvents(b *runners.Build, arn string, add *BuildAdditional) {
	if l == nil {
		return
	}
	var lines []byte
	var phases []BuildPhaseInfo
	for _, p := range b.Phases {
		info := BuildPhaseInfo{PhaseType: p.PhaseType, PhaseStatus: p.PhaseStatus, StartTime: time.Time(p.StartTime).UTC().Format(codebuildTime), DurationInSeconds: p.DurationInSeconds}
		if p.EndTime != nil {
			info.EndTime = time.Time(*p.EndTime).UTC().Format(codebuildTime)
		}
		for _, c := range p.Contexts {
			if c.StatusCode != "" || c.Message != "" {
				info.PhaseContext = append(info.PhaseContext, c.StatusCode+": "+c.Message)
			}
		}
		phases = append(phases, info)
	}
	for _, p := range phases {
		if p.EndTime == "" {
			continue
		}
		ctx, _ := json.Marshal(p.PhaseContext)
		if p.PhaseContext == nil {
			ctx = []byte("[]")
		}
		var dur int64
		if p.DurationInSeconds != nil {
			dur = *p.DurationInSeconds
		}
		partial := *add
		partial.Phases = nil
		lines = l.encode(lines, DetailBuildPhase, "aws.codebuild", arn, &BuildPhaseDetail{
			CompletedPhase: p.PhaseType, CompletedPhaseStatus: p.PhaseStatus, CompletedPhaseDuration: dur,
			CompletedPhaseStart: p.StartTime, CompletedPhaseEnd: p.EndTime, CompletedPhaseContext: string(ctx),
			ProjectName: b.ProjectName, BuildID: arn, Version: "1", AdditionalInformation: &partial,
		})
	}
	final := *add
	final.BuildComplete = true
	final.Phases = phases
	lines = l.encode(lines, DetailBuildState, "aws.codebuild", arn, &BuildStateDetail{
		BuildStatus: b.BuildStatus, ProjectName: b.ProjectName, BuildID: arn,
		CurrentPhase: "COMPLETED", CurrentPhaseContext: "[]", Version: "1", AdditionalInformation: &final,
	})
	// The build's events, one line each, go to the file in one write.
	l.write(lines)
}
