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
      outputs   = ["bin"]
    }
  }
  stage "Test" {
    action "test" {
      codebuild {
        project        = project.build
        primary_source = "source" # ERROR: Unknown primary source
      }
      inputs = [artifact.src, artifact.bin]
    }
  }
}
