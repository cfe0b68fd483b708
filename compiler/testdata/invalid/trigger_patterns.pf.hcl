# Trigger patterns CodePipeline's glob syntax cannot read (docs/triggers.md).
project "build" {
  phase "build" { commands = ["make"] }
}

pipeline "app" {
  trigger {
    source_action = "github"
    push {
      branches { includes = ["release/{1,2"] } # ERROR: Invalid trigger
      file_paths {                             # ERROR: Invalid trigger
        includes = ["src/**"]
        excludes = ["[a/b]"]
      }
    }
  }

  stage "Source" {
    action "github" {
      codestar_connection {
        connection_arn = "arn:aws:codeconnections:us-east-1:123456789012:connection/abc"
        repository     = "acme/app"
        branch         = "main"
      }
      outputs = ["src"]
    }
  }
  stage "Build" {
    action "build" {
      codebuild = project.build
      inputs    = [artifact.src]
    }
  }
}
