package views

import (
	"bytes"
	"encoding/json"
	"io"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcled"
)

// SortDiagnostics orders diagnostics by file, line, column, then summary, so
// output is stable whatever order the passes found them in.
func SortDiagnostics(diags hcl.Diagnostics) {
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i], diags[j]
		ar, br := subjectOrZero(a), subjectOrZero(b)
		if ar.Filename != br.Filename {
			return ar.Filename < br.Filename
		}
		if ar.Start.Byte != br.Start.Byte {
			return ar.Start.Byte < br.Start.Byte
		}
		return a.Summary < b.Summary
	})
}

func subjectOrZero(d *hcl.Diagnostic) hcl.Range {
	if d.Subject != nil {
		return *d.Subject
	}
	return hcl.Range{}
}

// WriteDiagnostics renders diagnostics for people in the format of hcl's
// text writer (source snippets, highlights, colour only when color is
// true), at most MaxPerFile of each file. files maps each filename (as it
// appears in the diagnostics' ranges) to its file, for the snippets.
func WriteDiagnostics(w io.Writer, files map[string]*hcl.File, diags hcl.Diagnostics, width uint, color bool) error {
	if width == 0 {
		width = 100
	}
	return writeText(w, files, diags, width, color, MaxPerFile)
}

// Validation is the `validate --json` document, field-compatible with
// `terraform validate -json` (format_version 1.0) [contract].
type Validation struct {
	FormatVersion string           `json:"format_version"`
	Valid         bool             `json:"valid"`
	ErrorCount    int              `json:"error_count"`
	WarningCount  int              `json:"warning_count"`
	Diagnostics   []JSONDiagnostic `json:"diagnostics"`
}

// JSONDiagnostic mirrors Terraform's viewsjson.Diagnostic.
type JSONDiagnostic struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
	// Code is the stable name of the check that reported the diagnostic,
	// when it has one (a pipeform addition to Terraform's shape).
	Code    string       `json:"code,omitempty"`
	Range   *JSONRange   `json:"range,omitempty"`
	Snippet *JSONSnippet `json:"snippet,omitempty"`
}

type JSONRange struct {
	Filename string  `json:"filename"`
	Start    JSONPos `json:"start"`
	End      JSONPos `json:"end"`
}

type JSONPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

// JSONSnippet mirrors Terraform's diagnostic snippet.
type JSONSnippet struct {
	Context              *string `json:"context"`
	Code                 string  `json:"code"`
	StartLine            int     `json:"start_line"`
	HighlightStartOffset int     `json:"highlight_start_offset"`
	HighlightEndOffset   int     `json:"highlight_end_offset"`
	Values               []any   `json:"values"`
}

// NewValidation builds the JSON document for diags.
func NewValidation(files map[string]*hcl.File, diags hcl.Diagnostics) *Validation {
	v := &Validation{FormatVersion: "1.0", Diagnostics: []JSONDiagnostic{}}
	for _, d := range diags {
		jd := JSONDiagnostic{Summary: d.Summary, Detail: d.Detail, Severity: "error"}
		if c, ok := d.Extra.(interface{ DiagnosticCode() string }); ok {
			jd.Code = c.DiagnosticCode()
		}
		if d.Severity == hcl.DiagWarning {
			jd.Severity = "warning"
			v.WarningCount++
		} else {
			v.ErrorCount++
		}
		if d.Subject != nil {
			r := *d.Subject
			jd.Range = &JSONRange{
				Filename: r.Filename,
				Start:    JSONPos{r.Start.Line, r.Start.Column, r.Start.Byte},
				End:      JSONPos{r.End.Line, r.End.Column, r.End.Byte},
			}
			jd.Snippet = snippet(files[r.Filename], d)
		}
		v.Diagnostics = append(v.Diagnostics, jd)
	}
	v.Valid = v.ErrorCount == 0
	return v
}

// WriteJSON writes v as indented JSON followed by a newline.
func WriteJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// snippet extracts the source lines of the diagnostic's subject the way
// Terraform does: the whole lines covering the range, the highlight as byte
// offsets into that code, and the enclosing block's header as context.
func snippet(f *hcl.File, d *hcl.Diagnostic) *JSONSnippet {
	if f == nil || d.Subject == nil {
		return nil
	}
	src := f.Bytes
	r := *d.Subject
	if r.Start.Byte > len(src) || r.End.Byte > len(src) {
		return nil
	}
	s := &JSONSnippet{StartLine: r.Start.Line, Values: []any{}}
	// Like Terraform, the context is the header of the enclosing blocks
	// (`pipeline "web" stage "Test"`), found by navigating the file.
	if ctx := hcled.ContextString(f, r.Start.Byte-1); ctx != "" {
		s.Context = &ctx
	}
	// Expand to whole lines.
	start := bytes.LastIndexByte(src[:r.Start.Byte], '\n') + 1
	end := r.End.Byte
	if i := bytes.IndexByte(src[end:], '\n'); i >= 0 {
		end += i
	} else {
		end = len(src)
	}
	if end < start {
		end = start
	}
	s.Code = string(src[start:end])
	s.HighlightStartOffset = r.Start.Byte - start
	s.HighlightEndOffset = r.End.Byte - start
	if s.HighlightEndOffset > len(s.Code) {
		s.HighlightEndOffset = len(s.Code)
	}
	return s
}
