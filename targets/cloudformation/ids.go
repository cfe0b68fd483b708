package cloudformation

import (
	"strconv"
	"strings"
	"unicode"
)

// Logical IDs are readable and derived from names: the fixed resources are
// Pipeline, PipelineRole, ArtifactBucket, ArtifactBucketPolicy and
// EventsRole; per name, Project<Camel>, Project<Camel>Role,
// Project<Camel>LogGroup, Notification<Camel>, <Stage><Action>ChangeRule,
// CodeDeployApplication<Camel>, CodeDeployGroup<Camel> and
// Variable<Camel> (parameters). CamelCase keeps letters and digits and
// upper-cases the first letter of each word; when two names of one kind give
// the same CamelCase the later one (in name order) gets a number.

// camel turns "web-build_2" into "WebBuild2".
func camel(name string) string {
	var b strings.Builder
	up := true
	for _, r := range name {
		if r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			up = true
			continue
		}
		if up {
			r = unicode.ToUpper(r)
			up = false
		}
		b.WriteRune(r)
	}
	if b.Len() == 0 {
		return "X"
	}
	return b.String()
}

// idSet hands out logical IDs, unique within one template.
type idSet struct {
	used  map[string]string // id -> the key it was given for
	byKey map[string]string // key -> id
}

func newIDSet() *idSet {
	s := &idSet{used: map[string]string{}, byKey: map[string]string{}}
	for _, fixed := range []string{"Pipeline", "PipelineRole", "ArtifactBucket", "ArtifactBucketPolicy", "EventsRole", "CodeDeployRole"} {
		s.used[fixed] = fixed
		s.byKey[fixed] = fixed
	}
	return s
}

// id returns the logical ID for prefix+camel(name)+suffix, the same one each
// time it is asked for the same prefix, name and suffix.
func (s *idSet) id(prefix, name, suffix string) string {
	key := prefix + "\x00" + name + "\x00" + suffix
	if id, ok := s.byKey[key]; ok {
		return id
	}
	base := prefix + camel(name)
	id := base + suffix
	for n := 2; s.used[id] != ""; n++ {
		id = base + strconv.Itoa(n) + suffix
	}
	s.used[id] = key
	s.byKey[key] = id
	return id
}
