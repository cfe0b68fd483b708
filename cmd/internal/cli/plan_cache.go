package cli

import (
	"context"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/pipeform/pipeform/cmd/internal/views"
	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/targets/buildspec"
	"github.com/pipeform/pipeform/targets/local"
)

// cacheFlags are the inputs of a local run that decide its cache keys, so
// plan can say which actions apply would reuse: the same flags as apply's.
type cacheFlags struct {
	secretsFile string
	sources     []string
	variables   []string
}

func (f *cacheFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.secretsFile, "secrets-file", "", "the secrets file apply would get, so the forecast knows the secrets each action uses")
	cmd.Flags().StringArrayVar(&f.sources, "source", nil, "as apply's --source NAME=PATH: the folder a source action would snapshot (repeatable)")
	cmd.Flags().StringArrayVar(&f.variables, "variable", nil, "as apply's --variable NAME=VALUE: a pipeline variable for the forecast (repeatable)")
}

// forecast fills each cacheable action's cache forecast: cached (and from
// which run) or run, and why. Without a state folder nothing ran before, so
// nothing is computed.
func (c *CLI) forecast(l *loaded, pipelines []*graph.Pipeline, pl *views.Plan, cf cacheFlags) error {
	root, err := filepath.Abs(filepath.Join(l.Dir, ".pipeform"))
	if err != nil {
		return usagef("cannot resolve %s: %v", l.Dir, err)
	}
	srcMap, err := pairs("--source", cf.sources)
	if err != nil {
		return err
	}
	for _, n := range sortedKeys(srcMap) {
		if err := checkDir("--source "+n+"="+srcMap[n], srcMap[n]); err != nil {
			return err
		}
	}
	varMap, err := pairs("--variable", cf.variables)
	if err != nil {
		return err
	}
	o := local.Options{Layout: local.Layout{Root: root}, ConfigDir: l.Dir, Env: c.Environ(),
		Sources: srcMap, Variables: varMap, ParseBuildspec: buildspec.Parse, SourceEntries: c.SourceEntries,
		Region: firstNonEmpty(c.Getenv("AWS_REGION"), c.Getenv("AWS_DEFAULT_REGION"))}
	if o.Secrets, err = c.loadSecrets(cf.secretsFile, false); err != nil {
		return err
	}
	_, statErr := os.Stat(o.Layout.CacheDir())
	for _, p := range pipelines {
		var fc map[string]*local.Forecast
		if statErr == nil {
			o.Pipeline = p
			fc = local.ForecastRun(context.Background(), o)
		}
		for i := range pl.Actions {
			a := &pl.Actions[i]
			if a.Pipeline != p.Name || !a.Cacheable {
				continue
			}
			f := fc[a.ID]
			if f == nil {
				f = &local.Forecast{Reason: "no earlier success"}
			}
			a.Cache, a.CachedFrom, a.CacheReason = "run", "", f.Reason
			if f.Cached {
				a.Cache, a.CachedFrom, a.CacheReason = "cached", f.RunID, ""
			}
		}
	}
	return nil
}
