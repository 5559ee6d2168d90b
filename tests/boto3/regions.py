"""The served engine answers in each caller's region, as AWS does: boto3
clients of two regions (and one that does not sign) against one server,
each seeing its own state machines, activities and executions with ARNs in
its region; what DescribeStateMachine and DescribeExecution answer, member
for member; and the Resource ARNs CreateStateMachine refuses."""

import json
import time

from botocore import UNSIGNED

from common import ROLE, client, report, wait_closed

ireland = client("eu-west-1")
sydney = client("ap-southeast-2")
unsigned = client("us-east-1", signature_version=UNSIGNED)
result = {}


def error_of(call, **kwargs):
    """The code and message of the error `call(**kwargs)` must raise."""
    try:
        call(**kwargs)
    except Exception as error:  # noqa: BLE001 - botocore's ClientError and its modeled subclasses
        response = getattr(error, "response", None)
        if response is None:
            raise
        return {
            "class": type(error).__name__,
            "code": response["Error"]["Code"],
            "message": response["Error"]["Message"],
            "status": response["ResponseMetadata"]["HTTPStatusCode"],
        }
    raise AssertionError(f"{call.__name__} raised nothing")


def machine(sfn, name, states, **extra):
    definition = {"StartAt": next(iter(states)), "States": states, **extra}
    return sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE)[
        "stateMachineArn"
    ]


def shape(described):
    """A describe answer without its response metadata, dates as their
    presence."""
    described = dict(described)
    described.pop("ResponseMetadata", None)
    for key in ("creationDate", "startDate", "stopDate", "redriveDate"):
        if key in described:
            described[key] = "date"
    return described


# The same names in each region.
arns = {}
for region, sfn in (("eu-west-1", ireland), ("ap-southeast-2", sydney), ("unsigned", unsigned)):
    activity = sfn.create_activity(name="render")["activityArn"]
    pass_machine = machine(sfn, "hello", {"p": {"Type": "Pass", "Result": {"region": region}, "End": True}})
    execution = sfn.start_execution(stateMachineArn=pass_machine, name="first")["executionArn"]
    arns[region] = {"activity": activity, "machine": pass_machine, "execution": execution}
result["arns"] = arns

# Each region lists its own.
result["listed"] = {
    region: {
        "machines": [m["stateMachineArn"] for m in sfn.list_state_machines()["stateMachines"]],
        "activities": [a["activityArn"] for a in sfn.list_activities()["activities"]],
        "executions": [
            e["executionArn"]
            for e in sfn.list_executions(stateMachineArn=arns[region]["machine"])["executions"]
        ],
    }
    for region, sfn in (("eu-west-1", ireland), ("ap-southeast-2", sydney), ("unsigned", unsigned))
}

# Another region's resources are not found.
result["isolated"] = {
    "machine": error_of(sydney.describe_state_machine, stateMachineArn=arns["eu-west-1"]["machine"]),
    "start": error_of(sydney.start_execution, stateMachineArn=arns["eu-west-1"]["machine"]),
    "execution": error_of(sydney.describe_execution, executionArn=arns["eu-west-1"]["execution"]),
    "history": error_of(ireland.get_execution_history, executionArn=arns["ap-southeast-2"]["execution"]),
    "activity": error_of(ireland.describe_activity, activityArn=arns["ap-southeast-2"]["activity"]),
    "task": error_of(unsigned.get_activity_task, activityArn=arns["eu-west-1"]["activity"]),
}

# What DescribeStateMachine answers: before an update, after one, after
# an update that changes nothing, and with METADATA_ONLY.
hello = arns["eu-west-1"]["machine"]
created = ireland.describe_state_machine(stateMachineArn=hello)
updated = ireland.update_state_machine(stateMachineArn=hello, roleArn=ROLE + "-2")
after_update = ireland.describe_state_machine(stateMachineArn=hello)
same = ireland.update_state_machine(stateMachineArn=hello, roleArn=ROLE + "-2")
result["describe_machine"] = {
    "created": shape(created),
    "updated_revision": updated["revisionId"],
    "after_update": shape(after_update),
    "same_update_revision": same["revisionId"],
    "metadata_only": shape(ireland.describe_state_machine(stateMachineArn=hello, includedData="METADATA_ONLY")),
}

# What DescribeExecution answers in each status.
closed = {}
succeeded = wait_closed(ireland, arns["eu-west-1"]["execution"])
closed["SUCCEEDED"] = shape(succeeded)
failing = machine(ireland, "failing", {"f": {"Type": "Fail", "Error": "Broken", "Cause": "on purpose"}})
failed = ireland.start_execution(stateMachineArn=failing, name="failed", input='{"n": 1}')["executionArn"]
closed["FAILED"] = shape(wait_closed(ireland, failed))
timing_out = machine(ireland, "timing-out", {"w": {"Type": "Wait", "Seconds": 30, "End": True}}, TimeoutSeconds=1)
timed_out = ireland.start_execution(stateMachineArn=timing_out, name="late")["executionArn"]
closed["TIMED_OUT"] = shape(wait_closed(ireland, timed_out, seconds=10))
waiting = machine(ireland, "waiting", {"w": {"Type": "Wait", "Seconds": 3600, "End": True}})
running = ireland.start_execution(
    stateMachineArn=waiting, name="running", traceHeader="Root=1-5759e988-bd862e3fe1be46a994272793"
)["executionArn"]
closed["RUNNING"] = shape(ireland.describe_execution(executionArn=running))
ireland.stop_execution(executionArn=running, error="Cancelled", cause="by the test")
closed["ABORTED"] = shape(wait_closed(ireland, running))
closed["METADATA_ONLY"] = shape(
    ireland.describe_execution(executionArn=arns["eu-west-1"]["execution"], includedData="METADATA_ONLY")
)
result["describe_execution"] = closed

# Resource ARNs refused at CreateStateMachine and UpdateStateMachine.
lambda_arn = "arn:aws:lambda:eu-west-1:123456789012:function:f"


def task_definition(resource, **extra):
    return json.dumps({"StartAt": "t", "States": {"t": {"Type": "Task", "Resource": resource, "End": True, **extra}}})


result["refused"] = {
    "empty_qualifier": error_of(
        ireland.create_state_machine, name="q1", definition=task_definition(lambda_arn + ":"), roleArn=ROLE
    ),
    "bad_qualifier": error_of(
        ireland.create_state_machine, name="q2", definition=task_definition(lambda_arn + ":v1.0"), roleArn=ROLE
    ),
    "placeholder": error_of(
        ireland.create_state_machine, name="q3", definition=task_definition("${CheckStock}"), roleArn=ROLE
    ),
    "placeholder_in_arn": error_of(
        ireland.create_state_machine,
        name="q4",
        definition=task_definition("arn:aws:lambda:eu-west-1:123456789012:function:${Name}"),
        roleArn=ROLE,
    ),
    "update": error_of(
        ireland.update_state_machine, stateMachineArn=hello, definition=task_definition(lambda_arn + ":")
    ),
}
# Accepted: a qualified function, and `${...}` in a Parameters value.
result["accepted"] = [
    machine(ireland, "qualified", {"t": {"Type": "Task", "Resource": lambda_arn + ":$LATEST", "End": True}}),
    machine(ireland, "aliased", {"t": {"Type": "Task", "Resource": lambda_arn + ":PROD-2", "End": True}}),
    machine(
        ireland,
        "text",
        {"t": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
               "Parameters": {"TableName": "${Table}"}, "End": True}},
    ),
]

report(result)
