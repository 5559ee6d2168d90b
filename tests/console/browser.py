"""The local console in a real browser: headless Chromium, driven over the W3C
WebDriver HTTP protocol through chromedriver, against `sfini local serve`
(its URL in SFINI_ENDPOINT) running the parallel and error_handling examples
(examples/asl/), their activities answered by this script.

Standard library only. Prints what the page showed as one line of JSON for
tests/console.rs to check; saves screenshots where SCREENSHOTS names.

Environment: SFINI_ENDPOINT, CHROMIUM, CHROMEDRIVER, PROFILE (a fresh
directory for Chromium's profile), SCREENSHOTS (a directory), ROOT (the
repository).
"""

import base64
import datetime
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

ENDPOINT = os.environ["SFINI_ENDPOINT"]
ROOT = os.environ["ROOT"]
REGION = "us-east-1"
ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/console-test"
# Waits for what the page shows, in seconds.
WAIT = 15

# Markup that would run if the page wrote the engine's data as HTML.
HOSTILE_NOTE = '<script>window.__pwned = "input"</script><img src=x onerror="window.__pwned = \'input\'">'
HOSTILE_CAUSE = '<img src=x onerror="window.__pwned = \'cause\'">'
HOSTILE_STATE = '<img src=x onerror="window.__pwned=1">'


