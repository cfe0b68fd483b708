package cloudformation

import (
	"strings"

	"github.com/pipeform/pipeform/compiler/graph"
)

// wildcardActions are the only IAM actions granted on "Resource": "*",
// because AWS offers no narrower resource for them (reference notes §9):
//
//   - ecr:GetAuthorizationToken has no resource type at all;
//   - ecs:RegisterTaskDefinition and ecs:DescribeTaskDefinition do not
//     support resource-level permissions;
//   - iam:PassRole for ECS deploys goes to task and execution roles that the
//     pipeline does not name (narrowed by an iam:PassedToService condition);
//   - the Describe/List calls below (Auto Scaling, EC2, Elastic Load
//     Balancing, SSM command status, Device Farm projects) and
//     inspector-scan:ScanSbom have no resource type in IAM.
//
// Tests check that every other statement names concrete resources.
var wildcardActions = map[string]bool{
	"ecr:GetAuthorizationToken":  true,
	"ecs:RegisterTaskDefinition": true,
	"ecs:DescribeTaskDefinition": true,
	"iam:PassRole":               true,

	"autoscaling:DescribeAutoScalingGroups":     true,
	"autoscaling:DescribeLaunchConfigurations":  true,
	"autoscaling:DescribeScalingActivities":     true,
	"devicefarm:ListProjects":                   true,
	"ec2:DescribeDhcpOptions":                   true,
	"ec2:DescribeImages":                        true,
	"ec2:DescribeInstances":                     true,
	"ec2:DescribeNetworkInterfaces":             true,
	"ec2:DescribeRouteTables":                   true,
	"ec2:DescribeSecurityGroups":                true,
	"ec2:DescribeSubnets":                       true,
	"ec2:DescribeVpcs":                          true,
	"elasticloadbalancing:DescribeTargetGroups": true,
	"elasticloadbalancing:DescribeTargetHealth": true,
	"inspector-scan:ScanSbom":                   true,
	"ssm:CancelCommand":                         true,
	"ssm:DescribeInstanceInformation":           true,
	"ssm:GetCommandInvocation":                  true,
	"ssm:ListCommandInvocations":                true,
	"ssm:ListCommands":                          true,
}

// WildcardAllowed reports whether action may be granted on "*".
func WildcardAllowed(action string) bool { return wildcardActions[action] }

// policy collects Allow statements. Statements with the same actions and
// condition are merged into one with every resource, in first-seen order.
type policy struct {
	stmts []*statement
	// written are statements from the configuration (role_statement),
	// appended as they are after the derived ones.
	written []any
}

type statement struct {
	key       string
	actions   []string
	cond      *Object
	resources []any
}

func (p *policy) allow(actions []string, resources ...any) {
	p.allowIf(actions, nil, resources...)
}

func (p *policy) allowIf(actions []string, cond *Object, resources ...any) {
	if len(resources) == 0 {
		return
	}
	key := string(EncodeJSON(Obj("Action", actions, "Condition", cond)))
	var st *statement
	for _, s := range p.stmts {
		if s.key == key {
			st = s
		}
	}
	if st == nil {
		st = &statement{key: key, actions: actions, cond: cond}
		p.stmts = append(p.stmts, st)
	}
	for _, r := range resources {
		st.resources = appendUnique(st.resources, r)
	}
}

func (p *policy) document() *Object {
	var stmts []any
	for _, s := range p.stmts {
		var res any = s.resources
		if len(s.resources) == 1 {
			res = s.resources[0]
		}
		stmts = append(stmts, Obj("Effect", "Allow", "Action", s.actions, "Resource", res, "Condition", s.cond))
	}
	stmts = append(stmts, p.written...)
	return Obj("Version", "2012-10-17", "Statement", stmts)
}

// trust is an AssumeRolePolicyDocument for an AWS service principal,
// limited to this account.
func trust(service string) *Object {
	return Obj("Version", "2012-10-17", "Statement", []any{Obj(
		"Effect", "Allow",
		"Principal", Obj("Service", service),
		"Action", "sts:AssumeRole",
		"Condition", Obj("StringEquals", Obj("aws:SourceAccount", Ref("AWS::AccountId"))),
	)})
}

// arn builds arn:<partition>:<service>:<region>:<account>:<resource> with
// Fn::Sub; region "" means the stack's Region. resource is a literal.
func arn(service, region, resource string) any {
	if region == "" {
		region = "${AWS::Region}"
	} else {
		region = subLiteral(region)
	}
	return Sub("arn:${AWS::Partition}:" + service + ":" + region + ":${AWS::AccountId}:" + subLiteral(resource))
}

// literalOrARN passes full ARNs through and builds one from a name otherwise.
func literalOrARN(nameOrARN, service, region, prefix string) any {
	if strings.HasPrefix(nameOrARN, "arn:") {
		return nameOrARN
	}
	return arn(service, region, prefix+nameOrARN)
}

// parameterARN is the ARN of a Parameter Store parameter name ("/ci/token"
// and "token" both become parameter/…).
func parameterARN(name string) any {
	if strings.HasPrefix(name, "arn:") {
		return name
	}
	return arn("ssm", "", "parameter/"+strings.TrimPrefix(name, "/"))
}

