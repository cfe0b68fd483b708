# Vet and test every package.
project "test" {
  name    = "goservice-test"
  image   = local.image
  timeout = 15

  env {
    variables = { CGO_ENABLED = "0" }
  }

  phase "install" {
    runtime_versions = { golang = "1.22" }
    commands         = ["go version"]
  }
  phase "build" {
    commands = ["go vet ./...", "go test -cover ./..."]
  }
}

# Build the Linux binary and the CodeDeploy bundle; export VERSION for the
# approval and the deployments.
project "build" {
  name    = "goservice-build"
  image   = local.image
  timeout = 15

  env {
    variables = { CGO_ENABLED = "0" }
    exported  = ["VERSION"]
  }

  phase "install" {
    runtime_versions = { golang = "1.22" }
  }
  phase "build" {
    commands = [
      "export VERSION=$(cat VERSION)",
      "mkdir -p dist/bin",
      "go build -ldflags \"-X main.version=$VERSION\" -o dist/bin/goservice .",
      "cp -R deploy/appspec.yml deploy/hooks dist/",
    ]
  }

  artifacts {
    files          = ["**/*"]
    base_directory = "dist"
  }

  cache {
    paths = ["/root/go/pkg/mod/**/*", "/root/.cache/go-build/**/*"]
  }
}
