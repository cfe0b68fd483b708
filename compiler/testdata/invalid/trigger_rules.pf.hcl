project "build" {
  phase "build" { commands = ["make"] }
}

pipeline "app" {
  trigger { # ERROR: Invalid trigger
    source_action = "checkout"
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
