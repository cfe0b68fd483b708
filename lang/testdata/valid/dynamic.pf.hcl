# dynamic blocks at several levels, and for_each inside for_each.
variable "envs" {
  default = {
    staging = ["eu-west-1"]
    prod    = ["eu-west-1", "us-east-1"]
  }
}

project "build" {
  dynamic "report" {
    for_each = toset(["unit", "integration"])
    iterator = r
    labels   = [r.key]
    content {
      files = ["${r.key}.xml"]
    }
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
  dynamic "stage" {
    for_each = ["Lint", "Test"]
    labels   = [stage.value]
    content {
      action "run" {
        codebuild = project.build
        inputs    = [artifact.src]
        namespace = "${stage.value}Vars"
      }
      # A for_each action in a generated stage: each reaches its dynamic
      # blocks, and so does the stage iterator.
      action "shard" {
        for_each  = toset(["1", "2"])
        name      = "shard-${each.key}"
        codebuild = project.build
        inputs    = [artifact.src]
        run_order = 2
        dynamic "local" {
          for_each = toset([each.key])
          content {
            commands = ["echo ${stage.value} shard ${local.value}"]
          }
        }
      }
    }
  }
  # A generated stage with its own for_each: each reaches the nested
  # dynamic block, and the outer iterator is still in scope.
  dynamic "stage" {
    for_each = ["Scan"]
    iterator = outer
    labels   = [outer.value]
    content {
      for_each = toset(["fast", "full"])
      name     = "${outer.value}-${each.key}"
      dynamic "action" {
        for_each = toset(["${each.key}-a"])
        labels   = ["scan-${action.key}"]
        content {
          codebuild = project.build
          inputs    = [artifact.src]
          namespace = "${outer.value}${each.key}"
        }
      }
    }
  }
  stage "Deploy" {
    for_each = var.envs
    name     = "Deploy-${each.key}"
    dynamic "action" {
      for_each = each.value
      labels   = ["deploy-${action.value}"]
      content {
        s3_deploy {
          bucket  = "${each.key}-${action.value}"
          extract = true
        }
        inputs = [artifact.src]
        region = action.value
      }
    }
    # A generated action with its own for_each, in a for_each stage: each
    # stage instance generates its own actions.
    dynamic "action" {
      for_each = each.value
      iterator = region
      labels   = ["verify-${region.value}"]
      content {
        for_each  = toset(["a", "b"])
        name      = "verify-${region.value}-${each.key}"
        codebuild = project.build
        inputs    = [artifact.src]
        run_order = 3
        dynamic "local" {
          for_each = toset([each.key])
          content {
            commands = ["echo ${local.value} ${region.value}"]
          }
        }
      }
    }
    action "smoke" {
      for_each  = toset(each.value)
      name      = "smoke-${each.key}"
      codebuild = project.build
      inputs    = [artifact.src]
      run_order = 2
    }
  }
}
