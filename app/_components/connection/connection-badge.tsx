import type { ConnectionStatus } from "@/lib/model/connection-status";
import { BADGE, statusLabel } from "./wording";

export function ConnectionBadge({ status }: { status: ConnectionStatus }) {
  return (
    <span className={BADGE[status]} data-status={status}>
      {statusLabel(status)}
    </span>
  );
}
