package lsp

import "github.com/pipeform/pipeform/lang/constraints"

// enumValues returns the values an attribute accepts, by block path (the
// block types from the top joined with dots, as lang.BlockSchema takes)
// and attribute name; nil when any value goes. It is the constraint table
// the compiler checks values against (generated from AWS's models, plus
// the provider catalog and the buildspec's own values), so completion
// offers exactly the values validate accepts.
var enumValues = constraints.Enum

// partValues returns the values a field of the objects of an attribute's
// value accepts (source_revisions' revisionType), by block path, attribute
// and field; nil when any value goes. The same table as enumValues.
var partValues = constraints.PartEnum
