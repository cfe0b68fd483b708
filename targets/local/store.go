package local

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/pipeform/pipeform/targets/local/runners"
)

// Store is the content-addressed artifact store: each artifact is a folder
// .pipeform/artifacts/<sha256>/ named by the digest of its file tree, so an
// unchanged artifact is stored once and a digest says exactly what an action
// consumed. Stored folders are never modified; consumers get fresh copies.
type Store struct {
	Dir string
}

// Put moves the folder src into the store and returns its digest. src is gone
// afterwards (moved, or removed when the store already holds the same tree).
func (s Store) Put(src string) (string, error) {
	digest, err := TreeDigest(src)
	if err != nil {
		return "", err
	}
	dst := filepath.Join(s.Dir, digest)
	if _, err := os.Stat(dst); err == nil {
		return digest, os.RemoveAll(src)
	}
	if err := os.MkdirAll(s.Dir, 0o755); err != nil {
		return "", err
	}
	if err := os.Rename(src, dst); err != nil {
		// Another run stored the same tree at the same moment, or src is on
		// another device: fall back to a copy.
		if _, serr := os.Stat(dst); serr == nil {
			return digest, os.RemoveAll(src)
		}
		tmp := dst + ".tmp"
		os.RemoveAll(tmp)
		if err := runners.CopyTree(src, tmp); err != nil {
			return "", err
		}
		if err := os.Rename(tmp, dst); err != nil {
			return "", err
		}
		return digest, os.RemoveAll(src)
	}
	return digest, nil
}

// CopyOut makes a fresh copy of a stored artifact at dst and checks that
// the copy still has the digest it was stored under: a file of the store
// edited, added or removed since is a *CorruptArtifactError (and the
// stored folder is removed, so the next run stores it afresh), never an
// input. A digest that is not one (say "../../x" in an edited run.json) is
// refused before it becomes a path.
func (s Store) CopyOut(digest, dst string) error {
	if !ValidDigest(digest) {
		return &CorruptArtifactError{Digest: digest, Reason: "it is not a sha256 digest (64 hexadecimal digits)"}
	}
	src := filepath.Join(s.Dir, digest)
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("artifact %s is missing from the store %s", short(digest), s.Dir)
	}
	if err := runners.CopyTree(src, dst); err != nil {
		return err
	}
	got, err := TreeDigest(dst)
	if err != nil {
		return err
	}
	if got != digest {
		os.RemoveAll(src)
		return &CorruptArtifactError{Digest: digest, Reason: fmt.Sprintf("its files changed in the store since it was stored (they now hash to %s); the stored copy was removed", short(got))}
	}
	return nil
}

// Verify reports whether the store holds digest with its content intact
// (sizes and hashes of every file, as TreeDigest computes them). A damaged
// folder is removed, so the artifact is produced and stored again.
func (s Store) Verify(digest string) bool {
	if !ValidDigest(digest) {
		return false
	}
	dir := filepath.Join(s.Dir, digest)
	got, err := TreeDigest(dir)
	if err != nil {
		return false
	}
	if got != digest {
		os.RemoveAll(dir)
		return false
	}
	return true
}

// Has reports whether the store holds digest (without checking its
// content; see Verify).
func (s Store) Has(digest string) bool {
	if !ValidDigest(digest) {
		return false
	}
	_, err := os.Stat(filepath.Join(s.Dir, digest))
	return err == nil
}

// ValidDigest reports whether d is a store digest: 64 lowercase
// hexadecimal digits, as TreeDigest writes them. Only such strings ever
// become paths under the store.
func ValidDigest(d string) bool {
	if len(d) != sha256.Size*2 {
		return false
	}
	for i := 0; i < len(d); i++ {
		if c := d[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// CorruptArtifactError says a stored artifact cannot be used as an input.
type CorruptArtifactError struct {
	Digest string
	Reason string
}

func (e *CorruptArtifactError) Error() string {
	name := e.Digest
	if ValidDigest(name) {
		name = short(name)
	}
	return fmt.Sprintf("artifact %q cannot be used: %s", name, e.Reason)
}

func short(digest string) string {
	if len(digest) > 12 {
		return digest[:12]
	}
	return digest
}

// TreeDigest is the sha256 of a canonical listing of the folder: every entry
// in path order with its kind, executable bit and content (or link target).
// Times, owners and other mode bits do not count. Files that are not
// regular are never opened.
func TreeDigest(root string) (string, error) {
	var paths []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != root {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	sort.Strings(paths)
	h := sha256.New()
	for _, p := range paths {
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		st, err := os.Lstat(p)
		if err != nil {
			return "", err
		}
		switch {
		case st.IsDir():
			fmt.Fprintf(h, "d %q\n", rel)
		case st.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return "", err
			}
			fmt.Fprintf(h, "l %q %q\n", rel, target)
		case !st.Mode().IsRegular():
			// A named pipe, socket or device is never opened (reading
			// a pipe would wait forever); it counts as a kind of its own,
			// so one planted in a stored artifact changes its digest.
			fmt.Fprintf(h, "o %q %v\n", rel, st.Mode().Type())
		default:
			x := "-"
			if st.Mode()&0o111 != 0 {
				x = "x"
			}
			fmt.Fprintf(h, "f %q %s %d\n", rel, x, st.Size())
			if err := hashFile(h, p); err != nil {
				return "", err
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// hashFile writes the bytes the file at path holds when opened to w: not
// what another process appends while it is read, which could go on forever.
func hashFile(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	return runners.CopyHeld(w, f, st.Size())
}
