project "build" {
  description      = "${join("", [for i in range(26) : "0123456789"])}" # ERROR: Invalid project setting
  image            = ""                                                 # ERROR: Invalid project setting
  compute_type     = "BUILD_GENERAL1_HUGE"                              # ERROR: Invalid value
  environment_type = "LINUX"                                            # ERROR: Invalid value
  phase "build" { commands = ["make"] }
}

project "ok" {
  description      = "Builds the app"
  image            = "aws/codebuild/amazonlinux2-x86_64-standard:5.0"
  compute_type     = "BUILD_GENERAL1_LARGE"
  environment_type = "ARM_CONTAINER"
  phase "build" { commands = ["make"] }
}
