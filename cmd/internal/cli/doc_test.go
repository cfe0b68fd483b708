package cli

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/diff"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

var update = flag.Bool("update", false, "rewrite golden files (docs/cli.md)")

const cliDocCommand = "go test ./cmd/internal/cli -run TestCLIDoc -update"

// TestCLIDoc keeps docs/cli.md equal to what the cobra command tree says.
// With -update it rewrites the file instead.
func TestCLIDoc(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(file), "..", "..", "..", "docs", "cli.md")
	c := &CLI{Getenv: func(string) string { return "" }, Environ: func() []string { return nil }}
	got := cliDoc(c.rootCommand())
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("cannot read docs/cli.md (%v); create it with: %s", err, cliDocCommand)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("docs/cli.md is stale; regenerate it with: %s\n\n%s",
			cliDocCommand, diff.Diff("docs/cli.md", want, "generated", got))
	}
}

// cliDoc renders the command reference: the exit codes, then every visible
// command depth-first in cobra's (alphabetical) order.
func cliDoc(root *cobra.Command) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Command reference\n\n")
	fmt.Fprintf(&b, "<!-- Generated from the command tree by `%s`. Do not edit. -->\n\n", cliDocCommand)
	fmt.Fprintf(&b, "Every command prints `--help` with the same text as this page.\n\n")
	writeExitCodes(&b)
	writeIndex(&b, root)
	var walk func(cmd *cobra.Command)
	walk = func(cmd *cobra.Command) {
		writeCommand(&b, cmd)
		for _, sub := range cmd.Commands() {
			if sub.IsAvailableCommand() {
				walk(sub)
			}
		}
	}
	walk(root)
	return append(bytes.TrimRight(b.Bytes(), "\n"), '\n')
}

// writeExitCodes writes the exit-code table [contract].
func writeExitCodes(b *bytes.Buffer) {
	b.WriteString("## Exit codes\n\n")
	b.WriteString("| Code | Meaning |\n| --- | --- |\n")
	fmt.Fprintf(b, "| %d | Success. |\n", ExitOK)
	fmt.Fprintf(b, "| %d | Problems found: diagnostics with errors, a file that is not formatted (`fmt --check`), a failed build or run. |\n", ExitProblems)
	fmt.Fprintf(b, "| %d | Bad usage: unknown command or flag, wrong arguments, a path that does not exist. `plan --target aws` also uses %d to say that there are changes, like `terraform plan -detailed-exitcode`. |\n", ExitUsage, ExitChanges)
	fmt.Fprintf(b, "| %d | Internal failure: a bug in pipeform or an unexpected error from the system. |\n\n", ExitInternal)
}

// writeIndex lists the commands with their one-line summaries.
func writeIndex(b *bytes.Buffer, root *cobra.Command) {
	b.WriteString("## Commands\n\n| Command | Summary |\n| --- | --- |\n")
	for _, cmd := range root.Commands() {
		if cmd.IsAvailableCommand() {
			fmt.Fprintf(b, "| [`%s`](#%s) | %s |\n", cmd.Name(), anchor(cmd.CommandPath()), escapeMarkdown(cmd.Short))
		}
	}
	b.WriteString("\n")
}

// anchor is the GitHub heading anchor of a command's section.
func anchor(heading string) string {
	return strings.ReplaceAll(strings.ToLower(heading), " ", "-")
}

// dedent removes the indentation every non-blank line shares.
func dedent(s string) string {
	lines := strings.Split(s, "\n")
	common := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " "))
		if common < 0 || n < common {
			common = n
		}
	}
	for i, l := range lines {
		if len(l) >= common && common > 0 {
			lines[i] = l[common:]
		}
	}
	return strings.Join(lines, "\n")
}

