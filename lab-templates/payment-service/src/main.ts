// Serves the lab's services to Restate over HTTP/2, on loopback only.
import * as restate from "@restatedev/restate-sdk";
import { createServer } from "node:http2";
import { paymentAntiPatterns } from "./anti-patterns.ts";
import { checkoutWorkflow } from "./checkout.ts";
import { fees } from "./fees.ts";
import { paymentService } from "./payment-service.ts";
import { carefulPayments, orderEmails, orderSaga, paymentWebhooks } from "./real-world.ts";
import { storefront } from "./storefront.ts";

const port = Number(process.env.SERVICE_PORT ?? 9080);

const endpoint = restate.createEndpointHandler({ services: [paymentService, paymentAntiPatterns, storefront, fees, checkoutWorkflow, orderSaga, paymentWebhooks, carefulPayments, orderEmails] });
// Restate calls the service on 127.0.0.1; nothing else on this machine (a web page through a
// rebound DNS name, say) should reach the handlers.
const server = createServer((req, res) => {
  const authority = String(req.headers[":authority"] ?? req.headers.host ?? "").toLowerCase();
  const hostname = authority.startsWith("[") ? authority.slice(0, authority.indexOf("]") + 1) : authority.split(":")[0];
  if (!["127.0.0.1", "localhost", "[::1]"].includes(hostname ?? "") || req.headers.origin !== undefined) {
    res.writeHead(403, { "content-type": "text/plain" });
    res.end("The payment service answers only Restate on this machine.\n");
    return;
  }
  endpoint(req, res);
});
server.on("error", (err) => {
  console.error(`payment service could not listen on 127.0.0.1:${port}: ${err.message}`);
  process.exit(1);
});
server.listen(port, "127.0.0.1", () => console.log(`payment service listening on http://127.0.0.1:${port}`));

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    server.close();
    process.exit(0);
  });
}
