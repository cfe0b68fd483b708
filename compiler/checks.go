package compiler

// check is one named rule; its name is the code of every diagnostic it
// reports.
type check struct {
	code Code
	run  func(*state, Code)
}

// checks run in order over the lowered, linked graph.
var checks = []check{}

func runChecks(s *state) {
	for _, c := range checks {
		c.run(s, c.code)
	}
}
