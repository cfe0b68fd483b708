# The checker's model-derived rules, as the editor shows them: the same
# diagnostics as validate.
project "build" {
  phase "build" { commands = ["make"] }
}

project "Build" {
  environment_type = "WINDOWS_SERVER_2022_CONTAINER"
  timeout          = 0
  phase "build" { commands = ["make"] }
}

pipeline "app" {
  trigger {
    source_action = "checkout"
    pull_request {
      file_paths { includes = ["src/**"] }
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
  stage "Build" {
    before_entry {
      condition { result = "FAIL" }
    }
    action "build" {
      codebuild {
        project               = project.build
        environment_variables = { CODEBUILD_MODE = "x", "MODE-X" = "y" }
      }
      inputs           = [artifact.src, artifact.src]
      output_variables = ["VERSION"]
    }
    action "approve" {
      approval { message = "" }
    }
    action "ecs" {
      ecs {
        cluster            = "c"
        service            = "s"
        deployment_timeout = 1.5
      }
      inputs = [artifact.src]
    }
  }
}
