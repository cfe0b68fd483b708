# An error in the source of a for_each block is reported once, not once per
# instance.
project "smoke" {
  for_each     = toset(["dev", "prod"])
  compute_type = "BUILD_GENERAL1_XL" # ERROR: Invalid value
  timeout      = 3                   # ERROR: Invalid project timeout
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
  stage "Test" {
    action "smoke" {
      for_each  = toset(["dev", "prod"])
      codebuild = project.smoke[each.key]
      inputs    = [artifact.src]
      run_order = 0 # ERROR: Invalid run order
    }
  }
}