// secretARN is the ARN pattern of a buildspec secrets-manager reference
// "secret-id[:json-key[:version-stage[:version-id]]]". A full ARN is cut to
// its seven ARN fields; a name gets "-??????" because AWS appends six random
// characters to every secret's ARN.
func secretARN(ref string) any {
	if strings.HasPrefix(ref, "arn:") {
		parts := strings.SplitN(ref, ":", 8)
		if len(parts) >= 7 {
			return strings.Join(parts[:7], ":")
		}
		return ref
	}
	id, _, _ := strings.Cut(ref, ":")
	return arn("secretsmanager", "", "secret:"+id+"-??????")
}

// kmsResource is the resource for a store's KMS key: the key ARN as given,
// a key ID made into an ARN, or every key carrying the alias.
func kmsResource(key string) (res any, cond *Object) {
	switch {
	case strings.HasPrefix(key, "arn:") && !strings.Contains(key, ":alias/"):
		return key, nil
	case strings.HasPrefix(key, "alias/") || strings.Contains(key, ":alias/"):
		alias := key[strings.Index(key, "alias/"):]
		return arn("kms", "", "key/*"), Obj("ForAnyValue:StringEquals", Obj("kms:ResourceAliases", alias))
	default:
		return arn("kms", "", "key/"+key), nil
	}
}

var kmsActions = []string{"kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"}

// projectPolicy is the CodeBuild service role policy of one project.
func (b *builder) projectPolicy(pr *graph.Project, logGroup string) *Object {
	var pol policy
	pol.allow([]string{"logs:CreateLogStream", "logs:PutLogEvents"},
		arn("logs", "", "log-group:"+logGroup), arn("logs", "", "log-group:"+logGroup+":*"))
	b.artifactAccess(&pol)
	bs := pr.Buildspec
	if bs != nil && len(bs.Reports) > 0 {
		var groups []any
		for _, r := range bs.Reports {
			if strings.HasPrefix(r.Name, "arn:") {
				groups = append(groups, r.Name)
			} else {
				groups = append(groups, arn("codebuild", "", "report-group/"+pr.Name+"-"+r.Name))
			}
		}
		pol.allow([]string{"codebuild:BatchPutCodeCoverages", "codebuild:BatchPutTestCases", "codebuild:CreateReport",
			"codebuild:CreateReportGroup", "codebuild:UpdateReport"}, groups...)
	}
	if pr.Batch != nil {
		// A batch build's service role starts the batch's builds (CodeBuild
		// User Guide, "Batch builds in CodeBuild": batch service role).
		pol.allow([]string{"codebuild:RetryBuild", "codebuild:StartBuild", "codebuild:StopBuild"},
			arn("codebuild", "", "project/"+pr.Name))
	}
	b.cloneSourcePermissions(&pol, pr)
	if bs != nil && bs.Env != nil {
		var params, secrets []any
		for _, kv := range bs.Env.ParameterStore {
			params = appendUnique(params, parameterARN(kv.Value))
		}
		for _, kv := range bs.Env.SecretsManager {
			secrets = appendUnique(secrets, secretARN(kv.Value))
		}
		pol.allow([]string{"ssm:GetParameters"}, params...)
		pol.allow([]string{"secretsmanager:GetSecretValue"}, secrets...)
	}
	return pol.document()
}

// artifactAccess lets a project role read and write the pipeline's
// artifact stores.
func (b *builder) artifactAccess(pol *policy) {
	pol.allow([]string{"s3:GetBucketAcl", "s3:GetBucketLocation"}, b.bucketARNs...)
	pol.allow([]string{"s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"}, b.objectARNs...)
	b.kmsStatements(pol)
}

func (b *builder) kmsStatements(pol *policy) {
	for _, k := range b.kmsKeys {
		res, cond := kmsResource(k)
		pol.allowIf(kmsActions, cond, res)
	}
}

func appendUnique(list []any, v any) []any {
	key := string(EncodeJSON(v))
	for _, e := range list {
		if string(EncodeJSON(e)) == key {
			return list
		}
	}
	return append(list, v)
}

// cloneSourcePermissions lets a project clone the repository behind a
// CODEBUILD_CLONE_REF input (reference notes §9.2): the artifact holds only a
// reference, and CodeBuild fetches the repository with the project's role.
func (b *builder) cloneSourcePermissions(pol *policy, pr *graph.Project) {
	for _, a := range b.p.Actions() {
		if a.Project == nil || a.Project.Name != pr.Name {
			continue
		}
		for _, in := range a.Inputs {
			src := in.Producer
			if src == nil || src.Configuration["OutputArtifactFormat"] != "CODEBUILD_CLONE_REF" {
				continue
			}
			cfg := src.Configuration
			switch src.Type.Provider {
			case "CodeCommit":
				pol.allow([]string{"codecommit:GitPull"}, arn("codecommit", src.Region, cfg["RepositoryName"]))
			case "CodeStarSourceConnection":
				if c := cfg["ConnectionArn"]; c != "" {
					pol.allow([]string{connectionService(c) + ":UseConnection"}, c)
				}
			}
		}
	}
}

// connectionService is the IAM service prefix of a connection ARN:
// codeconnections for the renamed service, codestar-connections otherwise.
func connectionService(arn string) string {
	if strings.Contains(arn, ":codeconnections:") {
		return "codeconnections"
	}
	return "codestar-connections"
}
