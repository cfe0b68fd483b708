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
      outputs = ["app-src"]
    }
    action "tools" {
      s3_source {
        bucket     = "tools"
        object_key = "tools.zip"
      }
      outputs = ["tools"]
    }
  }
  stage "Build" {
    action "build" {
      codebuild {
        project        = project.build
        primary_source = "tools"
      }
      inputs = [artifact.tools, artifact.app-src] # ERROR: Artifact name not usable by CodeBuild
    }
  }
}
