project "build" { # ERROR: Buildspec too long
  phase "build" {
    commands = [for i in range(300) : "echo ${i} ${join("", [for j in range(10) : "0123456789"])}"]
  }
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
}
