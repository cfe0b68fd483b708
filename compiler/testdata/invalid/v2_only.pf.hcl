project "build" {
  phase "build" { commands = ["make"] }
}

pipeline "app" {
  type = "V1"

  variable "release" { default = "latest" } # ERROR: Feature needs pipeline type V2

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
}
