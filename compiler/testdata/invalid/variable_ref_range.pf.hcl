# A #{ns.VAR} problem points at the string that holds it, not the map.
pipeline "app" {
  stage "Source" {
    action "checkout" {
      codecommit {
        repository = "app"
        branch     = "main"
      }
      outputs   = ["src"]
      namespace = "Src"
    }
  }
  stage "Deploy" {
    action "stack" {
      cloudformation {
        action_mode   = "CREATE_UPDATE"
        stack_name    = "app"
        template_path = "src::t.yml"
        role_arn      = "arn:aws:iam::123456789012:role/cfn"
        parameter_overrides = {
          Commit = "#{Src.CommitId}"
          Branch = "#{Src.Brnch}" # ERROR: Unknown variable
          Stage  = "#{Nope.Name}" # ERROR: Unknown variable namespace
        }
      }
      inputs = [artifact.src]
    }
    action "run" {
      commands {}
      commands = ["echo $WHO"]
      inputs   = [artifact.src]
      environment_variables = {
        WHO  = "me"
        WHEN = "#{Src.ComitterDate}" # ERROR: Unknown variable
      }
      run_order = 2
    }
  }
}
