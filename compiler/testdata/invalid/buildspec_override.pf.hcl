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
      codebuild {
        project            = project.build
        buildspec_override = "version: 0.2\nphases:\n  build:\n    commands: echo: a: b\n" # ERROR: Invalid buildspec override
      }
      inputs = [artifact.src]
    }
  }
}
