// How restate-server is started: on loopback ports of our choosing, with nothing but Restate's settings.
import { describe, expect, it } from "vitest";
import { restateServerLaunch, restateSockets, restateUrls } from "../../src/lab/restate-server.js";

const ports = { ingress: 18080, admin: 19070, node: 15122 };

describe("restateServerLaunch", () => {
  it("a single server: its data folder and node name as arguments, every listener on 127.0.0.1", () => {
    const launch = restateServerLaunch({ binary: "/bin/restate-server", baseDir: "/lab/.restate", nodeName: "lab", ports });
    expect(launch.command).toBe("/bin/restate-server");
    expect(launch.args).toEqual(["--base-dir", "/lab/.restate", "--node-name", "lab", "--no-logo"]);
    expect(launch.env).toMatchObject({
      RESTATE_LISTEN_MODE: "tcp",
      RESTATE_BIND_IP: "127.0.0.1",
      RESTATE_BIND_PORT: "15122",
      RESTATE_INGRESS__BIND_ADDRESS: "127.0.0.1:18080",
      RESTATE_ADMIN__BIND_ADDRESS: "127.0.0.1:19070",
      RESTATE_DEFAULT_NUM_PARTITIONS: "1",
    });
    expect(Object.keys(launch.env).every((name) => name.startsWith("RESTATE_"))).toBe(true);
    expect(launch.env.RESTATE_CLUSTER_NAME).toBeUndefined();
    expect(restateUrls(ports)).toEqual({ ingress: "http://127.0.0.1:18080", admin: "http://127.0.0.1:19070" });
  });

  it("the lab's own server: Unix sockets only, in its data folder, advertising the guarded loopback ports", () => {
    const { env } = restateServerLaunch({ binary: "restate-server", baseDir: "/lab/.restate", nodeName: "lab", ports, listen: "unix" });
    expect(env).toMatchObject({
      RESTATE_LISTEN_MODE: "unix",
      RESTATE_INGRESS__ADVERTISED_INGRESS_ENDPOINT: "http://127.0.0.1:18080",
      RESTATE_ADMIN__ADVERTISED_ADMIN_ENDPOINT: "http://127.0.0.1:19070",
    });
    expect(restateSockets("/lab/.restate", "lab")).toEqual({ ingress: "/lab/.restate/lab/ingress.sock", admin: "/lab/.restate/lab/admin.sock" });
  });

  it("a cluster node: its cluster, its peers' fabric addresses and its own", () => {
    const cluster = { name: "c", replication: 2, metadataNodes: [15122, 15123], provision: false };
    const { env } = restateServerLaunch({ binary: "restate-server", baseDir: "/d/n2", nodeName: "n2", ports: { ...ports, node: 15123 }, cluster });
    expect(env).toMatchObject({
      RESTATE_CLUSTER_NAME: "c",
      RESTATE_DEFAULT_REPLICATION: "2",
      RESTATE_METADATA_CLIENT__ADDRESSES: '["http://127.0.0.1:15122","http://127.0.0.1:15123"]',
      RESTATE_ADVERTISED_ADDRESS: "http://127.0.0.1:15123",
      RESTATE_AUTO_PROVISION: "false",
    });
    expect(env.RESTATE_DEFAULT_NUM_PARTITIONS, "a cluster keeps Restate's default").toBeUndefined();
  });
});
