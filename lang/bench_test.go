package lang

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// generated returns a configuration of n pipelines, each with its own
// project, four stages and a for_each action.
func generated(n int) fstest.MapFS {
	var b strings.Builder
	b.WriteString("variable \"regions\" { default = [\"eu-west-1\", \"us-east-1\"] }\nlocals { image = \"aws/codebuild/standard:7.0\" }\n")
	for i := 0; i < n; i++ {
		b.WriteString(generatedUnit(i))
	}
	return fstest.MapFS{"main.pf.hcl": {Data: []byte(b.String())}}
}

// generatedUnit is the i'th project and pipeline of generated.
func generatedUnit(i int) string {
	return fmt.Sprintf(`
project "build%[1]d" {
  image = local.image
  env { variables = { N = "%[1]d" } }
  phase "build" { commands = ["make", "make test"] }
  artifacts { files = ["**/*"] }
}

pipeline "p%[1]d" {
  stage "Source" {
    action "checkout" {
      codecommit {
        repository = "repo%[1]d"
        branch     = "main"
      }
      outputs = ["src"]
    }
  }
  stage "Build" {
    action "build" {
      codebuild = project.build%[1]d
      inputs    = [artifact.src]
      outputs   = ["dist"]
    }
  }
  stage "Approve" {
    action "ok" {
      approval {}
    }
  }
  stage "Deploy" {
    action "deploy" {
      for_each = toset(var.regions)
      s3_deploy {
        bucket  = "site-${each.key}"
        extract = true
      }
      inputs = [artifact.dist]
      region = each.key
    }
  }
}
`, i)
}

func BenchmarkLoad1000(b *testing.B) {
	fsys := generated(1000)
	b.ReportAllocs()
	for b.Loop() {
		if _, diags := Load(fsys, Options{}); diags.HasErrors() {
			b.Fatal(diags)
		}
	}
}

func TestGeneratedLoads(t *testing.T) {
	res, diags := Load(generated(3), Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if got := len(res.Config.Pipelines); got != 3 {
		t.Fatalf("%d pipelines", got)
	}
	if got := res.Config.Pipelines[0].Stages[3].Actions[1].Name; got != "deploy-us-east-1" {
		t.Fatalf("instance name %q", got)
	}
}
