// Serves the lab's services to Restate over HTTP/2, on loopback only.
import * as restate from "@restatedev/restate-sdk";
import { createServer } from "node:http2";
import { paymentAntiPatterns } from "./anti-patterns.ts";
import { paymentService } from "./payment-service.ts";
import { storefront } from "./storefront.ts";

const port = Number(process.env.SERVICE_PORT ?? 9080);

const server = createServer(restate.createEndpointHandler({ services: [paymentService, paymentAntiPatterns, storefront] }));
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
