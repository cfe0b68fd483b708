project "build" {
  phase "build" { commands = ["make"] }
  artifacts { files = ["**/*"] }
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
      outputs   = ["src"] # ERROR: Duplicate output artifact
    }
  }
}
