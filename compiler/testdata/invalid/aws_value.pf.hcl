# One wrong value per constrained attribute family, each where AWS would
# refuse it at deploy time (the constraint table and the provider catalog).
project "build" {
  compute_type = "BUILD_GENERAL1_XL" # ERROR: Invalid value
  env {
    shell = "zsh" # ERROR: Invalid shell
  }
  phase "build" { commands = ["make"] }
  report "unit" {
    files  = ["junit.xml"]
    format = "JUNIT" # ERROR: Invalid report file format
  }
  cache {
    action = "keep" # ERROR: Invalid cache action
    paths  = ["/root/.cache/**/*"]
  }
}

project "batched" {
  phase "build" { commands = ["make"] }
  batch {
    report_mode           = "AGGREGATED"        # ERROR: Invalid value
    compute_types_allowed = ["BUILD_GENERAL_1"] # ERROR: Invalid value
    build "unit" {
      env {
        compute_type = "BUILD_LAMBDA_1G" # ERROR: Invalid value
        type         = "LINUX"           # ERROR: Invalid value
      }
    }
  }
}

pipeline "app" {
  type           = "V3"    # ERROR: Invalid value
  execution_mode = "QUEUE" # ERROR: Invalid value

  notification "failed" {
    states     = ["FAIL"] # ERROR: Invalid value
    target_arn = "arn:aws:sns:us-east-1:123456789012:alerts"
  }
  notification "paged" {
    target_arn = "alerts" # ERROR: Invalid notification target
  }
  notification "lost" {} # ERROR: Invalid notification target

  trigger {
    source_action = "github"
    pull_request {
      events = ["OPENED"] # ERROR: Invalid value
      branches { includes = ["main"] }
    }
  }

  stage "Source" {
    action "github" {
      codestar_connection {
        connection_arn         = "arn:aws:codeconnections:us-east-1:123456789012:connection/abc"
        repository             = "acme/app"
        branch                 = "main"
        output_artifact_format = "CLONE_REF" # ERROR: Invalid value
      }
      outputs = ["src"]
    }
    action "mirror" {
      codecommit {
        repository             = "app"
        branch                 = "main"
        output_artifact_format = "ZIP" # ERROR: Invalid value
      }
      outputs = ["mirror"]
    }
    action "zip" {
      s3_source {
        bucket     = "App_Sources" # ERROR: Invalid value
        object_key = "app.zip"
      }
      outputs = ["zip"]
    }
    action "base" {
      ecr_source {
        repository = "Team/Base" # ERROR: Invalid value
      }
      outputs = ["base"]
    }
  }

  stage "Build" {
    on_failure {
      result = "RETRY_ALL" # ERROR: Invalid value
    }
    action "build" {
      codebuild {
        project  = project.build
        category = "Tests" # ERROR: Invalid value
      }
      inputs = [artifact.src]
    }
    action "run" {
      commands {
        compute_type = "BUILD_GENERAL1_XLARGE" # ERROR: Invalid value
      }
      commands         = ["make"]
      inputs           = [artifact.src]
      output_variables = [for i in range(16) : "V${i}"] # ERROR: Invalid value
    }
    action "image" {
      ecr_build_and_publish {
        repository    = "app"
        registry_type = "Private" # ERROR: Invalid value
      }
      inputs = [artifact.src]
    }
    action "scan" {
      inspector_scan {
        run_mode = "SourceScan" # ERROR: Invalid value
      }
      inputs  = [artifact.src]
      outputs = ["sbom"]
    }
    action "devices" {
      device_farm {
        app_type        = "ios" # ERROR: Invalid value
        project_id      = "p"
        app             = "app.ipa"
        appium_version  = "2"
        device_pool_arn = "arn:aws:devicefarm:us-west-2:123456789012:devicepool:x"
        test_type       = "APPIUM_NODE"
      }
      inputs = [artifact.src]
    }
    action "ext" {
      custom {
        category = "Tests" # ERROR: Invalid value
        owner    = "Custom"
        provider = "Jenkins"
        version  = "1"
      }
      inputs = [artifact.src]
    }
  }

  stage "Deploy" {
    action "site" {
      s3_deploy {
        bucket     = "www.example.com"
        extract    = true
        canned_acl = "public" # ERROR: Invalid value
      }
      inputs = [artifact.src]
    }
    action "stack" {
      cloudformation {
        action_mode     = "CREATE" # ERROR: Invalid value
        stack_name      = "app"
        template_path   = "src::template.yml"
        role_arn        = "arn:aws:iam::123456789012:role/cfn"
        change_set_name = "app changes" # ERROR: Invalid value
      }
      inputs = [artifact.src]
    }
    action "stackset" {
      cloudformation_stackset {
        stack_set_name   = "app"
        template_path    = "src::template.yml"
        permission_model = "SELF" # ERROR: Invalid value

        failure_tolerance_percentage = 101 # ERROR: Invalid value
      }
      inputs = [artifact.src]
    }
    action "service" {
      ecs {
        cluster            = "main"
        service            = "app"
        deployment_timeout = 90 # ERROR: Invalid value
      }
      inputs = [artifact.src]
    }
    action "hosts" {
      ec2_deploy {
        instance_tag_key = "app"
        instance_type    = "SSM" # ERROR: Invalid value
        deploy_spec      = "deployspec.yml"
      }
      inputs = [artifact.src]
    }
    action "fn" {
      lambda_deploy {
        function_name  = "app"
        function_alias = "live:blue"                         # ERROR: Invalid value
        alarms         = [for i in range(11) : "alarm-${i}"] # ERROR: Invalid value
      }
      inputs = [artifact.src]
    }
    action "instances" {
      cloudformation_stack_instances {
        stack_set_name = "1-set" # ERROR: Invalid value
        regions        = ["us-east-1"]

        max_concurrent_percentage = 0 # ERROR: Invalid value
      }
    }
    action "servers" {
      codedeploy {
        application      = "" # ERROR: Invalid value
        deployment_group = "prod"
      }
      inputs = [artifact.src]
    }
    action "bluegreen" {
      codedeploy_to_ecs {
        application                       = "app-ecs"
        deployment_group                  = join("", [for i in range(101) : "g"]) # ERROR: Invalid value
        task_definition_template_artifact = "src"
        appspec_template_artifact         = "src"
      }
      inputs = [artifact.src]
    }
    action "beanstalk" {
      elastic_beanstalk {
        application = "app"
        environment = "-prod" # ERROR: Invalid value
      }
      inputs = [artifact.src]
    }
    action "config" {
      appconfig {
        application                       = "MyApp" # ERROR: Invalid value
        environment                       = "def5678"
        configuration_profile             = "ghi9012"
        input_artifact_configuration_path = "config.json"
      }
      inputs = [artifact.src]
    }
    action "k8s" {
      eks {
        cluster        = "-main" # ERROR: Invalid value
        manifest_files = ["k8s.yml"]
      }
      inputs = [artifact.src]
    }
    action "approve" {
      approval {
        notification_arn = "approvals" # ERROR: Invalid value
      }
    }
    action "notify" {
      lambda {
        function_name = "notify me" # ERROR: Invalid value
      }
    }
    action "downstream" {
      pipeline_invoke {
        pipeline_name = "downstream app" # ERROR: Invalid value
        variables = {
          release       = "v1"
          "release tag" = "v1" # ERROR: Invalid value
        }
      }
    }
    action "flow" {
      step_functions {
        state_machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:app"
        input_type        = "File" # ERROR: Invalid value
      }
    }
  }
}
