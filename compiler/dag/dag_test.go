package dag

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func build(edges ...[2]string) *Graph[string] {
	g := New[string]()
	for _, e := range edges {
		g.Connect(e[0], e[1])
	}
	return g
}

func TestTopoOrderStable(t *testing.T) {
	g := New[string]()
	for _, n := range []string{"src", "lint", "test", "ship", "docs"} {
		g.Add(n)
	}
	g.Connect("src", "lint")
	g.Connect("src", "test")
	g.Connect("test", "ship")
	g.Connect("lint", "ship")
	got, err := g.TopoOrder()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"src", "lint", "test", "ship", "docs"}, got); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}

func TestCyclesDeterministic(t *testing.T) {
	// Two cycles plus a self-loop; inserted so that the cycle's earliest
	// node is not where the edges start.
	g := New[string]()
	for _, n := range []string{"a", "b", "c", "d", "e", "f"} {
		g.Add(n)
	}
	g.Connect("c", "a")
	g.Connect("a", "b")
	g.Connect("b", "c")
	g.Connect("e", "d")
	g.Connect("d", "e")
	g.Connect("f", "f")
	g.Connect("a", "f")
	want := [][]string{{"a", "b", "c"}, {"d", "e"}, {"f"}}
	for i := 0; i < 20; i++ {
		c := g.Cycles()
		if c == nil {
			t.Fatal("no cycles found")
		}
		if diff := cmp.Diff(want, c.Cycles); diff != "" {
			t.Fatalf("cycles (-want +got):\n%s", diff)
		}
	}
	if _, err := g.TopoOrder(); err == nil || err.Error() != "dependency cycle: a -> b -> c -> a; d -> e -> d; f -> f" {
		t.Errorf("TopoOrder error = %v", err)
	}
	if build([2]string{"x", "y"}).Cycles() != nil {
		t.Error("acyclic graph reported a cycle")
	}
}

func TestWalkOrderAndSkip(t *testing.T) {
	g := build([2]string{"src", "build"}, [2]string{"src", "lint"}, [2]string{"build", "deploy"}, [2]string{"lint", "deploy"}, [2]string{"deploy", "notify"})
	g.Add("other")
	var mu sync.Mutex
	var ran []string
	boom := errors.New("boom")
	errs := g.Walk(context.Background(), 4, func(_ context.Context, k string) error {
		mu.Lock()
		ran = append(ran, k)
		mu.Unlock()
		if k == "lint" {
			return boom
		}
		return nil
	})
	want := map[string]error{"lint": boom, "deploy": ErrSkipped, "notify": ErrSkipped}
	if diff := cmp.Diff(want, errs, cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	got := map[string]bool{}
	for _, k := range ran {
		got[k] = true
	}
	if diff := cmp.Diff(map[string]bool{"src": true, "build": true, "lint": true, "other": true}, got); diff != "" {
		t.Errorf("ran (-want +got):\n%s", diff)
	}
}

func TestWalkBoundedParallelism(t *testing.T) {
	g := New[int]()
	for i := 0; i < 50; i++ {
		g.Add(i)
	}
	var cur, peak int32
	release := make(chan struct{})
	done := make(chan map[int]error)
	go func() {
		done <- g.Walk(context.Background(), 3, func(_ context.Context, _ int) error {
			n := atomic.AddInt32(&cur, 1)
			for {
				p := atomic.LoadInt32(&peak)
				if n <= p || atomic.CompareAndSwapInt32(&peak, p, n) {
					break
				}
			}
			<-release
			atomic.AddInt32(&cur, -1)
			return nil
		})
	}()
	for i := 0; i < 50; i++ {
		release <- struct{}{}
	}
	if errs := <-done; errs != nil {
		t.Fatalf("errors: %v", errs)
	}
	if peak > 3 || peak < 1 {
		t.Errorf("peak parallelism %d, want 1..3", peak)
	}
}

func TestWalkCancel(t *testing.T) {
	g := build([2]string{"a", "b"}, [2]string{"b", "c"})
	ctx, cancel := context.WithCancel(context.Background())
	errs := g.Walk(ctx, 2, func(_ context.Context, k string) error {
		if k == "a" {
			cancel()
		}
		return nil
	})
	if errs["a"] != nil || !errors.Is(errs["b"], context.Canceled) || errs["c"] != ErrSkipped {
		t.Errorf("errors after cancel = %v", errs)
	}
}

func TestWalkCycle(t *testing.T) {
	g := build([2]string{"a", "b"}, [2]string{"b", "a"})
	called := false
	errs := g.Walk(context.Background(), 1, func(context.Context, string) error { called = true; return nil })
	var ce *CycleError[string]
	if called || len(errs) != 2 || !errors.As(errs["a"], &ce) {
		t.Errorf("cyclic walk: called=%v errs=%v", called, errs)
	}
}
