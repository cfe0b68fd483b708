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
    before_entry {
      condition {
        result = "ROLLBACK" # ERROR: Invalid stage condition
        rule "window" {
          provider      = "DeploymentWindow"
          configuration = { Cron = "* 0 9-17 ? * MON-FRI *" }
        }
      }
    }
    action "build" {
      codebuild = project.build
      inputs    = [artifact.src]
    }
  }
}
