package local

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// The audit trail is the local stand-in for CloudTrail: every request that
// changes a run (start, retry, approve or reject, stop), from the CLI or the
// console, appends one record in CloudTrail's event shape to
// .pipeform/audit.jsonl. The fields and their meaning follow "CloudTrail
// record contents" in the AWS CloudTrail User Guide
// (awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents);
// eventName is the CodePipeline API call the request stands for.

// AuditEventVersion is the eventVersion of the records (CloudTrail's
// current record format).
const AuditEventVersion = "1.11"

// Audit event names: the CodePipeline API calls the local requests stand
// for.
const (
	AuditStart   = "StartPipelineExecution"
	AuditRetry   = "RetryStageExecution"
	AuditApprove = "PutApprovalResult"
	AuditStop    = "StopPipelineExecution"
)

// Actor is who asks for a change and from where.
type Actor struct {
	// User is the person's name (the login name for the CLI and the
	// console alike: both run as a local user).
	User string
	// SourceIP is the address the request came from: the browser's for
	// the console, "localhost" for a command typed on this machine.
	SourceIP string
	// UserAgent names the client: "pipeform-cli/…" or "pipeform-console
	// (the browser's User-Agent)".
	UserAgent string
}

// AuditEvent is one CloudTrail record.
type AuditEvent struct {
	EventVersion       string          `json:"eventVersion"`
	UserIdentity       AuditIdentity   `json:"userIdentity"`
	EventTime          string          `json:"eventTime"`
	EventSource        string          `json:"eventSource"`
	EventName          string          `json:"eventName"`
	AWSRegion          string          `json:"awsRegion"`
	SourceIPAddress    string          `json:"sourceIPAddress"`
	UserAgent          string          `json:"userAgent"`
	RequestParameters  map[string]any  `json:"requestParameters"`
	ResponseElements   map[string]any  `json:"responseElements"`
	RequestID          string          `json:"requestID"`
	EventID            string          `json:"eventID"`
	ReadOnly           bool            `json:"readOnly"`
	Resources          []AuditResource `json:"resources,omitempty"`
	EventType          string          `json:"eventType"`
	ManagementEvent    bool            `json:"managementEvent"`
	RecipientAccountID string          `json:"recipientAccountId"`
	EventCategory      string          `json:"eventCategory"`
}

// AuditIdentity is a record's userIdentity. A local user is no IAM
// identity, so its type is "Unknown", which CloudTrail uses for callers it
// cannot tie to an account principal, with the name in userName.
type AuditIdentity struct {
	Type        string `json:"type"`
	PrincipalID string `json:"principalId"`
	UserName    string `json:"userName"`
}

// AuditResource is one entry of a record's resources.
type AuditResource struct {
	ARN  string `json:"ARN"`
	Type string `json:"type"`
}

// RunID is the pipeline execution the record is about.
func (e *AuditEvent) RunID() string {
	for _, m := range []map[string]any{e.RequestParameters, e.ResponseElements} {
		if id, ok := m["pipelineExecutionId"].(string); ok {
			return id
		}
	}
	return ""
}

// auditRecorder makes records for one account and Region.
type auditRecorder struct {
	layout          Layout
	now             func() time.Time
	newID           func() string
	region, account string
}

// record appends one record; params and response hold the API call's
// request and response members.
func (a auditRecorder) record(who Actor, name, pipeline string, params, response map[string]any) error {
	if a.now == nil {
		a.now = time.Now
	}
	if a.newID == nil {
		a.newID = NewUUID
	}
	if a.region == "" {
		a.region = "us-east-1"
	}
	if a.account == "" {
		a.account = "000000000000"
	}
	user := orUnknown(who.User)
	e := AuditEvent{
		EventVersion: AuditEventVersion,
		UserIdentity: AuditIdentity{Type: "Unknown", PrincipalID: user, UserName: user},
		EventTime:    a.now().UTC().Format(time.RFC3339), EventSource: "codepipeline.amazonaws.com",
		EventName: name, AWSRegion: a.region, SourceIPAddress: orDefault(who.SourceIP, "localhost"),
		UserAgent: orDefault(who.UserAgent, "pipeform"), RequestParameters: params, ResponseElements: response,
		RequestID: a.newID(), EventID: a.newID(),
		Resources: []AuditResource{{
			ARN:  fmt.Sprintf("arn:aws:codepipeline:%s:%s:%s", a.region, a.account, pipeline),
			Type: "AWS::CodePipeline::Pipeline",
		}},
		EventType: "AwsApiCall", ManagementEvent: true, RecipientAccountID: a.account, EventCategory: "Management",
	}
	data, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if err := a.layout.Create(); err != nil {
		return err
	}
	// One write of one line on a file opened for appending: records of
	// processes writing at once do not interleave.
	f, err := os.OpenFile(a.layout.AuditFile(), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(append(data, '\n'))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// AuditFile is the audit trail, one CloudTrail record per line.
func (l Layout) AuditFile() string { return filepath.Join(l.Root, "audit.jsonl") }

// Audit reads the audit trail, oldest first; runID, when not empty, keeps
// the records about that run only.
func (l Layout) Audit(runID string) ([]AuditEvent, error) {
	return readJSONL(l.AuditFile(), func(e *AuditEvent) bool { return runID == "" || e.RunID() == runID })
}

// readJSONL reads a file of one JSON value per line, keeping those keep
// accepts. A missing file holds none; a line that does not decode (cut short
// by a process killed mid-write) is skipped.
func readJSONL[T any](path string, keep func(*T) bool) ([]T, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []T
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var v T
		if json.Unmarshal(sc.Bytes(), &v) == nil && keep(&v) {
			out = append(out, v)
		}
	}
	return out, sc.Err()
}

// NewUUID returns a random (version 4) UUID, the shape of CodePipeline's
// execution ids and CloudTrail's event ids.
func NewUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
