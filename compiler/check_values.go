package compiler

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/graph"
)

// Value patterns of CODEPIPELINE.md §1–§3 that the model states and the
// service enforces at create time.
var (
	// reRoleARN is an IAM role ARN as CodePipeline accepts it (≤1024 chars).
	reRoleARN = regexp.MustCompile(`^arn:aws(-[\w]+)*:iam::[0-9]{12}:role/.*$`)
	// reRegion is an AWS Region name: the model allows 4 to 30 characters;
	// every Region is <area>[-<partition>]-<direction>-<n>.
	reRegion = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
)

// checkRoleARNs: pipeline, action and rule role_arn values are IAM role
// ARNs of at most 1024 characters.
func checkRoleARNs(s *state, code Code) {
	// bad reports v at rng unless it is an accepted ARN, or it is "" and
	// was not written (rng is the fallback, decl): a written "" is checked.
	bad := func(v string, rng, decl, ctx hcl.Range) {
		if v == "" && rng == decl || v != "" && len(v) <= 1024 && reRoleARN.MatchString(v) {
			return
		}
		s.d.errorf(code, "Invalid role ARN", rng, ctx,
			"%q is not an IAM role ARN CodePipeline accepts: it must look like arn:aws:iam::<12-digit account>:role/<name> and be at most 1024 characters. Give the role's ARN, not its name or a policy or user ARN, or leave role_arn out.", v)
	}
	for _, p := range s.g.Pipelines {
		if cp := s.pipelines[p]; cp != nil {
			bad(p.RoleARN, cp.Ranges.Rng("role_arn", p.DeclRange), p.DeclRange, p.DeclRange)
		}
		for _, st := range p.Stages {
			for _, r := range stageRules(st) {
				bad(r.RoleARN, s.ruleRange(r, "role_arn"), r.DeclRange, st.DeclRange)
			}
		}
		for _, a := range p.Actions() {
			bad(a.RoleARN, s.attrRange(a, "role_arn"), a.DeclRange, a.DeclRange)
		}
	}
}

// checkRegionNames: region values (pipeline, artifact_store, action, rule)
// are AWS Region names.
func checkRegionNames(s *state, code Code) {
	// As for role ARNs, a written "" is checked (rng differs from decl).
	bad := func(v string, rng, decl, ctx hcl.Range) {
		if v == "" && rng == decl || validRegion(v) {
			return
		}
		s.d.errorf(code, "Invalid Region", rng, ctx,
			"%q is not an AWS Region name; write it as AWS does, for example \"us-east-1\" or \"eu-west-1\", or leave region out.", v)
	}
	for _, p := range s.g.Pipelines {
		cp := s.pipelines[p]
		if cp == nil {
			continue
		}
		bad(cp.Region, cp.Ranges.Rng("region", p.DeclRange), p.DeclRange, p.DeclRange)
		for _, st := range cp.ArtifactStores {
			bad(st.Region, st.Ranges.Rng("region", st.DeclRange), st.DeclRange, st.DeclRange)
		}
		for _, st := range p.Stages {
			for _, r := range stageRules(st) {
				bad(r.Region, s.ruleRange(r, "region"), r.DeclRange, st.DeclRange)
			}
		}
		for _, a := range p.Actions() {
			// The graph drops a region equal to the pipeline's own; the
			// value as written is the one to check.
			if ca := s.actions[a]; ca != nil {
				bad(ca.Region, s.attrRange(a, "region"), a.DeclRange, a.DeclRange)
			}
		}
	}
}

// validRegion says whether v is written like an AWS Region name.
func validRegion(v string) bool {
	return len(v) >= 4 && len(v) <= 30 && reRegion.MatchString(v)
}

