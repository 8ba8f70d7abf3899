import { describe, expect, it } from "vitest";
import { refusal } from "../../src/lab/restate-guard.js";

describe("the guard in front of the lab's Restate", () => {
  it("lets through this machine's clients: Host is the loopback port, Origin absent or the lab's own", () => {
    expect(refusal({ host: "127.0.0.1:8080" }, 8080)).toBeNull();
    expect(refusal({ host: "localhost:8080" }, 8080)).toBeNull();
    expect(refusal({ host: "127.0.0.1:8080", origin: "http://127.0.0.1:8080" }, 8080)).toBeNull();
    // Restate's UI, served on the admin port, calls the ingress.
    expect(refusal({ host: "127.0.0.1:8080", origin: "http://localhost:9070" }, 8080, [9070])).toBeNull();
  });

  it("refuses a foreign Host (DNS rebinding), a missing Host, another port, and a web page's Origin", () => {
    expect(refusal({ host: "attacker.example:8080" }, 8080)).toMatch(/Host "attacker.example:8080"/);
    expect(refusal({}, 8080)).toMatch(/Host ""/);
    expect(refusal({ host: "127.0.0.1:9999" }, 8080)).toMatch(/Host/);
    expect(refusal({ host: "127.0.0.1" }, 8080)).toMatch(/Host/);
    expect(refusal({ host: "127.0.0.1:8080", origin: "https://attacker.example" }, 8080)).toMatch(/Origin/);
    expect(refusal({ host: "127.0.0.1:8080", origin: "null" }, 8080)).toMatch(/Origin/);
    expect(refusal({ host: "127.0.0.1:8080", origin: "http://127.0.0.1:3000" }, 8080, [9070])).toMatch(/Origin/);
  });
});
