package cloudformation

import (
	"strings"

	"github.com/pipeform/pipeform/compiler/graph"
)

// morePermissions covers the providers of the catalog that actionPermissions
// does not: stack sets, Elastic Beanstalk, AppConfig, EC2, EKS, Inspector and
// Device Farm. Each gets the actions its AWS reference page lists for the
// pipeline service role, on the resources the configuration names.
func (b *builder) morePermissions(pol *policy, a *graph.Action) {
	cfg := a.Configuration
	region := a.Region
	switch a.Type.Owner + "/" + a.Type.Provider {
	case "AWS/CloudFormationStackSet", "AWS/CloudFormationStackInstances":
		acts := []string{"cloudformation:CreateStackInstances", "cloudformation:DescribeStackSet",
			"cloudformation:DescribeStackSetOperation", "cloudformation:ListStackInstances"}
		if a.Type.Provider == "CloudFormationStackSet" {
			acts = []string{"cloudformation:CreateStackInstances", "cloudformation:CreateStackSet", "cloudformation:DescribeStackSet",
				"cloudformation:DescribeStackSetOperation", "cloudformation:ListStackInstances", "cloudformation:UpdateStackSet"}
		}
		pol.allow(acts, arn("cloudformation", region, "stackset/"+cfg["StackSetName"]+":*"))
		if a.Type.Provider == "CloudFormationStackSet" && cfg["PermissionModel"] != "SERVICE_MANAGED" {
			// Self-managed stack sets run under an administration role that
			// the caller passes (AWS's default name when none is given).
			var admin any = cfg["AdministrationRoleArn"]
			if admin == "" {
				admin = iamRoleARN("AWSCloudFormationStackSetAdministrationRole")
			}
			pol.allowIf([]string{"iam:PassRole"}, Obj("StringEquals", Obj("iam:PassedToService", "cloudformation.amazonaws.com")), admin)
		}
	case "AWS/ElasticBeanstalk":
		app, env := cfg["ApplicationName"], cfg["EnvironmentName"]
		pol.allow([]string{"elasticbeanstalk:CreateApplicationVersion", "elasticbeanstalk:DescribeApplicationVersions",
			"elasticbeanstalk:DescribeApplications", "elasticbeanstalk:DescribeEnvironments", "elasticbeanstalk:DescribeEvents",
			"elasticbeanstalk:UpdateEnvironment"},
			arn("elasticbeanstalk", region, "application/"+app),
			arn("elasticbeanstalk", region, "applicationversion/"+app+"/*"),
			arn("elasticbeanstalk", region, "environment/"+app+"/"+env))
		// Elastic Beanstalk copies the bundle into its own storage bucket
		// and updates the environment's stack with the caller's rights.
		pol.allow([]string{"s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket", "s3:PutObject"},
			Sub("arn:${AWS::Partition}:s3:::elasticbeanstalk-*"))
		pol.allow([]string{"cloudformation:DescribeStackResource", "cloudformation:DescribeStackResources",
			"cloudformation:DescribeStacks", "cloudformation:GetTemplate", "cloudformation:UpdateStack"},
			arn("cloudformation", region, "stack/awseb-*"))
		pol.allow([]string{"autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeLaunchConfigurations",
			"autoscaling:DescribeScalingActivities", "ec2:DescribeImages", "ec2:DescribeInstances"}, "*")
		pol.allow([]string{"autoscaling:ResumeProcesses", "autoscaling:SuspendProcesses"},
			arn("autoscaling", region, "autoScalingGroup:*:autoScalingGroupName/awseb-*"))
	case "AWS/AppConfig":
		base := "application/" + cfg["Application"]
		strategy := "deploymentstrategy/*"
		if s := cfg["DeploymentStrategy"]; s != "" {
			strategy = "deploymentstrategy/" + s
		}
		pol.allow([]string{"appconfig:StartDeployment"},
			arn("appconfig", region, base+"/environment/"+cfg["Environment"]),
			arn("appconfig", region, base+"/configurationprofile/"+cfg["ConfigurationProfile"]),
			arn("appconfig", region, strategy))
		pol.allow([]string{"appconfig:GetDeployment", "appconfig:StopDeployment"},
			arn("appconfig", region, base+"/environment/"+cfg["Environment"]+"/deployment/*"))
	case "AWS/EC2":
		b.commandsPermissions(pol, a)
		pol.allow([]string{"ec2:DescribeInstances", "ssm:CancelCommand", "ssm:DescribeInstanceInformation",
			"ssm:GetCommandInvocation", "ssm:ListCommandInvocations", "ssm:ListCommands"}, "*")
		tag := Obj("StringEquals", Obj("aws:ResourceTag/"+cfg["InstanceTagKey"], cfg["InstanceTagValue"]))
		if cfg["InstanceTagValue"] == "" {
			tag = Obj("Null", Obj("aws:ResourceTag/"+cfg["InstanceTagKey"], "false"))
		}
		pol.allowIf([]string{"ssm:SendCommand"}, tag, arn("ec2", region, "instance/*"), arn("ssm", region, "managed-instance/*"))
		pol.allow([]string{"ssm:SendCommand"}, Sub("arn:${AWS::Partition}:ssm:"+regionOrStack(region)+"::document/AWS-RunShellScript"))
		if groups := cfg["TargetGroupNameList"]; groups != "" {
			pol.allow([]string{"elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth"}, "*")
			var res []any
			for _, g := range splitList(groups) {
				res = append(res, arn("elasticloadbalancing", region, "targetgroup/"+g+"/*"))
			}
			pol.allow([]string{"elasticloadbalancing:DeregisterTargets", "elasticloadbalancing:RegisterTargets"}, res...)
		}
	case "AWS/EKS":
		b.commandsPermissions(pol, a)
		pol.allow([]string{"eks:DescribeCluster"}, arn("eks", region, "cluster/"+cfg["ClusterName"]))
		if subnets := cfg["Subnets"]; subnets != "" {
			// A private cluster is reached through network interfaces in
			// the named subnets and security groups.
			ni := arn("ec2", region, "network-interface/*")
			res := []any{ni}
			for _, id := range splitList(subnets) {
				res = append(res, arn("ec2", region, "subnet/"+id))
			}
			for _, id := range splitList(cfg["SecurityGroupIds"]) {
				res = append(res, arn("ec2", region, "security-group/"+id))
			}
			pol.allow([]string{"ec2:CreateNetworkInterface"}, res...)
			pol.allow([]string{"ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface"}, ni)
			pol.allow([]string{"ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces", "ec2:DescribeRouteTables",
				"ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs"}, "*")
		}
	case "AWS/InspectorScan":
		b.commandsPermissions(pol, a)
		pol.allow([]string{"inspector-scan:ScanSbom"}, "*")
		if cfg["InspectorRunMode"] == "ECRImageScan" {
			pol.allow([]string{"ecr:GetAuthorizationToken"}, "*")
			pol.allow([]string{"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"},
				arn("ecr", region, "repository/"+cfg["ECRRepositoryName"]))
		}
	case "AWS/DeviceFarm":
		// Device Farm runs only in us-west-2, whatever the pipeline's Region.
		id := cfg["ProjectId"]
		project := arn("devicefarm", "us-west-2", "project:"+id)
		pol.allow([]string{"devicefarm:ListProjects"}, "*")
		pol.allow([]string{"devicefarm:CreateUpload", "devicefarm:GetProject", "devicefarm:ListDevicePools", "devicefarm:ScheduleRun"}, project)
		if pool := cfg["DevicePoolArn"]; pool != "" {
			pol.allow([]string{"devicefarm:ScheduleRun"}, pool)
		}
		pol.allow([]string{"devicefarm:GetRun"}, arn("devicefarm", "us-west-2", "run:"+id+"/*"))
		pol.allow([]string{"devicefarm:GetUpload"}, arn("devicefarm", "us-west-2", "upload:"+id+"/*"))
	}
}

