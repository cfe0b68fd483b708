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
        rule "alarm" {
          provider      = "CloudwatchAlarm" # ERROR: Invalid rule
          configuration = { AlarmName = "errors" }
        }
        rule "states" {
          provider      = "CloudWatchAlarm"
          configuration = { AlarmName = "errors", AlarmStates = "ALARM,FIRING" } # ERROR: Invalid rule
        }
        rule "branch" {
          provider      = "VariableCheck"
          configuration = { Variable = "#{variables.branch}", Value = "main", Operator = "EQUALS" } # ERROR: Invalid rule
        }
        rule "typo" {
          provider = "CloudWatchAlarm"
          configuration = {
            AlarmName  = "errors"
            AlarmState = "ALARM" # ERROR: Invalid rule
          }
        }
        rule "window" {
          provider      = "DeploymentWindow"
          configuration = { Cron = "0 9 * * MON-FRI" } # ERROR: Invalid rule
        }
      }
      condition {
        result = "FAIL"
        rule "seconds" {
          provider      = "DeploymentWindow"
          configuration = { Cron = "0 0 9-17 ? * MON-FRI *" } # ERROR: Invalid rule
        }
        rule "both_days" {
          provider      = "DeploymentWindow"
          configuration = { Cron = "* 0 9-17 * * MON-FRI" } # ERROR: Invalid rule
        }
        rule "w_in_hours" {
          provider      = "DeploymentWindow"
          configuration = { Cron = "* 0 9W ? * MON-FRI" } # ERROR: Invalid rule
        }
        rule "nearest_weekday" {
          provider      = "DeploymentWindow"
          configuration = { Cron = "* * 9-17 LW * ?", TimeZone = "Europe/Paris" }
        }
      }
    }
    action "build" {
      codebuild = project.build
      inputs    = [artifact.src]
    }
  }
}
