# Artifact references with a computed key: each service's build output is
# consumed by the matching deploy action.
locals {
  services = toset(["api", "web"])
}

project "build" {
  phase "build" {
    commands = ["make"]
  }
  artifacts {
    files = ["**/*"]
  }
}

pipeline "app" {
  stage "Source" {
    action "checkout" {
      codecommit {
        repository = "app"
        branch     = "main"
      }
      outputs = ["src"]
    }
  }
  stage "Build" {
    action "build" {
      for_each  = local.services
      codebuild = project.build
      inputs    = [artifact["src"]]
      outputs   = ["${each.key}_pkg"]
    }
  }
  stage "Deploy" {
    action "deploy" {
      for_each = local.services
      s3_deploy {
        bucket  = "app-${each.key}"
        extract = true
      }
      inputs = [artifact["${each.key}_pkg"]]
    }
  }
}
