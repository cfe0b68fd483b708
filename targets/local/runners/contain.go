package runners

import (
	"bytes"
	"os"
	"strconv"
	"strings"
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
	if prev != "" {
		tag = prev + " " + tag
	}
	return append(out, TagVar+"="+tag)
}

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
	return nil
}

// StopTagged stops every process (but this one and its ancestors) that
// carries a tag starting with prefix: SIGTERM, then SIGKILL a second later
// for those still running. It returns how many it stopped.
func StopTagged(prefix string) int {
	if prefix == "" {
		return 0
	}
	return stopMatching(func(p procInfo, _ map[int]procInfo) bool {
		env, err := os.ReadFile("/proc/" + strconv.Itoa(p.pid) + "/environ")
		return err == nil && hasTag(env, prefix)
	})
}

// StopGroup stops the processes of the process group pgid.
func StopGroup(pgid int) int {
	if pgid <= 0 {
		return 0
	}
	return stopMatching(func(p procInfo, _ map[int]procInfo) bool { return p.pgrp == pgid })
}

// StopDescendants stops every descendant of this process and reaps those
// it adopted. Call it when nothing of the run is running any more: at its
// end, or once it is stopped.
func StopDescendants() int {
	self := os.Getpid()
	n := stopMatching(func(p procInfo, all map[int]procInfo) bool {
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
				if strings.HasPrefix(t, prefix) {
					return true
				}
			}
		}
	}
	return false
}

// procInfo is one process of /proc.
type procInfo struct {
	pid, ppid, pgrp int
	zombie          bool
}

// processes reads every process's parent and state from /proc.
func processes() map[int]procInfo {
	out := map[int]procInfo{}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return out
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		data, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces and parentheses.
		s := string(data)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) < 3 {
			continue
		}
		ppid, _ := strconv.Atoi(f[1])
		pgrp, _ := strconv.Atoi(f[2])
		out[pid] = procInfo{pid: pid, ppid: ppid, pgrp: pgrp, zombie: f[0] == "Z" || f[0] == "X"}
	}
	return out
}

// stopGrace is how long a process has between SIGTERM and SIGKILL.
var stopGrace = time.Second

// stopMatching signals the live processes match selects until none is
// left: SIGTERM first, SIGKILL to those still there after stopGrace. New
// matches (a process forking while it is stopped) are caught by the next
// scan. The processes it stopped that were this process's children (the
// orphans it adopted as subreaper) are reaped. It gives up after ten
// seconds of SIGKILL, which only a process stuck in the kernel survives.
func stopMatching(match func(p procInfo, all map[int]procInfo) bool) int {
	self := os.Getpid()
	protected := map[int]bool{self: true}
	termed := map[int]time.Time{}
	var killSince time.Time
	for {
		all := processes()
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
	all := processes()
	for pid := range termed {
		if p, ok := all[pid]; ok && p.ppid == self {
			var ws syscall.WaitStatus
			_, _ = syscall.Wait4(pid, &ws, syscall.WNOHANG, nil)
		}
	}
	return len(termed)
}
