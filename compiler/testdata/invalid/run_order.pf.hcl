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
      run_order = 1000 # ERROR: Invalid run order
    }
    action "zero" {
      codebuild = project.build
      inputs    = [artifact.src]
      run_order = 0 # ERROR: Invalid run order
    }
  }
}
