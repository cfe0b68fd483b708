variable "region" { default = "eu-west-1" }

locals {
  a  = var.regoin # ERROR: Unknown input variable
  b  = local.c    # ERROR: Unknown local value
  c2 = each.key   # ERROR: Invalid "each" reference
  d  = foo.bar    # ERROR: Unknown reference
}

project "test" {
  name  = "x-${project.other.name}" # ERROR: Invalid reference
  image = project.test.name
}

project "other" {
  image = project.tset.name # ERROR: Unknown project
}

pipeline "p" {
  stage "s" {
    action "a" {
      codebuild = project.test
      inputs    = [artifact.scr] # ERROR: Unknown artifact
      outputs   = ["src"]
    }
  }
}
