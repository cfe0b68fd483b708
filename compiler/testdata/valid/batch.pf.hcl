project "test" {
  phase "build" {
    commands = ["echo build $CODEBUILD_BATCH_BUILD_IDENTIFIER $TARGET"]
  }
  batch {
    fast_fail = false
    build "lint" {
      env {
        variables = { TARGET = "lint" }
      }
    }
    build "unit" {
      depend_on      = ["lint"]
      ignore_failure = true
      env {
        image        = "aws/codebuild/standard:6.0"
        compute_type = "BUILD_GENERAL1_MEDIUM"
        variables    = { TARGET = "unit" }
      }
    }
  }
}
project "mx" {
  phase "build" {
    commands = ["echo $NODE"]
  }
  artifacts { files = ["**/*"] }
  batch {
    combine_artifacts     = true
    timeout               = 60
    report_mode           = "REPORT_INDIVIDUAL_BUILDS"
    maximum_builds        = 6
    compute_types_allowed = ["BUILD_GENERAL1_SMALL"]
    matrix {
      static {
        ignore_failure = false
        env { privileged_mode = true }
      }
      values {
        image     = ["a", "b"]
        variables = { NODE = ["18", "20"] }
      }
    }
  }
}

project "fan" {
  batch {
    combine_artifacts     = true
    timeout               = 120
    report_mode           = "REPORT_AGGREGATED_BATCH"
    maximum_builds        = 10
    compute_types_allowed = ["BUILD_GENERAL1_SMALL"]
    fanout {
      parallelism    = 4
      ignore_failure = false
    }
  }
  phase "build" { commands = ["make test"] }
}

project "batchonly" {
  batch {
    build "linux" { buildspec = "ci/linux.yml" }
    build "arm" {
      buildspec = "ci/arm.yml"
      env { type = "ARM_CONTAINER" }
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
  stage "Build" {
    action "matrix" {
      codebuild {
        project           = project.mx
        batch_enabled     = true
        combine_artifacts = true
      }
      inputs  = [artifact.src]
      outputs = ["bundle"]
    }
    action "platforms" {
      codebuild {
        project       = project.batchonly
        batch_enabled = true
      }
      inputs = [artifact.src]
    }
  }
}
