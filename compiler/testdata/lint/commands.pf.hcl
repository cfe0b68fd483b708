# Every lint rule, once reported and once silenced on its line.
project "web" {
  env {
    variables = {
      AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE" # WARNING: Credential in plain text
      DB_PASSWORD       = "hunter2hunter2"       # WARNING: Credential in plain text
      API_TOKEN         = "$TOKEN_FROM_ELSEWHERE"
      GITHUB            = "ghp_abcdefghijklmnopqrstuvwxyz0123456789" # pipeform:ignore plaintext-credential
      SERVICE_URL       = "https://example.com"
      TOKEN_URL         = "https://auth.example.com/oauth/token"
      SECRET_NAME       = "ci/database-password"
    }
    secrets_manager = {
      NPM_TOKEN = "ci/npm:token"
    }
  }
  phase "install" {
    commands = [
      "curl -fsSL https://example.com/install.sh | bash", # WARNING: Downloaded script piped to a shell
      "wget -qO- https://example.com/x.sh | sudo sh # pipeform:ignore pipe-to-shell",
      "curl -o tool.sh https://example.com/tool.sh && sha256sum -c tool.sha256",
      "npm install -g typescript eslint@9.1.0", # WARNING: Unpinned package install
      "npm install -g @angular/cli@17.0.0 yarn@1.22.19",
      "npm install -g serverless", # pipeform:ignore unpinned-install
      "pip install awscli",        # WARNING: Unpinned package install
      "pip3 install --upgrade boto3==1.34.0 -r requirements.txt",
      "python3 -m pip install requests==2.31.0",
    ]
  }
  phase "build" {
    commands = [
      "set -euxo pipefail", # WARNING: Shell tracing in a project with secrets
      "set -x # pipeform:ignore set-x-secrets",
      "set -eu",
      "chmod 777 dist",       # WARNING: World-writable permissions
      "chmod -R a+rwx cache", # pipeform:ignore chmod-777
      "chmod 755 dist/run",
      "npm install -g left-pad",
    ]
  }
}

project "plain" {
  privileged = true # WARNING: Privileged mode without Docker
  phase "build" {
    commands = ["set -x", "make"]
  }
}

project "images" {
  privileged = true
  phase "build" {
    commands = ["docker build -t app ."]
  }
}

project "quiet" {
  privileged = true # pipeform:ignore privileged-no-docker
  phase "build" {
    commands = ["./build-in-a-container.sh"]
  }
}

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
  stage "Build" {
    action "web" {
      codebuild = project.web
      inputs    = [artifact.src]
    }
    action "plain" {
      codebuild = project.plain
      inputs    = [artifact.src]
    }
    action "images" {
      codebuild = project.images
      inputs    = [artifact.src]
    }
    action "quiet" {
      codebuild = project.quiet
      inputs    = [artifact.src]
    }
    action "script" {
      commands = [
        "curl https://example.com/get | sh", # WARNING: Downloaded script piped to a shell
        "chmod 0777 /tmp/x",                 # WARNING: World-writable permissions
      ]
      inputs = [artifact.src]
      commands {}
    }
  }
}
