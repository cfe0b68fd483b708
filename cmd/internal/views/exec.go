package views

import (
	"fmt"
	"io"
	"strings"

	"github.com/pipeform/pipeform/targets/local/reports"
	"github.com/pipeform/pipeform/targets/local/runners"
)

// WriteBuildPlan renders `pipeform exec --dry-run`: the buildspec's
// variables (secrets by reference), its phases with their commands, the
// artifacts and reports it would upload, and what the local build does not
// emulate.
func WriteBuildPlan(w io.Writer, spec string, p *runners.BuildPlan) {
	fmt.Fprintf(w, "Buildspec %s (version %s), shell %s\n", spec, p.Version, p.Shell)
	if len(p.Variables) > 0 {
		fmt.Fprintln(w, "\nVariables:")
		for _, v := range p.Variables {
			switch v.Source {
			case "parameter-store", "secrets-manager":
				fmt.Fprintf(w, "  %s from %s %s (masked)\n", v.Name, v.Source, v.Value)
			case "override":
				fmt.Fprintf(w, "  %s=%s (--env)\n", v.Name, v.Value)
			default:
				fmt.Fprintf(w, "  %s=%s\n", v.Name, v.Value)
			}
		}
	}
	if len(p.Exported) > 0 {
		fmt.Fprintf(w, "\nExported variables: %s\n", strings.Join(p.Exported, ", "))
	}
	for _, ph := range p.Phases {
		fmt.Fprintf(w, "\n%s", ph.Type)
		if ph.OnFailure != "" {
			fmt.Fprintf(w, " (on-failure %s)", ph.OnFailure)
		}
		fmt.Fprintln(w)
		for _, n := range ph.Notes {
			fmt.Fprintf(w, "  # %s\n", n)
		}
		for _, cmd := range ph.Commands {
			fmt.Fprintf(w, "  $ %s\n", indentLines(cmd, "    "))
		}
		if len(ph.Finally) > 0 {
			fmt.Fprintln(w, "  finally:")
			for _, cmd := range ph.Finally {
				fmt.Fprintf(w, "  $ %s\n", indentLines(cmd, "    "))
			}
		}
	}
	fmt.Fprintln(w, "\nUPLOAD_ARTIFACTS")
	for _, a := range p.Reports {
		fmt.Fprintf(w, "  report %s: %s\n", a.Identifier, describeSelection(a))
	}
	for _, a := range p.Artifacts {
		where := "primary"
		if a.Identifier != "" {
			where = "secondary/" + a.Identifier
		}
		fmt.Fprintf(w, "  %s: %s\n", where, describeSelection(a))
	}
	if len(p.Artifacts) == 0 && len(p.Reports) == 0 {
		fmt.Fprintln(w, "  (no artifacts)")
	}
	if len(p.Notes) > 0 {
		fmt.Fprintln(w, "\nNot emulated:")
		for _, n := range p.Notes {
			fmt.Fprintf(w, "  %s\n", n)
		}
	}
}

// describeSelection says which files an artifact or report group takes.
func describeSelection(a runners.PlanArtifact) string {
	s := strings.Join(a.Files, ", ")
	if a.BaseDirectory != "" {
		s += " in " + a.BaseDirectory
	}
	if len(a.ExcludePaths) > 0 {
		s += " excluding " + strings.Join(a.ExcludePaths, ", ")
	}
	if a.DiscardPaths {
		s += " (paths discarded)"
	}
	return s
}

// indentLines indents every line of s but the first.
func indentLines(s, indent string) string {
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+indent)
}

// WriteBuildSummary renders the end of `pipeform exec`: the build's
// outcome, the phases that did not succeed and why, where the artifacts
// are, the exported variables, the report totals and the log.
func WriteBuildSummary(w io.Writer, b *runners.Build, logPath string) {
	fmt.Fprintf(w, "\nBuild %s: %s\n", b.ID, b.BuildStatus)
	for _, p := range b.Phases {
		if p.PhaseStatus != "" && p.PhaseStatus != runners.StatusSucceeded {
			msg := ""
			if len(p.Contexts) > 0 && p.Contexts[0].StatusCode != "" {
				msg = fmt.Sprintf(" (%s: %s)", p.Contexts[0].StatusCode, p.Contexts[0].Message)
			}
			fmt.Fprintf(w, "  %s %s%s\n", p.PhaseType, p.PhaseStatus, msg)
		}
	}
	if b.Artifacts != nil && b.Artifacts.Location != "" {
		fmt.Fprintf(w, "Artifacts: %s\n", b.Artifacts.Location)
	}
	for _, s := range b.SecondaryArtifacts {
		fmt.Fprintf(w, "Artifacts %s: %s\n", s.ArtifactIdentifier, s.Location)
	}
	for _, v := range b.ExportedEnvironmentVariables {
		fmt.Fprintf(w, "Exported %s=%s\n", v.Name, v.Value)
	}
	if t := reports.Totals(b.Reports); t != "" {
		fmt.Fprintf(w, "Reports: %s\n", t)
	}
	fmt.Fprintf(w, "Log: %s\n", logPath)
}
