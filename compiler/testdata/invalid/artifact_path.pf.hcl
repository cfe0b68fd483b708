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
  stage "Deploy" {
    action "stack" {
      cloudformation {
        action_mode   = "CREATE_UPDATE"
        stack_name    = "app"
        template_path = "build::template.yml" # ERROR: Artifact path names no input
        role_arn      = "arn:aws:iam::123456789012:role/cfn"
      }
      inputs = [artifact.src]
    }
  }
}