def log(*args):
    print("browser.py:", *args, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ the API


def api(operation, body, region=None):
    headers = {
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": f"AWSStepFunctions.{operation}",
    }
    if region:
        # The server reads a caller's region from the credential scope.
        headers["Authorization"] = (
            f"AWS4-HMAC-SHA256 Credential=TEST/20261203/{region}/states/aws4_request, "
            "SignedHeaders=host, Signature=0"
        )
    request = urllib.request.Request(
        ENDPOINT + "/",
        data=json.dumps(body).encode(),
        headers=headers,
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=70) as response:
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        raise AssertionError(f"{operation} failed: {error.code} {error.read()!r}") from None


def definition(example):
    with open(os.path.join(ROOT, "examples", "asl", f"{example}.asl.json")) as file:
        text = file.read()
    return text.replace("${AWS::Region}", REGION).replace("${AWS::AccountId}", ACCOUNT)


def machine(name, text):
    return api("CreateStateMachine", {"name": name, "definition": text, "roleArn": ROLE})[
        "stateMachineArn"
    ]


def start(machine_arn, name, value):
    return api(
        "StartExecution", {"stateMachineArn": machine_arn, "name": name, "input": json.dumps(value)}
    )["executionArn"]


def wait_closed(arn):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        described = api("DescribeExecution", {"executionArn": arn})
        if described["status"] != "RUNNING":
            return described["status"]
        time.sleep(0.05)
    raise AssertionError(f"{arn} still runs")


class Worker(threading.Thread):
    """Answers an activity's tasks with `handler(input) -> (output | None, error | None)`."""

    def __init__(self, activity_arn, handler):
        super().__init__(daemon=True)
        self.activity_arn = activity_arn
        self.handler = handler
        self.stopping = False

    def run(self):
        while not self.stopping:
            task = api("GetActivityTask", {"activityArn": self.activity_arn, "workerName": "browser-test"})
            token = task.get("taskToken")
            if not token:
                continue
            output, error = self.handler(json.loads(task["input"]))
            if error:
                api("SendTaskFailure", {"taskToken": token, "error": error[0], "cause": error[1]})
            else:
                api("SendTaskSuccess", {"taskToken": token, "output": json.dumps(output)})


# ---------------------------------------------------------------- WebDriver


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """A chromedriver session, spoken to as JSON over HTTP."""

    def __init__(self):
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.driver = subprocess.Popen(
            [os.environ["CHROMEDRIVER"], f"--port={port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            self.session = self.start_session()
        except BaseException:
            self.driver.terminate()
            self.driver.wait(10)
            raise

    def start_session(self):
        deadline = time.monotonic() + WAIT
        while True:
            try:
                if self.send("GET", "/status")["value"].get("ready"):
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("chromedriver did not get ready")
            time.sleep(0.05)
        capabilities = {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": os.environ["CHROMIUM"],
                "args": [
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    f"--user-data-dir={os.environ['PROFILE']}",
                    "--window-size=1360,1060",
                    "--hide-scrollbars",
                    "--force-device-scale-factor=1",
                    "--disable-dev-shm-usage",
                ],
            },
        }
        session = self.send("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})
        return f"/session/{session['value']['sessionId']}"

    def send(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.base + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            raise AssertionError(f"WebDriver {method} {path}: {error.code} {error.read()!r}") from None

    def command(self, method, path, body=None):
        return self.send(method, self.session + path, body)["value"]

    def open(self, url):
        self.command("POST", "/url", {"url": url})

    def script(self, source, *args):
        return self.command("POST", "/execute/sync", {"script": source, "args": list(args)})

    def until(self, source, what, *args):
        """Runs `source` until it returns something truthy; gives it."""
        deadline = time.monotonic() + WAIT
        while True:
            value = self.script(source, *args)
            if value:
                return value
            if time.monotonic() > deadline:
                page = self.script("return document.body.innerText.slice(0, 3000)")
                raise AssertionError(f"waited {WAIT} s for {what}; the page shows:\n{page}")
            time.sleep(0.1)

    def click(self, css):
        found = self.command("POST", "/element", {"using": "css selector", "value": css})
        element = next(iter(found.values()))
        self.command("POST", f"/element/{element}/click", {})

    def screenshot(self, path):
        with open(path, "wb") as file:
            file.write(base64.b64decode(self.command("GET", "/screenshot")))

    def close(self):
        try:
            self.send("DELETE", self.session)
        finally:
            self.driver.terminate()
            self.driver.wait(10)


# ------------------------------------------------------- what the page shows

ROWS = """
return [...document.querySelectorAll(arguments[0] + ' tbody tr')].map(
  (row) => [...row.cells].map((cell) => cell.textContent.trim()));
"""

GRAPH = """
const states = {};
for (const node of document.querySelectorAll('#graph g.state[data-state]')) {
  const status = [...node.classList].find((c) => c.startsWith('st-'));
  states[node.getAttribute('data-state')] = status ? status.slice(3) : null;
}
return Object.keys(states).length ? states : null;
"""

EDGES = """
return [...document.querySelectorAll('#graph g.edge.taken')].map((edge) =>
  `${edge.getAttribute('data-from') || 'Start'} -> ${edge.getAttribute('data-to') || 'End'}`
  + (edge.classList.contains('edge-catch') ? ' (catch)' : '')).sort();
"""

STATE_PANEL = """
const panel = document.getElementById('state-detail');
return {
  title: document.getElementById('state-title').textContent,
  inputs: [...panel.querySelectorAll('pre.state-input')].map((pre) => pre.textContent),
  outputs: [...panel.querySelectorAll('pre.state-output')].map((pre) => pre.textContent),
  failures: [...panel.querySelectorAll('.failure-note')].map((note) => note.textContent),
};
"""

EXECUTION = """
return {
  name: document.getElementById('execution-name').textContent,
  status: document.getElementById('execution-status').textContent,
  live: !document.getElementById('execution-live').hidden,
  summary: document.getElementById('execution-summary').textContent,
};
"""


def execution_url(arn):
    return f"{ENDPOINT}/console/#/execution/{urllib.parse.quote(arn, safe='')}"


def show_execution(browser, arn, status):
    browser.open(execution_url(arn))
    browser.until(
        "return document.getElementById('execution-status').textContent === arguments[0]"
        " && document.querySelector('#graph g.state[data-state]') !== null"
        " && document.querySelectorAll('#timeline tbody tr').length > 0",
        f"{arn} shown as {status} with its graph",
        status,
    )


def select_state(browser, css, name):
    browser.click(css)
    browser.until(
        "return document.getElementById('state-title').firstChild"
        " && document.getElementById('state-title').firstChild.textContent === arguments[0]",
        f"the state {name!r} selected",
        name,
    )
    return browser.script(STATE_PANEL)


def main():
    began = time.monotonic()
    screenshots = os.environ["SCREENSHOTS"]
    os.makedirs(screenshots, exist_ok=True)

    # The examples' activities, answered here.
    release = threading.Event()

    def log_activity(task):
        return None, None

    def print_activity(task):
        if task.get("hold"):
            # The execution left running until the page has shown it so.
            release.wait(60)
        until = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(milliseconds=100)
        return until.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), None

    def raise_activity(task):
        if "note" in task:
            return None, ("MyError", HOSTILE_CAUSE)
        return None, ("MyError", "foobar")

    workers = []
    for name, handler in [
        ("logActivity", log_activity),
        ("printActivity", print_activity),
        ("raiseActivity", raise_activity),
    ]:
        arn = api("CreateActivity", {"name": name})["activityArn"]
        worker = Worker(arn, handler)
        worker.start()
        workers.append(worker)

    parallel = machine("sfiniParallel", definition("parallel"))
    errors = machine("sfiniErrorHandling", definition("error_handling"))
    hostile = machine(
        "hostileNames",
        json.dumps(
            {
                "StartAt": HOSTILE_STATE,
                "States": {HOSTILE_STATE: {"Type": "Pass", "End": True}},
            }
        ),
    )

    done = start(parallel, "print-and-log", {"level": 20, "message": "foo"})
    assert wait_closed(done) == "SUCCEEDED"
    caught = start(errors, "raise-and-catch", {"order": 42})
    assert wait_closed(caught) == "FAILED"
    marked = start(errors, "hostile-input", {"note": HOSTILE_NOTE})
    assert wait_closed(marked) == "FAILED"
    named = start(hostile, "hostile-state", {"note": HOSTILE_NOTE})
    assert wait_closed(named) == "SUCCEEDED"
    live = start(parallel, "followed-live", {"level": 20, "message": "bar", "hold": True})
    setup = time.monotonic() - began

    result = {"setup_seconds": round(setup, 1)}
    browser = Browser()
    try:
        # The lists.
        browser.open(f"{ENDPOINT}/console/")
        browser.until(
            "return document.querySelectorAll('#executions tbody tr').length >= 5", "the executions listed"
        )
        result["machines"] = browser.script(ROWS, "#machines")
        result["executions"] = browser.script(ROWS, "#executions")
        result["title"] = browser.script("return document.title")
        browser.screenshot(os.path.join(screenshots, "list.png"))

        # Filtered by status, then by machine.
        browser.click('#filter-status option[value="FAILED"]')
        browser.until(
            "return location.hash.includes('status=FAILED')"
            " && document.querySelectorAll('#executions tbody tr').length === 2",
            "the failed executions",
        )
        result["failed"] = browser.script(ROWS, "#executions")
        browser.click(f'#filter-machine option[value="{parallel}"]')
        browser.until(
            "return location.hash.includes('machine=')"
            " && !document.getElementById('executions-empty').hidden",
            "no failed execution of sfiniParallel",
        )
        browser.click('#filter-status option[value=""]')
        browser.until(
            "return !location.hash.includes('status=')"
            " && document.querySelectorAll('#executions tbody tr').length === 2",
            "the executions of sfiniParallel",
        )
        result["of_parallel"] = browser.script(ROWS, "#executions")
        # The machine's graph, on demand.
        browser.click("#machine-graph-title")
        result["machine_graph"] = browser.until(
            "return [...document.querySelectorAll('#machine-graph g.state[data-state]')]"
            ".map((node) => node.getAttribute('data-state')).sort().join(',')",
            "the graph of sfiniParallel",
        )

        # An execution whose task failed, was caught, and went to a Fail state.
        browser.click(f'#executions a[href="#/execution/{urllib.parse.quote(live, safe="")}"]')
        browser.until(
            "return document.getElementById('execution-name').textContent === 'followed-live'",
            "a click on an execution opening it",
        )
        show_execution(browser, caught, "FAILED")
        result["caught"] = {
            "execution": browser.script(EXECUTION),
            "graph": browser.script(GRAPH),
            "edges": browser.script(EDGES),
            # The edges' markers are found by id: one graph in the page.
            "graphs": browser.script("return document.querySelectorAll('svg.sfini-graph').length"),
            "timeline": browser.script(ROWS, "#timeline"),
            "raise": select_state(browser, '#graph g.state[data-state="raise"]', "raise"),
        }
        result["caught"]["fail"] = select_state(
            browser, '#timeline tbody tr[data-state="fail"]', "fail"
        )
        select_state(browser, '#graph g.state[data-state="raise"]', "raise")
        browser.script("window.scrollTo(0, 0)")
        browser.screenshot(os.path.join(screenshots, "console.png"))

        # The Parallel example, run to completion.
        show_execution(browser, done, "SUCCEEDED")
        result["parallel"] = {
            "execution": browser.script(EXECUTION),
            "graph": browser.script(GRAPH),
            "edges": browser.script(EDGES),
            "print": select_state(browser, '#timeline tbody tr[data-state="print"]', "print"),
        }
        browser.script("window.scrollTo(0, 0)")
        browser.screenshot(os.path.join(screenshots, "parallel.png"))

        # Hostile names and data are shown as text.
        show_execution(browser, marked, "FAILED")
        result["hostile_input"] = {
            "input": browser.script("return document.getElementById('execution-input').textContent"),
            "raise": select_state(browser, '#graph g.state[data-state="raise"]', "raise"),
        }
        show_execution(browser, named, "SUCCEEDED")
        result["hostile_state"] = {
            "graph": browser.script(GRAPH),
            "timeline": browser.script(ROWS, "#timeline"),
            "state": select_state(
                browser, '#timeline tbody tr[data-event="2"]', HOSTILE_STATE
            ),
        }
        result["pwned"] = browser.script(
            "return [window.__pwned === undefined ? null : String(window.__pwned),"
            " document.querySelectorAll('img, script:not([src])').length]"
        )

        # The execution left running, followed live until it closes.
        show_execution(browser, live, "RUNNING")
        browser.until(
            "return document.querySelector('#graph g.state[data-state=\"print\"].st-running') !== null"
            " && document.querySelector('#graph g.state[data-state=\"log\"].st-succeeded') !== null",
            "print shown running, log succeeded",
        )
        running = {
            "execution": browser.script(EXECUTION),
            "graph": browser.script(GRAPH),
            "edges": browser.script(EDGES),
        }
        browser.screenshot(os.path.join(screenshots, "live.png"))
        released = time.monotonic()
        release.set()
        browser.until(
            "return document.getElementById('execution-status').textContent === 'SUCCEEDED'",
            "the running execution turning SUCCEEDED",
        )
        followed = time.monotonic() - released
        result["live"] = {
            "running": running,
            "closed": browser.script(EXECUTION),
            "graph": browser.script(GRAPH),
            "seconds_to_show": round(followed, 1),
            "events": len(browser.script(ROWS, "#timeline")),
        }
        # The page read the history only once the events' ids were new:
        # no event is shown twice.
        ids = [row[0] for row in browser.script(ROWS, "#timeline")]
        result["live"]["ids_unique"] = len(ids) == len(set(ids))

        # Pages: 25 more executions, 20 shown, then the rest on "More",
        # one machine's (the API's pages) and every machine's (merged).
        paged = machine("paging", json.dumps({"StartAt": "only", "States": {"only": {"Type": "Succeed"}}}))
        for number in range(25):
            start(paged, f"page-{number:02}", {})
        for filter_hash, total in [(f"#/?machine={urllib.parse.quote(paged, safe='')}", 25), ("#/", 30)]:
            browser.open(f"{ENDPOINT}/console/{filter_hash}")
            browser.until(
                "return document.querySelectorAll('#executions tbody tr').length === 20"
                " && !document.getElementById('executions-more').hidden",
                f"a first page of 20 ({filter_hash})",
            )
            first = browser.script(ROWS, "#executions")
            browser.click("#executions-more")
            browser.until(
                "return document.querySelectorAll('#executions tbody tr').length === arguments[0]"
                " && document.getElementById('executions-more').hidden",
                f"the rest after More ({filter_hash})",
                total,
            )
            result.setdefault("pages", []).append(
                {"first": [row[0] for row in first], "all": [row[0] for row in browser.script(ROWS, "#executions")]}
            )

        # Another region: its machines, its execution and its graph, read
        # in that region; the choice of region lists it.
        regional = api(
            "CreateStateMachine",
            {
                "name": "regional",
                "definition": json.dumps({"StartAt": "here", "States": {"here": {"Type": "Pass", "End": True}}}),
                "roleArn": ROLE,
            },
            region="eu-west-1",
        )["stateMachineArn"]
        there = api(
            "StartExecution", {"stateMachineArn": regional, "name": "over-there"}, region="eu-west-1"
        )["executionArn"]
        browser.open(f"{ENDPOINT}/console/?region=eu-west-1#/")
        browser.until(
            "return document.querySelectorAll('#machines tbody tr').length === 1"
            " && !document.getElementById('region-choice').hidden",
            "the machines of eu-west-1",
        )
        result["region"] = {
            "machines": browser.script(ROWS, "#machines"),
            "choices": browser.script(
                "return [...document.querySelectorAll('#region option')].map((o) => o.value)"
            ),
            "chosen": browser.script("return document.getElementById('region').value"),
        }
        browser.open(f"{ENDPOINT}/console/?region=eu-west-1{execution_url(there)[len(ENDPOINT + '/console/'):]}")
        browser.until(
            "return document.getElementById('execution-status').textContent === 'SUCCEEDED'"
            " && document.querySelector('#graph g.state[data-state=\"here\"].st-succeeded') !== null",
            "the execution of eu-west-1 with its graph",
        )
        result["region"]["execution"] = browser.script(EXECUTION)
    finally:
        browser.close()
        for worker in workers:
            worker.stopping = True
    result["seconds"] = round(time.monotonic() - began, 1)
    json.dump(result, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
