variable "environment" {
  type        = string
  default     = "staging"
  description = "The CodeDeploy deployment group to ship to."
  validation {
    condition     = contains(["staging", "prod"], var.environment)
    error_message = "environment must be staging or prod."
  }
}

variable "repository" {
  type        = string
  default     = "node-webapp"
  description = "The CodeCommit repository that holds this app."
}

locals {
  image = "aws/codebuild/standard:7.0"
}
