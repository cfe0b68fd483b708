# Unit tests, packaging and the CodeDeploy bundle. Exports VERSION so the
# approval can say what is about to ship.
project "test" {
  name        = "node-webapp-test"
  description = "Unit tests and the CodeDeploy bundle for node-webapp"
  image       = local.image
  timeout     = 15

  env {
    variables = { NODE_ENV = "test" }
    exported  = ["VERSION"]
  }

  phase "install" {
    runtime_versions = { nodejs = "20" }
    commands         = ["node --version"]
  }
  phase "pre_build" {
    commands = ["export VERSION=$(node -p \"require('./package.json').version\")"]
  }
  # A failing command ends the build phase, so nothing is bundled after a
  # failed test; post_build still runs, as on CodeBuild.
  phase "build" {
    commands = ["npm test", "npm run bundle"]
  }
  phase "post_build" {
    commands = ["echo \"node-webapp $VERSION: build succeeding=$CODEBUILD_BUILD_SUCCEEDING\""]
  }

  report "unit" {
    files          = ["junit.xml"]
    base_directory = "reports"
    format         = "JUNITXML"
  }

  artifacts {
    files          = ["**/*"]
    base_directory = "dist"
  }

  cache {
    paths = ["/root/.npm/**/*"]
  }
}

# The team's lint rules, a dependency-free node script.
project "lint" {
  name    = "node-webapp-lint"
  image   = local.image
  timeout = 10

  phase "install" {
    runtime_versions = { nodejs = "20" }
  }
  phase "build" {
    commands = ["npm run lint"]
  }
}
