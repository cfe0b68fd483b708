variable "tier" {
  type    = string
  default = "🚀"
}

locals {
  label = "${var.tier}-${var.tierr}"
}

project "build" {
  image = local.imagee
  phase "build" {
    commands = ["make"]
  }
}

pipeline "lang" {
  stage "Source" {
    action "checkout" {
      codecommit {
        repository = "app"
        branch     = "main"
        colour     = "🚀 blue"
      }
      outputs = ["src"]
    }
  }
  stage "Build" {
    action "build" {
      codebuild = project.buidl
      inputs    = ["🚀", artifact.srcc]
    }
  }
}
