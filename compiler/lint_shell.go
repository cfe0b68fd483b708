package compiler

import (
	"path"
	"regexp"
	"strings"
)

// The shell reading the pipe-to-shell and chmod-777 rules do: a command
// line is cut into pipelines and stages the way sh would (outside quotes),
// and each stage is named by the program it runs, seen through the
// wrappers that only pass it on (sudo, env, command, exec, time, nohup).

// pipelines cuts a command line into pipelines (at ;, &, &&, || and new
// lines) of stages (at |), ignoring separators inside quotes, $( ) and <( ).
func pipelines(cmd string) [][]string {
	var out [][]string
	var stages []string
	var cur strings.Builder
	var quote rune
	depth := 0
	endStage := func() {
		stages = append(stages, strings.TrimSpace(cur.String()))
		cur.Reset()
	}
	endPipeline := func() {
		endStage()
		out = append(out, stages)
		stages = nil
	}
	rs := []rune(cmd)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		next := rune(0)
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' && next != 0 {
				cur.WriteRune(c)
				i++
				c = rs[i]
			} else if c == quote {
				quote = 0
			}
		case c == '\\' && next != 0:
			cur.WriteRune(c)
			i++
			c = rs[i]
		case c == '\'' || c == '"':
			quote = c
		case (c == '$' || c == '<') && next == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case depth > 0:
		case c == '|' && next == '|', c == '&' && next == '&':
			endPipeline()
			i++
			continue
		case c == '|':
			endStage()
			continue
		case c == ';' || c == '&' || c == '\n':
			endPipeline()
			continue
		}
		cur.WriteRune(c)
	}
	endPipeline()
	return out
}

// sudoValueFlags are sudo's short options that take a value.
const sudoValueFlags = "CDghprtUu"

// program is the program a pipeline stage runs, by its base name, and its
// arguments: leading VAR=value words and the wrappers sudo, env, command,
// exec, time and nohup (with their options) are skipped.
func program(stage string) (string, []string) {
	words := strings.Fields(stage)
	for len(words) > 0 {
		w := path.Base(words[0])
		switch {
		case assignment.MatchString(words[0]):
			words = words[1:]
		case w == "sudo" || w == "env" || w == "command" || w == "exec" || w == "time" || w == "nohup":
			words = words[1:]
			for len(words) > 0 && strings.HasPrefix(words[0], "-") {
				opt := words[0]
				words = words[1:]
				if w == "sudo" && len(opt) == 2 && strings.ContainsRune(sudoValueFlags, rune(opt[1])) && len(words) > 0 {
					words = words[1:]
				}
			}
		default:
			return w, words[1:]
		}
	}
	return "", nil
}

var (
	assignment   = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)
	shellProgram = regexp.MustCompile(`^((ba|z|da|k|fi)?sh|python[0-9.]*|perl|ruby|node)$`)
	// fetchSubst is a shell, source or eval running what a process or
	// command substitution downloads: bash <(curl ...), sh -c "$(wget ...)".
	fetchSubst = regexp.MustCompile(`(?:^|[\s;&|(])((?:ba|z|da|k|fi)?sh|source|\.|eval|python[0-9.]*|perl|ruby|node)\s+(?:-\S+\s+)*["']?(?:<|\$)\(\s*(curl|wget)\b`)
)

// downloadRun finds a command that runs a downloaded script: the
// downloader (curl or wget) and the program that runs it.
func downloadRun(cmd string) (fetch, shell string, ok bool) {
	if m := fetchSubst.FindStringSubmatch(cmd); m != nil {
		return m[2], m[1], true
	}
	for _, stages := range pipelines(cmd) {
		fetched := ""
		for _, st := range stages {
			p, _ := program(st)
			switch {
			case p == "curl" || p == "wget":
				fetched = p
			case fetched != "" && shellProgram.MatchString(p):
				return fetched, p, true
			}
		}
	}
	return "", "", false
}

var (
	octalMode    = regexp.MustCompile(`^[0-7]{3,4}$`)
	symbolicMode = regexp.MustCompile(`^([ugoa]*)([-+=][rwxXst]*)+$`)
	symbolicOp   = regexp.MustCompile(`[-+=][rwxXst]*`)
)

// worldWritable finds a chmod that lets others write: an octal mode whose
// last digit has the write bit (777, 0666, 1777), or a symbolic clause
// that adds or sets w for o or a (o+w, a=rwx, go+w). It returns the mode.
func worldWritable(cmd string) (string, bool) {
	for _, stages := range pipelines(cmd) {
		for _, st := range stages {
			p, args := program(st)
			if p != "chmod" {
				continue
			}
			for _, a := range args {
				if strings.HasPrefix(a, "-") && !symbolicMode.MatchString(a) {
					continue
				}
				if modeLetsOthersWrite(a) {
					return a, true
				}
				break
			}
		}
	}
	return "", false
}

func modeLetsOthersWrite(mode string) bool {
	if octalMode.MatchString(mode) {
		return (mode[len(mode)-1]-'0')&2 != 0
	}
	for _, clause := range strings.Split(mode, ",") {
		m := symbolicMode.FindStringSubmatch(clause)
		if m == nil || !strings.ContainsAny(m[1], "oa") {
			continue
		}
		for _, op := range symbolicOp.FindAllString(clause[len(m[1]):], -1) {
			if op[0] != '-' && strings.Contains(op, "w") {
				return true
			}
		}
	}
	return false
}

// tracing reports whether a command turns on shell tracing: set with an
// option holding x (set -ex, set -e -x) or -o xtrace, or a shell started
// with such an option (bash -x script, sh -xc '...').
func tracing(cmd string) bool {
	for _, stages := range pipelines(cmd) {
		for _, st := range stages {
			p, args := program(st)
			if p == "set" || shellProgram.MatchString(p) && !strings.HasPrefix(p, "python") {
				if tracingOptions(args) {
					return true
				}
			}
		}
	}
	return false
}

// tracingOptions reads the leading options of set or a shell: a letter
// option group holding x, or -o xtrace (o takes the next word).
func tracingOptions(args []string) bool {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || a == "-" || !strings.HasPrefix(a, "-") || strings.HasPrefix(a, "--") {
			return false
		}
		if strings.ContainsRune(a[1:], 'x') {
			return true
		}
		if strings.ContainsRune(a[1:], 'o') && i+1 < len(args) {
			i++
			if args[i] == "xtrace" {
				return true
			}
		}
	}
	return false
}
