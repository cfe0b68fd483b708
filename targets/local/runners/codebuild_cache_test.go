package runners

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// TestCacheSavedAtOnce saves one cache entry from many builds at once, as
// the builds of a batch do when they finish together: each save succeeds
// or says another build saved the entry, and the entry holds every file.
func TestCacheSavedAtOnce(t *testing.T) {
	src := t.TempDir()
	var files []artifactFile
	for i := range 200 {
		p := filepath.Join(src, fmt.Sprintf("f%d", i))
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, artifactFile{src: p, rel: fmt.Sprintf("deps/f%d", i)})
	}
	entry := filepath.Join(t.TempDir(), "cache", cacheKeyDir(""))
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = writeCacheEntry(entry, storedKey{}, files)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil && !errors.Is(err, errSavedAlongside) {
			t.Errorf("save %d: %v", i, err)
		}
	}
	got, err := os.ReadDir(filepath.Join(entry, cacheEntryFiles, "deps"))
	if err != nil || len(got) != len(files) {
		t.Fatalf("the entry holds %d files (%v), want %d", len(got), err, len(files))
	}
	left, _ := os.ReadDir(filepath.Dir(entry))
	if len(left) != 1 {
		t.Errorf("the cache folder holds %d names, want the entry alone", len(left))
	}
}

// TestFallbackKeySecrets matches fallback keys against stored keys in the
// form the cache keeps them: a fallback key holding one secret never
// matches an entry saved under another, though both mask to deps-***-; the
// same secret does; a literal * never stands for a secret; a fallback key
// holding a secret as plain text (a build that does not have it) never
// matches, so matching cannot be used to guess a secret; an entry saved
// before marks were kept matches only a prefix free of secrets.
func TestFallbackKeySecrets(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	mac := func(prefix string) string {
		h := hmac.New(sha256.New, key)
		h.Write([]byte(prefix))
		return hex.EncodeToString(h.Sum(nil))
	}
	one := NewMasker(io.Discard, []string{"tok-ONE-5150"})
	two := NewMasker(io.Discard, []string{"tok-TWO-6160"})
	none := NewMasker(io.Discard, nil)
	stored := maskKey(one, mac, "deps-tok-ONE-5150-lock1")
	if stored.Masked != "deps-***-lock1" || stored.Masked != one.String("deps-tok-ONE-5150-lock1") {
		t.Fatalf("stored key masked as %q", stored.Masked)
	}
	// What the entry's files hold, read back.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, cacheEntryKey), []byte(stored.Masked), 0o600)
	os.WriteFile(filepath.Join(dir, cacheEntryMarks), []byte(stored.marksText()), 0o600)
	read, ok := readStoredKey(dir)
	if !ok || !reflect.DeepEqual(read, stored) {
		t.Fatalf("read back %+v, %v; want %+v", read, ok, stored)
	}
	// The masked texts alone cannot tell the secrets apart.
	if fb := maskKey(two, mac, "deps-tok-TWO-6160-"); !strings.HasPrefix(stored.Masked, fb.Masked) {
		t.Fatalf("%q is no prefix of %q: the case below shows nothing", fb.Masked, stored.Masked)
	}
	legacy := storedKey{Masked: stored.Masked, Legacy: true}
	for _, c := range []struct {
		m             *Masker
		fb            string
		match, match0 bool // against the entry, against a legacy entry
	}{
		{two, "deps-tok-TWO-6160-", false, false}, // masks to deps-***- too
		{two, "deps-tok-TWO-6160", false, false},
		{one, "deps-tok-ONE-5150-", true, false},
		{one, "deps-tok-ONE-5150-lock1", true, false},
		{one, "deps-tok-ONE-5150-lock2", false, false},
		{two, "deps-", true, true},
		{two, "", true, true},
		{none, "deps-***-", false, false}, // literal asterisks
		{none, "deps-*", false, false},
		{none, "deps-tok-ONE-5150-", false, false}, // the secret as plain text
		{none, "deps-tok-O", false, false},
	} {
		fb := maskKey(c.m, mac, c.fb)
		if got := read.hasPrefix(fb); got != c.match {
			t.Errorf("fallback key %q (masked %q) matches %q: %v, want %v", c.fb, fb.Masked, read.Masked, got, c.match)
		}
		if got := legacy.hasPrefix(fb); got != c.match0 {
			t.Errorf("fallback key %q (masked %q) matches legacy %q: %v, want %v", c.fb, fb.Masked, legacy.Masked, got, c.match0)
		}
	}
}
