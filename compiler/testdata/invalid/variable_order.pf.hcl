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
  stage "Approve" {
    action "approve" {
      approval {
        message = "Ship #{Build.VERSION}?" # ERROR: Variable used before it is produced
      }
    }
    action "build" {
      codebuild = project.build
      inputs    = [artifact.src]
      namespace = "Build"
    }
  }
}
