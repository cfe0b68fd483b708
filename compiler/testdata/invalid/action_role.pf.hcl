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
    action "jenkins" {
      custom {
        category = "Build"
        owner    = "Custom"
        provider = "Jenkins"
        version  = "1"
      }
      inputs   = [artifact.src]
      role_arn = "arn:aws:iam::123456789012:role/jenkins" # ERROR: Invalid action role
    }
  }
}
