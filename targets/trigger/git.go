package trigger

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"sort"
	"strings"
)

// Repo is the git repository a configuration directory lives in.
type Repo struct {
	// Dir is any folder inside the working tree.
	Dir string
	// Env is the environment git runs with (nil: this process's).
	Env []string
}

// Resolve turns a revision (a branch, a tag, HEAD~1, a commit id) into a
// full commit id.
func (r Repo) Resolve(ctx context.Context, rev string) (string, error) {
	out, err := r.git(ctx, "rev-parse", "--verify", "--quiet", rev+"^{commit}")
	if err != nil {
		return "", fmt.Errorf("%q names no commit of the repository", rev)
	}
	return strings.TrimSpace(string(out)), nil
}

// Root is the working tree's top folder.
func (r Repo) Root(ctx context.Context) (string, error) {
	out, err := r.git(ctx, "rev-parse", "--show-toplevel")
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

// MergeBase is the best common ancestor of two commits, the base a pull
// request's changes are counted from (git diff a...b).
func (r Repo) MergeBase(ctx context.Context, a, b string) (string, error) {
	out, err := r.git(ctx, "merge-base", a, b)
	if err != nil {
		return "", fmt.Errorf("%s and %s have no common ancestor", short(a), short(b))
	}
	return strings.TrimSpace(string(out)), nil
}

// FirstParent is the commit's first parent, or "" for a root commit.
func (r Repo) FirstParent(ctx context.Context, commit string) string {
	out, err := r.git(ctx, "rev-parse", "--verify", "--quiet", commit+"^1")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// ChangedFiles lists the files that differ between base and head, from the
// repository's root with `/` separators, sorted. A rename counts as both
// paths, as a deletion plus an addition. An empty base means head is a root
// commit: every file of head is new.
func (r Repo) ChangedFiles(ctx context.Context, base, head string) ([]string, error) {
	var out []byte
	var err error
	if base == "" {
		out, err = r.git(ctx, "ls-tree", "-r", "--name-only", "-z", head)
	} else {
		out, err = r.git(ctx, "diff", "--name-only", "--no-renames", "-z", base, head, "--")
	}
	if err != nil {
		return nil, err
	}
	var files []string
	for _, f := range bytes.Split(out, []byte{0}) {
		if len(f) > 0 {
			files = append(files, string(f))
		}
	}
	sort.Strings(files)
	return files, nil
}

func (r Repo) git(ctx context.Context, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", r.Dir, "-c", "core.quotepath=off"}, args...)...)
	cmd.Env = r.Env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return nil, fmt.Errorf("git %s: %s", args[0], msg)
		}
		return nil, fmt.Errorf("git %s: %v", args[0], err)
	}
	return out, nil
}

func short(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// Request is an event as the command line gives it.
type Request struct {
	Kind, PREvent, Branch, Tag string
	// Base and Head are revisions; empty picks the defaults Event says.
	Base, Head string
}

// Event reads the event's changed files from the repository. Head defaults
// to the pushed tag or branch when the repository has it (so one can ask
// about a tag before creating it), else to HEAD. A push's base defaults to head's first parent (none for a
// root commit: every file is new). A pull request's changes are counted
// from the merge base of head and the base (default: the target branch),
// as a pull request's diff is.
func (r Repo) Event(ctx context.Context, req Request) (Event, error) {
	ev := Event{Kind: req.Kind, PREvent: req.PREvent, Branch: req.Branch, Tag: req.Tag}
	headRev := req.Head
	if headRev == "" {
		headRev = "HEAD"
		ref := "refs/heads/" + req.Branch
		if req.Tag != "" {
			ref = "refs/tags/" + req.Tag
		}
		if _, err := r.Resolve(ctx, ref); req.Kind == Push && err == nil {
			headRev = ref
		}
	}
	head, err := r.Resolve(ctx, headRev)
	if err != nil {
		return ev, err
	}
	ev.Head = head
	if req.Kind == PullRequest {
		baseRev := req.Base
		if baseRev == "" {
			baseRev = req.Branch
		}
		b, err := r.Resolve(ctx, baseRev)
		if err != nil {
			return ev, fmt.Errorf("%w; a pull request's changes are counted from its target branch: give --base REV when branch %q is not in this repository", err, req.Branch)
		}
		if ev.Base, err = r.MergeBase(ctx, b, head); err != nil {
			return ev, err
		}
	} else if req.Base != "" {
		if ev.Base, err = r.Resolve(ctx, req.Base); err != nil {
			return ev, err
		}
	} else {
		ev.Base = r.FirstParent(ctx, head)
	}
	ev.Files, err = r.ChangedFiles(ctx, ev.Base, ev.Head)
	return ev, err
}