// lambdaDeployPermissions is what the Lambda deploy action needs: publish a
// version of the function, shift its alias, and read the alarms that can
// stop a gradual deployment.
func lambdaDeployPermissions(pol *policy, a *graph.Action) {
	cfg := a.Configuration
	fn := literalOrARN(cfg["FunctionName"], "lambda", a.Region, "function:")
	var qualified any
	if s, ok := fn.(string); ok {
		qualified = s + ":*"
	} else {
		qualified = arn("lambda", a.Region, "function:"+cfg["FunctionName"]+":*")
	}
	pol.allow([]string{"lambda:GetAlias", "lambda:GetFunctionConfiguration", "lambda:GetProvisionedConcurrencyConfig",
		"lambda:PublishVersion", "lambda:UpdateAlias", "lambda:UpdateFunctionCode"}, fn, qualified)
	if alarms := cfg["Alarms"]; alarms != "" {
		var res []any
		for _, al := range splitList(alarms) {
			res = append(res, arn("cloudwatch", a.Region, "alarm:"+al))
		}
		pol.allow([]string{"cloudwatch:DescribeAlarms"}, res...)
	}
}

// iamRoleARN is the ARN of a role in this account.
func iamRoleARN(name string) any {
	return Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/" + subLiteral(name))
}

func regionOrStack(region string) string {
	if region == "" {
		return "${AWS::Region}"
	}
	return subLiteral(region)
}

// splitList splits a comma-list configuration value, dropping blanks.
func splitList(v string) []string {
	var out []string
	for _, e := range strings.Split(v, ",") {
		if e = strings.TrimSpace(e); e != "" {
			out = append(out, e)
		}
	}
	return out
}
