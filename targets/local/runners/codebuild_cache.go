package runners

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"time"
)

// The build cache (BUILDSPEC.md §11), as CodeBuild's local custom cache
// keeps it: the files that cache.paths select are restored into
// CODEBUILD_SRC_DIR at the end of DOWNLOAD_SOURCE, before INSTALL, and
// saved after POST_BUILD. Each cache key is one entry, a folder under
// CacheDir (the project's own folder): the key is matched exactly, then each
// fallback key as a prefix of the stored keys (the newest entry wins), as
// AWS documents for key and fallback-keys
// (https://docs.aws.amazon.com/codebuild/latest/userguide/caching-s3.html).
// An entry with a key is never overwritten (keys make immutable copies);
// without a key the project has one entry, replaced on every save.
// action: restore only restores, action: save only saves.
//
// Choices where AWS is silent or the local machine differs:
//   - Only paths inside CODEBUILD_SRC_DIR are cached: restoring a path such as
//     /root/.m2 would write into this machine's own folders.
//   - The cache is saved only when the build is succeeding, so a broken
//     install is never restored into the next build.
//   - The key is evaluated once, by the build shell (printf '%s' "KEY" with
//     the build's variables, in its directory), when the cache is first
//     used: $VARIABLES and $(commands) work, and CodeBuild's in-image
//     helper $(codebuild-hash-files GLOB...) is computed by pipeform.
//   - A key holding a secret is kept masked, and a fallback key is compared
//     with the stored keys in that same form, secrets told apart by keyed
//     marks (storedKey): no fallback key restores another secret's entry.

// cacheEntryFiles is the entry's folder of cached files; cacheEntryKey the
// file holding its key, masked, and cacheEntryMarks the marks of its masked
// runs (see storedKey), for fallback prefix matching.
const (
	cacheEntryFiles = "files"
	cacheEntryKey   = "key"
	cacheEntryMarks = "key-marks"
)

// cacheKeyDir is the folder name of a key's entry without a key.
func cacheKeyDir(key string) string {
	if key == "" {
		return "default"
	}
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:16])
}

// entryDir is the folder of key's entry. A key may be made from a secret
// ($TOKEN, a hash of a private file), so its folder name is an
// HMAC-SHA256 of it under the state folder's random digest key (never a
// plain hash, which would let anyone who reads the folder names test
// guesses of the secret), and the key file in the entry holds the key
// masked.
func (a *agent) entryDir(key string) (string, error) {
	if key == "" {
		return filepath.Join(a.cb.CacheDir, cacheKeyDir("")), nil
	}
	k, err := digestKey(filepath.Dir(a.cb.CacheDir))
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, k)
	mac.Write([]byte(key))
	return filepath.Join(a.cb.CacheDir, hex.EncodeToString(mac.Sum(nil)[:16])), nil
}

// prefixMAC returns the function that marks a masked run of a key: the
// HMAC-SHA256, under the state folder's digest key, of the key up to the
// end of the run (in a domain of its own, apart from entryDir's names).
func (a *agent) prefixMAC() (func(string) string, error) {
	k, err := digestKey(filepath.Dir(a.cb.CacheDir))
	if err != nil {
		return nil, err
	}
	return func(prefix string) string {
		mac := hmac.New(sha256.New, k)
		mac.Write([]byte("cache key prefix\x00"))
		mac.Write([]byte(prefix))
		return hex.EncodeToString(mac.Sum(nil))
	}, nil
}

// storedKey is a cache key in the form the cache keeps and compares it:
// masked (each secret a ***, so the key file never holds one), with a mark
// at the end of each masked run: where its *** ends in Masked, and the
// prefixMAC of the real key up to the end of the secret.
//
// A fallback key is put in the same form, by the same function, and
// matches an entry only when, besides Masked being a prefix of the
// entry's, its masked runs are the entry's runs within that prefix (same
// places) and the marks agree: the secrets behind each *** are the same
// ones, not merely both masked. So a fallback key holding one secret never
// restores an entry saved under another (their masked forms are alike:
// deps-***-), a literal * never stands for a secret, and a fallback key
// that holds part of a secret as plain text never matches (matching cannot
// be used to guess a secret a character at a time). An entry saved before
// marks were kept (Legacy) matches only a prefix free of secrets and *.
type storedKey struct {
	Masked string
	Marks  []keyMark
	Legacy bool
}

