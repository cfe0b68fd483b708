project "build" {
  phase "build" { commands = ["make"] }
}

pipeline "app" {
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
      codebuild          = project.build
      inputs             = [artifact.src]
      timeout_in_minutes = 30 # ERROR: Invalid action timeout
    }
  }
  stage "Approve" {
    action "ok" {
      approval {}
      timeout_in_minutes = 0 # ERROR: Invalid action timeout
    }
  }
}
