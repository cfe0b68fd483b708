# A report named in the buildspec creates the report group
# <project name>-<report name>, which CodeBuild allows 128 characters.
project "build" {
  name = "a-rather-long-project-name-for-the-team-that-builds-the-payments-service"
  phase "build" { commands = ["make"] }
  report "unit-tests-of-the-payments-service-and-all-of-its-dependencies" { # ERROR: Report group name too long
    files = ["junit.xml"]
  }
  report "arn:aws:codebuild:us-east-1:123456789012:report-group/a-report-group-that-exists-already-with-a-long-name-that-is-fine" {
    files = ["junit.xml"]
  }
  report "$REPORT_GROUP_NAME_FROM_THE_ENVIRONMENT_OF_THE_BUILD_WHICH_IS_RESOLVED_AT_RUN_TIME" {
    files = ["junit.xml"]
  }
  report "lint" {
    files = ["lint.xml"]
  }
}
