package runners

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pipeform/pipeform/compiler/graph"
)

func TestParseSecretRef(t *testing.T) {
	for in, want := range map[string]SecretRef{
		"TestSecret":                {SecretID: "TestSecret"},
		"TestSecret:MY_KEY":         {SecretID: "TestSecret", JSONKey: "MY_KEY"},
		"Github/x-pat:actions read": {SecretID: "Github/x-pat", JSONKey: "actions read"},
		"db::AWSPREVIOUS":           {SecretID: "db", VersionStage: "AWSPREVIOUS"},
		"db:pw:AWSCURRENT:v1":       {SecretID: "db", JSONKey: "pw", VersionStage: "AWSCURRENT", VersionID: "v1"},
		"arn:aws:secretsmanager:eu-west-1:123456789012:secret:ci/db-AbCdEf":          {SecretID: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:ci/db-AbCdEf"},
		"arn:aws:secretsmanager:eu-west-1:123456789012:secret:ci/db-AbCdEf:password": {SecretID: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:ci/db-AbCdEf", JSONKey: "password"},
	} {
		if got := ParseSecretRef(in); got != want {
			t.Errorf("%s: got %+v, want %+v", in, got, want)
		}
	}
}

func TestSecretsLookup(t *testing.T) {
	s, diags := ParseSecrets("s.json", []byte(`{"parameter-store": {"/ci/token": "tok-123"},
		"secrets-manager": {"ci/db": "{\"password\": \"pw-456\", \"port\": 5432}"}}`))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	check := func(got string, err error, want string) {
		t.Helper()
		if err != nil || got != want {
			t.Errorf("got %q, %v; want %q", got, err, want)
		}
	}
	v, err := s.Parameter("/ci/token")
	check(v, err, "tok-123")
	v, err = s.Secret("ci/db:password")
	check(v, err, "pw-456")
	v, err = s.Secret("ci/db:port")
	check(v, err, "5432")
	v, err = s.Secret("arn:aws:secretsmanager:us-east-1:123456789012:secret:ci/db-AbCdEf:password")
	check(v, err, "pw-456")
	if _, err := s.Parameter("/ci/tokn"); err == nil || !strings.Contains(err.Error(), `Did you mean "/ci/token"?`) {
		t.Errorf("missing parameter: %v", err)
	}
	if _, err := s.Secret("ci/db:user"); err == nil || !strings.Contains(err.Error(), `"password", "port"`) {
		t.Errorf("missing key: %v", err)
	}
}

func TestParseSecretsError(t *testing.T) {
	_, diags := ParseSecrets("s.json", []byte("{\n  \"parameter-store\": {\"a\": 1}\n}"))
	if len(diags) != 1 || diags[0].Summary != "Invalid secrets file" || diags[0].Subject.Start.Line != 2 {
		t.Errorf("diags: %v", diags)
	}
}

// Every problem of a secrets file is said in words, names the key it
// concerns and points at it; no JSON library error reaches the user.
func TestParseSecretsErrorDetails(t *testing.T) {
	cases := []struct {
		src, want string
		col       int
	}{
		{`{"parameter-store": {"/x": 5}}`, `The value of "/x" in "parameter-store" is a number, but values must be strings. Write it in double quotes, as a JSON string.`, 28},
		{`{"secrets-manager": {"db": {"u": 1}}}`, `The value of "db" in "secrets-manager" is an object, but values must be strings. A JSON secret is given as a string holding JSON`, 28},
		{`{"parameter-stor": {}}`, `The secrets file has an unknown key "parameter-stor". Did you mean "parameter-store"?`, 2},
		{`{"parameter-store": {"a": "b",}}`, `The secrets file is not valid JSON here`, 30},
		{`{"parameter-store": {"a": "b"`, `The secrets file ends before its JSON is complete`, 30},
		{`[]`, `The secrets file must be a JSON object.`, 1},
		{`{"parameter-store": []}`, `"parameter-store" must be a JSON object of names to string values.`, 21},
		{`{} x`, `The secrets file has text after its JSON object`, 4},
	}
	for _, c := range cases {
		_, diags := ParseSecrets("s.json", []byte(c.src))
		if len(diags) != 1 {
			t.Errorf("%s: diags %v", c.src, diags)
			continue
		}
		d := diags[0]
		if d.Summary != "Invalid secrets file" || !strings.HasPrefix(d.Detail, c.want) || d.Subject.Start.Column != c.col {
			t.Errorf("%s:\n got %s (column %d)\nwant %s (column %d)", c.src, d.Detail, d.Subject.Start.Column, c.want, c.col)
		}
		if strings.Contains(d.Detail, "json:") || strings.Contains(d.Detail, "Go ") {
			t.Errorf("%s: a Go error reaches the user: %s", c.src, d.Detail)
		}
	}
}

func TestMaskerSplitWrites(t *testing.T) {
	var out bytes.Buffer
	m := NewMasker(&out, []string{"hunter2", "line1\nline2"})
	for _, chunk := range []string{"pass: hun", "ter2\nnext hunter", "2 end\nline1\n", "key AKIAABCDEFGHIJKLMNOP\n", "tail"} {
		m.Write([]byte(chunk))
	}
	m.Flush()
	want := "pass: ***\nnext *** end\n***\nkey ***\ntail\n"
	if out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}

// A secret never reaches the log, the Build record or an artifact's
// metadata, whichever way the build prints it.
func TestSecretsMasked(t *testing.T) {
	secrets := &Secrets{
		ParameterStore: map[string]string{"/ci/token": "tok-SECRET-123"},
		SecretsManager: map[string]string{"ci/db": `{"password":"pw-SECRET-456"}`},
	}
	bs := &graph.Buildspec{Version: "0.2",
		Env: &graph.BuildEnv{
			ParameterStore:    []graph.KeyValue{{Key: "TOKEN", Value: "/ci/token"}},
			SecretsManager:    []graph.KeyValue{{Key: "DB_PASSWORD", Value: "ci/db:password"}},
			ExportedVariables: []string{"TOKEN", "COPY"},
		},
		Phases: phases(nil, nil, []string{
			`echo "token=$TOKEN"`, `printf '%s' "$DB_PASSWORD" | cut -c1-5; printf '%s\n' "$DB_PASSWORD" | cut -c6-`,
			"echo pw-SECRET-456 >&2", `COPY="x${TOKEN}y"`, `exit "$(echo 1)" # tok-SECRET-123`,
		}),
	}
	r := runBuild(t, bs, func(cb *CodeBuild) { cb.Secrets = secrets })
	js, _ := json.Marshal(r.build)
	for _, text := range []string{r.log, string(js)} {
		if strings.Contains(text, "SECRET") {
			t.Errorf("a secret leaked:\n%s", text)
		}
	}
	if !strings.Contains(r.log, "token=***\n") {
		t.Errorf("log lacks the masked echo:\n%s", r.log)
	}
	if !strings.Contains(string(js), `{"name":"COPY","value":"x***y"}`) {
		t.Errorf("exported variables not masked: %s", js)
	}
}

func TestMissingSecret(t *testing.T) {
	bs := &graph.Buildspec{Version: "0.2", Env: &graph.BuildEnv{
		ParameterStore: []graph.KeyValue{{Key: "TOKEN", Value: "/ci/token"}},
		SecretsManager: []graph.KeyValue{{Key: "PW", Value: "ci/db:password"}},
	}}
	cb := &CodeBuild{Buildspec: bs, SrcDir: t.TempDir(), Action: "action Build.unit"}
	b, diags := cb.Run(t.Context())
	if b != nil || len(diags) != 2 {
		t.Fatalf("build %v, diags %v", b, diags)
	}
	if diags[0].Summary != "Unknown parameter" || !strings.Contains(diags[0].Detail, "In action Build.unit: env.parameter-store TOKEN: parameter \"/ci/token\"") {
		t.Errorf("diag 0: %s: %s", diags[0].Summary, diags[0].Detail)
	}
	if diags[1].Summary != "Unknown secret" || !strings.Contains(diags[1].Detail, "--secrets-file") {
		t.Errorf("diag 1: %s: %s", diags[1].Summary, diags[1].Detail)
	}
}

func TestExportedAndReserved(t *testing.T) {
	bs := &graph.Buildspec{Version: "0.2",
		Env: &graph.BuildEnv{
			Variables:         []graph.KeyValue{{Key: "LITERAL", Value: "$HOME/x"}, {Key: "CODEBUILD_BUILD_ID", Value: "mine"}, {Key: "OVER", Value: "buildspec"}},
			ExportedVariables: []string{"VERSION", "LITERAL", "OVER", "AWS_REGION", "UNSET"},
		},
		Phases: phases(nil, nil, []string{"export VERSION=1.2.3", `echo "id=$CODEBUILD_BUILD_ID"`}, []string{"VERSION=1.2.4"}),
	}
	var warnings []string
	dir := t.TempDir()
	cb := &CodeBuild{Buildspec: bs, SrcDir: dir, BuildID: "p:u", Env: []graph.KeyValue{{Key: "OVER", Value: "override"}},
		BaseEnv: []string{"PATH=" + os.Getenv("PATH")}, WorkDir: filepath.Join(dir)}
	var log bytes.Buffer
	cb.Log = &log
	b, diags := cb.Run(t.Context())
	for _, d := range diags {
		warnings = append(warnings, d.Summary)
	}
	if got := strings.Join(warnings, ","); got != "Variable cannot be exported,Reserved environment variable" {
		t.Errorf("diagnostics: %s", got)
	}
	got, _ := json.Marshal(b.ExportedEnvironmentVariables)
	want := `[{"name":"VERSION","value":"1.2.4"},{"name":"LITERAL","value":"$HOME/x"},{"name":"OVER","value":"override"},{"name":"UNSET","value":""}]`
	if string(got) != want {
		t.Errorf("exported:\n got %s\nwant %s", got, want)
	}
	if !strings.Contains(log.String(), "id=p:u\n") {
		t.Errorf("CODEBUILD_BUILD_ID:\n%s", log.String())
	}
}

// A line with no newline is written in pieces once it passes
// maxPartialLine, so the Masker's memory stays bounded, and no piece
// boundary lets a secret, an access key id or the tail of an overlapping
// secret through, whatever the write sizes.
func TestMaskerLongLine(t *testing.T) {
	defer func(n int) { maxPartialLine = n }(maxPartialLine)
	maxPartialLine = 64
	unit := "..hunter2..xabcdef.AKIAABCDEFGHIJKLMNOP.hunter2hunter2."
	line := strings.Repeat(unit, 40)
	for size := 1; size <= 17; size++ {
		var out bytes.Buffer
		m := NewMasker(&out, []string{"hunter2", "abcdef", "xab"})
		for i := 0; i < len(line); i += size {
			m.Write([]byte(line[i:min(i+size, len(line))]))
			if len(m.buf) > maxPartialLine+size {
				t.Fatalf("size %d: %d bytes held back", size, len(m.buf))
			}
		}
		if out.Len() == 0 {
			t.Fatalf("size %d: nothing written before the line ended", size)
		}
		m.Flush()
		got := out.String()
		for _, leak := range []string{"hunt", "ter2", "cdef", "AKIA", "MNOP", "xa", "ab"} {
			if strings.Contains(got, leak) {
				t.Fatalf("size %d: %q leaked in %q", size, leak, got)
			}
		}
		if !strings.HasSuffix(got, "\n") || strings.Count(got, "\n") != 1 {
			t.Fatalf("size %d: want one line ending in a newline, got %q", size, got)
		}
	}

	// A line that is one endless secret is written whole, and Flush still
	// ends it with a newline.
	var out bytes.Buffer
	m := NewMasker(&out, []string{"aa"})
	m.Write([]byte(strings.Repeat("a", 200)))
	if out.String() != "***" || len(m.buf) != 0 {
		t.Fatalf("got %q, %d bytes held back", out.String(), len(m.buf))
	}
	m.Flush()
	if out.String() != "***\n" {
		t.Fatalf("after Flush: %q", out.String())
	}
}
