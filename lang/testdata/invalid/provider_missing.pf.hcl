pipeline "p" {
  stage "s" {
    action "a" { # ERROR: Missing action provider
      outputs = ["x"]
    }
    action "b" {
      codedeploy { # ERROR: Missing required argument
        application = "web"
      }
    }
  }
}
