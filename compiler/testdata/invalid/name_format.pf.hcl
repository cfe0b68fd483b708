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
      outputs   = ["src"]
      namespace = "Source.Vars" # ERROR: Invalid name
    }
  }
  stage "Build" {
    action "build" {
      codebuild = project.build
      inputs    = [artifact.src]
      namespace = "" # ERROR: Invalid name
    }
  }
}

pipeline "renamed" {
  name = "web app" # ERROR: Invalid name
  stage "Source" {
    action "checkout" {
      codecommit {
        repository = "app"
        branch     = "main"
      }
      outputs = ["web"]
    }
  }
  stage "Approve" {
    action "ok" {
      approval {}
    }
  }
}
