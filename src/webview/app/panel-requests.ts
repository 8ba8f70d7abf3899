// The panel's bookkeeping of its requests to the extension: each gets a requestId and is
// remembered until its answer or failure comes; an answer to no pending request is stale.
import { parseToExtension } from "../../shared/protocol.js";
import type { ToExtension, WebviewRequest } from "../../shared/protocol.js";

/** A request sent and not answered yet: what its answer or failure is about. */
export interface PendingRequest {
  requestId: string;
  type: WebviewRequest["type"];
  /** openRun: the run asked for. */
  runId?: string;
  /** openRun: asked for only to compare it (its answer must not replace the current run). */
  forCompare?: boolean;
}

/** What a state needs to send requests: panel-state.ts's PanelState has it. */
export interface RequestBook {
  requests: readonly PendingRequest[];
  idPrefix: string;
  nextRequest: number;
  outbox: readonly ToExtension[];
}

/** Requests that only a failure answers (startLab, export, openConcepts, copy) are forgotten beyond this many. */
const KEPT_REQUESTS = 50;

/** A message before send() gives it its requestId. */
export type Unsent = ToExtension extends infer M ? (M extends { requestId: string } ? Omit<M, "requestId"> : M) : never;

/**
 * Queues a message for the extension, a request with a new requestId (remembered until answered);
 * `then` is the state change that sending it makes. A message the protocol refuses is still queued
 * (the channel logs and drops it) but changes nothing.
 */
export function send<S extends RequestBook>(s: S, message: Unsent, then: (s: S, requestId: string) => S = (x) => x, forCompare = false): S {
  if (message.type === "ready" || message.type === "stop") return { ...s, outbox: [...s.outbox, message] };
  const requestId = `${s.idPrefix}-${s.nextRequest}`;
  const request = { ...message, requestId } as WebviewRequest;
  const next = { ...s, nextRequest: s.nextRequest + 1, outbox: [...s.outbox, request] };
  if (!parseToExtension(request).ok) return next;
  const remembered: PendingRequest = {
    requestId,
    type: request.type,
    ...(request.type === "openRun" ? { runId: request.runId } : {}),
    ...(forCompare ? { forCompare } : {}),
  };
  return then({ ...next, requests: remember(next.requests, remembered) }, requestId);
}

export function pending(s: RequestBook, requestId: string): PendingRequest | undefined {
  return s.requests.find((r) => r.requestId === requestId);
}

/** Whether an openRun of this run is on its way. */
export function fetching(s: RequestBook, runId: string): boolean {
  return s.requests.some((r) => r.type === "openRun" && r.runId === runId);
}

export function remember(requests: readonly PendingRequest[], request: PendingRequest): PendingRequest[] {
  const next = [...requests, request];
  const onlyFailureAnswers = (r: PendingRequest) => r.type === "startLab" || r.type === "export" || r.type === "openConcepts" || r.type === "copy";
  while (next.length > KEPT_REQUESTS && next.some(onlyFailureAnswers)) next.splice(next.findIndex(onlyFailureAnswers), 1);
  return next;
}

export function forget(requests: readonly PendingRequest[], requestId: string): PendingRequest[] {
  return requests.filter((r) => r.requestId !== requestId);
}
