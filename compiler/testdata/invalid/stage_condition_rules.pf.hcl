# One broken rule per stage condition (CODEPIPELINE.md §2).
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
  stage "Skip" {
    before_entry {
      condition {
        result = "SKIP"
        rule "alarm" { # ERROR: Invalid stage condition
          provider      = "CloudWatchAlarm"
          configuration = { AlarmName = "app-errors" }
        }
        rule "window" { # ERROR: Invalid stage condition
          provider      = "DeploymentWindow"
          configuration = { Cron = "* * 9-17 ? * MON-FRI *" }
        }
      }
    }
    action "build" {
      codebuild = project.build
      inputs    = [artifact.src]
    }
  }
  stage "Many" {
    on_success { # ERROR: Invalid stage condition
      condition {
        result = "FAIL"
        rule "r0" {
          provider      = "VariableCheck"
          configuration = { Variable = "#{codepipeline.PipelineExecutionId}", Value = "x", Operator = "NE" }
        }
        rule "r1" {
          provider      = "VariableCheck"
          configuration = { Variable = "#{codepipeline.PipelineExecutionId}", Value = "x", Operator = "NE" }
        }
        rule "r2" {
          provider      = "VariableCheck"
          configuration = { Variable = "#{codepipeline.PipelineExecutionId}", Value = "x", Operator = "NE" }
        }
        rule "r3" {
          provider      = "VariableCheck"
          configuration = { Variable = "#{codepipeline.PipelineExecutionId}", Value = "x", Operator = "NE" }
        }
        rule "r4" {
          provider      = "VariableCheck"
          configuration = { Variable = "#{codepipeline.PipelineExecutionId}", Value = "x", Operator = "NE" }
        }
        rule "r5" {
          provider      = "VariableCheck"
          configuration = { Variable = "#{codepipeline.PipelineExecutionId}", Value = "x", Operator = "NE" }
        }
      }
    }
    action "build" {
      codebuild = project.build
      inputs    = [artifact.src]
    }
  }
  stage "Empty" {
    before_entry {
      condition { result = "FAIL" } # ERROR: Invalid stage condition
    }
    action "build" {
      codebuild = project.build
      inputs    = [artifact.src]
    }
  }
  stage "Retry" {
    on_failure { result = "SKIP" } # ERROR: Invalid value
    action "build" {
      codebuild = project.build
      inputs    = [artifact.src]
    }
  }
  stage "RetryMode" {
    on_failure {
      result     = "RETRY"
      retry_mode = "FAILED" # ERROR: Invalid value
    }
    action "build" {
      codebuild = project.build
      inputs    = [artifact.src]
    }
  }
  stage "RetryModeWithoutRetry" {
    on_failure {
      result     = "ROLLBACK"
      retry_mode = "ALL_ACTIONS" # ERROR: Invalid stage condition
    }
    action "build" {
      codebuild = project.build
      inputs    = [artifact.src]
    }
  }
}
