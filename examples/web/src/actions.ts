// Runs a lifecycle action through its own typed mutation.
import { request } from "./api";
import {
  ActivateClientDocument,
  ArchiveClientDocument,
  CancelScheduledDecommissionDocument,
  DeactivateClientDocument,
  DecommissionClientDocument,
  DeleteClientDocument,
  DisconnectClientDocument,
  DiscardClientDocument,
  ReactivateClientDocument,
  RestoreClientDocument,
  RestorePortalAccessDocument,
  RevokePortalAccessDocument,
  ScheduleActivationDocument,
  SuspendClientDocument,
  UnarchiveClientDocument,
  UnsuspendClientDocument,
  type LifecycleAction,
} from "./generated/graphql";

/** What every lifecycle input shares. */
export type Common = { clientId: string; expectedVersion?: number };

/** The arguments some actions take, as the confirmation dialog collected them. */
export type Extra = { at?: string; confirmName?: string; accountOwnerContactId?: string };

export async function runAction(action: LifecycleAction, input: Common, extra: Extra): Promise<void> {
  switch (action) {
    case "ACTIVATE":
      await request(ActivateClientDocument, { input });
      return;
    case "SCHEDULE_ACTIVATION":
      await request(ScheduleActivationDocument, { input: { ...input, at: extra.at ?? "" } });
      return;
    case "SUSPEND":
      await request(SuspendClientDocument, { input });
      return;
    case "UNSUSPEND":
      await request(UnsuspendClientDocument, { input });
      return;
    case "DEACTIVATE":
      await request(DeactivateClientDocument, { input });
      return;
    case "REACTIVATE":
      await request(ReactivateClientDocument, { input });
      return;
    case "ARCHIVE":
      await request(ArchiveClientDocument, { input });
      return;
    case "UNARCHIVE":
      await request(UnarchiveClientDocument, { input });
      return;
    case "DISCARD":
      await request(DiscardClientDocument, { input });
      return;
    case "RESTORE":
      await request(RestoreClientDocument, { input });
      return;
    case "DECOMMISSION":
      await request(DecommissionClientDocument, { input });
      return;
    case "CANCEL_DECOMMISSION":
      await request(CancelScheduledDecommissionDocument, { input });
      return;
    case "DISCONNECT":
      await request(DisconnectClientDocument, {
        input: { ...input, accountOwnerContactId: extra.accountOwnerContactId },
      });
      return;
    case "DELETE":
      await request(DeleteClientDocument, { input: { ...input, confirmName: extra.confirmName ?? "" } });
      return;
    case "REVOKE_PORTAL_ACCESS":
      await request(RevokePortalAccessDocument, { input });
      return;
    case "RESTORE_PORTAL_ACCESS":
      await request(RestorePortalAccessDocument, { input });
      return;
    case "CREATE":
    case "UPDATE":
      throw new Error(`${action} is not a menu action`);
  }
}