// writeCommand writes one command's section.
func writeCommand(b *bytes.Buffer, cmd *cobra.Command) {
	fmt.Fprintf(b, "## %s\n\n", cmd.CommandPath())
	if cmd.Short != "" {
		fmt.Fprintf(b, "%s\n\n", escapeMarkdown(cmd.Short))
	}
	fmt.Fprintf(b, "```\n%s\n```\n\n", cmd.UseLine())
	if long := strings.TrimSpace(cmd.Long); long != "" {
		writeText(b, long)
	}
	if ex := strings.Trim(cmd.Example, "\n"); ex != "" {
		fmt.Fprintf(b, "Examples:\n\n```sh\n%s\n```\n\n", dedent(ex))
	}
	flags := cmd.NonInheritedFlags()
	var rows []string
	flags.VisitAll(func(f *pflag.Flag) {
		if f.Hidden || f.Name == "help" {
			return
		}
		rows = append(rows, flagRow(f))
	})
	if len(rows) > 0 {
		b.WriteString("Flags:\n\n")
		b.WriteString("| Flag | Default | Description |\n| --- | --- | --- |\n")
		for _, r := range rows {
			b.WriteString(r + "\n")
		}
		b.WriteString("\n")
	}
}

// flagRow renders a flag as a table row.
func flagRow(f *pflag.Flag) string {
	// The value name is the one --help shows.
	varname, usage := pflag.UnquoteUsage(f)
	name := "`--" + f.Name
	if varname != "" {
		name += " " + varname
	}
	name += "`"
	if f.Shorthand != "" {
		name = "`-" + f.Shorthand + "`, " + name
	}
	def := ""
	switch f.DefValue {
	case "", "false", "[]", "0":
	default:
		def = "`" + f.DefValue + "`"
	}
	usage = strings.ReplaceAll(escapeMarkdown(usage), "|", `\|`)
	return fmt.Sprintf("| %s | %s | %s |", name, def, usage)
}

// writeText writes a Long help text: indented runs of lines become code
// blocks, everything else is prose with Markdown's special characters
// escaped.
func writeText(b *bytes.Buffer, text string) {
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); {
		if !strings.HasPrefix(lines[i], "  ") {
			b.WriteString(escapeMarkdown(lines[i]) + "\n")
			i++
			continue
		}
		b.WriteString("```\n")
		for ; i < len(lines) && indented(lines, i); i++ {
			b.WriteString(strings.TrimPrefix(lines[i], "  ") + "\n")
		}
		b.WriteString("```\n")
	}
	b.WriteString("\n")
}

// indented reports whether lines[i] belongs to an indented block: it is
// indented, or blank between indented lines.
func indented(lines []string, i int) bool {
	if strings.HasPrefix(lines[i], "  ") {
		return true
	}
	return strings.TrimSpace(lines[i]) == "" && i+1 < len(lines) && strings.HasPrefix(lines[i+1], "  ")
}

// escapeMarkdown escapes the characters that would turn plain help text
// into emphasis, HTML or headings, leaving `code spans` alone.
func escapeMarkdown(s string) string {
	var out strings.Builder
	inCode := false
	for i, r := range s {
		switch {
		case r == '`':
			inCode = !inCode
		case inCode:
		case r == '*' || r == '_' || r == '<' || r == '>' || r == '\\':
			out.WriteByte('\\')
		case r == '#' && strings.TrimSpace(s[:i]) == "":
			out.WriteByte('\\')
		}
		out.WriteRune(r)
	}
	return out.String()
}

// TestCommandHelp requires every visible command to have a summary, a
// description and examples, so --help (and docs/cli.md) always has them;
// testdata/script/cli_usage.txtar checks the rendered help end to end.
func TestCommandHelp(t *testing.T) {
	c := &CLI{Getenv: func(string) string { return "" }, Environ: func() []string { return nil }}
	var walk func(cmd *cobra.Command)
	walk = func(cmd *cobra.Command) {
		if cmd.Short == "" {
			t.Errorf("%s has no Short summary", cmd.CommandPath())
		}
		if strings.TrimSpace(cmd.Long) == "" {
			t.Errorf("%s has no Long description", cmd.CommandPath())
		}
		if strings.TrimSpace(cmd.Example) == "" {
			t.Errorf("%s has no Example", cmd.CommandPath())
		}
		for _, sub := range cmd.Commands() {
			if sub.IsAvailableCommand() {
				walk(sub)
			}
		}
	}
	walk(c.rootCommand())
}
