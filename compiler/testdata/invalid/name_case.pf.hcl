# Names that differ only in case make files that collide on a
# case-insensitive file system.
project "build" {
  phase "build" { commands = ["make"] }
}

project "Build" { # WARNING: Names differ only in case
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
    action "Build" {
      codebuild = project.Build
      inputs    = [artifact.src]
    }
  }
}

pipeline "App" { # WARNING: Names differ only in case
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
