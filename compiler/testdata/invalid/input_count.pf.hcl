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
  }
  stage "Deploy" {
    action "deploy" {
      codedeploy {
        application      = "app"
        deployment_group = "prod"
      }
      inputs = [] # ERROR: Wrong number of input artifacts
    }
  }
}
