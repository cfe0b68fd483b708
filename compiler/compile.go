package compiler

import (
	"sync"

	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/lang/config"
)

// state is what the passes share: the input, the graph being built, the way
// back from each node to its configuration block (for source ranges), and
// the diagnostics.
type state struct {
	opts      Options
	cfg       *config.Config
	g         *graph.Graph
	projects  map[*config.Project]*graph.Project
	pipelines map[*graph.Pipeline]*config.Pipeline
	stages    map[*graph.Stage]*config.Stage
	actions   map[*graph.Action]*config.Action
	// ruleRanges are the attribute ranges of condition rules by header
	// (built by the first ruleRange call).
	ruleRanges map[hcl.Range]config.Ranges
	d          diags
}

func newState(cfg *config.Config) *state {
	return &state{
		cfg:       cfg,
		g:         &graph.Graph{},
		projects:  map[*config.Project]*graph.Project{},
		pipelines: map[*graph.Pipeline]*config.Pipeline{},
		stages:    map[*graph.Stage]*config.Stage{},
		actions:   map[*graph.Action]*config.Action{},
	}
}

// pass is one named step of Compile. A pass that only reads the graph
// (readOnly) runs side by side with the other such passes next to it.
type pass struct {
	name     string
	run      func(*state)
	readOnly bool
}

// passes run in order. Evaluation and for_each expansion already happened in
// lang.Load, so the compiler starts from evaluated values.
var passes = []pass{
	{"lower-projects", func(s *state) { s.g.Projects = lowerProjects(s) }, false},
	{"lower-pipelines", func(s *state) { s.g.Pipelines = lowerPipelines(s) }, false},
	{"link", link, false},
	{"check", runChecks, true},
	{"lint", runLint, true}, // lint.go: warnings about unsafe commands
}

// runReadOnly runs passes that only read the graph at the same time, each
// on its own copy of the state with its own diagnostics, and adds what
// they report in pass order, as running them one after another would.
func runReadOnly(s *state, ps []pass) {
	subs := make([]state, len(ps))
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		crashed any
	)
	for k, p := range ps {
		subs[k] = *s
		subs[k].d = diags{}
		subs[k].ruleRanges = nil // a cache each copy builds for itself
		wg.Go(func() {
			defer func() {
				if r := recover(); r != nil {
					mu.Lock()
					crashed = r
					mu.Unlock()
				}
			}()
			p.run(&subs[k])
		})
	}
	wg.Wait()
	if crashed != nil {
		panic(crashed) // in the caller's goroutine, whose recovery reports it
	}
	for k := range subs {
		s.d.list = append(s.d.list, subs[k].d.list...)
	}
}

// Passes lists the names of the compiler's passes in the order they run.
func Passes() []string {
	out := make([]string, len(passes))
	for i, p := range passes {
		out[i] = p.name
	}
	return out
}

// Options adjust Compile.
type Options struct {
	// BuildspecSize is the size in characters of a buildspec as it is
	// written out (the buildspec target's InlineSize), which the compiler
	// cannot know without importing a target: with it the buildspec-size
	// check compares the exact size with CodeBuild's limit; without it, a
	// lower bound (so only a buildspec long for certain is reported).
	BuildspecSize func(*graph.Buildspec) int
	// ParseBuildspec parses buildspec YAML (the buildspec target's Parse,
	// which the compiler cannot import): with it the buildspec-override
	// check reports an inline buildspec_override that CodeBuild would
	// reject; without it, inline overrides are not checked.
	ParseBuildspec func(filename string, src []byte) (*graph.Buildspec, hcl.Diagnostics)
	// Files are the parsed source files by name (lang.Load's Files): the
	// lint pass places its warnings on the exact list element and reads
	// the `# pipeform:ignore CODE` comments from them. Without them, lint
	// warnings point at the whole attribute and none is silenced.
	Files map[string]*hcl.File
}

// Compile turns an evaluated configuration into the execution graph and
// checks every CodePipeline and CodeBuild rule. The graph is returned even
// when there are errors, as far as it could be built, so editors can still
// show it; callers must not run or emit a graph whose diagnostics have errors.
func Compile(cfg *config.Config) (*graph.Graph, hcl.Diagnostics) {
	return CompileWith(cfg, Options{})
}

// CompileWith is Compile with options.
func CompileWith(cfg *config.Config, opts Options) (*graph.Graph, hcl.Diagnostics) {
	if cfg == nil {
		return &graph.Graph{}, nil
	}
	s := newState(cfg)
	s.opts = opts
	for i := 0; i < len(passes); {
		if !passes[i].readOnly {
			passes[i].run(s)
			i++
			continue
		}
		j := i
		for j < len(passes) && passes[j].readOnly {
			j++
		}
		runReadOnly(s, passes[i:j])
		i = j
	}
	return s.g, collapseInstances(s.d.list, repeatedBlocks(cfg))
}
