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
  queued_timeout   = 10   # ERROR: Unsupported on Lambda compute
  phase "install" {
    runtime_versions = { nodejs = "20" } # ERROR: Unsupported on Lambda compute
  }
  phase "build" {
    commands   = ["docker build ."]
    on_failure = "ABORT" # ERROR: Unsupported on Lambda compute
  }
}

project "fnshort" {
  environment_type = "ARM_LAMBDA_CONTAINER"
  compute_type     = "BUILD_LAMBDA_1GB"
  image            = "aws/codebuild/amazonlinux-aarch64-lambda-standard:python3.12"
  timeout          = 10 # ERROR: Unsupported on Lambda compute
  phase "build" { commands = ["make"] }
}

project "mac" {
  environment_type = "MAC_ARM" # ERROR: Unsupported compute type
  compute_type     = "BUILD_GENERAL1_MEDIUM"
  phase "build" { commands = ["make"] }
}

project "attrs" {
  compute_type = "ATTRIBUTE_BASED_COMPUTE" # ERROR: Unsupported compute type
  phase "build" { commands = ["make"] }
}

project "bigarm" {
  environment_type = "ARM_CONTAINER"
  compute_type     = "BUILD_GENERAL1_2XLARGE"
  phase "build" { commands = ["make"] }
}

project "fleets" {
  phase "build" { commands = ["make"] }
  batch {
    build "mac" {
      env {
        type  = "MAC_ARM"
        fleet = "arn:aws:codebuild:us-east-1:111122223333:fleet/mac:1"
      }
    }
    build "macondemand" {
      env {
        type = "MAC_ARM" # ERROR: Unsupported compute type
      }
    }
    build "custom" {
      env {
        compute_type = "CUSTOM_INSTANCE_TYPE" # ERROR: Unsupported compute type
      }
    }
  }
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

project "winbatch" {
  run_as = "builder" # ERROR: Unsupported on Windows
  phase "build" { commands = ["make"] }
  batch {
    build "linux" {}
    build "windows" {
      env {
        type         = "WINDOWS_SERVER_2019_CONTAINER"
        compute_type = "BUILD_GENERAL1_MEDIUM"
      }
    }
  }
}

project "winownspec" {
  run_as = "builder"
  phase "build" { commands = ["make"] }
  batch {
    build "windows" {
      buildspec = "ci/windows.yml"
      env {
        type         = "WINDOWS_SERVER_2019_CONTAINER"
        compute_type = "BUILD_GENERAL1_MEDIUM"
      }
    }
  }
}

project "ok" {
  environment_type = "WINDOWS_SERVER_2022_CONTAINER"
  compute_type     = "BUILD_GENERAL1_MEDIUM"
  phase "build" { commands = ["make"] }
}

pipeline "app" {
  type = "V2"
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
    # A Commands action runs on CodeBuild compute: Windows needs MEDIUM or
    # LARGE, and SMALL is its default.
    action "wincmd" {
      commands {
        environment_type = "WINDOWS_SERVER_2022_CONTAINER" # ERROR: Unsupported compute type
      }
      commands = ["dir"]
      inputs   = [artifact.src]
    }
    action "winsmall" {
      commands {
        environment_type = "WINDOWS_SERVER_2022_CONTAINER"
        compute_type     = "BUILD_GENERAL1_SMALL" # ERROR: Unsupported compute type
      }
      commands = ["dir"]
      inputs   = [artifact.src]
    }
    action "winmedium" {
      commands {
        environment_type = "WINDOWS_SERVER_2022_CONTAINER"
        compute_type     = "BUILD_GENERAL1_MEDIUM"
      }
      commands = ["dir"]
      inputs   = [artifact.src]
    }
    action "linux" {
      commands {
        compute_type = "BUILD_GENERAL1_LARGE"
      }
      commands = ["make"]
      inputs   = [artifact.src]
    }
  }
}
