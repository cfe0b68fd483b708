# Some providers take a different number of inputs depending on their mode.
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
  stage "Scan" {
    action "scan" { # ERROR: Wrong number of input artifacts
      inspector_scan { run_mode = "SourceCodeScan" }
      outputs = ["sbom"]
    }
    action "start" { # ERROR: Wrong number of input artifacts
      step_functions {
        state_machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:release"
        input_type        = "FilePath"
        input             = "input.json"
      }
    }
  }
}
