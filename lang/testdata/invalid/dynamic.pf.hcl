# Mistakes in dynamic blocks, at the project level and nested.
project "build" {
  dynamic "report" {
    for_each = "unit" # ERROR: Invalid dynamic for_each value
    labels   = ["x"]
    content {
      files = ["a.xml"]
    }
  }
  dynamic "phase" {
    for_each = ["build"]
    labels   = ["a", "b"] # ERROR: Extraneous dynamic block label
    content {
      commands = ["make"]
    }
  }
  dynamic "phse" { # ERROR: Unsupported block type
    for_each = ["build"]
    content {
      commands = ["make"]
    }
  }
  phase "build" {
    commands = ["make"]
  }
  dynamic "cache" {
    for_each = ["x"]
    labels   = ["a"] # ERROR: Unsupported argument
    content {
      paths = ["b"]
    }
  }
}

pipeline "app" {
  trigger {
    dynamic "pushh" { # ERROR: Unsupported block type
      for_each = ["main"]
      content {
        branches {
          includes = [pushh.value]
        }
      }
    }
  }
  dynamic "stage" {
    for_each = ["Build"]
    labels   = [] # ERROR: Insufficient dynamic block labels
    content {
      action "build" {
        codebuild = project.build
      }
    }
  }
}
