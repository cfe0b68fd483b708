# Source -> test and lint in parallel -> manual approval -> CodeDeploy.
pipeline "node-webapp" {
  type           = "V2"
  execution_mode = "QUEUED"

  stage "Source" {
    action "checkout" {
      codecommit {
        repository = var.repository
        branch     = "main"
      }
      outputs   = ["src"]
      namespace = "SourceVariables"
    }
  }

  stage "Test" {
    action "unit" {
      codebuild = project.test
      inputs    = [artifact.src]
      outputs   = ["bundle"]
      namespace = "Test"
    }
    # Same run order as unit: the two run in parallel.
    action "lint" {
      codebuild = project.lint
      inputs    = [artifact.src]
    }
  }

  stage "Approve" {
    action "ship" {
      approval {
        message = "Ship node-webapp #{Test.VERSION} (commit #{SourceVariables.CommitId}) to ${var.environment}?"
      }
    }
  }

  stage "Deploy" {
    action "deploy" {
      codedeploy {
        application      = "node-webapp"
        deployment_group = var.environment
      }
      inputs = [artifact.bundle]
    }
  }
}
