# CodeBuild requires files in every report group and every artifact of the
# buildspec, secondary artifacts included (BUILDSPEC.md §9, §10).
project "build" {
  phase "build" { commands = ["make"] }
  report "unit" { # ERROR: Missing files
    base_directory = "reports"
  }
  report "lint" {
    files = [] # ERROR: Missing files
  }
  artifacts {
    name = "app" # the top-level files default to **/*
  }
  secondary_artifacts "docs" { # ERROR: Missing files
    base_directory = "site"
  }
  secondary_artifacts "bin" {
    files = ["bin/*"]
  }
}
