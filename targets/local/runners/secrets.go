package runners

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
// It reads the document token by token, so each problem names the key it
// concerns and points at its position, in words rather than a JSON
// library's error.
func ParseSecrets(filename string, src []byte) (*Secrets, hcl.Diagnostics) {
	p := &secretsParser{filename: filename, src: src, dec: json.NewDecoder(bytes.NewReader(src))}
	s := &Secrets{}
	if !p.delim('{', "The secrets file must be a JSON object") {
		return nil, p.diags
	}
	for p.dec.More() {
		key, off, ok := p.key()
		if !ok {
			return nil, p.diags
		}
		p.section, p.name = key, ""
		var m *map[string]string
		switch key {
		case "parameter-store":
			m = &s.ParameterStore
		case "secrets-manager":
			m = &s.SecretsManager
		default:
			detail := fmt.Sprintf("The secrets file has an unknown key %q.", key)
			if sug := nameSuggestion(key, []string{"parameter-store", "secrets-manager"}); sug != "" {
				detail += fmt.Sprintf(" Did you mean %q?", sug)
			}
			p.errorAt(off, detail)
			return nil, p.diags
		}
		if !p.values(key, m) {
			return nil, p.diags
		}
	}
	if !p.delim('}', "The secrets file must be one JSON object") {
		return nil, p.diags
	}
	if off := p.next(); off < len(p.src) {
		p.errorAt(off, "The secrets file has text after its JSON object: remove it.")
		return nil, p.diags
	}
	return s, nil
}

// secretsFormat is the end of every secrets file diagnostic's detail.
const secretsFormat = ` The secrets file is a JSON object with the keys "parameter-store" ` +
	`(parameter name to value) and "secrets-manager" (secret id or ARN to the secret string, ` +
	`often JSON), both objects of strings.`

type secretsParser struct {
	filename string
	src      []byte
	dec      *json.Decoder
	diags    hcl.Diagnostics
	// section and name are the last key read, which a syntax error names
	// (never a value: the line is not shown either).
	section, name string
}

// errorAt records an Invalid secrets file error at the byte offset off.
func (p *secretsParser) errorAt(off int, detail string) {
	pos := posAt(p.src, off)
	p.diags = append(p.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Invalid secrets file",
		Detail:   detail + secretsFormat,
		Subject:  &hcl.Range{Filename: p.filename, Start: pos, End: pos},
	})
}

// next is the offset where the next token starts.
func (p *secretsParser) next() int {
	off := int(p.dec.InputOffset())
	for off < len(p.src) && strings.IndexByte(" \t\r\n,:", p.src[off]) >= 0 {
		off++
	}
	return off
}

// token reads one token; a syntax error or the end of the file is reported.
func (p *secretsParser) token() (json.Token, int, bool) {
	off := p.next()
	tok, err := p.dec.Token()
	if err != nil {
		p.syntaxError(off, err)
		return nil, off, false
	}
	return tok, off, true
}

func (p *secretsParser) syntaxError(off int, err error) {
	var se *json.SyntaxError
	where := ""
	switch {
	case p.name != "":
		where = fmt.Sprintf(" (after the entry %q of %q)", p.name, p.section)
	case p.section != "":
		where = fmt.Sprintf(" (in %q)", p.section)
	}
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		p.errorAt(len(p.src), "The secrets file ends before its JSON is complete"+where+": a closing brace or quote is missing.")
	case errors.As(err, &se):
		p.errorAt(int(se.Offset)-1, "The secrets file is not valid JSON here"+where+": check for a missing comma, quote or brace, or a trailing comma.")
	default:
		p.errorAt(off, "The secrets file is not valid JSON here"+where+".")
	}
}

func (p *secretsParser) delim(want json.Delim, detail string) bool {
	tok, off, ok := p.token()
	if !ok {
		return false
	}
	if d, isDelim := tok.(json.Delim); !isDelim || d != want {
		p.errorAt(off, detail+".")
		return false
	}
	return true
}

func (p *secretsParser) key() (string, int, bool) {
	tok, off, ok := p.token()
	if !ok {
		return "", off, false
	}
	return tok.(string), off, true // inside an object, the decoder only returns string keys
}

// values reads the object of one section into m: every value must be a
// string.
func (p *secretsParser) values(section string, m *map[string]string) bool {
	if !p.delim('{', fmt.Sprintf("%q must be a JSON object of names to string values", section)) {
		return false
	}
	*m = map[string]string{}
	for p.dec.More() {
		name, _, ok := p.key()
		if !ok {
			return false
		}
		p.name = name
		off := p.next()
		var raw json.RawMessage
		if err := p.dec.Decode(&raw); err != nil {
			p.syntaxError(off, err)
			return false
		}
		var v string
		if err := json.Unmarshal(raw, &v); err != nil {
			detail := fmt.Sprintf("The value of %q in %q is %s, but values must be strings.", name, section, jsonKind(raw))
			if section == "secrets-manager" {
				detail += ` A JSON secret is given as a string holding JSON, such as "{\"password\": \"pw\"}".`
			} else if k := jsonKind(raw); k == "a number" || k == "a boolean" {
				// The value itself is never shown: it may be the secret.
				detail += " Write it in double quotes, as a JSON string."
			} else {
				detail += " Give the parameter's value as a string."
			}
			p.errorAt(off, detail)
			return false
		}
		(*m)[name] = v
	}
	return p.delim('}', fmt.Sprintf("%q must be a JSON object of names to string values", section))
}

// jsonKind names the kind of a JSON value, for messages.
func jsonKind(raw json.RawMessage) string {
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
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

// Values lists every secret value the file holds, for masking: each
// parameter, each secret, and every string member of a JSON secret (at any
// depth), since a build may extract a field with jq as easily as with a
// json-key reference. Numbers, booleans and null members are not masked:
// they would star out ordinary values such as port numbers wherever they
// appear.
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
		var doc any
		if json.Unmarshal([]byte(v), &doc) == nil {
			out = appendStrings(out, doc)
		}
	}
	sort.Strings(out)
	return out
}

// appendStrings appends the strings inside a decoded JSON value.
func appendStrings(out []string, v any) []string {
	switch v := v.(type) {
	case string:
		out = append(out, v)
	case map[string]any:
		for _, m := range v {
			out = appendStrings(out, m)
		}
	case []any:
		for _, m := range v {
			out = appendStrings(out, m)
		}
	}
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
