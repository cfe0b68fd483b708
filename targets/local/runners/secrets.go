package runners

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Secrets are the values a local build gets instead of calling Parameter
// Store and Secrets Manager: the --secrets-file document [contract]
//
//	{"parameter-store": {"/name": "value"},
//	 "secrets-manager": {"id": "value-or-JSON"}}
type Secrets struct {
	ParameterStore map[string]string `json:"parameter-store"`
	SecretsManager map[string]string `json:"secrets-manager"`
}

// ParseSecrets decodes a secrets file. filename is used in diagnostics.
func ParseSecrets(filename string, src []byte) (*Secrets, hcl.Diagnostics) {
	var s Secrets
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.DisallowUnknownFields()
	err := dec.Decode(&s)
	if err == nil {
		return &s, nil
	}
	d := &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Invalid secrets file",
		Detail: fmt.Sprintf("%s. The secrets file is a JSON object with the keys "+
			`"parameter-store" (parameter name to value) and "secrets-manager" `+
			"(secret id or ARN to the secret string, often JSON), both objects of strings.", err),
	}
	off := int64(-1)
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	if off >= 0 {
		pos := posAt(src, int(off))
		d.Subject = &hcl.Range{Filename: filename, Start: pos, End: pos}
	} else {
		d.Subject = &hcl.Range{Filename: filename, Start: hcl.InitialPos, End: hcl.InitialPos}
	}
	return nil, hcl.Diagnostics{d}
}

// posAt converts a byte offset of src to an hcl.Pos.
func posAt(src []byte, off int) hcl.Pos {
	if off > len(src) {
		off = len(src)
	}
	line := 1 + bytes.Count(src[:off], []byte("\n"))
	col := off - (bytes.LastIndexByte(src[:off], '\n') + 1) + 1
	return hcl.Pos{Line: line, Column: col, Byte: off}
}

// Values lists every secret value the file holds, for masking. The fields
// of a JSON secret are masked when a build retrieves them (json-key), as
// CodeBuild masks what it retrieves; masking every field of every secret
// would star out ordinary short values such as port numbers.
func (s *Secrets) Values() []string {
	if s == nil {
		return nil
	}
	var out []string
	for _, v := range s.ParameterStore {
		out = append(out, v)
	}
	for _, v := range s.SecretsManager {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// Parameter returns the value of a Parameter Store parameter.
func (s *Secrets) Parameter(name string) (string, error) {
	if s != nil {
		if v, ok := s.ParameterStore[name]; ok {
			return v, nil
		}
	}
	return "", fmt.Errorf("parameter %q is not in the secrets file; add it under \"parameter-store\"%s",
		name, s.suggest(s.parameterNames(), name))
}

// SecretRef is a parsed Secrets Manager reference
// secret-id[:json-key[:version-stage[:version-id]]].
type SecretRef struct {
	SecretID     string
	JSONKey      string
	VersionStage string
	VersionID    string
}

// ParseSecretRef splits a Secrets Manager reference. A secret id that is an
// ARN (arn:partition:secretsmanager:region:account:secret:name) has six
// colons of its own; the optional fields follow it.
func ParseSecretRef(ref string) SecretRef {
	var id string
	rest := ref
	if strings.HasPrefix(ref, "arn:") {
		parts := strings.SplitN(ref, ":", 8)
		if len(parts) < 7 {
			return SecretRef{SecretID: ref}
		}
		id = strings.Join(parts[:7], ":")
		rest = ""
		if len(parts) == 8 {
			rest = parts[7]
		}
		fields := strings.SplitN(rest, ":", 3)
		if rest == "" {
			fields = nil
		}
		return fillRef(SecretRef{SecretID: id}, fields)
	}
	fields := strings.SplitN(rest, ":", 4)
	return fillRef(SecretRef{SecretID: fields[0]}, fields[1:])
}

func fillRef(r SecretRef, fields []string) SecretRef {
	for i, f := range fields {
		switch i {
		case 0:
			r.JSONKey = f
		case 1:
			r.VersionStage = f
		case 2:
			r.VersionID = f
		}
	}
	return r
}

// Secret resolves a Secrets Manager reference. The secrets file is looked
// up by the full secret id, then, for an ARN, by the secret's name (with and
// without the six-character suffix Secrets Manager appends). Version stage
// and id are accepted but ignored: the file holds one version per secret.
func (s *Secrets) Secret(ref string) (string, error) {
	r := ParseSecretRef(ref)
	val, ok := s.lookupSecret(r.SecretID)
	if !ok {
		return "", fmt.Errorf("secret %q is not in the secrets file; add it under \"secrets-manager\"%s",
			r.SecretID, s.suggest(s.secretNames(), r.SecretID))
	}
	if r.JSONKey == "" {
		return val, nil
	}
	var obj map[string]any
	if err := json.Unmarshal([]byte(val), &obj); err != nil {
		return "", fmt.Errorf("secret %q is not a JSON object, so it has no key %q; give the secret's value as a JSON object or drop the key from the reference", r.SecretID, r.JSONKey)
	}
	f, ok := obj[r.JSONKey]
	if !ok {
		keys := sortedKeys(obj)
		return "", fmt.Errorf("secret %q has no JSON key %q; its keys are %s", r.SecretID, r.JSONKey, strings.Join(quoteAll(keys), ", "))
	}
	return jsonField(f), nil
}

func (s *Secrets) lookupSecret(id string) (string, bool) {
	if s == nil {
		return "", false
	}
	if v, ok := s.SecretsManager[id]; ok {
		return v, true
	}
	if strings.HasPrefix(id, "arn:") {
		name := id[strings.LastIndex(id, ":")+1:]
		if v, ok := s.SecretsManager[name]; ok {
			return v, true
		}
		if i := strings.LastIndexByte(name, '-'); i > 0 && len(name)-i == 7 {
			if v, ok := s.SecretsManager[name[:i]]; ok {
				return v, true
			}
		}
	}
	return "", false
}

// jsonField renders a JSON secret's field the way CodeBuild hands it to the
// build: strings as they are, anything else as compact JSON.
func jsonField(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func (s *Secrets) parameterNames() []string {
	if s == nil {
		return nil
	}
	return sortedKeys(s.ParameterStore)
}

func (s *Secrets) secretNames() []string {
	if s == nil {
		return nil
	}
	return sortedKeys(s.SecretsManager)
}

func (s *Secrets) suggest(names []string, name string) string {
	if s == nil {
		return " (no secrets file was given: pass one with --secrets-file)"
	}
	if sug := nameSuggestion(name, names); sug != "" {
		return fmt.Sprintf(". Did you mean %q?", sug)
	}
	return ""
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
