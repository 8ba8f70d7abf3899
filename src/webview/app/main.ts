// The lab panel's webview: the entry point of dist/webview.js. Each message of the extension
// (checked by parseToWebview) and each action of the learner is an event for panel-state.ts; after
// each, the messages it queued go out (checked by parseToExtension), what persists is saved, and
// panel-view.ts draws the new state.

// The shared sheets first, in cascade order; each component's own sheet (imported by its .ts file)
// comes after them, so a component's rules win over the layout's.
import "../ui/base.css";
import "../ui/controls.css";
import "../ui/common.css";
import "./layout.css";
import { parseToWebview } from "../../shared/protocol.js";
import { fromWire } from "../../shared/wire.js";
import { initialState, persistedState, reduce } from "./panel-state.js";
import type { PanelEvent } from "./panel-state.js";
import { PanelView } from "./panel-view.js";
import { restoreState } from "./persisted-state.js";
import { connect } from "./vscode-api.js";

const channel = connect();
// Random per webview: an answer meant for the panel before a reload never matches this one's requests.
const idPrefix = `w${Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) => b.toString(16).padStart(2, "0")).join("")}`;
let state = initialState(restoreState(channel.getState()), idPrefix);
let saved = "";
const view = new PanelView(dispatch);

function dispatch(event: PanelEvent): void {
  state = reduce(state, event);
  const outbox = state.outbox;
  if (outbox.length > 0) state = { ...state, outbox: [] };
  for (const message of outbox) channel.post(message);
  const persisted = persistedState(state);
  const text = JSON.stringify(persisted);
  if (text !== saved) {
    saved = text;
    channel.setState(persisted);
  }
  view.render(state);
}

// Messages are handled one after the other, in the order they came: a packed run takes a moment
// to unpack, and the history that follows it must not overtake it.
let inbox = Promise.resolve();
window.addEventListener("message", (event: MessageEvent) => {
  const data: unknown = event.data;
  inbox = inbox.then(async () => receive(await fromWire(data)));
});

function receive(data: unknown): void {
  const parsed = parseToWebview(data);
  if (!parsed.ok) console.warn(`Idempotency Lab: dropped a message from the extension (${parsed.error})`);
  try {
    // A refused answer still ends its request: the learner sees why instead of waiting.
    if (parsed.ok) dispatch({ type: "message", message: parsed.message });
    else if (parsed.requestId !== undefined) dispatch({ type: "refused", requestId: parsed.requestId, error: parsed.error });
  } catch (err) {
    console.error("Idempotency Lab: could not show a message", err);
  }
}

view.render(state);
channel.post({ type: "ready" });
