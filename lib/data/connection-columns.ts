/**
 * The end-user row's connection columns, read back as the model's shapes: the last health check,
 * and the `connection` object every EndUser answer carries.
 */
import "server-only";
import type { Prisma } from "@/lib/db/client";
import type {
  ConnectionCheckOutcome as PrismaCheckOutcome,
  ConnectionStatus as PrismaStatus,
} from "@/lib/db/generated/enums";
import {
  connectionFrom,
  type CheckOutcome,
  type Connection,
  type ConnectionCheck,
  type ConnectionStatus,
} from "@/lib/model/connection";

// The database's enums and the model's lists must name the same values.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const enumsMatch: [Same<ConnectionStatus, PrismaStatus>, Same<CheckOutcome, PrismaCheckOutcome>] = [true, true];
void enumsMatch;

export const connectionColumns = {
  connectionStatus: true,
  connectionCheckedAt: true,
  connectionCheckOutcome: true,
  connectionMessage: true,
  connectionRequestId: true,
} satisfies Prisma.ConductorEndUserSelect;

type Columns = Prisma.ConductorEndUserGetPayload<{ select: typeof connectionColumns }>;

/** A row with its connection columns folded into `connection`, and the check behind it as `lastCheck`. */
export type WithConnection<T extends Columns> = Omit<T, keyof Columns> & {
  connection: Connection;
  lastCheck: ConnectionCheck | null;
};

export function lastCheckOf(row: Columns): ConnectionCheck | null {
  if (!row.connectionCheckedAt || !row.connectionCheckOutcome) return null;
  return {
    outcome: row.connectionCheckOutcome,
    at: row.connectionCheckedAt,
    message: row.connectionMessage,
    conductorRequestId: row.connectionRequestId,
  };
}

export function withConnection<T extends Columns>(row: T): WithConnection<T> {
  const {
    connectionStatus,
    connectionCheckedAt: _checkedAt,
    connectionCheckOutcome: _outcome,
    connectionMessage: _message,
    connectionRequestId: _requestId,
    ...rest
  } = row;
  const lastCheck = lastCheckOf(row);
  return { ...rest, connection: connectionFrom(connectionStatus, lastCheck), lastCheck };
}