// checkPipelineVariableValues: a pipeline variable's default is 1 to 1000
// characters and its description at most 200.
func checkPipelineVariableValues(s *state, code Code) {
	for _, cp := range s.cfg.Pipelines {
		for _, v := range cp.Variables {
			if v.HasDefault && (len(v.Default) == 0 || len(v.Default) > 1000) {
				s.d.errorf(code, "Invalid pipeline variable", v.Ranges.Rng("default", v.DeclRange), v.DeclRange,
					"The default of pipeline variable %q is %d characters; CodePipeline takes 1 to 1000. Leave default out to make the variable required at start time.", v.Name, len(v.Default))
			}
			if len(v.Description) > 200 {
				s.d.errorf(code, "Invalid pipeline variable", v.Ranges.Rng("description", v.DeclRange), v.DeclRange,
					"The description of pipeline variable %q is %d characters; CodePipeline allows at most 200.", v.Name, len(v.Description))
			}
		}
	}
}

// reKMSKeyARN is a KMS key ARN (not an alias ARN, key ID or alias name).
var reKMSKeyARN = regexp.MustCompile(`^arn:aws(-[\w]+)*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$`)

// roleAccount is the account of an IAM role ARN, "" when v is not one.
func roleAccount(v string) string {
	if !reRoleARN.MatchString(v) {
		return ""
	}
	parts := strings.SplitN(v, ":", 6)
	return parts[4]
}

// checkCrossAccountKey: an action whose role_arn is in another account than
// the pipeline's role reads and writes artifacts in the pipeline's bucket,
// which works only with a customer managed KMS key given by key ARN (the
// default aws/s3 key and alias ARNs cannot be used across accounts;
// CODEPIPELINE.md §1, §11.10).
func checkCrossAccountKey(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		own := roleAccount(p.RoleARN)
		if own == "" {
			continue // the pipeline's account is not known from the configuration
		}
		reported := map[*graph.ArtifactStore]bool{}
		for _, a := range p.Actions() {
			acct := roleAccount(a.RoleARN)
			if acct == "" || acct == own {
				continue
			}
			st := p.ArtifactStore
			if a.Region != "" {
				st = p.ArtifactStores[a.Region]
			}
			if st == nil || reported[st] || reKMSKeyARN.MatchString(st.EncryptionKey) {
				continue
			}
			reported[st] = true
			key := "the default aws/s3 key"
			if st.EncryptionKey != "" {
				key = fmt.Sprintf("encryption_key %q", st.EncryptionKey)
			}
			s.d.errorf(code, "Cross-account action needs a KMS key ARN", s.attrRange(a, "role_arn"), a.DeclRange,
				"Action %q assumes a role in account %s, but pipeline %q runs in account %s and its artifact store (bucket %q) uses %s, which the other account cannot use. Give the artifact_store an encryption_key that is the ARN of a customer managed KMS key (arn:aws:kms:<region>:<account>:key/<id>) whose policy allows account %s.",
				a.ID(), acct, p.Name, own, st.Location, key, acct)
		}
	}
}

// reTargetARN is an ARN, as an EventBridge rule target must be (the
// service, Region and account parts may be empty for global resources).
var reTargetARN = regexp.MustCompile(`^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:[0-9]*:.+$`)

// checkNotificationTargets: a notification needs target_arn, the ARN of
// what its EventBridge rule notifies (an SNS topic, a Lambda function, an
// SQS queue...); the template would otherwise have a target without one.
func checkNotificationTargets(s *state, code Code) {
	for _, cp := range s.cfg.Pipelines {
		for _, n := range cp.Notifications {
			switch {
			case n.TargetARN == "":
				s.d.errorf(code, "Invalid notification target", n.Ranges.Rng("target_arn", n.DeclRange), n.DeclRange,
					"Notification %q has no target_arn; give the ARN of what its EventBridge rule notifies, such as an SNS topic: target_arn = \"arn:aws:sns:<region>:<account>:<topic>\".", n.Name)
			case !reTargetARN.MatchString(n.TargetARN):
				s.d.errorf(code, "Invalid notification target", n.Ranges.Rng("target_arn", n.DeclRange), n.DeclRange,
					"The target_arn of notification %q is %q, which is not an ARN; EventBridge targets are given by ARN, such as \"arn:aws:sns:<region>:<account>:<topic>\".", n.Name, n.TargetARN)
			}
		}
	}
}
