project "build" {
  phase "build" { commands = ["make"] }
}

pipeline "app" {
  role_arn = "arn:aws:iam::111122223333:role/app-pipeline"
  artifact_store {
    location       = "pf-main"
    encryption_key = "arn:aws:kms:us-east-1:111122223333:alias/pipeline"
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
    action "same-account" {
      codebuild = project.build
      inputs    = [artifact.src]
      role_arn  = "arn:aws:iam::111122223333:role/build"
    }
    action "other-account" {
      codebuild = project.build
      inputs    = [artifact.src]
      role_arn  = "arn:aws:iam::444455556666:role/build" # ERROR: Cross-account action needs a KMS key ARN
    }
  }
}
