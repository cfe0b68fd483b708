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
      codebuild = project.build
      inputs    = [artifact.src]
    }
  }
  stage "Later" {
    action "other" { # ERROR: Source action outside first stage
      s3_source {
        bucket     = "bucket"
        object_key = "k.zip"
      }
      outputs = ["other"]
    }
  }
}
