# Provider catalog limits: whole numbers, negative ranges, ARNs, name rules.
project "build" {
  phase "build" { commands = ["make"] }
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
      codebuild {
        project               = project.build
        environment_variables = { "STAGE-NAME" = "test" } # ERROR: Invalid value
      }
      inputs = [artifact.src]
    }
    action "scan" {
      inspector_scan {
        run_mode           = "SourceCodeScan"
        critical_threshold = -1 # ERROR: Invalid value
      }
      inputs  = [artifact.src]
      outputs = ["sbom"]
    }
  }
  stage "Test" {
    action "devices" {
      device_farm {
        app_type            = "Android"
        project_id          = "p"
        app                 = "app.apk"
        appium_version      = "2"
        device_pool_arn     = "my-pool" # ERROR: Invalid value
        test_type           = "APPIUM_NODE"
        latitude            = -91    # ERROR: Invalid value
        longitude           = -180.5 # ERROR: Invalid value
        job_timeout_minutes = 12.5   # ERROR: Invalid value
        fuzz_event_count    = 0      # ERROR: Invalid value
      }
      inputs = [artifact.src]
    }
  }
  stage "Deploy" {
    action "ecs" {
      ecs {
        cluster            = "c"
        service            = "s"
        deployment_timeout = 1.5 # ERROR: Invalid value
      }
      inputs = [artifact.src]
    }
    action "fn" {
      lambda_deploy {
        function_name   = "app"
        function_alias  = "live"
        deploy_strategy = "Canary0Percent5Minutes" # ERROR: Invalid value
      }
      inputs = [artifact.src]
    }
  }
}
