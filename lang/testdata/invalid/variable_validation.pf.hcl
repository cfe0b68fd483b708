variable "environment" {
  type    = string
  default = "dev" # ERROR: Variable validation failed
  validation {
    condition     = contains(["staging", "prod"], var.environment)
    error_message = "environment must be staging or prod."
  }
}

variable "count" {
  type    = number
  default = "many" # ERROR: Invalid default value for variable
}

variable "needed" {} # ERROR: No value for required variable

variable "cond" {
  default = 1
  validation {
    condition     = var.cond # ERROR: Invalid validation condition
    error_message = "x"
  }
}

variable "bad type" {} # ERROR: Invalid variable name