// keyMark marks one masked run of a storedKey.
type keyMark struct {
	End int    // the end of the run's *** in Masked
	MAC string // prefixMAC of the real key up to the end of the secret
}

// maskKey puts the key raw in the cache's form, masked by m as m.String
// masks it.
func maskKey(m *Masker, mac func(string) string, raw string) storedKey {
	var covered []bool
	if m != nil {
		covered = m.cover([]byte(raw))
	}
	if covered == nil {
		return storedKey{Masked: raw}
	}
	var k storedKey
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		if !covered[i] {
			b.WriteByte(raw[i])
			continue
		}
		if i == 0 || !covered[i-1] {
			b.WriteString(Mask)
		}
		if i+1 == len(raw) || !covered[i+1] {
			k.Marks = append(k.Marks, keyMark{End: b.Len(), MAC: mac(raw[:i+1])})
		}
	}
	k.Masked = b.String()
	return k
}

// hasPrefix reports whether the key fb (a fallback key, in the same form)
// is a prefix of k, secrets included: see storedKey.
func (k storedKey) hasPrefix(fb storedKey) bool {
	n := len(fb.Masked)
	if !strings.HasPrefix(k.Masked, fb.Masked) {
		return false
	}
	if k.Legacy {
		return len(fb.Marks) == 0 && !strings.Contains(k.Masked[:n], "*")
	}
	var within []keyMark // k's runs that begin inside the prefix
	for _, m := range k.Marks {
		if m.End-len(Mask) < n {
			within = append(within, m)
		}
	}
	if len(within) != len(fb.Marks) {
		return false
	}
	for i, m := range fb.Marks {
		if within[i].End != m.End || !hmac.Equal([]byte(within[i].MAC), []byte(m.MAC)) {
			return false
		}
	}
	return true
}

// marksText is the key-marks file of an entry: one "END MAC" line a run.
func (k storedKey) marksText() string {
	var b strings.Builder
	for _, m := range k.Marks {
		fmt.Fprintf(&b, "%d %s\n", m.End, m.MAC)
	}
	return b.String()
}

// readStoredKey reads an entry's key and marks; an entry without a marks
// file is Legacy, one whose marks file is damaged matches nothing.
func readStoredKey(dir string) (storedKey, bool) {
	masked, err := os.ReadFile(filepath.Join(dir, cacheEntryKey))
	if err != nil {
		return storedKey{}, false
	}
	k := storedKey{Masked: string(masked)}
	marks, err := os.ReadFile(filepath.Join(dir, cacheEntryMarks))
	if errors.Is(err, fs.ErrNotExist) {
		k.Legacy = true
		return k, true
	}
	if err != nil {
		return storedKey{}, false
	}
	for _, line := range strings.Split(strings.TrimSuffix(string(marks), "\n"), "\n") {
		if line == "" {
			continue
		}
		var m keyMark
		if _, err := fmt.Sscanf(line, "%d %s", &m.End, &m.MAC); err != nil || m.End < len(Mask) || m.End > len(k.Masked) {
			return storedKey{}, false
		}
		k.Marks = append(k.Marks, m)
	}
	return k, true
}

// digestKeyFile is the random key, beside the projects' cache folders, that
// entryDir's digests are computed with: 32 bytes in hexadecimal, readable
// by the owner only.
const digestKeyFile = "digest.key"

