package importer

import (
	"bytes"

	"golang.org/x/text/encoding/unicode"
)

// Text returns the text of a file to import as UTF-8 without a byte order
// mark. Windows tools write one: Notepad and PowerShell's Out-File put a
// UTF-8 mark before JSON, and Windows PowerShell's > redirection writes
// UTF-16 (aws codepipeline get-pipeline > pipeline.json). Other files are
// returned as they are.
func Text(src []byte) []byte {
	switch {
	case bytes.HasPrefix(src, []byte{0xEF, 0xBB, 0xBF}):
		return src[3:]
	case bytes.HasPrefix(src, []byte{0xFF, 0xFE}), bytes.HasPrefix(src, []byte{0xFE, 0xFF}):
		if out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(src); err == nil {
			return out
		}
	}
	return src
}
