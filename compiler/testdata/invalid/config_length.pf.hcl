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
    action "build" {
      commands {}
      commands              = ["make"]
      inputs                = [artifact.src]
      environment_variables = { LONG = join("", [for i in range(201) : "0123456789"]) } # ERROR: Invalid value
    }
  }
  stage "Approve" {
    action "approve" {
      approval {
        message = join("", [for i in range(101) : "0123456789"]) # ERROR: Configuration value too long
      }
    }
    action "empty" {
      approval {
        message = "" # ERROR: Empty configuration value
      }
    }
    action "none" {
      custom {
        category      = "Approval"
        owner         = "AWS"
        provider      = "Manual"
        version       = "1"
        configuration = { CustomData = "" } # ERROR: Empty configuration value
      }
    }
  }
}