// digestKey reads dir's digest key, creating it on first use. It is
// written beside its place and linked in, so builds creating it at once
// agree on one key.
func digestKey(dir string) ([]byte, error) {
	path := filepath.Join(dir, digestKeyFile)
	for range 2 {
		data, err := os.ReadFile(path)
		if err == nil {
			k, derr := hex.DecodeString(strings.TrimSpace(string(data)))
			if derr != nil || len(k) != 32 {
				return nil, fmt.Errorf("%s is damaged (not 64 hexadecimal digits); remove it, and the build cache starts afresh", path)
			}
			if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 {
				if err := os.Chmod(path, 0o600); err != nil {
					return nil, err
				}
			}
			return k, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		k := make([]byte, 32)
		if _, err := rand.Read(k); err != nil {
			return nil, err
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		tmp, err := os.CreateTemp(dir, digestKeyFile+".tmp-")
		if err != nil {
			return nil, err
		}
		_, err = tmp.WriteString(hex.EncodeToString(k) + "\n")
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Link(tmp.Name(), path)
		}
		os.Remove(tmp.Name())
		if err == nil {
			return k, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
		// Another build created it first: read theirs.
	}
	return nil, fmt.Errorf("%s cannot be created", path)
}

// restoreCache restores the cache before INSTALL.
func (a *agent) restoreCache() {
	c := a.bs.Cache
	if c == nil || len(c.Paths) == 0 || a.cb.CacheDir == "" {
		return
	}
	if strings.EqualFold(c.Action, "save") {
		a.logf("Cache action is save: the cache is not restored")
		return
	}
	if a.cb.NoCacheRestore {
		a.logf("Cache not restored (--no-cache)")
		return
	}
	key := a.cacheKey()
	entry, how, err := a.findCache(key)
	if err != nil {
		a.logf("Cache not restored: %s", ioWords(err))
		return
	}
	if entry == "" {
		if key == "" {
			a.logf("No cache found for this project")
		} else {
			a.logf("No cache found for key %s", key)
		}
		return
	}
	n, err := restoreTree(filepath.Join(entry, cacheEntryFiles), a.cb.SrcDir)
	if err != nil {
		a.logf("Cache could not be restored: %s; the build goes on without it", ioWords(err))
		return
	}
	a.logf("Cache restored%s: %d file(s)", how, n)
}

// cacheKey is the evaluated cache key, worked out on first use.
func (a *agent) cacheKey() string {
	if a.key == nil {
		k := a.shellEval(a.bs.Cache.Key)
		a.key = &k
	}
	return *a.key
}

// shellEval evaluates s as the build shell would inside double quotes,
// with the build's current variables and directory. Text without $ or `
// is returned as it is; a failure is logged and leaves s as written.
func (a *agent) shellEval(s string) string {
	if !strings.ContainsAny(s, "$`") {
		return s
	}
	st := a.sh.state
	s = a.hashFiles(s, st.cwd)
	if !strings.ContainsAny(s, "$`") {
		return s
	}
	var script strings.Builder
	for _, k := range sortedKeys(st.plain) {
		fmt.Fprintf(&script, "%s=%s\n", k, shQuote(st.plain[k]))
	}
	fmt.Fprintf(&script, "printf '%%s' \"%s\"\n", s)
	// The script holds the build's shell variables, secret-derived ones
	// included: it is a file in the agent's private folder, like the
	// commands' scripts, never a `sh -c` argument, which any user of the
	// machine can read in /proc/PID/cmdline.
	path := filepath.Join(a.sh.work, "eval.sh")
	if err := writePrivate(path, []byte(script.String())); err != nil {
		a.logf("Cache key %s could not be evaluated (%s): it is used as written", s, ioWords(err))
		return s
	}
	ctx, cancel := context.WithTimeout(a.ctx, time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, a.sh.path, path)
	cmd.Env, cmd.Dir = st.environ(), st.cwd
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		a.logf("Cache key %s could not be evaluated (%v): it is used as written", s, err)
		return s
	}
	if msg := strings.TrimSpace(stderr.String()); msg != "" {
		// A command of the key failed (its output is then missing from
		// the key): say so, or every build shares one key in silence.
		a.logf("Cache key %s: %s", s, msg)
	}
	return string(out)
}

// reHashFiles finds CodeBuild's key helper: $(codebuild-hash-files GLOB...).
var reHashFiles = regexp.MustCompile(`\$\(\s*codebuild-hash-files\s+([^()]*)\)`)

// hashFiles replaces each $(codebuild-hash-files GLOB...) of a cache key
// with the SHA-256 of the files the globs match under dir, as CodeBuild's
// in-image helper computes a key that changes with those files (Amazon S3
// caching, "codebuild-hash-files"). The digest covers each file's path
// and content, in path order; it is not byte-for-byte AWS's, only as
// content-addressed.
func (a *agent) hashFiles(key, dir string) string {
	return reHashFiles.ReplaceAllStringFunc(key, func(m string) string {
		var globs []string
		for _, w := range strings.Fields(reHashFiles.FindStringSubmatch(m)[1]) {
			globs = append(globs, a.expand(strings.Trim(w, `'"`)))
		}
		col := &collector{srcDir: dir, logf: func(string, ...any) {}, expand: func(s string) string { return s }}
		files, err := col.collect(globs, "", false, nil)
		if err != nil && !errors.Is(err, errNoMatch) {
			a.logf("codebuild-hash-files %s: %s", strings.Join(globs, " "), ioWords(err))
		}
		sort.Slice(files, func(i, j int) bool { return files[i].rel < files[j].rel })
		h := sha256.New()
		for _, f := range files {
			data, err := os.ReadFile(f.src)
			if err != nil {
				a.logf("codebuild-hash-files %s: %s", f.rel, ioWords(err))
				continue
			}
			fmt.Fprintf(h, "%s\x00%d\x00", f.rel, len(data))
			h.Write(data)
		}
		return hex.EncodeToString(h.Sum(nil))
	})
}

// findCache finds the entry for key: the exact key, then each fallback key
// as a prefix (newest entry first). how says which matched.
func (a *agent) findCache(key string) (dir, how string, err error) {
	exact, err := a.entryDir(key)
	if err != nil {
		return "", "", err
	}
	if _, err := os.Stat(filepath.Join(exact, cacheEntryFiles)); err == nil {
		if key == "" {
			return exact, "", nil
		}
		return exact, " from key " + key, nil
	}
	if key == "" {
		return "", "", nil // fallback-keys are ignored without a key
	}
	if len(a.bs.Cache.FallbackKeys) == 0 {
		return "", "", nil
	}
	mac, err := a.prefixMAC()
	if err != nil {
		return "", "", err
	}
	// Each entry's key is read once, whatever the number of fallback keys.
	type entry struct {
		dir string
		key storedKey
	}
	var entries []entry
	ents, _ := os.ReadDir(a.cb.CacheDir)
	for _, e := range ents {
		if strings.Contains(e.Name(), ".") {
			continue // an entry being written or replaced (NAME.tmp-*)
		}
		dir := filepath.Join(a.cb.CacheDir, e.Name())
		if k, ok := readStoredKey(dir); ok {
			entries = append(entries, entry{dir, k})
		}
	}
	for _, fb := range a.bs.Cache.FallbackKeys {
		fb = a.shellEval(fb)
		want := maskKey(a.log, mac, fb)
		var best string
		var bestKey storedKey
		var bestTime int64
		for _, e := range entries {
			if !e.key.hasPrefix(want) {
				continue
			}
			if st, err := os.Stat(filepath.Join(e.dir, cacheEntryFiles)); err == nil && (best == "" || st.ModTime().UnixNano() > bestTime) {
				best, bestKey, bestTime = e.dir, e.key, st.ModTime().UnixNano()
			}
		}
		if best != "" {
			return best, fmt.Sprintf(" from key %s (fallback key %s)", bestKey.Masked, want.Masked), nil
		}
	}
	return "", "", nil
}

// saveCache saves cache.paths after POST_BUILD.
func (a *agent) saveCache() {
	c := a.bs.Cache
	if c == nil || len(c.Paths) == 0 || a.cb.CacheDir == "" || strings.EqualFold(c.Action, "restore") {
		return
	}
	if !a.succeeding {
		a.logf("Cache not saved: the build is failing")
		return
	}
	key := a.cacheKey()
	entry, err := a.entryDir(key)
	if err != nil {
		a.logf("Cache could not be saved: %s", ioWords(err))
		return
	}
	if key != "" {
		if _, err := os.Stat(filepath.Join(entry, cacheEntryFiles)); err == nil {
			a.logf("Cache key %s exists already: not saved again (a key's cache is never overwritten)", key)
			return
		}
	}
	var paths []string
	for _, p := range c.Paths {
		p = a.expand(p)
		if filepath.IsAbs(p) {
			rel, err := filepath.Rel(a.cb.SrcDir, p)
			if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
				a.logf("Cache path %s is outside CODEBUILD_SRC_DIR: not cached locally, so this machine's own folders are never overwritten", p)
				continue
			}
			p = filepath.ToSlash(rel)
		}
		paths = append(paths, p)
	}
	if len(paths) == 0 {
		return
	}
	col := &collector{srcDir: a.cb.SrcDir, logf: func(string, ...any) {}, expand: a.expand, keepLinks: true}
	files, err := col.collect(paths, "", false, nil)
	if errors.Is(err, errNoMatch) {
		a.logf("Cache paths %s match no file: nothing saved", strings.Join(paths, ", "))
		return
	}
	var stored storedKey
	if err == nil && key != "" {
		var mac func(string) string
		if mac, err = a.prefixMAC(); err == nil {
			stored = maskKey(a.log, mac, key)
		}
	}
	if err == nil {
		err = writeCacheEntry(entry, stored, files)
	}
	if errors.Is(err, errSavedAlongside) {
		a.logf("Cache not saved: %s", err)
		return
	}
	if err != nil {
		a.logf("Cache could not be saved: %s", ioWords(err))
		return
	}
	if key == "" {
		a.logf("Cache saved: %d file(s)", len(files))
	} else {
		a.logf("Cache saved under key %s: %d file(s)", key, len(files))
	}
}

