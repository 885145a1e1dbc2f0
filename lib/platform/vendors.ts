/** The upstream APIs this app calls, by key, with the name people see. */
export const VENDOR_NAMES = { conductor: "Conductor", altur: "Altur", dify: "Dify" } as const;

export type Vendor = keyof typeof VENDOR_NAMES;
