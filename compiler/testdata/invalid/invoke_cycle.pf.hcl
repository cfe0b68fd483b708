pipeline "release" {
  stage "Source" {
    action "checkout" {
      codecommit {
        repository = "app"
        branch     = "main"
      }
      outputs = ["src"]
    }
  }
  stage "Next" {
    action "deploy" {
      pipeline_invoke {
        pipeline_name = "deploy" # ERROR: Pipeline invocation cycle
      }
    }
  }
}

pipeline "deploy" {
  stage "Source" {
    action "checkout" {
      codecommit {
        repository = "app"
        branch     = "main"
      }
      outputs = ["src"]
    }
  }
  stage "Next" {
    action "release" {
      pipeline_invoke { pipeline_name = "release" }
    }
  }
}
