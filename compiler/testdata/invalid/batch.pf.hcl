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
    maximum_builds = 101          # ERROR: Invalid batch
    fanout {
      parallelism = 0 # ERROR: Invalid batch
    }
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
