// Which addresses a set of processes listens on, read from the kernel's socket tables
// (/proc/net/tcp and tcp6) and their file descriptors, not from the lab's own config.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

export interface Listener {
  pid: number;
  address: string;
  port: number;
}

export function listeners(pids: number[]): Listener[] {
  const inodes = new Map<string, number>();
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) inodes.set(m[1]!, pid);
      } catch {
        // closed meanwhile
      }
    }
  }
  const out: Listener[] = [];
  for (const [file, v6] of [
    ["/proc/net/tcp", false],
    ["/proc/net/tcp6", true],
  ] as const) {
    for (const line of readFileSync(file, "utf8").split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== "0A") continue; // 0A = LISTEN
      const pid = inodes.get(f[9]!);
      if (pid === undefined) continue;
      const [hex, portHex] = f[1]!.split(":") as [string, string];
      out.push({ pid, address: v6 ? ipv6(hex) : ipv4(hex), port: parseInt(portHex, 16) });
    }
  }
  return out;
}

function ipv4(hex: string): string {
  return [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join(".");
}

function ipv6(hex: string): string {
  // Shown as the kernel stores it; "::" (all zeros) is the wildcard, ::ffff:7f00:1 is 127.0.0.1.
  return hex === "00000000000000000000000000000000" ? "::" : hex === "0000000000000000FFFF00000100007F" ? "::ffff:127.0.0.1" : hex;
}
