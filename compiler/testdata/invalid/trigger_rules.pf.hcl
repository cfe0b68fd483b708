project "build" {
  phase "build" { commands = ["make"] }
}

pipeline "app" {
  trigger {
    source_action = "checkout" # ERROR: Invalid trigger
    push {
      branches { includes = ["main"] }
    }
  }

  stage "Source" {
    action "checkout" {
      codecommit {
        repository = "app"
        branch     = "main"
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
