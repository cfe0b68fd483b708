# parameter_store values name SSM parameters and secrets_manager values are
# secret-id:json-key:version-stage:version-id references (BUILDSPEC.md §4).
project "build" {
  env {
    parameter_store = {
      TOKEN    = ""                # ERROR: Invalid parameter name
      PASSWORD = "/ci/db password" # ERROR: Invalid parameter name
      SHARED   = "arn:aws:ssm:us-east-1:123456789012:parameter/ci/shared"
      PLAIN    = "/CodeBuild/dockerLoginPassword"
      BUILT    = "/$${TARGET_ENV}/db/password"
    }
    secrets_manager = {
      EMPTY   = ""                               # ERROR: Invalid secret reference
      NOID    = ":password"                      # ERROR: Invalid secret reference
      EXTRA   = "db:password:AWSCURRENT:v1:more" # ERROR: Invalid secret reference
      KEYED   = "Github/someone-fgpat:actions read"
      STAGED  = "ci/db::AWSPREVIOUS"
      BYARN   = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ci/db-AbCdEf:password::"
      ARNLONG = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ci/db-AbCdEf:password:AWSCURRENT:v1:x" # ERROR: Invalid secret reference
    }
  }
  phase "build" { commands = ["make"] }
}
