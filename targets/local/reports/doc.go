// Package reports reads the test and code coverage report files CodeBuild
// accepts in a buildspec's reports section: JUNITXML, NUNITXML, NUNIT3XML,
// TESTNGXML, VISUALSTUDIOTRX and CUCUMBERJSON test reports, and CLOVERXML,
// COBERTURAXML, JACOCOXML and SIMPLECOV coverage reports. It turns them into
// the shapes of the CodeBuild API (TestCase, TestReportSummary,
// CodeCoverageReportSummary) and says in one line how a report group went.
//
// A file that cannot be read is a problem of that file only: Parse returns
// an error naming what is wrong, and the group keeps the files that could be
// read, as CodeBuild does (a malformed report never fails the build).
//
// It uses only the standard library.
package reports
