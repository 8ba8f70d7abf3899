// Each violating payment's causal chain, Jepsen/Elle style: its money movements tied to the
// Restate attempt that made them, the faults that touched those attempts, and the retries
// between, in time order (shared/chaos-chain.ts builds it; the CLI prints the same steps).
import "./chaos-chain.css";
import { seconds, violationChains, type ViolationChain } from "../../shared/chaos-chain.js";
import type { ChaosRunRecord } from "../../shared/protocol.js";
import { button, el, section } from "../ui/dom.js";
import { counted } from "../ui/format.js";

export function renderChains(record: ChaosRunRecord, openPayment: (paymentId: string) => void): HTMLElement | null {
  const ledger = record.evidence.ledger.length > 0 ? record.evidence.ledger : null;
  const chains = violationChains(record.chaos, ledger, record.evidence.attempts);
  if (chains.length === 0) return null;
  return section(
    "How it happened",
    {
      testid: "chaos-chains",
      class: "chaos-chains",
      actions: [el("span", { class: "section-note", text: `${counted(chains.length, "payment")}: each charge tied to the attempt that made it` })],
    },
    renderChainList(chains, openPayment),
  );
}

/** Each chain: its payment (a link to its row when `openPayment` is given) and its steps. */
export function renderChainList(chains: readonly ViolationChain[], openPayment: ((paymentId: string) => void) | null): HTMLElement[] {
  return chains.map((chain) =>
    el("div", { class: "chaos-chain", testid: "chaos-chain", attrs: { "data-payment-id": chain.paymentId } }, [
      el("p", { class: "chaos-chain-head" }, [
        "Payment ",
        openPayment
          ? button(chain.paymentId, () => openPayment(chain.paymentId), { class: "link-button mono", attrs: { title: "Open this payment's row in the table" } })
          : el("span", { class: "mono", text: chain.paymentId }),
        ` broke ${chain.broken.map((b) => b.invariant).join(", ")}: ${chain.broken.map((b) => b.summary).join("; ")}.`,
      ]),
      el(
        "ol",
        { class: "chaos-chain-steps" },
        chain.steps.map((step, i) =>
          el("li", { class: `chaos-chain-step step-${step.kind}`, testid: "chaos-chain-step", attrs: { "data-kind": step.kind } }, [
            el("span", { class: "chaos-chain-arrow", text: i === 0 ? "" : "→", attrs: { "aria-hidden": "true" } }),
            el("span", { class: "chaos-chain-time", text: step.atMs === null ? "" : seconds(step.atMs) }),
            el("span", { class: "chaos-chain-text", text: step.text }),
          ]),
        ),
      ),
    ]),
  );
}
