# A wrong element of a list, or key or value of a map, is reported on its
# own line, not on the attribute's first line.
project "build" {
  env {
    variables = {
      GOOD       = "1"
      "bad-name" = "2" # ERROR: Invalid environment variable name
    }
    exported = [
      "VERSION",
      "2FAST", # ERROR: Invalid environment variable name
    ]
  }
  phase "build" { commands = ["make"] }
}

pipeline "app" {
  notification "failed" {
    states = [
      "FAILED",
      "FAIL", # ERROR: Invalid value
    ]
    target_arn = "arn:aws:sns:us-east-1:123456789012:alerts"
  }
  stage "Source" {
    action "checkout" {
      codecommit {
        repository = "app"
        branch     = "main"
      }
      outputs = ["src"]
    }
  }
  stage "Run" {
    action "run" {
      commands {}
      commands = ["make"]
      inputs   = [artifact.src]
      environment_variables = {
        OK       = "x"
        "MY-VAR" = "y" # ERROR: Invalid name
        EMPTY    = ""  # ERROR: Invalid value
      }
    }
  }
}
