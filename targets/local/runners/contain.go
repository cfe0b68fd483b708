package runners

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Containment: nothing an action starts outlives it.
//
// Every process of an action carries a tag in its environment (TagVar), the
// record of what the action started: the kernel keeps it with the process,
// and every child inherits it, across setsid, a double fork or a kill -9 of
// pipeform itself. When the action ends, StopTagged stops every process
// still carrying the action's tag; the next run of the pipeline stops those
// a killed run left behind (the tags name the pipeline and the run). While
// pipeform runs, it is also the subreaper of its descendants (Contain), so
// an orphan stays in its tree rather than moving to init, and
// StopDescendants stops whatever is left when the run ends, even a process
// that cleared its environment. What neither reaches is a process that
// cleared or overwrote its environment and outlived a pipeform killed with
// kill -9: a cgroup would be the only record left for it.
//
// Only /proc is read: Linux. Elsewhere the functions find nothing and
// process groups remain the only containment.

// TagVar is the environment variable that carries the tags, separated by
// spaces: a pipeform run inside a build adds its own tag to the outer one,
// so both runs find the processes.
const TagVar = "PIPEFORM_PROCESS_TAGS"

// Tagged returns env with tag added to TagVar.
func Tagged(env []string, tag string) []string {
	out := make([]string, 0, len(env)+1)
	prev := ""
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, TagVar+"="); ok {
			prev = v
			continue
		}
		out = append(out, kv)
	}
	tags.Store(tag, &tagState{since: selfStart()})
	if prev != "" {
		tag = prev + " " + tag
	}
	return append(out, TagVar+"="+tag)
}

// tags maps each tag this process gave out to its tagState.
var tags sync.Map

// tagState is what a sweep knows of a tag this process gave out: since, a
// time no process carrying it started before (this process's own start),
// so a sweep reads the environment of newer processes only;
// and whether a sweep already stopped every process carrying it, after
// which none can appear (only a process carrying it could start one), so
// a second sweep (the scheduler's, after a runner's) costs nothing.
type tagState struct {
	since uint64
	swept atomic.Bool
}

// selfStart is when this process started, in /proc's clock ticks after
// boot: every process it tags starts later. It is read from /proc/self,
// the same clock as the processes' start times (a time namespace shifts
// both alike).
var selfStart = sync.OnceValue(func() uint64 {
	if p, ok := readProc(os.Getpid()); ok {
		return p.start
	}
	return 0
})

// OwnTag is the last tag env gives its processes (the innermost run's).
func OwnTag(env []string) string {
	for i := len(env) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(env[i], TagVar+"="); ok {
			if f := strings.Fields(v); len(f) > 0 {
				return f[len(f)-1]
			}
			return ""
		}
	}
	return ""
}

// Contain makes this process the subreaper of its descendants
// (PR_SET_CHILD_SUBREAPER): a process orphaned by a double fork or setsid is
// re-parented to it instead of init, so StopDescendants still finds it.
func Contain() error {
	const prSetChildSubreaper = 36
	_, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0)
	if errno != 0 {
		return errno
	}
	subreaper.Store(true)
	return nil
}

// subreaper is set once Contain succeeded: every live process this process
// started, and every process they started, is then its descendant, so a
// sweep reads only the descendants instead of every process of the
// machine.
var subreaper atomic.Bool

// StopTagged stops every process (but this one and its ancestors) that
// carries the tag prefix or a tag under it (prefix/...): SIGTERM, then SIGKILL a second later
// for those still running. It returns how many it stopped.
func StopTagged(prefix string) int {
	return stopTaggedOr(prefix, 0)
}

