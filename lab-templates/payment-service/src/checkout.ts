// CheckoutWorkflow: a workflow that pays for one checkout through PaymentService. Its workflow id is
// its idempotency key: while the workflow is retained (`workflowRetention`, one day by default),
// Restate runs `run` once per id, refuses a second submit, and keeps the result for anyone who
// attaches; it refuses an `idempotency-key` header on `run` for that reason. Once the retention is
// over and the cleaner has passed, the same id runs again, as a key past its retention does: the
// payment below stays single thanks to PaymentService's own key and state.
import * as restate from "@restatedev/restate-sdk";
import type { paymentService } from "./payment-service.ts";
import type { Payment } from "./types.ts";
import { parseCreateRequest } from "./validation.ts";

export interface CheckoutResult {
  checkoutId: string;
  payment: Payment;
}

export const checkoutWorkflow = restate.workflow({
  name: "CheckoutWorkflow",
  handlers: {
    run: async (ctx: restate.WorkflowContext, input: unknown): Promise<CheckoutResult> => {
      const request = parseCreateRequest(input);
      // The payment id and the key both come from the workflow id: whoever else pays for this
      // checkout with them (a retry, a support tool) gets this payment back, not a second one.
      const payment = await ctx
        .objectClient<typeof paymentService>({ name: "PaymentService" }, ctx.key)
        .create(request, restate.rpc.opts({ idempotencyKey: `checkout-${ctx.key}` }));
      return { checkoutId: ctx.key, payment };
    },
  },
});
