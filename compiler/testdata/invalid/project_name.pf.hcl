project "one" {
  name = "b" # ERROR: Invalid CodeBuild project name
  phase "build" { commands = ["make"] }
}

project "two" {
  name = "a b" # ERROR: Invalid CodeBuild project name
  phase "build" { commands = ["make"] }
}

project "bü" { # ERROR: Invalid CodeBuild project name
  phase "build" { commands = ["make"] }
}

project "ok" {
  name = "app_build-2"
  phase "build" { commands = ["make"] }
}