// stopTaggedOr stops, in one sweep, the processes StopTagged(prefix) stops
// and those of the process group pgid (when pgid > 0).
func stopTaggedOr(prefix string, pgid int) int {
	if prefix == "" && pgid <= 0 {
		return 0
	}
	// A tag this process gave out is carried by its descendants only; a
	// prefix of another run's (one killed with kill -9) by anything.
	st, scan := &tagState{}, processes
	if v, ok := tags.Load(prefix); ok {
		st, scan = v.(*tagState), candidates
	} else if prefix == "" {
		scan = candidates
	}
	byTag := prefix != "" && !st.swept.Load()
	if !byTag && pgid <= 0 {
		return 0
	}
	n := stopMatching(scan, func(p procInfo, _ map[int]procInfo) bool {
		if pgid > 0 && p.pgrp == pgid {
			return true
		}
		if !byTag || p.start < st.since {
			return false
		}
		env, ok := readProcFile(p.pid, "environ")
		return ok && hasTag(env, prefix)
	})
	if byTag {
		st.swept.Store(true)
	}
	return n
}

// StopGroup stops the processes of the process group pgid.
func StopGroup(pgid int) int {
	return stopTaggedOr("", pgid)
}

// StopDescendants stops every descendant of this process and reaps those
// it adopted. Call it when nothing of the run is running any more: at its
// end, or once it is stopped.
func StopDescendants() int {
	self := os.Getpid()
	n := stopMatching(candidates, func(p procInfo, all map[int]procInfo) bool {
		for q, hops := p, 0; q.ppid > 1 && hops < 1024; hops++ {
			if q.ppid == self {
				return true
			}
			next, ok := all[q.ppid]
			if !ok {
				return false
			}
			q = next
		}
		return false
	})
	for {
		// Orphans that ended on their own wait to be reaped by us.
		pid, err := syscall.Wait4(-1, nil, syscall.WNOHANG, nil)
		if pid <= 0 || err != nil {
			return n
		}
	}
}

func hasTag(environ []byte, prefix string) bool {
	for _, kv := range bytes.Split(environ, []byte{0}) {
		if v, ok := bytes.CutPrefix(kv, []byte(TagVar+"=")); ok {
			for _, t := range strings.Fields(string(v)) {
				if tagUnder(t, prefix) {
					return true
				}
			}
		}
	}
	return false
}

// tagUnder reports whether tag is prefix or lies under it, the tags being
// paths whose parts end at a slash: the action Test.lint's sweep takes
// Test.lint and its batch builds (Test.lint/b1/), never the processes of
// Test.lint-css running beside it.
func tagUnder(tag, prefix string) bool {
	return tag == prefix || strings.HasPrefix(tag, strings.TrimSuffix(prefix, "/")+"/")
}

// procInfo is one process of /proc.
type procInfo struct {
	pid, ppid, pgrp int
	threads         int
	start           uint64 // clock ticks after boot
	zombie          bool
}

// candidates reads the processes a sweep of what this process started
// must look at: its descendants when it is their subreaper (and itself, to
// protect its ancestors), else every process. A process's children are
// listed per thread (/proc/PID/task/TID/children); each thread's list is
// read directly, with no walk of the thread's own folder.
func candidates() map[int]procInfo {
	if !subreaper.Load() {
		return processes()
	}
	self := os.Getpid()
	out := map[int]procInfo{}
	queue := []int{self}
	for len(queue) > 0 {
		pid := queue[0]
		queue = queue[1:]
		p, ok := readProc(pid)
		if ok {
			out[pid] = p
		} else if pid != self {
			continue
		}
		task := "/proc/" + strconv.Itoa(pid) + "/task/"
		// A process of one thread (a shell, most commands) has one list,
		// its main thread's: no need to list its threads.
		tids := []string{strconv.Itoa(pid)}
		if !ok || p.threads != 1 {
			tids, _ = readDirNames(task)
		}
		for _, tid := range tids {
			data, _ := readFile(task + tid + "/children")
			for _, f := range strings.Fields(string(data)) {
				if c, err := strconv.Atoi(f); err == nil {
					if _, seen := out[c]; !seen {
						queue = append(queue, c)
					}
				}
			}
		}
	}
	return out
}

