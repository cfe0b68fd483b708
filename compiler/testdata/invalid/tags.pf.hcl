project "build" {
  tags = { "" = "x", team = "a#b" } # ERROR: Invalid tag | Invalid tag
  phase "build" { commands = ["make"] }
}

project "reserved" {
  tags = {
    "aws:team" = "x" # ERROR: Invalid tag
    "AWS:cost" = "y" # ERROR: Invalid tag
    "team:aws" = "z"
  }
  phase "build" { commands = ["make"] }
}

pipeline "app" {
  tags = {
    owner     = "${join("", [for i in range(26) : "0123456789"])}" # ERROR: Invalid tag
    "aws:env" = "prod"                                             # ERROR: Invalid tag
  }
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
    }
  }
}
