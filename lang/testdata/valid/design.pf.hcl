# The example of the design document.
variable "environment" {
  type    = string
  default = "staging"
  validation {
    condition     = contains(["staging", "prod"], var.environment)
    error_message = "environment must be staging or prod."
  }
}

locals { image = "aws/codebuild/standard:7.0" }

project "test" {
  image   = local.image
  timeout = 30
  env {
    variables       = { NODE_ENV = "test" }
    parameter_store = { NPM_TOKEN = "/ci/npm-token" }
    secrets_manager = { DB_PASSWORD = "ci/db:password" }
    exported        = ["VERSION"]
  }
  phase "install" {
    runtime_versions = { nodejs = "20" }
    commands         = ["npm ci"]
  }
  phase "build" {
    commands = ["npm test", "export VERSION=$(cat VERSION)"]
    finally  = ["echo done"]
  }
  report "unit" {
    files          = ["junit.xml"]
    base_directory = "reports"
    format         = "JUNITXML"
  }
  artifacts {
    files          = ["**/*"]
    base_directory = "dist"
  }
  cache { paths = ["/root/.npm/**/*"] }
}

project "lint" {
  phase "build" { commands = ["npm run lint"] }
}

pipeline "web" {
  type           = "V2"
  execution_mode = "QUEUED"
  variable "release" { default = "latest" }

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
      outputs   = ["dist"]
      namespace = "Test"
    }
    action "lint" {
      codebuild = project.lint
      inputs    = [artifact.src]
    }
  }
  stage "Approve" {
    action "ship" {
      approval { message = "Ship #{Test.VERSION} to ${var.environment}?" }
    }
  }
  stage "Deploy" {
    action "deploy" {
      codedeploy {
        application      = "web"
        deployment_group = var.environment
      }
      inputs = [artifact.dist]
    }
  }
}
