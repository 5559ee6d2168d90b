"""Express state machines and StartSyncExecution through boto3.

StartSyncExecution has the host prefix `sync-` in AWS's model: boto3 sends
it to `sync-<endpoint host>`. Against the served engine the prefix is turned
off with `Config(inject_host_prefix=False)`, or with the environment
variable AWS_DISABLE_HOST_PREFIX_INJECTION=true; without either, the call
reaches the server only where `sync-localhost` resolves (recorded here as
`default_prefix`)."""

import json
import os
import socket
from urllib.parse import urlsplit, urlunsplit

import botocore.exceptions

from common import ROLE, client, report

result = {}
sfn = client(inject_host_prefix=False)


def machine(name, definition, kind="EXPRESS"):
    return sfn.create_state_machine(
        name=name, definition=json.dumps(definition), roleArn=ROLE, type=kind
    )["stateMachineArn"]


def error_of(call, **kwargs):
    try:
        call(**kwargs)
    except botocore.exceptions.ClientError as error:
        return {
            "class": type(error).__name__,
            "code": error.response["Error"]["Code"],
            "status": error.response["ResponseMetadata"]["HTTPStatusCode"],
        }
    raise AssertionError(f"{call.__name__} raised nothing")


def answer(done):
    """The answer as boto3 parsed it, dates said by type."""
    done = dict(done)
    done.pop("ResponseMetadata", None)
    for key in ("startDate", "stopDate"):
        done[key] = type(done[key]).__name__
    return done


quick = machine(
    "quick",
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"got.$": "$.n"}, "End": True}}},
)
result["succeeded"] = answer(
    sfn.start_sync_execution(stateMachineArn=quick, name="first", input=json.dumps({"n": 7}))
)
failing = machine(
    "failing",
    {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "SomeFailure", "Cause": "because"}}},
)
result["failed"] = answer(sfn.start_sync_execution(stateMachineArn=failing))
standard = machine(
    "standard",
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
    kind="STANDARD",
)
result["standard"] = error_of(sfn.start_sync_execution, stateMachineArn=standard)
result["describe"] = error_of(
    sfn.describe_execution, executionArn=result["succeeded"]["executionArn"]
)
result["history"] = error_of(
    sfn.get_execution_history, executionArn=result["succeeded"]["executionArn"]
)
result["callback"] = error_of(
    sfn.create_state_machine,
    name="callback",
    roleArn=ROLE,
    type="EXPRESS",
    definition=json.dumps(
        {
            "StartAt": "T",
            "States": {
                "T": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                    "End": True,
                }
            },
        }
    ),
)

# The environment variable turns the prefix off too.
os.environ["AWS_DISABLE_HOST_PREFIX_INJECTION"] = "true"
result["environment"] = client().start_sync_execution(
    stateMachineArn=quick, input=json.dumps({"n": 1})
)["status"]
del os.environ["AWS_DISABLE_HOST_PREFIX_INJECTION"]

# With the prefix, against `localhost`: boto3 sends to `sync-localhost`.
parts = urlsplit(os.environ["SFINI_ENDPOINT"])
localhost = urlunsplit(parts._replace(netloc=f"localhost:{parts.port}"))
os.environ["SFINI_ENDPOINT"] = localhost
prefixed = client()
hosts = []
prefixed.meta.events.register(
    "before-send.states.StartSyncExecution",
    lambda request, **_: hosts.append(urlsplit(request.url).hostname),
)
try:
    socket.getaddrinfo("sync-localhost", parts.port)
    resolves = True
except OSError:
    resolves = False
try:
    status = prefixed.start_sync_execution(stateMachineArn=quick, input=json.dumps({"n": 2}))["status"]
except botocore.exceptions.EndpointConnectionError:
    status = None
result["default_prefix"] = {"host": hosts[0] if hosts else None, "resolves": resolves, "status": status}

report(result)
