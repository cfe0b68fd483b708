package codepipelinetest

import "github.com/pipeform/pipeform/compiler/graph"

// DeployProviders is a pipeline using the providers Providers() leaves out:
// stack sets, Elastic Beanstalk, AppConfig, EC2, EKS, Lambda deploy,
// Inspector and Device Farm, each with the configuration its IAM statements
// are scoped by.
func DeployProviders() *graph.Graph {
	p := &graph.Pipeline{
		Name: "deploys", Type: "V2", ExecutionMode: "QUEUED", DeclRange: rng("deploys"),
	}
	typ := func(cat, prov string) graph.ActionType {
		return graph.ActionType{Category: cat, Owner: "AWS", Provider: prov, Version: "1"}
	}
	src := action(p, "src", typ("Source", "CodeCommit"), "codecommit")
	src.Configuration = map[string]string{"RepositoryName": "app", "BranchName": "main"}
	out(src, "src")

	scan := action(p, "scan", typ("Invoke", "InspectorScan"), "inspector_scan")
	scan.Configuration = map[string]string{"InspectorRunMode": "ECRImageScan", "ECRRepositoryName": "app-image", "ImageTag": "latest"}
	out(scan, "sbom")
	farm := action(p, "farm", typ("Test", "DeviceFarm"), "device_farm")
	farm.Configuration = map[string]string{"AppType": "Android", "ProjectId": "proj-1", "App": "app.apk", "AppiumVersion": "1.9",
		"DevicePoolArn": "arn:aws:devicefarm:us-west-2:111122223333:devicepool:proj-1/pool-1", "TestType": "BUILTIN_FUZZ"}
	in(farm, src.Outputs[0])

	set := action(p, "set", typ("Deploy", "CloudFormationStackSet"), "cloudformation_stackset")
	set.Configuration = map[string]string{"StackSetName": "baseline", "TemplatePath": "src::baseline.yml"}
	in(set, src.Outputs[0])
	inst := action(p, "inst", typ("Deploy", "CloudFormationStackInstances"), "cloudformation_stack_instances")
	inst.Configuration = map[string]string{"StackSetName": "baseline", "Regions": "eu-west-1,us-east-1"}
	inst.RunOrder = 2
	beanstalk := action(p, "beanstalk", typ("Deploy", "ElasticBeanstalk"), "elastic_beanstalk")
	beanstalk.Configuration = map[string]string{"ApplicationName": "web", "EnvironmentName": "web-prod"}
	in(beanstalk, src.Outputs[0])
	cfgdeploy := action(p, "config", typ("Deploy", "AppConfig"), "appconfig")
	cfgdeploy.Configuration = map[string]string{"Application": "abc1234", "Environment": "env5678", "ConfigurationProfile": "prof9012",
		"InputArtifactConfigurationPath": "config.json"}
	in(cfgdeploy, src.Outputs[0])
	hosts := action(p, "hosts", typ("Deploy", "EC2"), "ec2_deploy")
	hosts.Configuration = map[string]string{"InstanceTagKey": "app", "InstanceTagValue": "web", "InstanceType": "EC2",
		"TargetDirectory": "/opt/web", "PostScript": "start.sh", "TargetGroupNameList": "web-tg"}
	in(hosts, src.Outputs[0])
	kube := action(p, "kube", typ("Deploy", "EKS"), "eks")
	kube.Configuration = map[string]string{"ClusterName": "prod", "ManifestFiles": "k8s.yaml", "Subnets": "subnet-1,subnet-2",
		"SecurityGroupIds": "sg-1"}
	in(kube, src.Outputs[0])
	fn := action(p, "fn", typ("Deploy", "Lambda"), "lambda_deploy")
	fn.Configuration = map[string]string{"FunctionName": "api", "FunctionAlias": "live", "DeployStrategy": "Canary10Percent5Minutes",
		"Alarms": "api-errors,api-latency"}
	in(fn, src.Outputs[0])

	stages(p, [][]*graph.Action{{src}, {scan, farm}, {set, inst, beanstalk, cfgdeploy, hosts, kube, fn}}, []string{"Source", "Check", "Deploy"})
	return &graph.Graph{Pipelines: []*graph.Pipeline{p}}
}
