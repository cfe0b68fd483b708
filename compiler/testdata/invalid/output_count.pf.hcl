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
      codebuild = project.build
      inputs    = [artifact.src]
    }
    action "deploy" {
      codedeploy {
        application      = "app"
        deployment_group = "prod"
      }
      inputs  = [artifact.src]
      outputs = ["deployed"] # ERROR: Wrong number of output artifacts
    }
  }
}
