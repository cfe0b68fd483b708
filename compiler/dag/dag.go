// Package dag is a small generic directed acyclic graph: nodes added in
// source order, edges meaning "must finish before", a deterministic cycle
// report, a stable topological order and a parallel walk with bounded
// parallelism and cancellation.
//
// Determinism comes from insertion order: callers add nodes in source order
// (file, then position), so cycles are reported starting at the earliest
// node and ties in the topological order go to the earlier node.
//
// The package imports only the standard library.
package dag

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// Graph is a directed graph over comparable keys. The zero value is not
// usable; call New.
type Graph[K comparable] struct {
	nodes []K
	index map[K]int
	out   [][]int // out[i]: nodes that wait for i, in insertion order
	in    [][]int // in[i]: nodes i waits for
}

// New returns an empty graph.
func New[K comparable]() *Graph[K] {
	return &Graph[K]{index: map[K]int{}}
}

// Add adds a node; adding it again does nothing.
func (g *Graph[K]) Add(k K) {
	if _, ok := g.index[k]; ok {
		return
	}
	g.index[k] = len(g.nodes)
	g.nodes = append(g.nodes, k)
	g.out = append(g.out, nil)
	g.in = append(g.in, nil)
}

// Connect records that from must finish before to starts, adding either
// node if needed. A repeated edge is recorded once.
func (g *Graph[K]) Connect(from, to K) {
	g.Add(from)
	g.Add(to)
	f, t := g.index[from], g.index[to]
	for _, x := range g.out[f] {
		if x == t {
			return
		}
	}
	g.out[f] = append(g.out[f], t)
	g.in[t] = append(g.in[t], f)
}

// Nodes returns the nodes in insertion order.
func (g *Graph[K]) Nodes() []K { return append([]K{}, g.nodes...) }

// Len is the number of nodes.
func (g *Graph[K]) Len() int { return len(g.nodes) }

// DependsOn returns the nodes k waits for, in insertion order of the edges.
func (g *Graph[K]) DependsOn(k K) []K {
	i, ok := g.index[k]
	if !ok {
		return nil
	}
	out := make([]K, len(g.in[i]))
	for j, x := range g.in[i] {
		out[j] = g.nodes[x]
	}
	return out
}

// CycleError lists every cycle of a graph. Each cycle starts at its
// earliest node and ends where it closes (the first node is not repeated);
// cycles are ordered by their first node.
type CycleError[K comparable] struct {
	Cycles [][]K
}

func (e *CycleError[K]) Error() string {
	var parts []string
	for _, c := range e.Cycles {
		var names []string
		for _, k := range c {
			names = append(names, fmt.Sprint(k))
		}
		names = append(names, fmt.Sprint(c[0]))
		parts = append(parts, strings.Join(names, " -> "))
	}
	return "dependency cycle: " + strings.Join(parts, "; ")
}

// Cycles reports every cycle (one per strongly connected component), or
// nil if the graph is acyclic.
func (g *Graph[K]) Cycles() *CycleError[K] {
	var cycles [][]K
	for _, comp := range g.components() {
		start := comp[0]
		if len(comp) == 1 && !g.hasEdge(start, start) {
			continue
		}
		cycles = append(cycles, g.chain(start, comp))
	}
	if cycles == nil {
		return nil
	}
	return &CycleError[K]{Cycles: cycles}
}

func (g *Graph[K]) hasEdge(a, b int) bool {
	for _, x := range g.out[a] {
		if x == b {
			return true
		}
	}
	return false
}

// chain finds the shortest path from start back to start inside comp
// (breadth first, edges in insertion order), so the report is stable.
func (g *Graph[K]) chain(start int, comp []int) []K {
	in := map[int]bool{}
	for _, x := range comp {
		in[x] = true
	}
	prev := map[int]int{}
	queue := []int{start}
	seen := map[int]bool{start: true}
	end := -1
	for len(queue) > 0 && end < 0 {
		n := queue[0]
		queue = queue[1:]
		for _, x := range g.out[n] {
			if x == start {
				end = n
				break
			}
			if in[x] && !seen[x] {
				seen[x] = true
				prev[x] = n
				queue = append(queue, x)
			}
		}
	}
	var path []int
	for n := end; n != start; n = prev[n] {
		path = append(path, n)
	}
	path = append(path, start)
	out := make([]K, len(path))
	for i := range path {
		out[i] = g.nodes[path[len(path)-1-i]]
	}
	return out
}

