variable "environment" {
  type        = string
  default     = "staging"
  description = "The deployment group to ship to."
}

locals {
  image = "aws/codebuild/standard:7.0"
}
