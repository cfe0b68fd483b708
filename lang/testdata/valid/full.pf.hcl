# Every block and attribute of the language, once.
variable "regions" {
  type = map(object({
    bucket = string
    wave   = optional(number, 1)
  }))
  default = {
    eu = { bucket = "artifacts-eu" }
    us = { bucket = "artifacts-us", wave = 2 }
  }
  description = "Regions to deploy to."
}

variable "token" {
  type      = string
  default   = "/ci/token"
  sensitive = true
}

locals {
  base     = "aws/codebuild/standard"
  image    = "${local.base}:7.0"
  services = toset(["api", "web"])
  waves    = { for name, r in var.regions : name => r.wave }
}

locals {
  phases = {
    pre_build = ["echo pre"]
    build     = ["make"]
  }
}

project "build" {
  name             = "full-build"
  description      = "Builds everything."
  image            = local.image
  compute_type     = "BUILD_GENERAL1_MEDIUM"
  environment_type = "LINUX_CONTAINER"
  privileged       = true
  timeout          = 30
  queued_timeout   = 60
  tags             = { team = "ci" }
  run_as           = "codebuild-user"

  env {
    shell                 = "bash"
    variables             = { CI = "true" }
    parameter_store       = { TOKEN = var.token }
    secrets_manager       = { DB = "ci/db:password" }
    exported              = ["VERSION"]
    git_credential_helper = true
  }
  proxy {
    upload_artifacts = false
    logs             = true
  }
  phase "install" {
    run_as           = "root"
    on_failure       = "ABORT"
    runtime_versions = { golang = "1.22" }
    commands         = []
  }
  dynamic "phase" {
    for_each = local.phases
    labels   = [phase.key]
    content {
      commands = phase.value
    }
  }
  phase "post_build" {
    commands = ["echo done"]
    finally  = ["echo finally"]
  }
  report "unit" {
    files          = ["report.xml"]
    base_directory = "reports"
    discard_paths  = true
    format         = "JUNITXML"
  }
  artifacts {
    files           = ["**/*"]
    name            = "out"
    discard_paths   = false
    base_directory  = "dist"
    exclude_paths   = ["**/.git/**/*"]
    enable_symlinks = true
    s3_prefix       = "builds"
  }
  secondary_artifacts "docs" {
    files          = ["**/*"]
    base_directory = "docs"
  }
  cache {
    key           = "go-$(codebuild-hash-files go.sum)"
    fallback_keys = ["go-"]
    action        = "restore"
    paths         = ["/root/go/pkg/mod/**/*"]
  }
}

project "svc" {
  for_each = local.services
  phase "build" { commands = ["make ${each.key}"] }
}

pipeline "full" {
  name           = "full-pipeline"
  type           = "V2"
  execution_mode = "PARALLEL"
  role_arn       = "arn:aws:iam::123456789012:role/pipeline"
  tags           = { team = "ci" }

  artifact_store {
    location       = "artifacts-main"
    encryption_key = "alias/ci"
  }
  dynamic "artifact_store" {
    for_each = var.regions
    content {
      location = artifact_store.value.bucket
      region   = artifact_store.key
    }
  }

  variable "release" {
    default     = "latest"
    description = "Release tag."
  }

  trigger {
    source_action = "checkout"
    push {
      branches {
        includes = ["main"]
        excludes = ["wip/*"]
      }
      tags { includes = ["v*"] }
      file_paths { excludes = ["docs/**"] }
    }
    pull_request {
      events = ["OPEN", "UPDATED"]
      branches { includes = ["main"] }
    }
  }

  notification "failures" {
    detail_types = ["CodePipeline Pipeline Execution State Change"]
    states       = ["FAILED"]
    target_arn   = "arn:aws:sns:eu-west-1:123456789012:ci"
  }

  stage "Source" {
    action "checkout" {
      codestar_connection {
        connection_arn = "arn:aws:codeconnections:eu-west-1:123456789012:connection/abc"
        repository     = "acme/full"
        branch         = "main"
        detect_changes = false
      }
      outputs   = ["src"]
      namespace = "Source"
    }
  }

  stage "Build" {
    on_failure {
      result     = "RETRY"
      retry_mode = "FAILED_ACTIONS"
      condition {
        result = "ROLLBACK"
        rule "no-alarms" {
          provider      = "CloudWatchAlarm"
          configuration = { AlarmName = "errors" }
          role_arn      = "arn:aws:iam::123456789012:role/rules"
          region        = "eu-west-1"
        }
      }
    }
    on_success {
      condition {
        result = "FAIL"
        rule "tests" {
          provider = "Commands"
          commands = ["test -f ok"]
          inputs   = [artifact.src]
        }
      }
    }
    before_entry {
      condition {
        result = "FAIL"
        rule "window" {
          provider      = "DeploymentWindow"
          configuration = { Cron = "* * 9-17 ? * MON-FRI *" }
        }
      }
    }

    action "build" {
      codebuild {
        project               = project.build
        primary_source        = "src"
        environment_variables = { RELEASE = "#{variables.release}" }
      }
      inputs             = [artifact.src]
      outputs            = ["dist", "docs"]
      namespace          = "Build"
      run_order          = 1
      timeout_in_minutes = 60
    }
    action "svc" {
      for_each  = local.services
      codebuild = project.svc[each.key]
      inputs    = [artifact.src]
      run_order = 2
    }
    action "scan" {
      commands {
        compute_type = "BUILD_GENERAL1_SMALL"
      }
      commands              = ["echo scanning"]
      output_variables      = ["RESULT"]
      environment_variables = { LEVEL = "high" }
      output_files          = ["scan.json"]
      inputs                = [artifact.src]
      outputs               = ["scan"]
      run_order             = 2
    }
  }

  stage "DeviceTest" {
    action "fuzz" {
      device_farm {
        app_type                    = "Android"
        project_id                  = "eec4905f-98f8-40aa-9afc-4c1cfexample"
        app                         = "app-release.apk"
        appium_version              = "1.7.2"
        device_pool_arn             = "arn:aws:devicefarm:us-west-2::devicepool:1c4a4e6d-example"
        test_type                   = "BUILTIN_FUZZ"
        record_video                = true
        record_app_performance_data = true
        radio_wifi_enabled          = true
        radio_bluetooth_enabled     = false
        radio_nfc_enabled           = false
        radio_gps_enabled           = true
        fuzz_event_count            = 6000
        fuzz_event_throttle         = 50
        fuzz_randomizer_seed        = 1234
        latitude                    = 47.6204
        longitude                   = -122.3491
        job_timeout_minutes         = 60
      }
      inputs = [artifact.dist]
    }
  }
  stage "Deploy" {
    for_each = var.regions
    name     = "Deploy-${each.key}"
    action "deploy" {
      s3_deploy {
        bucket  = each.value.bucket
        extract = true
      }
      inputs    = [artifact.dist]
      region    = each.key
      run_order = each.value.wave
      role_arn  = "arn:aws:iam::123456789012:role/deploy"
    }
    action "notify" {
      custom {
        category      = "Invoke"
        owner         = "Custom"
        provider      = "Notifier"
        version       = "1"
        configuration = { Target = each.key }
      }
      local {
        commands = ["echo notify ${each.key}"]
        shell    = "bash"
      }
      run_order = 3
    }
  }
}
