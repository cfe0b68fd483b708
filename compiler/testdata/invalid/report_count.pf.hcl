project "build" {
  phase "build" { commands = ["make"] }
  report "a" { files = ["a.xml"] }
  report "b" { files = ["b.xml"] }
  report "c" { files = ["c.xml"] }
  report "d" { files = ["d.xml"] }
  report "e" { files = ["e.xml"] }
  report "f" { files = ["f.xml"] } # ERROR: Too many report groups
}

pipeline "app" {
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
