projcet "x" {} # ERROR: Unsupported block type

project "test" {
  imgae = "ubuntu" # ERROR: Unsupported argument
  phase "build" {
    comands = ["make"] # ERROR: Unsupported argument
  }
  artifact { # ERROR: Unsupported block type
    files = ["**/*"]
  }
}

pipeline "p" {
  stage "s" {
    action "a" {
      codebuild = project.test
      input     = ["x"] # ERROR: Unsupported argument
      codecommit {      # ERROR: Multiple action providers
        repository = "r"
        branch     = "main"
      }
    }
  }
}
