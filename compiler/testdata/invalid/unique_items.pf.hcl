# Lists whose items AWS wants distinct (CloudFormation's uniqueItems).
pipeline "app" {
  trigger {
    source_action = "checkout"
    push {
      branches { includes = ["main", "release/*", "main"] } # ERROR: Invalid value
    }
    pull_request {
      events = ["OPEN", "OPEN"] # ERROR: Invalid value
      branches { includes = ["main"] }
    }
  }
  stage "Source" {
    action "checkout" {
      codestar_connection {
        connection_arn = "arn:aws:codeconnections:us-east-1:123456789012:connection/abc"
        repository     = "acme/app"
        branch         = "main"
      }
      outputs = ["src"]
    }
  }
  stage "Check" {
    action "check" {
      commands {}
      commands         = ["make check"]
      inputs           = [artifact.src, artifact.src] # ERROR: Artifact listed twice
      outputs          = ["report"]
      output_files     = ["report.xml", "report.xml"] # ERROR: Invalid value
      output_variables = ["RESULT", "RESULT"]         # ERROR: Invalid value
    }
  }
}
