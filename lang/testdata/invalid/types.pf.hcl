project "test" {
  privileged = "maybe" # ERROR: Incorrect attribute value type
  timeout    = 1.5     # ERROR: Incorrect attribute value type
  tags       = ["a"]   # ERROR: Incorrect attribute value type
  env {
    exported = "VERSION" # ERROR: Incorrect attribute value type
  }
  phase "build" {
    commands = [["make"]] # ERROR: Incorrect attribute value type
  }
}

pipeline "p" {
  stage "s" {
    action "a" {
      codecommit {
        repository              = "r"
        branch                  = "main"
        poll_for_source_changes = "often" # ERROR: Incorrect attribute value type
      }
      outputs = "src" # ERROR: Incorrect attribute value type
    }
  }
}
