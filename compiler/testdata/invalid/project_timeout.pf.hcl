project "build" {
  timeout = 3000 # ERROR: Invalid project timeout
  phase "build" { commands = ["make"] }
}

# A written 0 is a value like any other, not "left out".
project "zero" {
  timeout        = 0 # ERROR: Invalid project timeout
  queued_timeout = 0 # ERROR: Invalid project timeout
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
    action "zero" {
      codebuild = project.zero
      inputs    = [artifact.src]
    }
  }
}
