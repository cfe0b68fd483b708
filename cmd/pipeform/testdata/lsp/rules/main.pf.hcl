# Compiler rules, with characters outside the Basic Multilingual Plane
# before the error on the same line, so columns must count UTF-16 units.
project "build" {
  phase "build" {
    commands = ["make"]
  }
  artifacts {
    files = ["**/*"]
  }
}

pipeline "rules" {
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
    action "build" {
      codebuild = project.build
      inputs    = [artifact.src]
      run_order = 1000
    }
    action "again" {
      codecommit {
        repository = "app"
        branch     = "main"
      }
      outputs = ["src2"]
    }
  }
  stage "Approve" {
    action "ok" {
      approval { message = "Ship 🚀🚀 #{Nope.VERSION} ✓ #{Missing.X}" }
    }
  }
}
