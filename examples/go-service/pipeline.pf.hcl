# Test and build once, deploy a canary to the home Region, then, after an
# approval, to every other Region in parallel.
pipeline "goservice" {
  type = "V2"

  # One artifact bucket in the home Region, plus one in every Region a
  # deployment runs in: CodePipeline copies the bundle there.
  artifact_store {
    location = "goservice-artifacts-${var.home_region}"
  }
  dynamic "artifact_store" {
    for_each = local.rollout_regions
    content {
      region   = artifact_store.value
      location = "goservice-artifacts-${artifact_store.value}"
    }
  }

  stage "Source" {
    action "checkout" {
      codecommit {
        repository = "goservice"
        branch     = "main"
      }
      outputs   = ["src"]
      namespace = "SourceVariables"
    }
  }

  stage "Build" {
    action "test" {
      codebuild = project.test
      inputs    = [artifact.src]
    }
    action "build" {
      codebuild = project.build
      inputs    = [artifact.src]
      outputs   = ["bundle"]
      namespace = "Build"
    }
  }

  stage "Canary" {
    action "deploy" {
      codedeploy {
        application      = "goservice"
        deployment_group = "goservice-${var.home_region}"
      }
      inputs = [artifact.bundle]
    }
  }

  stage "Promote" {
    action "approve" {
      approval {
        message = "goservice #{Build.VERSION} is live in ${var.home_region}. Roll it out to ${join(", ", local.rollout_regions)}?"
      }
    }
  }

  stage "Rollout" {
    action "deploy" {
      for_each = local.rollout_regions
      region   = each.value
      codedeploy {
        application      = "goservice"
        deployment_group = "goservice-${each.value}"
      }
      inputs = [artifact.bundle]
    }
  }
}
