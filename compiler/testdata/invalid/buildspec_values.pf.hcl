project "build" {
  env {
    shell = "zsh" # ERROR: Invalid shell
  }
  phase "install" {
    on_failure = "RETRY-200" # ERROR: Invalid on-failure
  }
  phase "build" {
    on_failure = "IGNORE" # ERROR: Invalid on-failure
    commands   = ["make"]
  }
  report "unit" {
    files  = ["junit.xml"]
    format = "BADFMT" # ERROR: Invalid report file format
  }
  cache {
    action = "keep" # ERROR: Invalid cache action
    paths  = ["/root/.cache/**/*"]
  }
}

project "windows" {
  environment_type = "WINDOWS_SERVER_2022_CONTAINER"
  compute_type     = "BUILD_GENERAL1_MEDIUM"
  image            = "aws/codebuild/windows-base:2022-1.0"
  env {
    shell = "bash" # ERROR: Invalid shell
  }
  phase "build" { commands = ["make"] }
}

project "ok" {
  env { shell = "bash" }
  phase "build" {
    on_failure = "Retry-2-.*timeout.*"
    commands   = ["make"]
  }
  report "unit" {
    files  = ["junit.xml"]
    format = "JunitXml"
  }
  cache {
    action = "restore"
    paths  = ["/root/.cache/**/*"]
  }
}
