# Every attribute the constraint table (lang/constraints) or the provider
# catalog constrains, each with a value AWS accepts. TestConstraintTable
# breaks each of them in turn.
project "build" {
  compute_type     = "BUILD_GENERAL1_MEDIUM"
  environment_type = "LINUX_CONTAINER"
  phase "build" { commands = ["make"] }
}

project "graph" {
  phase "build" { commands = ["make"] }
  batch {
    report_mode           = "REPORT_AGGREGATED_BATCH"
    compute_types_allowed = ["BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM"]
    build "unit" {
      env {
        compute_type = "BUILD_GENERAL1_MEDIUM"
        type         = "LINUX_CONTAINER"
      }
    }
  }
}

project "matrix" {
  phase "build" { commands = ["make"] }
  batch {
    matrix {
      static {
        env {
          compute_type = "BUILD_GENERAL1_SMALL"
          type         = "ARM_CONTAINER"
        }
      }
      values {
        compute_type = ["BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_LARGE"]
      }
    }
  }
}

pipeline "everything" {
  type           = "V2"
  execution_mode = "QUEUED"

  notification "failed" {
    detail_types = ["CodePipeline Pipeline Execution State Change"]
    states       = ["FAILED"]
    target_arn   = "arn:aws:sns:us-east-1:123456789012:alerts"
  }

  trigger {
    provider_type = "CodeStarSourceConnection"
    source_action = "github"
    push {
      branches {
        includes = ["main"]
        excludes = ["wip/*"]
      }
      tags {
        includes = ["v*"]
        excludes = ["v0*"]
      }
      file_paths {
        includes = ["src/**"]
        excludes = ["docs/**"]
      }
    }
    pull_request {
      events = ["OPEN", "UPDATED"]
      branches {
        includes = ["main"]
        excludes = ["wip/*"]
      }
      file_paths {
        includes = ["src/**"]
        excludes = ["docs/**"]
      }
    }
  }

  stage "Source" {
    action "github" {
      codestar_connection {
        connection_arn         = "arn:aws:codeconnections:us-east-1:123456789012:connection/abc"
        repository             = "acme/app"
        branch                 = "main"
        output_artifact_format = "CODE_ZIP"
      }
      outputs = ["src"]
    }
    action "mirror" {
      codecommit {
        repository             = "app"
        branch                 = "main"
        output_artifact_format = "CODEBUILD_CLONE_REF"
      }
      outputs = ["mirror"]
    }
    action "zip" {
      s3_source {
        bucket     = "app-sources"
        object_key = "app.zip"
      }
      outputs = ["zip"]
    }
    action "base" {
      ecr_source {
        repository = "team/base-image"
        image_tag  = "v1.2"
      }
      outputs = ["base"]
    }
  }

  stage "Build" {
    before_entry {
      condition {
        result = "FAIL"
        rule "gate" {
          provider      = "LambdaInvoke"
          configuration = { FunctionName = "gate" }
        }
        rule "script" {
          provider = "Commands"
          commands = ["./ready.sh"]
        }
      }
    }
    on_success {
      condition {
        result = "ROLLBACK"
        rule "alarm" {
          provider      = "CloudWatchAlarm"
          configuration = { AlarmName = "errors" }
        }
        rule "script" {
          provider = "Commands"
          commands = ["./smoke.sh"]
        }
      }
    }
    on_failure {
      result     = "RETRY"
      retry_mode = "FAILED_ACTIONS"
      condition {
        result = "ROLLBACK"
        rule "check" {
          provider = "Commands"
          commands = ["./healthy.sh"]
          inputs   = [artifact.src]
        }
        rule "alarm" {
          provider      = "CloudWatchAlarm"
          configuration = { AlarmName = "errors" }
        }
      }
    }
    action "build" {
      codebuild {
        project               = project.build
        category              = "Test"
        environment_variables = { STAGE = "test" }
      }
      inputs = [artifact.mirror]
    }
    action "run" {
      commands {
        environment_type = "LINUX_CONTAINER"
        compute_type     = "BUILD_GENERAL1_LARGE"
      }
      commands              = ["make"]
      inputs                = [artifact.src]
      outputs               = ["out"]
      output_files          = ["dist/app.zip"]
      output_variables      = ["VERSION"]
      environment_variables = { STAGE = "prod" }
    }
    action "image" {
      ecr_build_and_publish {
        repository    = "app"
        registry_type = "private"
        image_tags    = ["latest", "v1"]
      }
      inputs = [artifact.src]
    }
    action "scan" {
      inspector_scan {
        run_mode           = "SourceCodeScan"
        repository         = "team/app"
        image_tag          = "latest"
        critical_threshold = 0
        high_threshold     = 1
        medium_threshold   = 5
        low_threshold      = 100
      }
      inputs  = [artifact.src]
      outputs = ["sbom"]
    }
    action "devices" {
      device_farm {
        app_type             = "Android"
        project_id           = "p"
        app                  = "app.apk"
        appium_version       = "2"
        device_pool_arn      = "arn:aws:devicefarm:us-west-2:123456789012:devicepool:x"
        test_type            = "APPIUM_NODE"
        fuzz_event_count     = 6000
        fuzz_event_throttle  = 50
        fuzz_randomizer_seed = 42
        latitude             = -33.8688
        longitude            = 151.2093
        job_timeout_minutes  = 60
      }
      inputs = [artifact.src]
    }
    action "ext" {
      custom {
        category      = "Test"
        owner         = "Custom"
        provider      = "Jenkins-Test"
        version       = "1"
        configuration = { ProjectName = "app" }
      }
      inputs = [artifact.src]
    }
  }

  stage "Deploy" {
    action "site" {
      s3_deploy {
        bucket     = "www.example.com"
        extract    = true
        canned_acl = "public-read"
      }
      inputs = [artifact.out]
    }
    action "stack" {
      cloudformation {
        action_mode   = "CREATE_UPDATE"
        stack_name    = "app"
        template_path = "out::template.yml"
        role_arn      = "arn:aws:iam::123456789012:role/cfn"
        capabilities  = ["CAPABILITY_IAM"]

        change_set_name = "app-Changes-1"
      }
      inputs = [artifact.out]
    }
    action "stackset" {
      cloudformation_stackset {
        stack_set_name                = "app"
        template_path                 = "out::template.yml"
        capabilities                  = ["CAPABILITY_NAMED_IAM"]
        permission_model              = "SERVICE_MANAGED"
        execution_role_name           = "AWSCloudFormationStackSetExecutionRole"
        administration_role_arn       = "arn:aws:iam::123456789012:role/stackset-admin"
        regions                       = ["us-east-1", "eu-west-1"]
        organizations_auto_deployment = "Enabled"
        failure_tolerance_percentage  = 0
        max_concurrent_percentage     = 100
      }
      inputs = [artifact.out]
    }
    action "service" {
      ecs {
        cluster            = "main"
        service            = "app"
        deployment_timeout = 30
      }
      inputs = [artifact.out]
    }
    action "hosts" {
      ec2_deploy {
        instance_tag_key = "app"
        instance_type    = "EC2"
        deploy_spec      = "deployspec.yml"
        max_batch        = "10%"
        max_error        = "2"
      }
      inputs = [artifact.out]
    }
    action "fn" {
      lambda_deploy {
        function_name   = "app"
        function_alias  = "live"
        deploy_strategy = "Canary10Percent5Minutes"
        alarms          = ["errors", "latency"]
      }
      inputs = [artifact.out]
    }
    action "instances" {
      cloudformation_stack_instances {
        stack_set_name = "app-set"
        regions        = ["us-east-1"]

        failure_tolerance_percentage = 100
        max_concurrent_percentage    = 1
      }
    }
    action "servers" {
      codedeploy {
        application      = "app"
        deployment_group = "prod"
      }
      inputs = [artifact.out]
    }
    action "bluegreen" {
      codedeploy_to_ecs {
        application                       = "app-ecs"
        deployment_group                  = "prod-ecs"
        task_definition_template_artifact = "out"
        appspec_template_artifact         = "out"
      }
      inputs = [artifact.out]
    }
    action "beanstalk" {
      elastic_beanstalk {
        application = "app"
        environment = "app-prod"
      }
      inputs = [artifact.out]
    }
    action "config" {
      appconfig {
        application                       = "abc1234"
        environment                       = "def5678"
        configuration_profile             = "ghi9012"
        input_artifact_configuration_path = "config.json"
      }
      inputs = [artifact.out]
    }
    action "k8s" {
      eks {
        cluster        = "main-cluster"
        manifest_files = ["k8s.yml"]
        namespace      = "apps"
      }
      inputs = [artifact.out]
    }
    action "approve" {
      approval {
        notification_arn     = "arn:aws:sns:us-east-1:123456789012:approvals"
        external_entity_link = "https://example.com/release"
      }
    }
    action "notify" {
      lambda {
        function_name = "arn:aws:lambda:us-east-1:123456789012:function:notify:live"
      }
    }
    action "downstream" {
      pipeline_invoke {
        pipeline_name    = "downstream-app"
        variables        = { "release_tag@v-1" = "v1" }
        source_revisions = [{ actionName = "checkout", revisionType = "COMMIT_ID", revisionValue = "abc123" }]
      }
    }
    action "flow" {
      step_functions {
        state_machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:app"
        input_type        = "Literal"
        input             = "{}"
      }
    }
  }
}
