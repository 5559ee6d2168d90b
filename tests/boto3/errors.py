"""The errors of the served engine as boto3 raises them: each the modeled
exception class of Step Functions, with its code, message, and HTTP status."""

import json

from common import ROLE, client, report

sfn = client()
ACCOUNT = "arn:aws:states:us-east-1:123456789012"
errors = {}


def expect(case, exception, call, **kwargs):
    """Calls `call(**kwargs)`, which must raise `exception`; records what it
    carried."""
    try:
        call(**kwargs)
    except exception as error:
        errors[case] = {
            "class": type(error).__name__,
            "code": error.response["Error"]["Code"],
            "message": error.response["Error"]["Message"],
            "status": error.response["ResponseMetadata"]["HTTPStatusCode"],
            "request_id": bool(error.response["ResponseMetadata"].get("RequestId")),
        }
        return
    raise AssertionError(f"{case}: {call.__name__} raised no {exception.__name__}")


expect("execution", sfn.exceptions.ExecutionDoesNotExist, sfn.describe_execution,
       executionArn=f"{ACCOUNT}:execution:none:nothing")
expect("machine", sfn.exceptions.StateMachineDoesNotExist, sfn.describe_state_machine,
       stateMachineArn=f"{ACCOUNT}:stateMachine:none")
expect("arn", sfn.exceptions.InvalidArn, sfn.describe_state_machine, stateMachineArn="not-an-arn")
expect("definition", sfn.exceptions.InvalidDefinition, sfn.create_state_machine, name="broken",
       definition=json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}),
       roleArn=ROLE)
expect("activity", sfn.exceptions.ActivityDoesNotExist, sfn.get_activity_task,
       activityArn=f"{ACCOUNT}:activity:none")
expect("version_description", sfn.exceptions.ValidationException, sfn.create_state_machine,
       name="versioned",
       definition=json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}),
       roleArn=ROLE, versionDescription="v1")

# A token answered twice.
activity_arn = sfn.create_activity(name="once")["activityArn"]
machine_arn = sfn.create_state_machine(
    name="once",
    definition=json.dumps({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": activity_arn, "End": True}}}),
    roleArn=ROLE,
)["stateMachineArn"]
sfn.start_execution(stateMachineArn=machine_arn)
task = sfn.get_activity_task(activityArn=activity_arn)
assert task.get("taskToken"), task
sfn.send_task_success(taskToken=task["taskToken"], output="{}")
expect("answered_twice", sfn.exceptions.TaskTimedOut, sfn.send_task_success,
       taskToken=task["taskToken"], output="{}")
expect("token", sfn.exceptions.InvalidToken, sfn.send_task_heartbeat, taskToken="not-a-token")

report(errors)
