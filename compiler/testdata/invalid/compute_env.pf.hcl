# Compute types CodeBuild does not run an environment type on, and what
# Lambda compute lacks.
project "win" {
  environment_type = "WINDOWS_SERVER_2022_CONTAINER" # ERROR: Unsupported compute type
  phase "build" { commands = ["make"] }
}

project "winsmall" {
  environment_type = "WINDOWS_SERVER_2019_CONTAINER"
  compute_type     = "BUILD_GENERAL1_XLARGE" # ERROR: Unsupported compute type
  phase "build" { commands = ["make"] }
}

project "lambdaonlinux" {
  compute_type = "BUILD_LAMBDA_2GB" # ERROR: Unsupported compute type
  phase "build" { commands = ["make"] }
}

project "fn" {
  environment_type = "LINUX_LAMBDA_CONTAINER"
  compute_type     = "BUILD_LAMBDA_4GB"
  image            = "aws/codebuild/amazonlinux-x86_64-lambda-standard:nodejs20"
  privileged       = true # ERROR: Unsupported on Lambda compute
  timeout          = 30   # ERROR: Unsupported on Lambda compute
  phase "install" {
    runtime_versions = { nodejs = "20" } # ERROR: Unsupported on Lambda compute
  }
  phase "build" { commands = ["docker build ."] }
}

project "batched" {
  phase "build" { commands = ["make"] }
  batch {
    build "gpu" {
      env {
        type         = "LINUX_GPU_CONTAINER"
        compute_type = "BUILD_GENERAL1_MEDIUM" # ERROR: Unsupported compute type
      }
    }
  }
}

project "winuser" {
  environment_type = "WINDOWS_SERVER_2019_CONTAINER"
  compute_type     = "BUILD_GENERAL1_LARGE"
  run_as           = "builder" # ERROR: Unsupported on Windows
  phase "build" {
    run_as   = "builder" # ERROR: Unsupported on Windows
    commands = ["make"]
  }
}

project "ok" {
  environment_type = "WINDOWS_SERVER_2022_CONTAINER"
  compute_type     = "BUILD_GENERAL1_MEDIUM"
  phase "build" { commands = ["make"] }
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
    action "win" {
      codebuild = project.win
      inputs    = [artifact.src]
    }
  }
}
