// What the lab status box says (src/webview/lab-model.ts).
import { describe, expect, it } from "vitest";
import { describeLab } from "../../../src/webview/sidebar/lab-model.js";

describe("lab status", () => {
  it("describes the lab's states, with Start only when the lab is not ready", () => {
    expect(describeLab({ state: "ready", ingress: "http://127.0.0.1:8080", admin: "a", gateway: "g" })).toMatchObject({ showStart: false, canRun: true });
    expect(describeLab({ state: "stopped" })).toMatchObject({ showStart: true, startDisabled: false, canRun: false });
    expect(describeLab({ state: "starting" })).toMatchObject({ showStart: true, startDisabled: true });
    expect(describeLab({ state: "error", message: "port taken" })).toMatchObject({ detail: "port taken", startDisabled: false });
  });
});
