project "build" {
  env {
    variables       = { "" = "a", "A-B" = "b" } # ERROR: Invalid environment variable name | Invalid environment variable name
    parameter_store = { "1X" = "/ci/x" }        # ERROR: Invalid environment variable name
    secrets_manager = { GOOD_NAME = "ci/db:password" }
    exported        = ["VERSION", "A B"] # ERROR: Invalid environment variable name
  }
  phase "build" { commands = ["make"] }
}
