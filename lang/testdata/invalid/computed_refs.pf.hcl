# Computed keys of artifact[...] and project[...] are checked like names.
locals {
  services = toset(["api", "web"])
}

project "build" {
  phase "build" {
    commands = ["make"]
  }
}

project "svc" {
  for_each = local.services
}

project "other" {
  description = project.svc["wbe"].name # ERROR: Invalid index
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
      codebuild = project["bulid"] # ERROR: Unknown project
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
      inputs = [artifact["${each.key}_pk"]] # ERROR: Unknown artifact
    }
    action "smoke" {
      for_each  = toset(["api", "db"])
      codebuild = project.svc[each.key] # ERROR: Invalid index
      inputs    = [artifact.src]
      run_order = 2
    }
  }
}
