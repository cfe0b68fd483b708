package runners

import (
	"archive/zip"
	"bytes"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestS3Deploy(t *testing.T) {
	art := t.TempDir()
	srcWrite(t, art, map[string]string{"index.html": "<h1>", "css/site.css": "body{}"})
	bucket := t.TempDir()
	if diags := (&S3Deploy{Artifact: art, Bucket: bucket, Extract: true, ObjectKey: "web", Log: &bytes.Buffer{}}).Run(); diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if d := cmp.Diff([]string{"web/css/site.css", "web/index.html"}, srcList(t, bucket)); d != "" {
		t.Errorf("extracted (-want +got):\n%s", d)
	}
	if diags := (&S3Deploy{Artifact: art, Bucket: bucket, ObjectKey: "rel/site.zip", Log: &bytes.Buffer{}}).Run(); diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	zr, err := zip.OpenReader(filepath.Join(bucket, "rel/site.zip"))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	if d := cmp.Diff([]string{"css/site.css", "index.html"}, names); d != "" {
		t.Errorf("zip (-want +got):\n%s", d)
	}
	if diags := (&S3Deploy{Artifact: art, Bucket: bucket, Log: &bytes.Buffer{}}).Run(); !diags.HasErrors() || diags[0].Summary != "Missing ObjectKey" {
		t.Errorf("no object key: %v", diags)
	}
}
