# An EC2 deploy takes a target directory with its scripts, or a deploy spec.
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
  stage "Deploy" {
    action "neither" {
      ec2_deploy { # ERROR: Missing required configuration
        instance_tag_key = "app"
        instance_type    = "EC2"
      }
      inputs = [artifact.src]
    }
    action "noscript" {
      ec2_deploy { # ERROR: Missing required configuration
        instance_tag_key = "app"
        instance_type    = "EC2"
        target_directory = "/opt/app"
      }
      inputs = [artifact.src]
    }
    action "both" {
      ec2_deploy {
        instance_tag_key = "app"
        instance_type    = "SSM_MANAGED_NODE"
        deploy_spec      = "deployspec.yml"
        target_directory = "/opt/app" # ERROR: Conflicting configuration
        max_batch        = "ten"      # ERROR: Invalid value
      }
      inputs = [artifact.src]
    }
    action "scripts" {
      ec2_deploy {
        instance_tag_key = "app"
        instance_type    = "EC2"
        target_directory = "/opt/app"
        post_script      = "scripts/start.sh"
        max_batch        = "25%"
        max_error        = "1"
      }
      inputs = [artifact.src]
    }
    action "ranges" {
      ec2_deploy {
        instance_tag_key = "app"
        instance_type    = "EC2"
        deploy_spec      = "deployspec.yml"
        max_batch        = "0"    # ERROR: Invalid value
        max_error        = "120%" # ERROR: Invalid value
      }
      inputs = [artifact.src]
    }
  }
}
