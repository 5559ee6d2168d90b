"""Tags, DescribeStateMachineForExecution and ValidateStateMachineDefinition
through boto3: the answers as boto3's model parses them, and the modeled
exceptions (ResourceNotFound and TooManyTags with their resourceName)."""

import json

from botocore.exceptions import ParamValidationError

from common import ROLE, client, report, wait_closed

sfn = client()
ACCOUNT = "arn:aws:states:us-east-1:123456789012"
result = {"errors": {}}


def expect(case, exception, call, **kwargs):
    """Calls `call(**kwargs)`, which must raise `exception`; records what it
    carried."""
    try:
        call(**kwargs)
    except exception as error:
        result["errors"][case] = {
            "class": type(error).__name__,
            "code": error.response["Error"]["Code"],
            "message": error.response["Error"]["Message"],
            "resource_name": error.response.get("resourceName"),
            "status": error.response["ResponseMetadata"]["HTTPStatusCode"],
        }
        return
    raise AssertionError(f"{case}: {call.__name__} raised no {exception.__name__}")


def pass_machine(result_value):
    return json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": result_value, "End": True}}})


# Tags given at creation, added, changed, removed.
machine_arn = sfn.create_state_machine(
    name="tagged", definition=pass_machine("first"), roleArn=ROLE,
    tags=[{"key": "team", "value": "data"}, {"key": "env", "value": ""}],
)["stateMachineArn"]
result["created"] = sfn.list_tags_for_resource(resourceArn=machine_arn)["tags"]
sfn.tag_resource(resourceArn=machine_arn, tags=[{"key": "env", "value": "prod"}, {"key": "owner", "value": "a@b.c"}])
result["tagged"] = sfn.list_tags_for_resource(resourceArn=machine_arn)["tags"]
sfn.untag_resource(resourceArn=machine_arn, tagKeys=["team", "absent"])
result["untagged"] = sfn.list_tags_for_resource(resourceArn=machine_arn)["tags"]

activity_arn = sfn.create_activity(name="tagged-activity", tags=[{"key": "k", "value": "v"}])["activityArn"]
result["activity"] = sfn.list_tags_for_resource(resourceArn=activity_arn)["tags"]

# The rules.
expect("too_many", sfn.exceptions.TooManyTags, sfn.tag_resource, resourceArn=machine_arn,
       tags=[{"key": f"k{n}", "value": "v"} for n in range(60)])
expect("not_found", sfn.exceptions.ResourceNotFound, sfn.list_tags_for_resource,
       resourceArn=f"{ACCOUNT}:stateMachine:absent")
expect("invalid_arn", sfn.exceptions.InvalidArn, sfn.tag_resource, resourceArn="not-an-arn",
       tags=[{"key": "k", "value": "v"}])
expect("aws_prefix", sfn.exceptions.ValidationException, sfn.tag_resource, resourceArn=machine_arn,
       tags=[{"key": "aws:reserved", "value": "v"}])
expect("bad_character", sfn.exceptions.ValidationException, sfn.tag_resource, resourceArn=machine_arn,
       tags=[{"key": "semi;colon", "value": "v"}])
try:
    sfn.tag_resource(resourceArn=machine_arn, tags=[{"key": "", "value": "v"}])
    raise AssertionError("boto3 let an empty key through")
except ParamValidationError:
    result["empty_key_checked_by_boto3"] = True
result["after_refusals"] = len(sfn.list_tags_for_resource(resourceArn=machine_arn)["tags"])

