# A string input produced later gets the same ordering error as
# artifact.NAME.
project "build" {
  phase "build" { commands = ["make"] }
  artifacts { files = ["bin/*"] }
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
    action "test" {
      codebuild = project.build
      inputs    = ["bin"] # ERROR: Artifact used before it is produced
    }
    action "build" {
      codebuild = project.build
      inputs    = ["src"]
      outputs   = ["bin"]
      run_order = 2
    }
  }
}
