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
  stage "Deploy" {
    action "site" {
      s3_deploy { # ERROR: Missing required configuration
        bucket  = "site"
        extract = false
      }
      inputs = [artifact.src]
    }
  }
}