# DescribeStateMachineForExecution: the machine as the execution started.
execution_arn = sfn.start_execution(stateMachineArn=machine_arn, name="one")["executionArn"]
wait_closed(sfn, execution_arn)
updated = sfn.update_state_machine(stateMachineArn=machine_arn, definition=pass_machine("second"))
described = sfn.describe_state_machine_for_execution(executionArn=execution_arn)
result["for_execution"] = {
    "definition": json.loads(described["definition"])["States"]["P"]["Result"],
    "name": described["name"],
    "arn": described["stateMachineArn"] == machine_arn,
    "role": described["roleArn"],
    "has_update_date": described["updateDate"] is not None,
    "revision": described.get("revisionId"),
    "logging": described.get("loggingConfiguration"),
    "tracing": described.get("tracingConfiguration"),
}
second_arn = sfn.start_execution(stateMachineArn=machine_arn, name="two")["executionArn"]
second = sfn.describe_state_machine_for_execution(executionArn=second_arn)
result["second"] = {
    "definition": json.loads(second["definition"])["States"]["P"]["Result"],
    "revision_matches": second.get("revisionId") == updated.get("revisionId"),
}
expect("no_execution", sfn.exceptions.ExecutionDoesNotExist, sfn.describe_state_machine_for_execution,
       executionArn=f"{ACCOUNT}:execution:tagged:absent")
expect("execution_arn", sfn.exceptions.InvalidArn, sfn.describe_state_machine_for_execution,
       executionArn=machine_arn)

# Deleting takes the tags with it.
wait_closed(sfn, second_arn)
sfn.delete_state_machine(stateMachineArn=machine_arn)
expect("deleted", sfn.exceptions.ResourceNotFound, sfn.list_tags_for_resource, resourceArn=machine_arn)

# ValidateStateMachineDefinition.
ok = sfn.validate_state_machine_definition(definition=pass_machine("x"))
result["valid"] = {"result": ok["result"], "diagnostics": ok["diagnostics"], "truncated": ok.get("truncated")}
broken = sfn.validate_state_machine_definition(
    definition=json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Next": "Nowhere"}}}))
result["broken"] = {"result": broken["result"], "locations": [d.get("location") for d in broken["diagnostics"]],
                    "severities": sorted({d["severity"] for d in broken["diagnostics"]})}
not_json = sfn.validate_state_machine_definition(definition="not a definition")
result["not_json"] = [d["code"] for d in not_json["diagnostics"]]
empty = sfn.validate_state_machine_definition(definition="{}")
result["empty_object"] = [(d["code"], d.get("location")) for d in empty["diagnostics"]]
warned = json.dumps({"StartAt": "C", "States": {
    "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": True, "Next": "D"}]},
    "D": {"Type": "Succeed"}}})
result["warnings_hidden"] = sfn.validate_state_machine_definition(definition=warned)["diagnostics"]
shown = sfn.validate_state_machine_definition(definition=warned, severity="WARNING")
result["warnings_shown"] = {"result": shown["result"], "severities": [d["severity"] for d in shown["diagnostics"]]}
aws_warned = json.dumps({"StartAt": "P", "States": {
    "P": {"Type": "Pass", "Parameters": {"id": "$.order.id"}, "Result": {"x.$": "$.y"}, "Next": "C"},
    "C": {"Type": "Choice", "Default": "D",
          "Choices": [{"Variable": "$.s", "StringEquals": "$.t", "Next": "D"}]},
    "D": {"Type": "Succeed"}}})
aws_shown = sfn.validate_state_machine_definition(definition=aws_warned, severity="WARNING")
result["aws_warnings"] = {"result": aws_shown["result"],
                          "codes": [[d["severity"], d["code"], d.get("location")] for d in aws_shown["diagnostics"]]}
many = json.dumps({"StartAt": "S0", "States": {f"S{n}": {"Type": "Pass", "Next": f"M{n}"} for n in range(150)}})
capped = sfn.validate_state_machine_definition(definition=many, maxResults=5)
result["capped"] = {"count": len(capped["diagnostics"]), "truncated": capped["truncated"]}
callback = json.dumps({"StartAt": "T", "States": {"T": {
    "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}}, "End": True}}})
express = sfn.validate_state_machine_definition(definition=callback, type="EXPRESS")
result["express"] = {"result": express["result"],
                     "first": [express["diagnostics"][0]["code"], express["diagnostics"][0].get("location")]}
expect("max_results", sfn.exceptions.ValidationException, sfn.validate_state_machine_definition,
       definition=many, maxResults=101)

report(result)
