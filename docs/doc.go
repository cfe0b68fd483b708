// Package docs holds pipeform's documentation. Language is
// docs/language.md itself, embedded, so the language server's hover shows
// the text people read on the page, not a copy that could drift from it.
//
// docs imports only the standard library.
package docs

import _ "embed"

// Language is docs/language.md.
//
//go:embed language.md
var Language string
