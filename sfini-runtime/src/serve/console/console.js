// The sfini local console. It reads the engine through the Step Functions
// API the same server answers (POST / with X-Amz-Target; in the server's
// default region, or in the one the page's `?region=` names, which each
// request carries in the credential scope of an unsigned Authorization
// header, where the server reads a caller's region) and draws a
// definition's graph from GET graph.svg. Whatever the engine holds (names, JSON, errors) is written
// into the page as text nodes, never as markup.
"use strict";

(() => {
  /** Rows shown per page of a list. */
  const PAGE_SIZE = 20;
  /** How often a running execution is read again, in milliseconds. */
  const FOLLOW_EVERY_MS = 1000;
  /** Events per history page when following (only new pages are read). */
  const FOLLOW_PAGE = 100;
  /** Events per history page when reading a whole history. */
  const FULL_PAGE = 1000;
  /** The most state machines read for the machine filter. */
  const MAX_MACHINES = 2000;
  /** The most characters of one JSON document shown. */
  const MAX_SHOWN_CHARS = 65536;
  /** The most visits of one state shown, the latest. */
  const MAX_SHOWN_VISITS = 25;
  /** The statuses a state is coloured by, from the most telling. */
  const STATE_STATUSES = ["running", "failed", "caught", "succeeded"];

  const $ = (id) => document.getElementById(id);

  /**
   * The region the page shows (`?region=` of its address), or "" for the
   * server's default region. A name that is not a region's is ignored.
   */
  const REGION = (() => {
    const named = new URLSearchParams(location.search).get("region") || "";
    return /^[a-z][a-z0-9-]{0,49}$/.test(named) ? named : "";
  })();

  /**
   * The headers that put a request in the page's region: the server takes
   * a caller's region from its credential scope, and checks no signature.
   */
  function regionHeaders() {
    if (!REGION) return {};
    return {
      Authorization: `AWS4-HMAC-SHA256 Credential=console/20000101/${REGION}/states/aws4_request, SignedHeaders=host, Signature=0`,
    };
  }

  // ---------------------------------------------------------------- the API

  /** An error the engine answered: its code and message. */
  class ApiError extends Error {
    constructor(operation, code, message) {
      super(`${operation}: ${code}: ${message}`);
      this.code = code;
    }
  }

  /** Calls an operation of the API with `input`; gives its answer. */
  async function call(operation, input) {
    const response = await fetch("/", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": `AWSStepFunctions.${operation}`,
        ...regionHeaders(),
      },
      body: JSON.stringify(input || {}),
      cache: "no-store",
    });
    const text = await response.text();
    let body = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch (_) {
      throw new ApiError(operation, `HTTP ${response.status}`, "the answer is not JSON");
    }
    if (!response.ok) {
      const code = String(body.__type || `HTTP ${response.status}`).split("#").pop();
      throw new ApiError(operation, code, String(body.message || ""));
    }
    return body;
  }

  /**
   * The SVG of a graph from `graph.svg?<name>=<arn>`, in the page's
   * region; throws the server's reason when it has none.
   */
  async function fetchGraph(name, arn) {
    const response = await fetch(`graph.svg?${name}=${encodeURIComponent(arn)}`, {
      cache: "no-store",
      headers: regionHeaders(),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(text.trim() || `HTTP ${response.status}`);
    return text;
  }

  // -------------------------------------------------------------- the page

  /**
   * An element: `tag` with attributes (`class`, `title`, `href`, data-*...)
   * and children (strings become text nodes; null and false are left out).
   */
  function el(tag, attributes, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value !== undefined && value !== null && value !== false) {
        element.setAttribute(name, String(value));
      }
    }
    append(element, children);
    return element;
  }

  function append(parent, children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }

  /** Replaces what `parent` holds with `children`. */
  function fill(parent, ...children) {
    parent.replaceChildren();
    append(parent, children);
  }

  /** A status as a coloured badge. */
  function badge(status) {
    const text = String(status || "");
    return el("span", { class: `status status-${text.toLowerCase().replace(/_/g, "-")}` }, text);
  }

  function showError(error) {
    const box = $("error");
    if (!error) {
      box.hidden = true;
      box.textContent = "";
      return;
    }
    box.textContent = error instanceof Error ? error.message : String(error);
    box.hidden = false;
  }

  /** The region (read from an ARN of the engine) and the server, in the header. */
  function showWhere(arn) {
    const region = String(arn || "").split(":")[3];
    $("where").textContent = region ? `region ${region} · ${location.host}` : location.host;
  }

  function busy(text) {
    $("activity").textContent = text || "";
  }

  // ---------------------------------------------------------- times, names

  const pad = (n, width) => String(n).padStart(width || 2, "0");

  /** Epoch seconds as `YYYY-MM-DD HH:MM:SS.mmm` (UTC). */
  function formatTime(seconds) {
    if (typeof seconds !== "number") return "—";
    const d = new Date(Math.round(seconds * 1000));
    return (
      `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
      `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.` +
      pad(d.getUTCMilliseconds(), 3)
    );
  }

  /** A duration in milliseconds, short. */
  function formatDuration(ms) {
    if (ms < 0) ms = 0;
    if (ms < 1000) return `${Math.round(ms)} ms`;
    if (ms < 60000) return `${(ms / 1000).toFixed(3)} s`;
    const minutes = Math.floor(ms / 60000);
    const seconds = ((ms % 60000) / 1000).toFixed(1);
    if (minutes < 60) return `${minutes} min ${seconds} s`;
    return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  }

  /** The name part of a state machine's ARN (with its version, if any). */
  function machineName(arn) {
    const parts = String(arn || "").split(":");
    const at = parts.indexOf("stateMachine");
    return at >= 0 ? parts.slice(at + 1).join(":") : String(arn || "");
  }

  /** JSON text indented for reading; other text as it is; cut if huge. */
  function pretty(text) {
    if (text === undefined || text === null) return "";
    let shown = String(text);
    try {
      shown = JSON.stringify(JSON.parse(shown), null, 2);
    } catch (_) {
      // Not JSON: shown as it is.
    }
    if (shown.length > MAX_SHOWN_CHARS) {
      shown = `${shown.slice(0, MAX_SHOWN_CHARS)}\n… (${shown.length} characters, cut)`;
    }
    return shown;
  }

  // ----------------------------------------------------------------- routes

  /** What the page shows now; a new view stops the one before. */
  let current = { stop() {} };

  function route() {
    current.stop();
    showError(null);
    busy("");
    const hash = location.hash.replace(/^#/, "");
    const execution = hash.match(/^\/execution\/(.+)$/);
    if (execution) {
      let arn;
      try {
        arn = decodeURIComponent(execution[1]);
      } catch (_) {
        arn = "";
      }
      current = new ExecutionView(arn);
    } else {
      const params = new URLSearchParams(hash.split("?")[1] || "");
      current = new ListView(params.get("machine") || "", params.get("status") || "");
    }
    current.start().catch(showError);
  }

  function listHash(machine, status) {
    const params = new URLSearchParams();
    if (machine) params.set("machine", machine);
    if (status) params.set("status", status);
    const query = params.toString();
    return query ? `#/?${query}` : "#/";
  }

  function executionHash(arn) {
    return `#/execution/${encodeURIComponent(arn)}`;
  }

  // -------------------------------------------------------------- the lists

  /**
   * Executions of several machines, newest first: each machine's pages
   * (newest first already) merged as they are read.
   */
  class MergedExecutions {
    constructor(machineArns, status) {
      this.status = status;
      this.sources = machineArns.map((arn) => ({ arn, buffer: [], token: null, done: false }));
    }

    async refill(source) {
      if (source.buffer.length || source.done) return;
      const input = { stateMachineArn: source.arn, maxResults: PAGE_SIZE };
      if (this.status) input.statusFilter = this.status;
      if (source.token) input.nextToken = source.token;
      const page = await call("ListExecutions", input);
      source.buffer = page.executions || [];
      source.token = page.nextToken || null;
      source.done = !source.token;
    }

    /** The next `count` executions, newest first. */
    async next(count) {
      const taken = [];
      while (taken.length < count) {
        await Promise.all(this.sources.map((source) => this.refill(source)));
        let newest = null;
        for (const source of this.sources) {
          if (source.buffer.length && (!newest || source.buffer[0].startDate > newest.buffer[0].startDate)) {
            newest = source;
          }
        }
        if (!newest) break;
        taken.push(newest.buffer.shift());
      }
      return taken;
    }

    get more() {
      return this.sources.some((source) => source.buffer.length || !source.done);
    }
  }

  /** One machine's executions, a page of the API at a time. */
  class MachineExecutions {
    constructor(arn, status) {
      this.arn = arn;
      this.status = status;
      this.token = null;
      this.done = false;
    }

    async next(count) {
      const input = { stateMachineArn: this.arn, maxResults: count };
      if (this.status) input.statusFilter = this.status;
      if (this.token) input.nextToken = this.token;
      const page = await call("ListExecutions", input);
      this.token = page.nextToken || null;
      this.done = !this.token;
      return page.executions || [];
    }

    get more() {
      return !this.done;
    }
  }

  /** The state machines and executions, with their filters. */
  class ListView {
    constructor(machine, status) {
      this.machine = machine;
      this.status = status;
      this.stopped = false;
      this.allMachines = [];
      this.machinesShown = 0;
      this.loadingExecutions = false;
      this.listeners = [];
    }

    on(element, type, handler) {
      element.addEventListener(type, handler);
      this.listeners.push(() => element.removeEventListener(type, handler));
    }

    stop() {
      this.stopped = true;
      for (const remove of this.listeners) remove();
      // A graph's markers are found by id in the whole page: one graph in
      // the page at a time.
      fill($("machine-graph"));
    }

    async start() {
      $("execution-view").hidden = true;
      $("list-view").hidden = false;
      document.title = "sfini console";
      $("filter-status").value = this.status;
      this.on($("filter-machine"), "change", (event) => {
        location.hash = listHash(event.target.value, this.status);
      });
      this.on($("filter-status"), "change", (event) => {
        location.hash = listHash(this.machine, event.target.value);
      });
      this.on($("refresh-machines"), "click", () => this.guard(this.loadMachines()));
      this.on($("refresh-executions"), "click", () => route());
      this.on($("machines-more"), "click", () => this.moreMachines());
      this.on($("executions-more"), "click", () => this.guard(this.moreExecutions()));
      const graphPanel = $("machine-graph-panel");
      graphPanel.open = false;
      graphPanel.hidden = !this.machine;
      fill($("machine-graph"));
      fill($("machine-graph-title"), "Graph of ", machineName(this.machine));
      this.on(graphPanel, "toggle", () => {
        if (graphPanel.open && !$("machine-graph").firstChild) this.guard(this.loadGraph());
      });
      busy("loading…");
      await this.loadMachines();
      await this.loadExecutions();
      if (!this.stopped) busy("");
    }

    guard(promise) {
      promise.catch(showError);
    }

    /** The graph of the machine filtered by, as its definition is now. */
    async loadGraph() {
      let graph;
      try {
        graph = importSvg(await fetchGraph("stateMachineArn", this.machine));
      } catch (error) {
        graph = el("p", { class: "muted" }, `No graph: ${error.message}`);
      }
      if (!this.stopped) fill($("machine-graph"), graph);
    }

    /**
     * Every machine (page after page of the API), for the filter, the
     * merged list of executions and the table, newest first.
     */
    async loadMachines() {
      const all = [];
      let token = null;
      do {
        const page = await call("ListStateMachines", token ? { maxResults: 1000, nextToken: token } : { maxResults: 1000 });
        all.push(...(page.stateMachines || []));
        token = page.nextToken || null;
      } while (token && all.length < MAX_MACHINES);
      if (this.stopped) return;
      // The API lists machines in creation order: reversed, then sorted
      // (stably) by creation date, machines created within the same
      // millisecond stay newest first too.
      all.reverse();
      all.sort((a, b) => (b.creationDate || 0) - (a.creationDate || 0));
      this.allMachines = all;
      const select = $("filter-machine");
      fill(
        select,
        el("option", { value: "" }, "All"),
        all.map((machine) => el("option", { value: machine.stateMachineArn }, machine.name)),
      );
      if (this.machine && !all.some((machine) => machine.stateMachineArn === this.machine)) {
        select.append(el("option", { value: this.machine }, machineName(this.machine)));
      }
      select.value = this.machine;
      showWhere(all.length ? all[0].stateMachineArn : "");
      fill($("machines").tBodies[0]);
      this.machinesShown = 0;
      this.moreMachines();
    }

    /** The next rows of the machines table, newest first. */
    moreMachines() {
      const body = $("machines").tBodies[0];
      const page = this.allMachines.slice(this.machinesShown, this.machinesShown + PAGE_SIZE);
      this.machinesShown += page.length;
      for (const machine of page) {
        const filter = listHash(machine.stateMachineArn, this.status);
        body.append(
          el(
            "tr",
            { class: machine.stateMachineArn === this.machine ? "selected" : null },
            el("td", {}, el("a", { href: filter, title: machine.stateMachineArn }, machine.name)),
            el("td", {}, machine.type),
            el("td", { class: "time" }, formatTime(machine.creationDate)),
          ),
        );
      }
      $("machines-empty").hidden = body.rows.length > 0;
      $("machines-more").hidden = this.machinesShown >= this.allMachines.length;
    }

    async loadExecutions() {
      fill($("executions").tBodies[0]);
      if (this.machine) {
        this.executions = new MachineExecutions(this.machine, this.status);
      } else {
        // Express executions are not listed (Step Functions keeps no
        // history of them).
        const standard = (this.allMachines || []).filter((machine) => machine.type !== "EXPRESS");
        this.executions = new MergedExecutions(
          standard.map((machine) => machine.stateMachineArn),
          this.status,
        );
      }
      await this.moreExecutions();
    }

    async moreExecutions() {
      // One page at a time, however often "More" is clicked.
      if (this.loadingExecutions) return;
      this.loadingExecutions = true;
      $("executions-more").disabled = true;
      let executions;
      try {
        executions = await this.executions.next(PAGE_SIZE);
      } finally {
        this.loadingExecutions = false;
        $("executions-more").disabled = false;
      }
      if (this.stopped) return;
      const body = $("executions").tBodies[0];
      for (const execution of executions) {
        body.append(
          el(
            "tr",
            { "data-execution": execution.executionArn },
            el("td", {}, el("a", { href: executionHash(execution.executionArn), title: execution.executionArn }, execution.name)),
            el("td", {}, machineName(execution.stateMachineVersionArn || execution.stateMachineArn)),
            el("td", {}, badge(execution.status)),
            el("td", { class: "time" }, formatTime(execution.startDate)),
            el("td", { class: "time" }, formatTime(execution.stopDate)),
          ),
        );
      }
      $("executions-empty").hidden = body.rows.length > 0;
      $("executions-more").hidden = !this.executions.more;
    }
  }

  // -------------------------------------------------- what happened to states

  /** The kind of state an event of a task, Parallel or Map belongs to. */
  function eventKind(type) {
    if (/^(Activity|Task|LambdaFunction)/.test(type)) return "Task";
    if (/^ParallelState/.test(type)) return "Parallel";
    if (/^MapState/.test(type)) return "Map";
    return null;
  }

  function isFailure(type) {
    return /(Failed|TimedOut|Aborted)$/.test(type) && !/^(Execution|MapIteration|MapRun)/.test(type);
  }

  function isSuccess(type) {
    return /Succeeded$/.test(type) && !/^(Execution|MapIteration|MapRun)/.test(type);
  }

  /** The details member of an event (`...EventDetails`), if any. */
  function details(event) {
    for (const [key, value] of Object.entries(event)) {
      if (key.endsWith("EventDetails") && value && typeof value === "object") return value;
    }
    return null;
  }

  /**
   * What happened to each state of an execution, from its history: each
   * visit (entered, exited, failures and whether the last one was caught),
   * read event by event as pages arrive.
   */
  class StateRecord {
    constructor() {
      this.events = [];
      this.byId = new Map();
      this.visitsByName = new Map();
      this.lastId = 0;
      this.start = null;
      // Transitions taken, as `from \0 to \0 caught` ("" for a scope's
      // Start), and the exits some state was entered from.
      this.transitions = new Set();
      this.followedExits = new Set();
    }

    static transition(from, to, caught) {
      return `${from}\u0000${to}\u0000${caught ? 1 : 0}`;
    }

    /** Reads new events, in order of their ids. */
    add(events) {
      for (const event of events) {
        if (event.id <= this.lastId) continue;
        this.lastId = event.id;
        if (this.start === null) this.start = event.timestamp;
        const info = { event, visit: null, owner: null };
        this.byId.set(event.id, info);
        this.events.push(info);
        if (event.stateEnteredEventDetails) {
          const name = String(event.stateEnteredEventDetails.name);
          const visit = {
            name,
            kind: event.type.replace(/StateEntered$/, ""),
            entered: event,
            exited: null,
            failures: [],
            failedLast: false,
            ended: false,
          };
          info.visit = visit;
          info.owner = visit;
          const before = this.byId.get(event.previousEventId);
          if (before && before.event.stateExitedEventDetails) {
            const from = before.owner;
            this.followedExits.add(before.event.id);
            this.transitions.add(StateRecord.transition(String(before.event.stateExitedEventDetails.name), name, Boolean(from && from.failedLast)));
          } else if (!before || !before.event.stateEnteredEventDetails) {
            this.transitions.add(StateRecord.transition("", name, false));
          }
          if (!this.visitsByName.has(name)) this.visitsByName.set(name, []);
          this.visitsByName.get(name).push(visit);
        } else if (event.stateExitedEventDetails) {
          const name = String(event.stateExitedEventDetails.name);
          // The latest visit of that name still open.
          const visits = this.visitsByName.get(name) || [];
          let visit = null;
          for (let index = visits.length - 1; index >= 0 && !visit; index -= 1) {
            if (!visits[index].exited) visit = visits[index];
          }
          if (visit) visit.exited = event;
          info.owner = visit;
        } else {
          const kind = eventKind(event.type);
          const owner = /^Execution/.test(event.type) ? null : this.owner(event.previousEventId, kind);
          info.owner = owner;
          if (owner && kind) {
            if (isFailure(event.type)) {
              owner.failures.push(event);
              owner.failedLast = true;
              if (kind !== "Task") owner.ended = true;
            } else if (isSuccess(event.type)) {
              owner.failedLast = false;
            }
          }
        }
      }
    }

    /**
     * The open visit an event belongs to: the nearest state entered before
     * it on its thread (`previousEventId`), of the kind given if any.
     */
    owner(previousId, kind) {
      let id = previousId;
      for (let steps = 0; id && steps < 500; steps += 1) {
        const info = this.byId.get(id);
        if (!info) return null;
        const visit = info.visit;
        if (visit && !visit.exited && !visit.ended && (!kind || visit.kind === kind)) return visit;
        id = info.event.previousEventId;
      }
      return null;
    }

    /**
     * Whether the graph's edge from `from` to `to` ("" for Start or End)
     * was taken; `caught` for a Catch edge.
     */
    taken(from, to, caught) {
      if (to !== "") return this.transitions.has(StateRecord.transition(from, to, caught));
      // To End: a visit that left its state with no state entered after
      // it, or a Fail state entered.
      for (const visit of this.visitsByName.get(from) || []) {
        if (visit.exited ? !this.followedExits.has(visit.exited.id) && visit.failedLast === caught : visit.kind === "Fail" && !caught) {
          return true;
        }
      }
      return false;
    }

    /** The status of a visit: succeeded, caught, failed or running. */
    static visitStatus(visit, closed) {
      if (visit.exited) return visit.failedLast ? "caught" : "succeeded";
      if (closed || visit.ended) return "failed";
      return "running";
    }

    /** The status of each state visited, the most telling of its visits. */
    statuses(closed) {
      const statuses = new Map();
      for (const [name, visits] of this.visitsByName) {
        let best = STATE_STATUSES.length - 1;
        for (const visit of visits) {
          best = Math.min(best, STATE_STATUSES.indexOf(StateRecord.visitStatus(visit, closed)));
        }
        statuses.set(name, STATE_STATUSES[best]);
      }
      return statuses;
    }
  }

  // --------------------------------------------------------- one execution

  /** Makes the graph's SVG text a node of this page, without anything active. */
  function importSvg(text) {
    const parsed = new DOMParser().parseFromString(text, "image/svg+xml");
    const root = parsed.documentElement;
    if (!root || root.localName !== "svg" || parsed.getElementsByTagName("parsererror").length) {
      throw new Error("the graph is not an SVG image");
    }
    for (const node of root.querySelectorAll("script, foreignObject, iframe, object, embed, image")) {
      node.remove();
    }
    for (const node of [root, ...root.querySelectorAll("*")]) {
      for (const attribute of [...node.attributes]) {
        const name = attribute.name.toLowerCase();
        if (name.startsWith("on") || (name.endsWith("href") && !attribute.value.startsWith("#"))) {
          node.removeAttribute(attribute.name);
        }
      }
    }
    return document.importNode(root, true);
  }

  /** One execution: graph, events, states' input and output; followed live while it runs. */
  class ExecutionView {
    constructor(arn) {
      this.arn = arn;
      this.stopped = false;
      this.timer = null;
      this.record = new StateRecord();
      this.selected = null;
      this.closed = false;
      this.listeners = [];
    }

    on(element, type, handler) {
      element.addEventListener(type, handler);
      this.listeners.push(() => element.removeEventListener(type, handler));
    }

    stop() {
      this.stopped = true;
      clearTimeout(this.timer);
      for (const remove of this.listeners) remove();
      fill($("graph"));
    }

    async start() {
      $("list-view").hidden = true;
      $("execution-view").hidden = false;
      for (const id of ["execution-name", "execution-status", "execution-summary", "execution-input", "execution-output"]) {
        fill($(id));
      }
      fill($("graph"));
      fill($("timeline").tBodies[0]);
      this.showState();
      $("execution-live").hidden = true;
      this.on($("graph"), "click", (event) => {
        const node = event.target.closest("g.state[data-state]") || event.target.closest("g.group[data-state]");
        if (node) this.select(node.getAttribute("data-state"));
      });
      this.on($("timeline"), "click", (event) => {
        const row = event.target.closest("tr[data-state]");
        if (row) this.select(row.getAttribute("data-state"));
      });
      busy("loading…");
      const described = await call("DescribeExecution", { executionArn: this.arn });
      if (this.stopped) return;
      this.showExecution(described);
      // The graph is drawn beside the history; a graph that cannot be
      // drawn leaves the rest shown.
      const graph = this.loadGraph().catch((error) => {
        fill($("graph"), el("p", { class: "muted" }, `No graph: ${error.message}`));
      });
      await this.readHistory(FULL_PAGE);
      await graph;
      if (this.stopped) return;
      this.paint();
      if (described.status === "RUNNING") {
        $("execution-live").hidden = false;
        this.schedule();
      }
      busy("");
    }

    async loadGraph() {
      const text = await fetchGraph("executionArn", this.arn);
      if (this.stopped) return;
      fill($("graph"), importSvg(text));
      this.paint();
    }

    schedule() {
      this.timer = setTimeout(() => this.follow().catch((error) => {
        showError(error);
        if (!this.stopped) this.schedule();
      }), FOLLOW_EVERY_MS);
    }

    /** One round of following: the execution, then its new events. */
    async follow() {
      if (this.stopped) return;
      const described = await call("DescribeExecution", { executionArn: this.arn });
      if (this.stopped) return;
      // Read after the description, the history holds the closing event
      // of an execution described as closed.
      await this.readHistory(FOLLOW_PAGE);
      if (this.stopped) return;
      showError(null);
      this.showExecution(described);
      this.paint();
      if (described.status === "RUNNING") {
        this.schedule();
      } else {
        $("execution-live").hidden = true;
      }
    }

    /**
     * Reads the events newer than the last one read: newest first, page by
     * page, down to it.
     */
    async readHistory(pageSize) {
      const fresh = [];
      let token = null;
      let reached = false;
      do {
        const input = { executionArn: this.arn, reverseOrder: true, maxResults: pageSize };
        if (token) input.nextToken = token;
        const page = await call("GetExecutionHistory", input);
        if (this.stopped) return;
        for (const event of page.events || []) {
          if (event.id <= this.record.lastId) {
            reached = true;
            break;
          }
          fresh.push(event);
        }
        token = page.nextToken || null;
      } while (token && !reached);
      fresh.reverse();
      const first = this.record.events.length;
      this.record.add(fresh);
      this.appendEvents(this.record.events.slice(first));
    }

    showExecution(described) {
      this.closed = described.status !== "RUNNING";
      this.described = described;
      document.title = `${described.name} · sfini console`;
      showWhere(described.executionArn);
      fill($("execution-name"), described.name);
      fill($("execution-status"), badge(described.status));
      const machine = described.stateMachineVersionArn || described.stateMachineArn;
      const rows = [
        ["State machine", el("a", { href: listHash(described.stateMachineArn, ""), title: machine }, machineName(machine))],
        ["Started", formatTime(described.startDate)],
        ["Stopped", formatTime(described.stopDate)],
      ];
      if (typeof described.stopDate === "number") {
        rows.push(["Duration", formatDuration((described.stopDate - described.startDate) * 1000)]);
      }
      if (described.error) rows.push(["Error", described.error]);
      if (described.cause) rows.push(["Cause", described.cause]);
      if (described.redriveCount) rows.push(["Redriven", `${described.redriveCount} times`]);
      rows.push(["ARN", el("code", {}, described.executionArn)]);
      fill(
        $("execution-summary"),
        rows.map(([term, value]) => el("div", { class: term === "ARN" ? "wide" : null }, el("dt", {}, term), el("dd", {}, value))),
      );
      fill($("execution-input"), pretty(described.input));
      const output = described.status === "SUCCEEDED" ? pretty(described.output) : "";
      fill($("execution-output"), output || (described.status === "RUNNING" ? "(running)" : "(none)"));
    }

    appendEvents(infos) {
      const body = $("timeline").tBodies[0];
      const start = this.record.start;
      for (const info of infos) {
        const event = info.event;
        const name = info.owner ? info.owner.name : "";
        const row = el(
          "tr",
          { "data-state": name || null, "data-event": event.id, class: isFailure(event.type) || /^Execution(Failed|TimedOut|Aborted)$/.test(event.type) ? "failure" : null },
          el("td", { class: "num" }, event.id),
          el("td", {}, event.type),
          el("td", {}, name),
          el("td", { class: "time" }, formatTime(event.timestamp)),
          el("td", { class: "num" }, formatDuration((event.timestamp - start) * 1000)),
        );
        if (name && name === this.selected) row.classList.add("selected");
        body.append(row);
      }
    }

    /** Colours the graph's states by what happened to them. */
    paint() {
      const statuses = this.record.statuses(this.closed);
      // A Parallel or Map state's box is its `g.state`; the group around
      // its branches holds the states of those, coloured on their own.
      for (const node of $("graph").querySelectorAll("g.state[data-state]")) {
        const status = statuses.get(node.getAttribute("data-state")) || "none";
        for (const candidate of [...STATE_STATUSES, "none"]) {
          node.classList.toggle(`st-${candidate}`, candidate === status);
        }
        node.classList.toggle("selected", node.getAttribute("data-state") === this.selected);
      }
      for (const edge of $("graph").querySelectorAll("g.edge")) {
        const taken = this.record.taken(
          edge.getAttribute("data-from") || "",
          edge.getAttribute("data-to") || "",
          edge.classList.contains("edge-catch"),
        );
        edge.classList.toggle("taken", taken);
      }
      if (this.selected) this.showState();
    }

    select(name) {
      this.selected = name;
      for (const row of $("timeline").tBodies[0].rows) {
        row.classList.toggle("selected", row.getAttribute("data-state") === name);
      }
      this.paint();
      this.showState();
    }

    /** The selected state's visits, with their input and output. */
    showState() {
      const title = $("state-title");
      const panel = $("state-detail");
      if (!this.selected) {
        fill(title, "State");
        fill(panel, el("p", { class: "muted" }, "Select a state in the graph or in the events to see its input and output."));
        return;
      }
      const name = this.selected;
      const visits = this.record.visitsByName.get(name) || [];
      const statuses = this.record.statuses(this.closed);
      fill(title, name, " ", badge(statuses.get(name) || "not visited"));
      if (!visits.length) {
        fill(panel, el("p", { class: "muted" }, "Not visited by this execution."));
        return;
      }
      const shown = visits.slice(-MAX_SHOWN_VISITS);
      const sections = shown.map((visit, index) => {
        const number = visits.length - shown.length + index + 1;
        const status = StateRecord.visitStatus(visit, this.closed);
        const entered = visit.entered.timestamp;
        const exited = visit.exited ? visit.exited.timestamp : null;
        const parts = [
          el(
            "div",
            { class: "visit-head" },
            visits.length > 1 ? `Visit ${number} of ${visits.length}` : "Visit",
            " ",
            badge(status),
            el("span", { class: "muted" }, ` entered ${formatTime(entered)}`, exited !== null ? ` · ${formatDuration((exited - entered) * 1000)}` : ""),
          ),
        ];
        for (const failure of visit.failures) {
          const failed = details(failure) || {};
          parts.push(
            el(
              "div",
              { class: "failure-note" },
              `${failure.type}`,
              failed.error ? `: ${failed.error}` : "",
              failed.cause ? ` — ${failed.cause}` : "",
            ),
          );
        }
        parts.push(el("h4", {}, "Input"), el("pre", { class: "state-input" }, pretty(visit.entered.stateEnteredEventDetails.input)));
        if (visit.exited) {
          parts.push(el("h4", {}, "Output"), el("pre", { class: "state-output" }, pretty(visit.exited.stateExitedEventDetails.output)));
        }
        return el("section", { class: "visit" }, parts);
      });
      fill(panel, sections);
    }
  }

  /**
   * The choice of region: the server's default, the regions it serves so
   * far, and the page's own; choosing one opens the page there.
   */
  async function loadRegions() {
    const select = $("region");
    let known = { defaultRegion: null, regions: [] };
    try {
      const response = await fetch("regions", { cache: "no-store" });
      if (response.ok) known = await response.json();
    } catch (_) {
      // The choice stays hidden; the page still shows its region.
    }
    if (!known.defaultRegion) return;
    const regions = new Set([known.defaultRegion, ...(known.regions || [])]);
    if (REGION) regions.add(REGION);
    fill(
      select,
      [...regions].sort().map((region) => el("option", { value: region }, region)),
    );
    select.value = REGION || known.defaultRegion;
    select.addEventListener("change", () => {
      const chosen = select.value === known.defaultRegion ? "" : select.value;
      // The lists of the region chosen: an execution of one region is
      // not found from another.
      location.href = `./${chosen ? `?region=${encodeURIComponent(chosen)}` : ""}#/`;
    });
    $("region-choice").hidden = false;
  }

  window.addEventListener("hashchange", route);
  loadRegions();
  route();
})();
