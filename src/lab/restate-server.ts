// How to run restate-server: where the binary is, and the arguments and environment that make
// it listen on 127.0.0.1 ports of our choosing. The supervisor, the bench and the tests that
// start a Restate of their own (an "existing Restate", a cluster) all start it from here.
import { createRequire } from "node:module";
import { join } from "node:path";
import type { RestateCredential } from "./origins.js";
import { LOOPBACK } from "./ports.js";
import { isHealthy } from "./restate-admin.js";

export interface RestateServerPorts {
  ingress: number;
  admin: number;
  /** The node-to-node ("fabric") port. */
  node: number;
}

export interface RestateServerOptions {
  binary: string;
  /** Restate's data folder. */
  baseDir: string;
  nodeName: string;
  ports: RestateServerPorts;
  /**
   * "unix": ingress, admin and node-to-node on Unix sockets in the data folder only (see
   * restateSockets), for a caller that puts its own door in front (restate-guard.ts). Default "tcp".
   */
  listen?: "tcp" | "unix";
  /** A node of a cluster on loopback; absent for a single server. */
  cluster?: { name: string; replication: number; metadataNodes: number[]; provision: boolean };
}

/** A command to spawn: the environment holds only Restate's settings; the caller adds its own. */
export interface RestateServerLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** The restate-server binary of the npm package @restatedev/restate-server in a workspace. */
export function workspaceRestateServer(workspace: string): string {
  const require = createRequire(join(workspace, "package.json"));
  const binary = `@restatedev/restate-server-${process.platform}-${process.arch}/bin/restate-server`;
  try {
    return require.resolve(binary);
  } catch {
    return join(workspace, "node_modules", binary);
  }
}

export function restateServerLaunch(options: RestateServerOptions): RestateServerLaunch {
  const { ports, cluster } = options;
  return {
    command: options.binary,
    args: ["--base-dir", options.baseDir, "--node-name", options.nodeName, "--no-logo"],
    env: {
      // TCP only (every listener on loopback), or Unix sockets only: never both.
      RESTATE_LISTEN_MODE: options.listen ?? "tcp",
      RESTATE_BIND_IP: LOOPBACK,
      RESTATE_BIND_PORT: String(ports.node),
      RESTATE_INGRESS__BIND_ADDRESS: `${LOOPBACK}:${ports.ingress}`,
      RESTATE_ADMIN__BIND_ADDRESS: `${LOOPBACK}:${ports.admin}`,
      // In "unix" mode the lab's guard serves these ports: Restate's UI and /version name them, not the sockets.
      ...(options.listen === "unix"
        ? {
            RESTATE_INGRESS__ADVERTISED_INGRESS_ENDPOINT: `http://${LOOPBACK}:${ports.ingress}`,
            RESTATE_ADMIN__ADVERTISED_ADMIN_ENDPOINT: `http://${LOOPBACK}:${ports.admin}`,
          }
        : {}),
      // Its output goes to the lab's log, one plain line per event.
      RESTATE_LOG_FORMAT: "compact",
      RESTATE_LOG_DISABLE_ANSI_CODES: "true",
      // A single server runs one partition (Restate's default is 24): a lab carries one learner's
      // requests. Measured on 1.7.12, idle: 162 MB of RSS instead of 266, and a fifth of the CPU.
      // It applies when a data folder is first provisioned: a lab made before keeps its partitions.
      ...(cluster ? {} : { RESTATE_DEFAULT_NUM_PARTITIONS: "1" }),
      ...(cluster
        ? {
            RESTATE_CLUSTER_NAME: cluster.name,
            RESTATE_DEFAULT_REPLICATION: String(cluster.replication),
            RESTATE_METADATA_CLIENT__ADDRESSES: JSON.stringify(cluster.metadataNodes.map(fabricUrl)),
            RESTATE_ADVERTISED_ADDRESS: fabricUrl(ports.node),
            RESTATE_AUTO_PROVISION: String(cluster.provision),
          }
        : {}),
    },
  };
}

/** Where restate-server 1.7.12 puts its sockets in "unix" mode: <base-dir>/<node-name>/<name>.sock (measured). */
export function restateSockets(baseDir: string, nodeName: string): { ingress: string; admin: string } {
  return { ingress: join(baseDir, nodeName, "ingress.sock"), admin: join(baseDir, nodeName, "admin.sock") };
}

export function restateUrls(ports: Pick<RestateServerPorts, "ingress" | "admin">): { ingress: string; admin: string } {
  return { ingress: `http://${LOOPBACK}:${ports.ingress}`, admin: `http://${LOOPBACK}:${ports.admin}` };
}

/** Both the admin API and the ingress answer their health checks. */
export async function isRestateHealthy(urls: { ingress: string; admin: string }, options: { credential?: RestateCredential } = {}): Promise<boolean> {
  return (await isHealthy(`${urls.admin}/health`, options)) && (await isHealthy(`${urls.ingress}/restate/health`, options));
}

function fabricUrl(port: number): string {
  return `http://${LOOPBACK}:${port}`;
}
