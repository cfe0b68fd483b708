package buildspec

import (
	"fmt"
	"testing"
)

func TestEnvLocator(t *testing.T) {
	v02 := "version: 0.2\n" +
		"env:\n" +
		"  variables:\n" +
		"    STAGE: test\n" +
		"  parameter-store:\n" +
		"    NPM_TOKEN: /ci/npm-token\n" +
		"  secrets-manager:\n" +
		"    \"DB\": ci/db:password\n" +
		"phases:\n" +
		"  build:\n" +
		"    commands: [make]\n"
	v01 := "version: 0.1\r\n" +
		"environment_variables:\r\n" +
		"  plaintext:\r\n" +
		"    STAGE: test\r\n" +
		"  parameter-store:\r\n" +
		"    TOKEN: /t\r\n"
	// é is two bytes and one column: X is at column 25 and byte 25.
	wide := "env: {variables: {é: 1, X: 2}}\n"
	for _, c := range []struct {
		name, src, section, key string
		want                    string // "line:col-line:col @byte-byte", or "" for none
	}{
		{"0.2 variable", v02, "variables", "STAGE", "4:5-4:10 @35-40"},
		{"0.2 parameter", v02, "parameter-store", "NPM_TOKEN", "6:5-6:14 @70-79"},
		{"0.2 quoted secret key, quotes included", v02, "secrets-manager", "DB", "8:5-8:9 @118-122"},
		{"0.2 missing entry", v02, "variables", "NOPE", ""},
		{"0.2 missing section", v02, "exported-variables", "X", ""},
		{"0.1 variables are plaintext", v01, "variables", "STAGE", "4:5-4:10 @56-61"},
		{"0.1 parameter", v01, "parameter-store", "TOKEN", "6:5-6:10 @93-98"},
		{"columns count characters", wide, "variables", "X", "1:25-1:26 @25-26"},
		{"no env at all", "version: 0.2\nphases: {}\n", "variables", "X", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			locate := EnvLocator("b.yml", []byte(c.src))
			if locate == nil {
				t.Fatal("no locator for a YAML buildspec")
			}
			got := ""
			if r := locate(c.section, c.key); r != nil {
				if r.Filename != "b.yml" {
					t.Errorf("file %q, want b.yml", r.Filename)
				}
				got = fmt.Sprintf("%d:%d-%d:%d @%d-%d", r.Start.Line, r.Start.Column, r.End.Line, r.End.Column, r.Start.Byte, r.End.Byte)
				if text := c.src[r.Start.Byte:r.End.Byte]; text != c.key && text != `"`+c.key+`"` {
					t.Errorf("range covers %q, want the key %s", text, c.key)
				}
			}
			if got != c.want {
				t.Errorf("%s.%s at %q, want %q", c.section, c.key, got, c.want)
			}
		})
	}
	if EnvLocator("b.yml", []byte("env: [unclosed\n")) != nil {
		t.Error("a locator for text that is not YAML")
	}
}
