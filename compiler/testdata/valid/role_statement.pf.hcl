# A ServiceCatalog action, which has no typed block: role_statement grants
# the generated pipeline role what it needs, so validate does not warn.
pipeline "catalog" {
  role_statement {
    sid = "ServiceCatalog"
    actions = [
      "servicecatalog:*ProvisioningArtifact*",
      "servicecatalog:UpdateProduct",
      "cloudformation:ValidateTemplate",
    ]
    resources = ["*"]
  }
  stage "Source" {
    action "checkout" {
      codecommit {
        repository = "catalog"
        branch     = "main"
      }
      outputs = ["src"]
    }
  }
  stage "Release" {
    action "catalog" {
      custom {
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
