# Each trigger breaks one of CodePipeline's trigger rules (CODEPIPELINE.md §1).
project "build" {
  phase "build" { commands = ["make"] }
}

pipeline "app" {
  trigger { # ERROR: Invalid trigger
    source_action = "github"
  }
  trigger {
    source_action = "gitlab"
    push { # ERROR: Invalid trigger
      file_paths { includes = ["src/**"] }
    }
  }
  trigger {
    source_action = "bitbucket"
    pull_request {        # ERROR: Invalid trigger
      events = ["OPENED"] # ERROR: Invalid value
    }
  }
  trigger {
    source_action = "ghes"
    push {
      branches { includes = ["a", "b", "c", "d", "e", "f", "g", "h", "i"] } # ERROR: Invalid value
    }
  }
  trigger {
    source_action = "ok"
    push {
      branches { includes = ["main"] }
    }
  }
  trigger {
    source_action = "ok" # ERROR: Invalid trigger
    push {
      tags { includes = ["v*"] }
    }
  }
  trigger {
    source_action = "twice"
    push {
      branches { includes = ["main"] }
    }
    push {
      tags { includes = ["v*"] }
    }
    push { # ERROR: Duplicate trigger filter
      branches { includes = ["main"] }
    }
    pull_request {
      branches { includes = ["main"] }
    }
    pull_request {
      branches { includes = ["main"] }
      events = ["OPEN"]
    }
  }
  trigger {
    source_action = "prpaths"
    pull_request {
      file_paths { includes = ["src/**"] } # ERROR: Invalid trigger
    }
  }

  stage "Source" {
    dynamic "action" {
      for_each = ["github", "gitlab", "bitbucket", "ghes", "ok", "prpaths", "twice"]
      labels   = [action.value]
      content {
        codestar_connection {
          connection_arn = "arn:aws:codeconnections:us-east-1:123456789012:connection/abc"
          repository     = "acme/${action.value}"
          branch         = "main"
        }
        outputs = ["src_${action.value}"]
      }
    }
  }
  stage "Build" {
    action "build" {
      codebuild = project.build
      inputs    = [artifact.src_ok]
    }
  }
}
