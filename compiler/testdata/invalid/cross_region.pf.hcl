project "build" {
  phase "build" { commands = ["make"] }
}

pipeline "app" {
  artifact_store { location = "pf-main" }
  artifact_store {
    region   = "eu-west-1"
    location = "pf-eu"
  }

  stage "Source" {
    action "checkout" {
      codecommit {
        repository = "app"
        branch     = "main"
      }
      outputs = ["src"]
      region  = "eu-west-1" # ERROR: Invalid cross-region action
    }
  }
  stage "Build" {
    action "build" {
      codebuild = project.build
      inputs    = [artifact.src]
    }
  }
}
