pipeline "p" {
  stage "s" {
    action "a" {
      codecommit {
        repository = "r"
        branch     = "main"
      }
      outputs = [artifact.src] # ERROR: Invalid reference
    }
  }
}

project "x" {
  description = artifact.src # ERROR: Invalid reference
}
