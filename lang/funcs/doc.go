// Package funcs owns the function table of the pipeform language: the HCL
// standard functions Terraform users expect (strings, collections, numbers,
// encodings, hashes, files, can and try).
//
// Most functions come from go-cty's stdlib and hcl's ext/tryfunc; the rest
// (yaml, base64, hashes, files, a few Terraform-only helpers) are written
// here. Functions are pure: file functions read only through the fs.FS given
// to Table, which is rooted at the configuration directory, and paths that
// leave it are rejected (".." past the root, absolute paths). Symbolic links
// are the fsys's business: give an os.Root's FS to stop links that point
// outside. timestamp is deliberately absent (see Omitted).
//
// funcs may import only the standard library, hcl, go-cty and go.yaml.in/yaml;
// it imports nothing else from pipeform.
package funcs
