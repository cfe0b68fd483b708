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
    }
  }
  stage "Approve" {
    action "approve" {
      approval {
        message = "Ship #{Bild.VERSION}?" # ERROR: Unknown variable namespace
      }
    }
  }
}
