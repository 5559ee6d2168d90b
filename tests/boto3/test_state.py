"""TestState through boto3 against the served engine: the answers as boto3
parses them with Step Functions' model, and the refusals as its modeled
exceptions.

TestState has the host prefix `sync-` in AWS's model, which botocore puts
before the endpoint's host: a local endpoint is reached with the prefix
turned off, as with any endpoint that is not AWS's."""

import json

from common import ROLE, client, report

sfn = client(inject_host_prefix=False)
results = {}


def tested(case, **kwargs):
    answer = sfn.test_state(**kwargs)
    answer.pop("ResponseMetadata", None)
    results[case] = answer


def refused(case, exception, **kwargs):
    try:
        sfn.test_state(**kwargs)
    except exception as error:
        results[case] = {
            "class": type(error).__name__,
            "code": error.response["Error"]["Code"],
            "message": error.response["Error"]["Message"],
            "status": error.response["ResponseMetadata"]["HTTPStatusCode"],
        }
        return
    raise AssertionError(f"{case}: TestState raised no {exception.__name__}")


io_pass = {
    "Type": "Pass",
    "InputPath": "$.initialData",
    "Parameters": {"staticValue": "some value", "inputValue.$": "$.fieldFromInput"},
    "ResultPath": "$.modifiedData",
    "End": True,
}
nested = {
    "initialData": {"fieldFromInput": "value from input", "otherField": "other"},
    "unrelatedData": {"someOtherField": 1234},
}
tested("pass_info", definition=json.dumps(io_pass), input=json.dumps(nested))
tested("pass_debug", definition=json.dumps(io_pass), input=json.dumps(nested),
       inspectionLevel="DEBUG")

choice = {
    "Type": "Choice",
    "Choices": [{"Variable": "$.value", "NumericGreaterThan": 20, "Next": "Big"}],
    "Default": "Small",
}
tested("choice", definition=json.dumps(choice), input=json.dumps({"value": 22}))

catching = {
    "QueryLanguage": "JSONata",
    "Type": "Task",
    "Resource": "arn:aws:states:::lambda:invoke",
    "Arguments": {"FunctionName": "foo", "Payload": "bar"},
    "Catch": [{"ErrorEquals": ["MockException"],
               "Output": "{% $states.errorOutput %}", "Next": "HandleMockError"}],
    "End": True,
}
tested("caught", definition=json.dumps(catching), input="{}", inspectionLevel="TRACE",
       mock={"errorOutput": {"error": "MockException", "cause": "Mock the cause of the error."}})

retrying = {
    "QueryLanguage": "JSONata",
    "Type": "Task",
    "Resource": "arn:aws:states:::lambda:invoke",
    "Retry": [{"ErrorEquals": ["MockException"], "IntervalSeconds": 1, "MaxAttempts": 5,
               "BackoffRate": 2.0}],
    "End": True,
}
tested("retriable", definition=json.dumps(retrying), roleArn=ROLE, inspectionLevel="DEBUG",
       mock={"errorOutput": {"error": "MockException", "cause": "busy"}},
       stateConfiguration={"retrierRetryCount": 4})

mapped = {
    "Type": "Map",
    "ItemsPath": "$.items",
    "ToleratedFailurePercentage": 50,
    "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
    "End": True,
}
tested("map", definition=json.dumps(mapped), input=json.dumps({"items": [1, 2]}),
       inspectionLevel="DEBUG", mock={"result": "[10, 20]"},
       stateConfiguration={"mapIterationFailureCount": 0})

machine = {
    "StartAt": "First",
    "States": {
        "First": {"Type": "Pass", "Result": {"n": 1}, "Next": "Second"},
        "Second": {"Type": "Succeed"},
    },
}
tested("by_name", definition=json.dumps(machine), stateName="First",
       variables=json.dumps({"x": 1}), inspectionLevel="DEBUG")

refused("invalid_definition", sfn.exceptions.InvalidDefinition,
        definition=json.dumps({"Type": "Pass", "Nxt": "A"}))
refused("mocked_pass", sfn.exceptions.ValidationException,
        definition=json.dumps({"Type": "Pass", "End": True}), mock={"result": "{}"})
refused("map_without_mock", sfn.exceptions.InvalidDefinition, definition=json.dumps(mapped))
refused("bad_input", sfn.exceptions.InvalidExecutionInput,
        definition=json.dumps({"Type": "Pass", "End": True}), input="{")
refused("no_role", sfn.exceptions.ValidationException,
        definition=json.dumps({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                               "End": True}))
refused("bad_member", sfn.exceptions.ValidationException,
        definition=json.dumps({"Type": "Pass", "End": True}),
        stateConfiguration={"retrierRetryCount": 3_000_000_000})

report(results)
