project "build" {
  phase "build" { commands = ["make"] }
}

pipeline "app" {
  variable "branch" { default = "main" }

  stage "Source" {
    action "checkout" {
      codecommit {
        repository = "app"
        branch     = "#{variables.branch}" # ERROR: Pipeline variable in source action
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
