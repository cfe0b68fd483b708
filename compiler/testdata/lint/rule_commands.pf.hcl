pipeline "app" {
  stage "Source" {
    action "checkout" {
      codecommit {
        repository = "app"
        branch     = "main"
      }
      outputs   = ["src"]
      namespace = "SourceVariables"
    }
  }
  stage "Deploy" {
    before_entry {
      condition {
        result = "FAIL"
        rule "branch" {
          provider = "Commands"
          commands = [
            "test #{SourceVariables.BranchName} = main", # WARNING: Variable in rule commands
            "echo checked",
            "echo #{SourceVariables.CommitId} # pipeform:ignore commands-variables",
          ]
          inputs = [artifact.src]
        }
      }
    }
    on_success {
      condition {
        result = "FAIL"
        rule "window" {
          provider      = "DeploymentWindow"
          configuration = { Cron = "* * 9-17 ? * MON-FRI *" }
        }
      }
    }
    action "ship" {
      lambda { function_name = "ship" }
    }
  }
}
