/**
 * A dated price table for the plan's cost estimate. The Hetzner provider
 * exposes no prices, so this is data the library ships: update it (and its
 * date) when Hetzner changes its list prices.
 */
export interface PriceTable {
  /** The day the prices were read. */
  readonly date: string;
  readonly currency: "EUR";
  /** Where the prices come from. */
  readonly source: string;
  /** Where a user finds the price of a type the table does not list. */
  readonly listUrl: string;
  /** Monthly price per server type, excluding VAT. */
  readonly serverTypes: Readonly<Record<string, number>>;
  /** Hetzner backups cost this fraction of the server price. */
  readonly backupsFraction: number;
}

export const PRICES: PriceTable = {
  date: "2026-04-15",
  currency: "EUR",
  source: "Hetzner Cloud list prices for Germany/Finland locations, excluding VAT, as published on that day",
  listUrl: "https://www.hetzner.com/cloud",
  serverTypes: {
    cx23: 3.99,
    cx33: 6.49,
  },
  backupsFraction: 0.2,
};

export interface CostEstimate {
  readonly serverType: string;
  readonly backups: boolean;
  /** Undefined when the table has no price for the type. */
  readonly server?: number;
  readonly backupsCost?: number;
  readonly total?: number;
  readonly currency: string;
  readonly pricesDate: string;
  readonly note?: string;
}

const listed = (xs: readonly string[]) =>
  xs.length <= 1 ? xs.join("") : `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}`;

export function estimateCost(serverType: string, backups: boolean, table: PriceTable = PRICES): CostEstimate {
  const server = table.serverTypes[serverType];
  if (server === undefined) {
    return {
      serverType,
      backups,
      currency: table.currency,
      pricesDate: table.date,
      note: `not priced: ${serverType} is a valid type, but the price table dated ${table.date} has list prices for ${listed(Object.keys(table.serverTypes))} only; see ${table.listUrl} for ${serverType}`,
    };
  }
  const backupsCost = backups ? Math.round(server * table.backupsFraction * 100) / 100 : 0;
  return {
    serverType,
    backups,
    server,
    backupsCost,
    total: Math.round((server + backupsCost) * 100) / 100,
    currency: table.currency,
    pricesDate: table.date,
  };
}
