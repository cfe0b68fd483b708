# Every kind of action the compiler lowers, with variables flowing between
# them, run orders, a cross-Region deploy and V2 features.
project "build" {
  image   = "aws/codebuild/standard:7.0"
  timeout = 30
  env {
    variables = { GOFLAGS = "-mod=readonly" }
    exported  = ["VERSION"]
  }
  phase "install" {
    runtime_versions = { golang = "1.22" }
  }
  phase "build" {
    commands = ["go build ./...", "export VERSION=1.0.0"]
  }
  artifacts { files = ["bin/*"] }
  secondary_artifacts "docs" { files = ["docs/**/*"] }
  secondary_artifacts "bin" { files = ["bin/*"] }
}

pipeline "full" {
  execution_mode = "QUEUED"
  variable "release" { default = "latest" }

  artifact_store { location = "pf-artifacts-main" }
  artifact_store {
    region   = "eu-west-1"
    location = "pf-artifacts-eu"
  }

  trigger {
    source_action = "github"
    push {
      branches { includes = ["main"] }
    }
  }

  stage "Source" {
    action "github" {
      codestar_connection {
        connection_arn = "arn:aws:codeconnections:us-east-1:123456789012:connection/abc"
        repository     = "acme/app"
        branch         = "main"
      }
      outputs   = ["src"]
      namespace = "Git"
    }
  }
  stage "Build" {
    action "build" {
      codebuild = project.build
      inputs    = [artifact.src]
      outputs   = ["bin", "docs"]
      namespace = "Build"
    }
    action "scan" {
      commands         = ["echo scanning #{Build.VERSION}"]
      inputs           = [artifact.src]
      output_variables = ["RESULT"]
      namespace        = "Scan"
      run_order        = 2
      commands {}
    }
  }
  stage "Deploy" {
    on_failure { result = "ROLLBACK" }
    action "approve" {
      approval { message = "Ship #{Build.VERSION} (#{Git.CommitId}, #{variables.release}, #{codepipeline.PipelineExecutionId})?" }
      timeout_in_minutes = 60
    }
    action "site" {
      s3_deploy {
        bucket  = "site-#{Scan.RESULT}"
        extract = true
      }
      inputs    = [artifact.docs]
      run_order = 2
    }
    action "stack" {
      cloudformation {
        action_mode   = "CREATE_UPDATE"
        stack_name    = "app"
        template_path = "bin::template.yml"
        role_arn      = "arn:aws:iam::123456789012:role/cfn"
      }
      inputs    = [artifact.bin]
      region    = "eu-west-1"
      namespace = "Stack"
      run_order = 2
    }
    action "notify" {
      lambda {
        function_name   = "notify"
        user_parameters = "#{Stack.Url}"
      }
      run_order = 3
    }
  }
}
