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
      commands         = ["./check.sh"]
      inputs           = [artifact.src]
      output_variables = [for i in range(16) : "V${i}"] # ERROR: Too many entries
    }
  }
}
