import { createHash } from 'node:crypto';
import type { Ctx } from '../../platform/ctx.ts';
import type { MySubscription } from './self.ts';

export const lineFaults = ['area_outage', 'ont_offline', 'low_optical_power', 'wifi_congestion', 'speed_below_plan'] as const;
export type LineFault = (typeof lineFaults)[number];

/** What a probe of one customer's line reports: the ONT (the fibre box), the light it receives, a speed test, the Wi-Fi. */
export type LineReport = {
  available: boolean;
  ont: 'online' | 'offline' | 'unknown';
  opticalPowerDbm: number | null;
  measuredDownMbps: number | null;
  measuredUpMbps: number | null;
  wifi: { band: string; channelBusyPercent: number; devices: number } | null;
  faults: LineFault[];
};

/**
 * Looks at a customer's line through the operator's network management (TR-069/USP, the OLT's
 * optical readings, a speed test from the ONT). Pluggable: a workspace registers its own; the
 * demo tenant uses the simulator below.
 */
export interface NetworkProbe {
  probeLine(input: { ctx: Ctx; subscription: MySubscription; areaOutage: boolean }): Promise<LineReport>;
}

/** No probe configured: the line cannot be looked at; the diagnosis says so and relies on account and area. */
export const noProbe: NetworkProbe = {
  async probeLine() { return { available: false, ont: 'unknown', opticalPowerDbm: null, measuredDownMbps: null, measuredUpMbps: null, wifi: null, faults: [] }; },
};

/**
 * The demo's network: most lines are healthy; a fixed share of demo customers (by a hash of
 * their id) has a realistic fault — ONT offline, low optical power, Wi-Fi congestion, speed
 * below plan — and every line in an area with an open outage (a fibre cut) has lost its signal.
 * `assign` pins a fault to a customer (tests, demos).
 */
export class DemoNetworkSimulator implements NetworkProbe {
  private readonly pinned = new Map<string, LineFault | null>();
  assign(customerId: string, fault: LineFault | null): void { this.pinned.set(customerId, fault); }

  /** The fault the simulator gives a customer's line (before any area outage): about 1 in 4 demo customers has one. */
  faultOf(customerId: string): LineFault | null {
    if (this.pinned.has(customerId)) return this.pinned.get(customerId)!;
    const n = createHash('sha256').update(customerId).digest().readUInt16BE(0) % 16;
    return n === 0 ? 'ont_offline' : n === 1 ? 'low_optical_power' : n === 2 ? 'wifi_congestion' : n === 3 ? 'speed_below_plan' : null;
  }

  async probeLine({ subscription, areaOutage }: { subscription: MySubscription; areaOutage: boolean }): Promise<LineReport> {
    const plan = subscription.plan;
    const h = createHash('sha256').update(`probe:${subscription.row.id}`).digest();
    const jitter = (k: number) => h[k] / 255;
    const fault = this.faultOf(subscription.row.customerId);
    if (areaOutage && fault !== 'wifi_congestion') {
      return { available: true, ont: 'online', opticalPowerDbm: -40, measuredDownMbps: 0, measuredUpMbps: 0, wifi: null, faults: ['area_outage'] };
    }
    const base: LineReport = {
      available: true, ont: 'online', opticalPowerDbm: Math.round((-17 - jitter(1) * 6) * 10) / 10,
      measuredDownMbps: Math.round(plan.downloadMbps * (0.9 + jitter(2) * 0.08)), measuredUpMbps: Math.round(plan.uploadMbps * (0.9 + jitter(3) * 0.08)),
      wifi: { band: '5 GHz', channelBusyPercent: Math.round(15 + jitter(4) * 25), devices: 3 + (h[5] % 9) }, faults: [],
    };
    switch (fault) {
      case 'ont_offline': return { ...base, ont: 'offline', opticalPowerDbm: null, measuredDownMbps: null, measuredUpMbps: null, wifi: null, faults: ['ont_offline'] };
      case 'low_optical_power': return { ...base, opticalPowerDbm: Math.round((-27.5 - jitter(6) * 2) * 10) / 10, measuredDownMbps: Math.round(plan.downloadMbps * 0.35), faults: ['low_optical_power'] };
      case 'wifi_congestion': return { ...base, wifi: { band: '2.4 GHz', channelBusyPercent: 88 + (h[7] % 10), devices: 18 + (h[8] % 12) }, faults: areaOutage ? ['area_outage', 'wifi_congestion'] : ['wifi_congestion'] };
      case 'speed_below_plan': return { ...base, measuredDownMbps: Math.round(plan.downloadMbps * (0.3 + jitter(9) * 0.15)), measuredUpMbps: Math.round(plan.uploadMbps * 0.5), faults: ['speed_below_plan'] };
      default: return base;
    }
  }
}

export const demoNetworkSimulator = new DemoNetworkSimulator();

const probes = new Map<string, NetworkProbe>();
/** Registers a workspace's network probe (or the simulator, in tests). */
export function registerNetworkProbe(workspaceId: string, probe: NetworkProbe): void { probes.set(workspaceId, probe); }
export function networkProbeFor(workspaceId: string, isDemo: boolean): NetworkProbe {
  return probes.get(workspaceId) ?? (isDemo ? demoNetworkSimulator : noProbe);
}
