pipeline "app" {
  role_statement {
    sid       = "catalog-1"                      # ERROR: Invalid role statement
    effect    = "Permit"                         # ERROR: Invalid role statement
    actions   = ["servicecatalog UpdateProduct"] # ERROR: Invalid role statement
    resources = []                               # ERROR: Invalid role statement
  }
  role_statement {
    actions = ["s3:GetObject"]
    resources = [
      "arn:aws:s3:::artifacts/*",
      "artifacts", # ERROR: Invalid role statement
    ]
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
  stage "Release" {
    action "catalog" {
      custom { # WARNING: Action not covered by the pipeline role
        category = "Deploy"
        owner    = "AWS"
        provider = "ServiceCatalog"
        version  = "1"
        configuration = {
          TemplateFilePath   = "template.json"
          ProductVersionName = "v1"
          ProductType        = "CLOUD_FORMATION_TEMPLATE"
          ProductId          = "prod-abc"
        }
      }
      inputs = [artifact.src]
    }
  }
}

pipeline "own_role" {
  role_arn = "arn:aws:iam::123456789012:role/pipeline"
  role_statement {
    actions   = ["sns:Publish"] # ERROR: Invalid role statement
    resources = ["*"]
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
  stage "Notify" {
    action "approve" {
      approval {}
    }
  }
}
