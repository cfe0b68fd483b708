# One CodeBuild project per service: test it, then package it and publish
# the package to the team's artifact repository.
project "service" {
  for_each     = local.services
  name         = "monorepo-${each.key}"
  description  = "Test and package the ${each.key} service"
  image        = local.image
  compute_type = each.value.compute
  timeout      = 15

  env {
    variables       = { SERVICE = each.key }
    parameter_store = { ARTIFACT_TOKEN = "/monorepo/ci/artifact-token" }
    secrets_manager = each.value.secrets
  }

  phase "build" {
    commands = [
      "(cd services/${each.key} && sh test.sh)",
      "sh ci/package.sh ${each.key}",
    ]
  }
}

# The cross-service test, against the shared test database.
project "integration" {
  name    = "monorepo-integration"
  image   = local.image
  timeout = 20

  env {
    parameter_store = { DB_HOST = "/monorepo/integration/db-host" }
    secrets_manager = { DB_PASSWORD = "monorepo/integration-db:password" }
  }

  phase "build" {
    commands = ["sh ci/integration.sh"]
  }
}
