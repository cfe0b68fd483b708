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
        result = "FAIL"
        rule "alarm" { # ERROR: Invalid rule
          provider      = "CloudwatchAlarm"
          configuration = { AlarmName = "errors" }
        }
      }
    }
    action "build" {
      codebuild = project.build
      inputs    = [artifact.src]
    }
  }
}
