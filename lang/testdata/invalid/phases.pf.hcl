project "p" {
  phase "prebuild" { # ERROR: Unknown phase
    commands = ["make"]
  }
  phase "build" {
    runtime_versions = { go = "1.22" } # ERROR: Unsupported argument
    commands         = ["make"]
  }
}
