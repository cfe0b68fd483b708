// Package cron reads the cron expressions of CodePipeline's DeploymentWindow
// stage rule. The compiler uses it to reject an expression CodePipeline
// would not take, and the local executor (targets/local) uses the same
// parser to decide whether a time is inside the window, so validate and
// apply never disagree about an expression.
//
// It uses the standard library only.
package cron
