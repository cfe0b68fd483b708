project "build" {
  phase "install" {
    runtime_versions = { nodejs = "20" }
  }
  phase "build" {} # ERROR: Missing phase commands
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
}
