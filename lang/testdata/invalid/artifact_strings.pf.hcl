# An artifact name given as a string resolves like artifact.NAME.
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
      outputs = ["bundle"]
    }
  }
  stage "Build" {
    on_success {
      condition {
        result = "FAIL"
        rule "check" {
          provider = "Commands"
          commands = ["./check.sh"]
          inputs   = ["bundl"] # ERROR: Unknown artifact
        }
      }
    }
    action "build" {
      codebuild = project.build
      inputs    = ["bundle", "bundel"] # ERROR: Unknown artifact
    }
  }
}
