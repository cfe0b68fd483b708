variable "a" { default = 1 }
variable "a" {} # ERROR: Duplicate variable

locals { x = 1 }
locals {
  x = 2 # ERROR: Duplicate local value
}

project "p" {
  phase "build" { commands = ["a"] }
  phase "build" { commands = ["b"] } # ERROR: Duplicate phase
  report "r" { files = ["a"] }
  report "r" { files = ["b"] } # ERROR: Duplicate report
  secondary_artifacts "s" { files = ["a"] }
  secondary_artifacts "s" { files = ["b"] } # ERROR: Duplicate secondary artifact
  env {}
  env {} # ERROR: Duplicate block
}
project "p" {} # ERROR: Duplicate project

pipeline "web" {
  variable "v" {}
  variable "v" {} # ERROR: Duplicate pipeline variable
  notification "n" {}
  notification "n" {} # ERROR: Duplicate notification
  stage "Build" {
    action "a" { codebuild = project.p }
    action "a" { codebuild = project.p } # ERROR: Duplicate action
  }
  stage "Build" { # ERROR: Duplicate stage
    action "b" { codebuild = project.p }
  }
}
pipeline "web" {} # ERROR: Duplicate pipeline

project "first" {
  phase "build" { commands = ["make"] }
}
project "second" {
  name = "first" # ERROR: Duplicate project name
  phase "build" { commands = ["make"] }
}
project "matrix" {
  for_each = toset(["x", "y"])
  name     = "same" # ERROR: Duplicate project name
  phase "build" { commands = ["make"] }
}
