project "build" {
  env {
    variables = { CODEBUILD_X = "1" } # ERROR: Reserved environment variable
  }
  phase "build" { commands = ["make"] }
}

project "batched" {
  phase "build" { commands = ["make"] }
  batch {
    build "linux" {
      env {
        variables = {
          CODEBUILD_TARGET = "linux" # ERROR: Reserved environment variable
          "TARGET-OS"      = "linux" # ERROR: Invalid environment variable name
        }
      }
    }
  }
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
      codebuild {
        project               = project.build
        environment_variables = { CODEBUILD_STAGE = "test" } # ERROR: Reserved environment variable
      }
      inputs = [artifact.src]
    }
    action "check" {
      commands {}
      commands              = ["make check"]
      environment_variables = { CODEBUILD_MODE = "strict" } # ERROR: Reserved environment variable
      inputs                = [artifact.src]
    }
  }
}
