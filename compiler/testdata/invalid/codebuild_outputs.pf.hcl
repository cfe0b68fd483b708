project "plain" {
  phase "build" { commands = ["make"] }
}

project "build" {
  phase "build" { commands = ["make"] }
  secondary_artifacts "bin" { files = ["bin/*"] }
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
      outputs   = ["bin", "docs"] # ERROR: Output artifact not in project
    }
    action "plain" {
      codebuild = project.plain
      inputs    = [artifact.src]
      outputs   = ["out"] # ERROR: Output artifact not in project
    }
    action "plain2" {
      codebuild = project.plain
      inputs    = [artifact.src]
      outputs   = ["a", "b"] # ERROR: Output artifact not in project
    }
  }
}
