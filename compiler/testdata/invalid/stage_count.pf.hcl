project "build" {
  phase "build" { commands = ["make"] }
}

pipeline "app" { # ERROR: Wrong number of stages
  stage "Source" {
    action "checkout" {
      codecommit {
        repository = "app"
        branch     = "main"
      }
      outputs = ["src"]
    }
  }
}
