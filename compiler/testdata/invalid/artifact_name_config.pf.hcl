# CodeDeployToECS names its input artifacts in its configuration.
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
      codebuild = project.build
      inputs    = [artifact.src]
      outputs   = ["image"]
    }
  }
  stage "Deploy" {
    action "bluegreen" {
      codedeploy_to_ecs {
        application                       = "app"
        deployment_group                  = "app-bg"
        task_definition_template_artifact = "src"
        appspec_template_artifact         = "src"
        image1_artifact_name              = "img" # ERROR: Artifact path names no input
        image1_container_name             = "IMAGE1_NAME"
      }
      inputs = [artifact.src, artifact.image]
    }
  }
}
