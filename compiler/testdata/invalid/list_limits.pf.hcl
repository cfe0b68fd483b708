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
  stage "Check" {
    action "check" {
      commands {}
      inputs   = [artifact.src]
      commands = [for i in range(51) : "echo ${i}"] # ERROR: Too many entries
    }
  }
}
