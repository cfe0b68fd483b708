project "build" {
  phase "build" { commands = ["make"] }
}

pipeline "app" {
  region = "us-east-1"
  artifact_store { location = "pf-main" }
  artifact_store {
    region   = "us-east-1" # ERROR: Artifact store for the pipeline's own Region
    location = "pf-us"
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
      region    = "eu-west-1" # ERROR: Missing artifact store for region
    }
  }
}
