# Build every service in parallel, test them together, then deploy the shared
# stack with CloudFormation.
pipeline "monorepo" {
  type           = "V2"
  execution_mode = "QUEUED"

  variable "release" {
    default     = "latest"
    description = "Release label stamped on packages and the stack."
  }

  notification "failures" {
    detail_types = ["CodePipeline Pipeline Execution State Change"]
    states       = ["FAILED"]
    target_arn   = var.alerts_topic_arn
  }

  stage "Source" {
    action "checkout" {
      codecommit {
        repository = "monorepo"
        branch     = "main"
      }
      outputs   = ["src"]
      namespace = "SourceVariables"
    }
  }

  stage "Build" {
    action "build" {
      for_each = local.services
      codebuild {
        project               = project.service[each.key]
        environment_variables = { RELEASE = "#{variables.release}" }
      }
      inputs = [artifact.src]
    }
  }

  stage "Integration" {
    action "test" {
      codebuild = project.integration
      inputs    = [artifact.src]
    }
  }

  stage "Deploy" {
    action "stack" {
      cloudformation {
        action_mode   = "CREATE_UPDATE"
        stack_name    = "monorepo-${var.environment}"
        template_path = "src::infra/stack.yml"
        role_arn      = "arn:aws:iam::111122223333:role/monorepo-cloudformation"
        capabilities  = ["CAPABILITY_IAM"]
        parameter_overrides = {
          Environment = var.environment
          Release     = "#{variables.release}"
        }
      }
      inputs    = [artifact.src]
      namespace = "Stack"
      # CloudFormation has no local equivalent: check the template instead.
      local {
        commands = ["sh infra/check.sh infra/stack.yml"]
      }
    }
  }
}
