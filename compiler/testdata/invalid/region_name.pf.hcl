project "build" {
  phase "build" { commands = ["make"] }
}

pipeline "app" {
  region = "US East (N. Virginia)" # ERROR: Invalid Region
  artifact_store { location = "pf-main" }
  artifact_store {
    region   = "eu-west" # ERROR: Invalid Region
    location = "pf-eu"
  }
  artifact_store {
    region   = "us-gov-west-1"
    location = "pf-gov"
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
  stage "Build" {
    before_entry {
      condition {
        result = "FAIL"
        rule "alarm" {
          provider      = "CloudWatchAlarm"
          configuration = { AlarmName = "app-errors" }
          region        = "eu_west_1"                              # ERROR: Invalid Region
          role_arn      = "arn:aws:iam::123456789012:user/checker" # ERROR: Invalid role ARN
        }
      }
    }
    action "build" {
      codebuild = project.build
      inputs    = [artifact.src]
      region    = "eu-west" # ERROR: Invalid Region
    }
    action "gov" {
      codebuild = project.build
      inputs    = [artifact.src]
      region    = "us-gov-west-1"
    }
  }
}
