project "list" {
  for_each = ["a", "b"] # ERROR: Invalid for_each argument
}

project "nulls" {
  for_each = toset(["a", "a", null]) # ERROR: Invalid for_each argument
}

project "svc" {
  for_each = toset(["a", "b"])
  phase "build" { commands = ["make ${each.nope}"] } # ERROR: Invalid "each" reference
}

project "plain" {
  image = each.key # ERROR: Invalid "each" reference
}

pipeline "p" {
  stage "s" {
    action "a" {
      codebuild = project.svc # ERROR: Invalid project reference
    }
    action "b" {
      codebuild = project.svc["c"] # ERROR: Invalid index
    }
  }
}
