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
      outputs   = ["src"]
      namespace = "Src"
    }
  }
  stage "Build" {
    action "build" {
      codebuild = project.build
      inputs    = [artifact.src]
    }
  }
  stage "Approve" {
    action "approve" {
      approval {
        message = "Ship #{Src.CommitID}?" # ERROR: Unknown variable
      }
    }
  }
}
