project "build" { # ERROR: Missing phases
  env { variables = { A = "1" } }
}
