package cloudformation

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// MaxInlineTemplate is the largest template body CloudFormation accepts
// inline; a larger one must be uploaded to S3 (aws cloudformation deploy
// --s3-bucket).
const MaxInlineTemplate = 51200

// StackNames gives each pipeline the name of the stack its template is
// deployed to: "pipeform-" and the pipeline's name, every character but
// ASCII letters and digits made "-". Pipeline names may hold ".", "_" and
// "@", which stack names may not, so two pipelines can map to the same name
// ("web.app" and "web_app"); deploying both to one stack would replace the
// first pipeline's resources with the second's. Those pipelines get a
// suffix from a hash of their own name instead.
func StackNames(pipelines []string) map[string]string {
	count := map[string]int{}
	for _, p := range pipelines {
		count[stackName(p)]++
	}
	out := map[string]string{}
	for _, p := range pipelines {
		s := stackName(p)
		if count[s] > 1 {
			sum := sha256.Sum256([]byte(p))
			s += "-" + hex.EncodeToString(sum[:4])
		}
		out[p] = s
	}
	return out
}

// stackName makes a CloudFormation stack name ([A-Za-z][-A-Za-z0-9]*) from a
// pipeline name.
func stackName(pipeline string) string {
	var b strings.Builder
	b.WriteString("pipeform-")
	for _, r := range pipeline {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}
