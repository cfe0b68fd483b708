project "build" {
  phase "build" { commands = ["make"] }
}

pipeline "app" {
  role_arn = "app-pipeline-role" # ERROR: Invalid role ARN

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
      codebuild = project.build
      inputs    = [artifact.src]
      role_arn  = "arn:aws:iam::1234:role/build" # ERROR: Invalid role ARN
    }
    action "user" {
      codebuild = project.build
      inputs    = [artifact.src]
      role_arn  = "arn:aws:iam::123456789012:user/ci" # ERROR: Invalid role ARN
    }
    action "empty" {
      codebuild = project.build
      inputs    = [artifact.src]
      role_arn  = "" # ERROR: Invalid role ARN
      region    = "" # ERROR: Invalid Region
    }
    action "ok" {
      codebuild = project.build
      inputs    = [artifact.src]
      role_arn  = "arn:aws-us-gov:iam::123456789012:role/path/ci"
    }
  }
}
