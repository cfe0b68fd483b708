variable "environment" {
  type        = string
  default     = "staging"
  description = "The environment the shared stack is deployed to."
  validation {
    condition     = contains(["staging", "prod"], var.environment)
    error_message = "environment must be staging or prod."
  }
}

variable "alerts_topic_arn" {
  type        = string
  default     = "arn:aws:sns:us-east-1:111122223333:monorepo-ci-alerts"
  description = "SNS topic told about failed runs."
}

locals {
  image = "aws/codebuild/standard:7.0"

  # One entry per service folder under services/. Adding a service here adds
  # its CodeBuild project and its build action.
  services = {
    api = {
      compute = "BUILD_GENERAL1_SMALL"
      secrets = {}
    }
    billing = {
      compute = "BUILD_GENERAL1_SMALL"
      secrets = { PAYMENTS_API_KEY = "monorepo/billing:payments_api_key" }
    }
    worker = {
      compute = "BUILD_GENERAL1_MEDIUM"
      secrets = {}
    }
  }
}
