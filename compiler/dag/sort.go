package dag

import "sort"

func sortInts(s []int) { sort.Ints(s) }

func sortComps(c [][]int) { sort.Slice(c, func(i, j int) bool { return c[i][0] < c[j][0] }) }

// intHeap is a min-heap of node indexes (earliest inserted first).
type intHeap struct{ s []int }

func (h *intHeap) len() int { return len(h.s) }

func (h *intHeap) push(x int) {
	h.s = append(h.s, x)
	for i := len(h.s) - 1; i > 0; {
		p := (i - 1) / 2
		if h.s[p] <= h.s[i] {
			break
		}
		h.s[p], h.s[i] = h.s[i], h.s[p]
		i = p
	}
}

func (h *intHeap) pop() int {
	top := h.s[0]
	last := len(h.s) - 1
	h.s[0] = h.s[last]
	h.s = h.s[:last]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < last && h.s[l] < h.s[m] {
			m = l
		}
		if r < last && h.s[r] < h.s[m] {
			m = r
		}
		if m == i {
			break
		}
		h.s[i], h.s[m] = h.s[m], h.s[i]
		i = m
	}
	return top
}
