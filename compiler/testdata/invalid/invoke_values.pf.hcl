# What a pipeline_invoke action hands to the pipeline it starts, checked
# against CodePipeline's StartPipelineExecution request.
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
  stage "Release" {
    action "start" {
      pipeline_invoke {
        pipeline_name = "deploy"
        source_revisions = [
          { actionName = "checkout", revisionType = "COMMIT", revisionValue = "abc123" }, # ERROR: Invalid value
        ]
        variables = { release = "" } # ERROR: Invalid value
      }
    }
    action "again" {
      pipeline_invoke {
        pipeline_name = "deploy"
        source_revisions = [
          { actionName = "check out", revisionType = "COMMIT_ID", revisionValue = "abc123" }, # ERROR: Invalid value
        ]
      }
    }
  }
}
