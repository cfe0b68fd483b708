package compiler

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/pipeform/pipeform/lang/config"
	"github.com/pipeform/pipeform/lang/constraints"
	"github.com/pipeform/pipeform/lang/providers"
)

// IAM policy element rules: an action is "*" or "<service>:<action>" with
// the wildcards * and ?; a Sid is letters and digits (IAM JSON policy
// reference, "Sid" and "Action" elements).
var (
	reIAMAction = regexp.MustCompile(`^(\*|[a-z0-9-]+:[A-Za-z0-9*?]+)$`)
	reSid       = regexp.MustCompile(`^[A-Za-z0-9]*$`)
)

// checkRoleStatements: role_statement blocks are policy statements IAM
// accepts, and there is a generated role to add them to.
func checkRoleStatements(s *state, code Code) {
	for _, cp := range s.cfg.Pipelines {
		for _, rs := range cp.RoleStatements {
			bad := func(attr, format string, args ...any) {
				s.d.errorf(code, "Invalid role statement", rs.Ranges.Rng(attr, rs.DeclRange), rs.DeclRange, format, args...)
			}
			if cp.RoleARN != "" {
				bad("actions", "Pipeline %q sets role_arn, so it runs under that existing role and no role is generated to add this statement to. Grant these actions in the policy of %s, or remove role_arn to let the cloudformation target generate the role.", cp.Name, cp.RoleARN)
			}
			if rs.Effect != "" && !contains(constraints.Effects, rs.Effect) {
				bad("effect", "effect is %q; a policy statement's effect is \"Allow\" (the default) or \"Deny\".%s", rs.Effect, constraints.DidYouMean(rs.Effect, constraints.Effects))
			}
			if !reSid.MatchString(rs.Sid) {
				bad("sid", "sid is %q; a statement ID has only letters and digits.", rs.Sid)
			}
			if len(rs.Actions) == 0 {
				bad("actions", "The statement names no actions; list the IAM actions it grants, such as [\"servicecatalog:UpdateProduct\"].")
			}
			for _, a := range rs.Actions {
				if !reIAMAction.MatchString(a) {
					bad("actions", "%q is not an IAM action: write <service>:<action>, such as \"servicecatalog:UpdateProduct\" (wildcards * and ? allowed).", a)
					break
				}
			}
			if len(rs.Resources) == 0 {
				bad("resources", "The statement names no resources; list the ARNs it applies to, or [\"*\"].")
			}
			// IAM refuses a Resource that is neither an ARN nor "*"
			// (MalformedPolicyDocument; IAM JSON policy elements: Resource).
			for i, r := range rs.Resources {
				if r != "*" && !strings.HasPrefix(r, "arn:") {
					s.d.errorf(code, "Invalid role statement", rs.Ranges.Rng(config.ElemKey("resources", i), rs.Ranges.Rng("resources", rs.DeclRange)), rs.DeclRange,
						"%q is not a resource IAM accepts: a policy statement's resources are ARNs (wildcards allowed), such as \"arn:aws:s3:::%s/*\" for a bucket, or \"*\".", r, r)
				}
			}
		}
	}
}

// checkRolePermissions: an action whose type the cloudformation target
// grants nothing (an AWS-owned custom action type without a typed block)
// and that runs under the generated pipeline role gets a warning naming the
// IAM actions the role needs, unless role_statement blocks allow them.
func checkRolePermissions(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		cp := s.pipelines[p]
		if cp == nil || cp.RoleARN != "" {
			continue // the user's own role: its policy is not known here
		}
		for _, a := range p.Actions() {
			t := a.Type
			if a.RoleARN != "" || t.Owner != "AWS" || typedProvider(t.Owner, t.Provider) {
				continue
			}
			need := providers.UntypedServiceRoleActions[t.Provider]
			if missing := notAllowed(cp.RoleStatements, need, t.Provider); missing != nil {
				s.d.warnf(code, "Action not covered by the pipeline role", s.providerRange(a, ""), a.DeclRange,
					"Action %q is an AWS %s action, for which the generated pipeline role grants nothing, so its first run would fail with AccessDenied. %s",
					a.ID(), t.Provider, grantAdvice(t.Provider, missing))
			}
		}
	}
}

// typedProvider says whether a typed block has this owner and provider:
// the cloudformation target grants such actions what they need, whatever
// block (typed or custom) writes them.
func typedProvider(owner, provider string) bool {
	for _, p := range providers.All {
		if p.Owner == owner && p.Provider == provider {
			return true
		}
	}
	return false
}

// notAllowed lists the actions of need that no Allow statement grants, nil
// when every one is. When need is unknown (nil), it returns nil if some
// Allow statement names an action of the provider's service, else an empty
// non-nil slice.
func notAllowed(stmts []*config.RoleStatement, need []string, provider string) []string {
	if need == nil {
		prefix := strings.ToLower(provider) + ":"
		for _, st := range stmts {
			for _, a := range allowed(st) {
				if a == "*" || strings.HasPrefix(strings.ToLower(a), prefix) {
					return nil
				}
			}
		}
		return []string{}
	}
	var missing []string
	for _, n := range need {
		if !grants(stmts, n) {
			missing = append(missing, n)
		}
	}
	return missing
}

// grants says whether an Allow statement's actions match action (IAM
// matches actions case-insensitively, with * and ? wildcards).
func grants(stmts []*config.RoleStatement, action string) bool {
	for _, st := range stmts {
		for _, a := range allowed(st) {
			if ok, _ := path.Match(strings.ToLower(a), strings.ToLower(action)); ok {
				return true
			}
		}
	}
	return false
}

func allowed(st *config.RoleStatement) []string {
	if st.Effect != "" && st.Effect != "Allow" {
		return nil
	}
	return st.Actions
}

// grantAdvice says how to fix a missing grant.
func grantAdvice(provider string, missing []string) string {
	if len(missing) == 0 {
		return fmt.Sprintf("Give it a role_arn whose role may call %s, or add to the pipeline a role_statement { actions = [...] resources = [...] } with the IAM actions AWS documents for the %s action.", provider, provider)
	}
	q := make([]string, len(missing))
	for i, m := range missing {
		q[i] = fmt.Sprintf("%q", m)
	}
	return fmt.Sprintf("The role needs %s. Add to the pipeline role_statement { actions = [%s] resources = [\"*\"] } (narrow resources to the ARNs it uses), or give the action a role_arn that may call them.",
		quoteList(missing), strings.Join(q, ", "))
}
