project "graph" {
  phase "build" { commands = ["make"] }
  batch { # ERROR: Cycle in batch builds
    build "lint" {}
    build "unit" {
      depend_on = ["lnt"] # ERROR: Unknown batch build
    }
    build "a" {
      depend_on = ["b"]
    }
    build "b" {
      depend_on = ["a"]
    }
  }
}

project "mixed" {
  phase "build" { commands = ["make"] }
  batch { # ERROR: Invalid batch
    build "lint" {}
    fanout { parallelism = 2 }
  }
}

project "listdeps" {
  phase "build" { commands = ["make"] }
  batch {
    kind = "build-list"
    build "lint" {}
    build "unit" {
      depend_on = ["lint"] # ERROR: Invalid batch
    }
  }
}

project "fan" {
  phase "build" { commands = ["make"] }
  batch {
    report_mode    = "AGGREGATED" # ERROR: Invalid value
    timeout        = 0            # ERROR: Invalid batch
    maximum_builds = 0            # ERROR: Invalid batch
    fanout {
      parallelism = 0 # ERROR: Invalid batch
    }
  }
}

project "capped" {
  phase "build" { commands = ["make"] }
  batch {
    maximum_builds        = 4 # ERROR: Invalid batch
    compute_types_allowed = ["BUILD_GENERAL1_SMALL"]
    matrix {
      values {
        image        = ["aws/codebuild/standard:6.0", "aws/codebuild/standard:7.0"]
        compute_type = ["BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_LARGE"] # ERROR: Invalid batch
        variables    = { NODE = ["18", "20"] }
      }
    }
  }
}

project "roomy" {
  phase "build" { commands = ["make"] }
  batch {
    maximum_builds        = 2
    compute_types_allowed = ["BUILD_GENERAL1_MEDIUM"]
    build "linux" {
      env { compute_type = "BUILD_GENERAL1_MEDIUM" }
    }
    build "fleet" {
      env { fleet = "arn:aws:codebuild:us-east-1:111122223333:fleet/linux:1" }
    }
  }
}

project "default_compute" {
  phase "build" { commands = ["make"] }
  batch {
    compute_types_allowed = ["BUILD_GENERAL1_LARGE"] # ERROR: Invalid batch
    fanout { parallelism = 3 }
  }
}

project "images" {
  phase "build" { commands = ["make"] }
  batch {
    build "blank" {
      env {
        image = " " # ERROR: Invalid project setting
      }
    }
    build "default" {
      env {
        compute_type = "BUILD_GENERAL1_LARGE"
      }
    }
  }
}

project "matrix" {
  phase "build" { commands = ["make"] }
  batch {
    matrix {
      static {
        env {
          image = "" # ERROR: Invalid project setting
        }
      }
      values {
        image = ["aws/codebuild/standard:7.0", ""] # ERROR: Invalid project setting
      }
    }
  }
}

project "batchonly" {
  batch {
    build "linux" { buildspec = "ci/linux.yml" }
  }
}

project "single" {
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
    action "build" { # ERROR: Batch not configured
      codebuild {
        project       = project.single
        batch_enabled = true
      }
      inputs = [artifact.src]
    }
    action "platforms" { # ERROR: Batch not enabled
      codebuild = project.batchonly
      inputs    = [artifact.src]
    }
  }
}
