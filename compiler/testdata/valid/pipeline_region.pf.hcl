# An action whose region is the pipeline's own Region is not cross-Region:
# it needs no artifact_store of its own, and even a source action may say it.
project "build" {
  phase "build" { commands = ["make"] }
}

pipeline "app" {
  region = "us-east-1"
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
      region  = "us-east-1"
    }
  }
  stage "Build" {
    action "build" {
      codebuild = project.build
      inputs    = [artifact.src]
      region    = "us-east-1"
    }
    action "build-eu" {
      codebuild = project.build
      inputs    = [artifact.src]
      region    = "eu-west-1"
    }
  }
}
