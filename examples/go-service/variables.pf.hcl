variable "home_region" {
  type        = string
  default     = "us-east-1"
  description = "The Region the pipeline lives in; the canary deployment goes here first."
}

variable "regions" {
  type        = list(string)
  default     = ["us-east-1", "eu-west-1"]
  description = "Every Region goservice runs in, the home Region included."
  validation {
    condition     = length(var.regions) >= 2
    error_message = "regions must name the home Region and at least one more."
  }
}

locals {
  image = "aws/codebuild/standard:7.0"
  # The Regions that follow the canary, deployed in parallel.
  rollout_regions = toset([for r in var.regions : r if r != var.home_region])
}