// errSavedAlongside is a save that lost the race with another build of the
// project (a batch's builds, parallel actions) saving the same entry.
var errSavedAlongside = errors.New("another build of the project saved it at the same time")

// writeCacheEntry writes the entry beside its place, in a folder of its
// own, and renames it in, so a reader never sees half an entry and builds
// saving at the same time never write into each other's folder. The
// folder being written is held with flock (HeldTempDir), and so is the
// entry it replaces while it is moved aside: what a build killed with
// kill -9 mid-save left (NAME.tmp-*, NAME.tmp-*.old) is removed by the next
// save (sweepCacheTemps), never what a live build is writing.
func writeCacheEntry(entry string, key storedKey, files []artifactFile) error {
	if err := os.MkdirAll(filepath.Dir(entry), 0o755); err != nil {
		return err
	}
	sweepCacheTemps(filepath.Dir(entry))
	tmp, release, err := HeldTempDir(filepath.Dir(entry), filepath.Base(entry)+cacheTempMark)
	if err != nil {
		return err
	}
	defer release()
	root, err := os.OpenRoot(tmp)
	if err != nil {
		os.RemoveAll(tmp)
		return err
	}
	err = writeArtifact(root, cacheEntryFiles, files, true)
	root.Close()
	if err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, cacheEntryKey), []byte(key.Masked), 0o600); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, cacheEntryMarks), []byte(key.marksText()), 0o600); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	old := tmp + ".old"
	moved := false
	if f, err := os.Open(entry); err == nil {
		if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil {
			f.Close()
			os.RemoveAll(tmp)
			return errSavedAlongside // another build is replacing it
		}
		defer f.Close()
		moved = os.Rename(entry, old) == nil
	}
	if err := os.Rename(tmp, entry); err != nil {
		if moved && os.Rename(old, entry) != nil {
			os.RemoveAll(old)
		}
		os.RemoveAll(tmp)
		if _, serr := os.Stat(filepath.Join(entry, cacheEntryFiles)); serr == nil {
			return errSavedAlongside
		}
		return err
	}
	return os.RemoveAll(old)
}

// cacheTempMark is in the name of every folder a cache save writes beside
// its entry.
const cacheTempMark = ".tmp-"

// sweepCacheTemps removes the folders of the cache folder dir that a save
// killed mid-way left.
func sweepCacheTemps(dir string) int {
	return sweepMatching(dir, func(name string) bool { return strings.Contains(name, cacheTempMark) })
}

// restoreTree copies the cached files into dst over what is there, and
// counts the files. Every write goes through an os.Root on dst, so neither a
// link already in dst nor one the cache holds leads a file out of it.
func restoreTree(src, dst string) (int, error) {
	root, err := os.OpenRoot(dst)
	if err != nil {
		return 0, err
	}
	defer root.Close()
	n := 0
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		switch {
		case d.IsDir():
			return root.MkdirAll(rel, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			root.Remove(rel)
			n++
			return root.Symlink(link, rel)
		case d.Type().IsRegular():
			n++
			in, err := os.Open(p)
			if err != nil {
				return err
			}
			root.Remove(rel) // a link there is replaced, not written through
			return copyOpened(in, 0, func(perm fs.FileMode) (*os.File, error) {
				return root.OpenFile(rel, copyFlags, perm)
			})
		}
		return nil
	})
	return n, err
}