// processes reads every process's parent and state from /proc.
func processes() map[int]procInfo {
	out := map[int]procInfo{}
	names, err := readDirNames("/proc")
	if err != nil {
		return out
	}
	for _, name := range names {
		pid, err := strconv.Atoi(name)
		if err != nil {
			continue
		}
		if p, ok := readProc(pid); ok {
			out[pid] = p
		}
	}
	return out
}

// readDirNames lists a folder of /proc.
func readDirNames(dir string) ([]string, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.Readdirnames(-1)
}

// readFile reads a small file of /proc with three system calls (open,
// read until the end, close): os.ReadFile also sets the descriptor up for
// Go's poller, four fcntl calls more per file, and a sweep reads several
// files per process.
func readFile(path string) ([]byte, error) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	for err == syscall.EINTR {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	}
	if err != nil {
		return nil, err
	}
	defer syscall.Close(fd)
	buf := make([]byte, 0, 512)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := syscall.Read(fd, buf[len(buf):cap(buf)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return buf, nil
		}
		buf = buf[:len(buf)+n]
	}
}

// readProcFile reads /proc/PID/NAME.
func readProcFile(pid int, name string) ([]byte, bool) {
	data, err := readFile("/proc/" + strconv.Itoa(pid) + "/" + name)
	return data, err == nil
}

// readProc reads one process's parent, group, start time and state.
func readProc(pid int) (procInfo, bool) {
	data, ok := readProcFile(pid, "stat")
	if !ok {
		return procInfo{}, false
	}
	// pid (comm) state ppid pgrp ... starttime (field 22): comm may hold
	// spaces and parentheses.
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return procInfo{}, false
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 20 {
		return procInfo{}, false
	}
	ppid, _ := strconv.Atoi(f[1])
	pgrp, _ := strconv.Atoi(f[2])
	threads, _ := strconv.Atoi(f[17])
	start, _ := strconv.ParseUint(f[19], 10, 64)
	return procInfo{pid: pid, ppid: ppid, pgrp: pgrp, threads: threads, start: start, zombie: f[0] == "Z" || f[0] == "X"}, true
}

// stopGrace is how long a process has between SIGTERM and SIGKILL.
var stopGrace = time.Second

// stopMatching signals the live processes match selects until none is
// left: SIGTERM first, SIGKILL to those still there after stopGrace. New
// matches (a process forking while it is stopped) are caught by the next
// scan. The processes it stopped that were this process's children (the
// orphans it adopted as subreaper) are reaped. It gives up after ten
// seconds of SIGKILL, which only a process stuck in the kernel survives.
func stopMatching(scan func() map[int]procInfo, match func(p procInfo, all map[int]procInfo) bool) int {
	self := os.Getpid()
	protected := map[int]bool{self: true}
	termed := map[int]time.Time{}
	var killSince time.Time
	for {
		all := scan()
		for q := all[self]; q.ppid > 0 && !protected[q.ppid]; q = all[q.ppid] {
			protected[q.ppid] = true
		}
		var live []int
		for pid, p := range all {
			if !p.zombie && !protected[pid] && match(p, all) {
				live = append(live, pid)
			}
		}
		if len(live) == 0 {
			break
		}
		now := time.Now()
		for _, pid := range live {
			first, ok := termed[pid]
			switch {
			case !ok:
				termed[pid] = now
				_ = syscall.Kill(pid, syscall.SIGTERM)
			case now.Sub(first) >= stopGrace:
				if killSince.IsZero() {
					killSince = now
				}
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
		}
		if !killSince.IsZero() && now.Sub(killSince) > 10*time.Second {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(termed) == 0 {
		return 0 // nothing was signalled: nothing to reap
	}
	all := scan()
	for pid := range termed {
		if p, ok := all[pid]; ok && p.ppid == self {
			var ws syscall.WaitStatus
			_, _ = syscall.Wait4(pid, &ws, syscall.WNOHANG, nil)
		}
	}
	return len(termed)
}
