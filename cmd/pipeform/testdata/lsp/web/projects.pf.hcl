project "test" {
  image = local.image

  env {
    exported = ["VERSION"]
  }
  phase "build" {
    commands = ["npm test", "export VERSION=1.2.3"]
  }
  artifacts {
    files = ["**/*"]
  }
}

project "lint" {
  image = local.image
  phase "build" {
    commands = ["npm run lint"]
  }
}
