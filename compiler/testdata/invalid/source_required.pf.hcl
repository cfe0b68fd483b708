project "build" {
  phase "build" { commands = ["make"] }
}

pipeline "app" {
  stage "Source" { # ERROR: No source action in first stage
    action "approve" {
      approval {}
    }
  }
  stage "Approve" {
    action "ship" {
      approval {}
    }
  }
}
