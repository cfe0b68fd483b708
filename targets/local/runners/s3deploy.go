package runners

import (
	"archive/zip"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// S3Deploy runs an S3 deploy action into a local folder that stands for the
// bucket: with Extract the artifact's files land under ObjectKey (a prefix,
// optional); without it the artifact is written as one ZIP object named
// ObjectKey, as CodePipeline uploads it.
type S3Deploy struct {
	// Artifact is the input artifact folder.
	Artifact string
	// Bucket is the folder that stands for the bucket.
	Bucket    string
	Extract   bool
	ObjectKey string
	Log       io.Writer
}

// Run deploys.
func (s *S3Deploy) Run() hcl.Diagnostics {
	key := path.Clean("/" + s.ObjectKey)
	if !s.Extract {
		if s.ObjectKey == "" {
			return s3Diag("Missing ObjectKey", "An S3 deploy action with extract = false needs object_key, the name of the ZIP object to write.")
		}
		dst := filepath.Join(s.Bucket, filepath.FromSlash(strings.TrimPrefix(key, "/")))
		if err := s3Zip(s.Artifact, dst); err != nil {
			return s3Diag("Cannot write the S3 object", ioWords(err)+".")
		}
		OwnLine(s.Log, "Uploaded the artifact as s3 object %s (%s)", strings.TrimPrefix(key, "/"), dst)
		return nil
	}
	dst := filepath.Join(s.Bucket, filepath.FromSlash(strings.TrimPrefix(key, "/")))
	files, err := sourceWalkFiles(s.Artifact)
	if err != nil {
		return s3Diag("Cannot read the artifact", ioWords(err)+".")
	}
	for _, rel := range files {
		from := filepath.Join(s.Artifact, filepath.FromSlash(rel))
		to := filepath.Join(dst, filepath.FromSlash(rel))
		info, err := os.Stat(from)
		if err == nil {
			err = os.MkdirAll(filepath.Dir(to), 0o755)
		}
		if err == nil {
			err = copyFile(from, to, info.Mode().Perm())
		}
		if err != nil {
			return s3Diag("Cannot write the S3 object", ioWords(err)+".")
		}
	}
	OwnLine(s.Log, "Extracted %d files into %s", len(files), dst)
	return nil
}

// s3Zip writes the folder's files as a ZIP archive, in path order.
func s3Zip(dir, dst string) error {
	files, err := sourceWalkFiles(dir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(out)
	for _, rel := range files {
		// The file's own header: its modification time (a valid MS-DOS
		// date, plus the extended timestamp) and its Unix mode in the
		// external attributes, so execute bits survive an unzip.
		info, err := os.Stat(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			out.Close()
			return err
		}
		hdr, err := zip.FileInfoHeader(info)
		if err != nil {
			out.Close()
			return err
		}
		hdr.Name, hdr.Method = rel, zip.Deflate
		w, err := zw.CreateHeader(hdr)
		if err != nil {
			out.Close()
			return err
		}
		in, err := os.Open(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			out.Close()
			return err
		}
		_, err = io.Copy(w, in)
		in.Close()
		if err != nil {
			out.Close()
			return err
		}
	}
	if err := zw.Close(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func s3Diag(summary, detail string) hcl.Diagnostics {
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summary, Detail: detail}}
}
