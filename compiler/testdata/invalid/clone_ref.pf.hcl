project "build" {
  phase "build" { commands = ["make"] }
}

pipeline "app" {
  stage "Source" {
    action "checkout" {
      codecommit {
        repository             = "app"
        branch                 = "main"
        output_artifact_format = "CODEBUILD_CLONE_REF"
      }
      outputs = ["src"]
    }
  }
  stage "Build" {
    action "build" {
      codebuild = project.build
      inputs    = [artifact.src]
    }
    action "publish" {
      s3_deploy {
        bucket  = "app-site"
        extract = true
      }
      inputs = [artifact.src] # ERROR: Full clone consumed by a non-CodeBuild action
    }
  }
}
