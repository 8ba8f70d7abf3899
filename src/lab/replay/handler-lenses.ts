// Which scenario a handler's CodeLens replays, beside the scenarios it names (the VS Code layer
// draws the lens above the handler; tests/unit/lessons.test.ts checks each scenario sends to it).

export interface HandlerLens {
  /** The lab file the handler is in, relative to the lab. */
  file: string;
  scenario: string;
  title: string;
}

/** Handler name -> its lens. */
export const HANDLER_LENSES: Readonly<Record<string, HandlerLens>> = {
  create: { file: "src/payment-service.ts", scenario: "duplicates-in-a-row", title: "Replay ×5 with one key" },
  chargeOutsideRun: { file: "src/anti-patterns.ts", scenario: "anti-pattern-charge-outside-run", title: "Replay under a lost gateway answer" },
  countOutsideJournal: { file: "src/anti-patterns.ts", scenario: "anti-pattern-counter", title: "Replay under a lost gateway answer" },
  relyOnGatewayIdempotency: { file: "src/anti-patterns.ts", scenario: "anti-pattern-rely-on-gateway", title: "Replay under a lost gateway answer" },
};
