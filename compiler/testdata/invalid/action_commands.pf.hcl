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
  stage "Check" {
    action "check" {
      commands {}
      commands = ["cd app\nmake check"] # ERROR: Invalid action commands
      inputs   = [artifact.src]
    }
  }
}
