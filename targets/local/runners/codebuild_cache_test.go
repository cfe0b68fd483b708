package runners

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
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
			errs[i] = writeCacheEntry(entry, "", files)
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
