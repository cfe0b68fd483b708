pipeline "web" {
  stage "Source" {
    action "checkout" {
      codecommit {
        repository = "web"
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
    action "lint" {
      codebuild = project.lint
      inputs    = [artifact.src]
    }
  }

  stage "Approve" {
    action "ship" {
      approval {
        message = "Ship #{Test.VERSION} (commit #{SourceVariables.CommitId}, #{variables.release}) to ${var.environment}?"
      }
    }
  }

  stage "Deploy" {
    action "deploy" {
      codedeploy {
        application      = "web"
        deployment_group = var.environment
      }
      inputs = [artifact.bundle]
    }
  }

  variable "release" {
    default = "latest"
  }
}