// components returns the strongly connected components (Tarjan), each
// sorted by insertion order, ordered by their earliest node.
func (g *Graph[K]) components() [][]int {
	n := len(g.nodes)
	index, low := make([]int, n), make([]int, n)
	onStack := make([]bool, n)
	for i := range index {
		index[i] = -1
	}
	var stack []int
	var comps [][]int
	counter := 0
	var visit func(v int)
	visit = func(v int) {
		index[v], low[v] = counter, counter
		counter++
		stack = append(stack, v)
		onStack[v] = true
		for _, w := range g.out[v] {
			if index[w] < 0 {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] == index[v] {
			var comp []int
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				comp = append(comp, w)
				if w == v {
					break
				}
			}
			sortInts(comp)
			comps = append(comps, comp)
		}
	}
	for v := 0; v < n; v++ {
		if index[v] < 0 {
			visit(v)
		}
	}
	sortComps(comps)
	return comps
}

// TopoOrder returns the nodes so that every node comes after the nodes it
// waits for; among ready nodes the earliest inserted goes first. It returns
// a *CycleError if the graph has a cycle.
func (g *Graph[K]) TopoOrder() ([]K, error) {
	if c := g.Cycles(); c != nil {
		return nil, c
	}
	n := len(g.nodes)
	waiting := make([]int, n)
	ready := &intHeap{}
	for i := 0; i < n; i++ {
		waiting[i] = len(g.in[i])
		if waiting[i] == 0 {
			ready.push(i)
		}
	}
	out := make([]K, 0, n)
	for ready.len() > 0 {
		i := ready.pop()
		out = append(out, g.nodes[i])
		for _, x := range g.out[i] {
			if waiting[x]--; waiting[x] == 0 {
				ready.push(x)
			}
		}
	}
	return out, nil
}

// ErrSkipped is recorded for nodes that did not run because something they
// wait for failed or was skipped.
var ErrSkipped = errors.New("skipped: an upstream node did not succeed")

// Walk calls fn for every node once all the nodes it waits for have
// succeeded, running at most parallelism calls at once (at least 1). A node
// whose upstream failed is not called and gets ErrSkipped; once ctx is done,
// nodes not yet started get ctx.Err(). Walk returns when every node is
// decided, with the error of each node that did not succeed (nil map when
// all did). A cyclic graph runs nothing: every node gets the *CycleError.
func (g *Graph[K]) Walk(ctx context.Context, parallelism int, fn func(context.Context, K) error) map[K]error {
	if c := g.Cycles(); c != nil {
		errs := map[K]error{}
		for _, k := range g.nodes {
			errs[k] = c
		}
		return errs
	}
	if parallelism < 1 {
		parallelism = 1
	}
	w := &walk[K]{g: g, ctx: ctx, fn: fn, sem: make(chan struct{}, parallelism),
		waiting: make([]int, len(g.nodes)), failed: make([]bool, len(g.nodes)), errs: map[K]error{}}
	var roots []int
	for i := range g.nodes {
		w.waiting[i] = len(g.in[i])
		if w.waiting[i] == 0 {
			roots = append(roots, i)
		}
	}
	for _, i := range roots {
		w.start(i)
	}
	w.wg.Wait()
	if len(w.errs) == 0 {
		return nil
	}
	return w.errs
}

type walk[K comparable] struct {
	g       *Graph[K]
	ctx     context.Context
	fn      func(context.Context, K) error
	sem     chan struct{}
	wg      sync.WaitGroup
	mu      sync.Mutex
	waiting []int
	failed  []bool // failed or skipped
	errs    map[K]error
}

// start launches node i; its dependencies are all decided.
func (w *walk[K]) start(i int) {
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		w.mu.Lock()
		var err error
		for _, d := range w.g.in[i] {
			if w.failed[d] {
				err = ErrSkipped
			}
		}
		w.mu.Unlock()
		if err == nil {
			select {
			case w.sem <- struct{}{}:
				if err = w.ctx.Err(); err == nil {
					err = w.fn(w.ctx, w.g.nodes[i])
				}
				<-w.sem
			case <-w.ctx.Done():
				err = w.ctx.Err()
			}
		}
		w.finish(i, err)
	}()
}

func (w *walk[K]) finish(i int, err error) {
	w.mu.Lock()
	var next []int
	if err != nil {
		w.failed[i] = true
		w.errs[w.g.nodes[i]] = err
	}
	for _, x := range w.g.out[i] {
		if w.waiting[x]--; w.waiting[x] == 0 {
			next = append(next, x)
		}
	}
	w.mu.Unlock()
	for _, x := range next {
		w.start(x)
	}
}
