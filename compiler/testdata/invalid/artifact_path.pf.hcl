project "build" {
  phase "build" { commands = ["make"] }
}

pipeline "app" {
  variable "template" { default = "src::stackset.yml" }
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
    action "bare" {
      cloudformation {
        action_mode            = "CREATE_UPDATE"
        stack_name             = "bare"
        template_path          = "template.yml" # ERROR: Invalid artifact path
        template_configuration = "src::"        # ERROR: Invalid artifact path
        role_arn               = "arn:aws:iam::123456789012:role/cfn"
      }
      inputs = [artifact.src]
    }
    action "set" {
      cloudformation_stackset {
        stack_set_name = "app"
        template_path  = "#{variables.template}" # resolved at run time
        parameters     = "ParameterKey=Env,ParameterValue=prod"
      }
      inputs = [artifact.src]
    }
    action "set2" {
      cloudformation_stackset {
        stack_set_name = "app2"
        template_path  = "stackset.yml" # ERROR: Invalid artifact path
      }
      inputs = [artifact.src]
    }
  }
}
