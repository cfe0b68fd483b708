# Attributes only the Commands action takes, written on other actions.
project "build" {
  phase "build" { commands = ["make"] }
  artifacts { files = ["**/*"] }
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
      codebuild             = project.build
      inputs                = [artifact.src]
      outputs               = ["dist"]
      output_variables      = ["VERSION"]     # ERROR: Attribute not for this action
      output_files          = ["dist/**/*"]   # ERROR: Attribute not for this action
      environment_variables = { STAGE = "x" } # ERROR: Attribute not for this action
    }
  }
  stage "Deploy" {
    action "servers" {
      codedeploy {
        application      = "app"
        deployment_group = "prod"
      }
      commands = [] # ERROR: Attribute not for this action
      inputs   = [artifact.dist]
    }
    action "cluster" {
      eks {
        cluster        = "prod"
        manifest_files = ["k8s.yaml"]
      }
      environment_variables = { IMAGE = "app:1" }
      inputs                = [artifact.dist]
    }
  }
}
