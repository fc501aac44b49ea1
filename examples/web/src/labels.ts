import type { ClientStatus, LifecycleAction } from "./generated/graphql";

export const STATUSES: { status: ClientStatus; label: string }[] = [
  { status: "PROSPECT", label: "Prospects" },
  { status: "PENDING", label: "Pending" },
  { status: "ACTIVE", label: "Active" },
  { status: "SUSPENDED", label: "Suspended" },
  { status: "INACTIVE", label: "Inactive" },
  { status: "ARCHIVED", label: "Archived" },
  { status: "DISCARDED", label: "Discarded" },
  { status: "DECOMMISSIONED", label: "Decommissioned" },
  { status: "DISCONNECTED", label: "Disconnected" },
];

export function statusLabel(status: ClientStatus | null | undefined): string {
  return STATUSES.find((s) => s.status === status)?.label ?? "Removed";
}

export const ACTION_LABELS: Partial<Record<LifecycleAction, string>> = {
  ACTIVATE: "Activate",
  SCHEDULE_ACTIVATION: "Schedule activation",
  SUSPEND: "Suspend",
  UNSUSPEND: "Unsuspend",
  DEACTIVATE: "Deactivate",
  REACTIVATE: "Reactivate",
  ARCHIVE: "Archive",
  UNARCHIVE: "Unarchive",
  DISCARD: "Discard",
  RESTORE: "Restore",
  DECOMMISSION: "Decommission",
  CANCEL_DECOMMISSION: "Cancel decommission",
  DISCONNECT: "Disconnect",
  DELETE: "Delete",
  REVOKE_PORTAL_ACCESS: "Revoke portal access",
  RESTORE_PORTAL_ACCESS: "Restore portal access",
};

export function day(at: string | null | undefined): string {
  return at ? new Date(at).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" }) : "";
}
