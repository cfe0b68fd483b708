// Package cfntest checks generated CloudFormation templates against the
// CloudFormation registry schemas saved in the shared reference folder
// (cfn-*.json): every resource's Properties validate against the schema of
// its Type with intrinsic functions masked, no read-only property is set,
// and every Ref, Fn::GetAtt and Fn::Sub reference resolves. Only tests
// import it.
//
// It imports the jsonschema validator and yaml only.
package cfntest
